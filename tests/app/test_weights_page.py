"""AppTest: the Overview's weights control. The page's weighted NPS is the CLI's, the note says how
the scores are weighted, and the choice is saved with the workspace (a refresh and a second person
opening it see the same weighted scores)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cx_core.cli import main
from cx_core.i18n_format import format_number

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
SAMPLE = ["--survey", str(ROOT / "sample_data/survey.csv"), "--crm", str(ROOT / "sample_data/crm.csv")]


def open_overview(ws_id: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if ws_id:
        at.query_params["ws"] = ws_id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def card_nps(at: AppTest) -> str:
    return {m.label: m.value for m in at.metric}["NPS"]


def _cli_json(capsys, *extra: str) -> str:
    assert main(["summarize", *SAMPLE, *extra]) == 0
    return capsys.readouterr().out


def cli_nps(capsys, *extra: str) -> float:
    return json.loads(_cli_json(capsys, *extra))["metrics"]["nps"]["score"]


def linked_id(at: AppTest) -> str:
    value = at.query_params["ws"]
    return value[0] if isinstance(value, list) else value


def unescape_md(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def notes(at: AppTest) -> str:
    return " ".join(i.value for i in at.info)


def test_each_account_once_on_the_page_is_the_cli_number_and_is_saved_with_the_workspace(capsys):
    at = open_overview()
    plain = card_nps(at)
    at.radio(key="overview_weights_by").set_value("account").run()
    assert not at.exception, [e.value for e in at.exception]
    expected = cli_nps(capsys, "--weight-by", "account")
    assert card_nps(at) == format_number(expected, "en", sign=True) != plain
    assert "each of the 300 accounts counts once" in notes(at) and "effective n (Kish)" in notes(at)
    # beside the interval, the card's effective n carries the clustering too (n / design effect), not Kish's
    nps_caption = next(c.value for c in at.caption if c.value.startswith("n = 4,"))
    design = json.loads(_cli_json(capsys, "--weight-by", "account"))["metrics"]["nps"]
    assert f"effective n ≈ {design['n'] / design['design_effect']:,.0f}" in nps_caption

    ws_id = linked_id(at)  # choosing weights saved the sample as the team's workspace
    again = open_overview(ws_id)  # a refresh: a new session on the same link
    assert card_nps(again) == card_nps(at) and again.radio(key="overview_weights_by").value == "account"
    colleague = open_overview()  # someone else opening the app on the team's sample
    assert card_nps(colleague) == card_nps(at) and "counts once" in notes(colleague)

    colleague.radio(key="overview_weights_by").set_value("none").run()
    assert card_nps(colleague) == plain and "counts once" not in notes(colleague)
    assert card_nps(open_overview(ws_id)) == plain  # the change is the workspace's too


def test_margins_entered_in_the_table_give_the_cli_number(capsys, tmp_path):
    at = open_overview()
    at.radio(key="overview_weights_by").set_value("margins").run()
    assert "not applied yet (the scores keep: None (each answer once))" in unescape_md(
        " ".join(c.value for c in at.caption)
    )
    start = at.data_editor(key="overview_weights_margins").value
    assert list(start["column"].unique()) == ["segment"] and abs(start["share"].sum() - 1) < 1e-9
    shares = {"Enterprise": 0.2, "Mid-market": 0.3, "SMB": 0.5}
    edits = {i: {"share": shares[value]} for i, value in enumerate(start["value"])}
    at.session_state["overview_weights_margins"] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="overview_weights_apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    margins = tmp_path / "margins.csv"
    margins.write_text("column,value,share\n" + "".join(f"segment,{v},{s}\n" for v, s in shares.items()))
    assert card_nps(at) == format_number(cli_nps(capsys, "--weights", str(margins)), "en", sign=True)
    assert "population margins of Segment" in notes(at)

    # a share that makes the column add up to 0.9: one message, the applied margins stay
    applied = card_nps(at)
    shown = at.data_editor(key="overview_weights_margins").value  # drawn again from the applied margins
    assert dict(zip(shown["value"], shown["share"], strict=True)) == shares
    first = shown["value"].iloc[0]
    at.session_state["overview_weights_margins"] = {
        "edited_rows": {0: {"share": round(shares[first] - 0.1, 3)}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="overview_weights_apply").click().run()
    assert any("add up to 0.9, not 1" in unescape_md(e.value) for e in at.error)
    assert card_nps(at) == applied


def test_margins_that_do_not_fit_a_filtered_selection_are_said_and_the_plain_scores_shown():
    at = open_overview()
    at.radio(key="overview_weights_by").set_value("margins").run()
    at.button(key="overview_weights_apply").click().run()  # the survey's own shares
    at.multiselect(key="sidebar_segment").set_value(["SMB"]).run()
    assert not at.exception, [e.value for e in at.exception]
    warning = unescape_md(" ".join(w.value for w in at.warning))
    assert "so the scores are unweighted" in warning and "the selected answers have none" in warning
    assert "segment = 'Mid-market'" in warning or "segment = 'Enterprise'" in warning
    assert "population margins" not in notes(at)


def test_japanese_note():
    at = open_overview()
    at.radio(key="app_language").set_value("ja").run()
    at.radio(key="overview_weights_by").set_value("account").run()
    assert "各企業を1回ずつ数えています" in notes(at) and "有効回答数（Kish）" in notes(at)
