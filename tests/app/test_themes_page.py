"""AppTest: the Themes page renders offline by default, explains the LLM setup, and runs the LLM path."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from cx_core import t
from tests.core.test_llm_themes import FakeServer, is_probe
from tests.helpers import shown_number
from ui.sync import state

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def open_themes() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("app_pages/themes.py")
    at.run()
    return at


def test_themes_page_offline(monkeypatch):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CX_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    at = open_themes()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    table = at.dataframe[0].value
    # dataframes carry no key in AppTest: top themes, all themes, by segment, by role, impact, trend,
    # two periods compared, the picked theme's sub-themes, quotes, all quotes
    assert len(at.dataframe) == 10
    assert len(table) >= 4 and shown_number(table["Comments"].iloc[0]) > 100
    assert "deliver" in table.iloc[0, 0]  # the English half of "納期・納品 / deliveries" (one language a page)
    # each theme is one side of a topic; its whole topic's split sits next to it
    assert set(table["Side"]) <= {"praise", "complaint", "request", "neutral", ""} and (table["Side"] != "").any()
    assert table["Topic: praise / complaints / requests / neutral"].str.startswith("praise ").any()
    assert len(at.dataframe[1].value.columns) >= 9  # all themes: side and split columns too
    # the offline themes are kept in this session (the Account page reads the same memo)
    assert len(at.session_state[state.MEMO][state.OFFLINE_THEMES_SLOT]) == 1
    # the first theme drilled down: sub-themes named by what they share, each within the theme's count
    subs = next(d.value for d in at.dataframe if t("themes.col.share_of_theme", "en") in d.value.columns)
    assert len(subs) >= 2 and subs["Comments"].map(shown_number).max() <= shown_number(table["Comments"].iloc[0])
    assert subs["Sub-theme"].is_unique and not subs["Sub-theme"].isin(["", table.iloc[0, 0]]).any()
    every = at.dataframe[9].value
    parts = {p for cell in every["Sub-theme"] for p in cell.split(" · ") if p}
    assert parts == set(subs["Sub-theme"]) and (every["Sub-theme"] != "").mean() > 0.9  # each comment's part
    # reading one part at a time: the list keeps that part's comments only, and says so
    first = at.session_state["themes_quote_theme"]
    at.selectbox(key=f"themes_subtheme_{first}").set_value(1).run()
    assert not at.exception, [e.value for e in at.exception]
    part = at.dataframe[9].value
    assert (
        len(part) == shown_number(subs["Comments"].iloc[1])
        and (part["Sub-theme"].str.contains(subs["Sub-theme"].iloc[1])).all()
    )
    assert any(f"The {len(part)} comments of this theme about" in e.label for e in at.expander)
    at.selectbox(key=f"themes_subtheme_{first}").set_value(None).run()
    assert len(at.dataframe[9].value) == len(every)
    quotes = at.dataframe[8].value
    assert 3 <= len(quotes) <= 5
    at.selectbox(key="themes_quote_theme").set_value("theme-02").run()
    assert not at.exception
    quotes_col = t("themes.col.excerpt", "en")
    assert not next(d.value for d in at.dataframe if quotes_col in d.value.columns).equals(quotes)
    at.radio(key="themes_engine").set_value("llm").run()
    assert not at.exception
    assert any("OPENAI_API_KEY" in i.value for i in at.info)


def test_themes_page_llm_run_and_language(monkeypatch):
    server = FakeServer()
    try:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-page-secret")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("CX_LLM_MODEL", "fake-model")
        at = open_themes()
        at.radio(key="themes_engine").set_value("llm").run()
        code = " ".join(c.value for c in at.code)
        assert "sk-page-secret" not in code and "comments" in code and "DATA" in code
        at.button(key="themes_llm_run").click().run()
        assert not at.exception, [e.value for e in at.exception]
        source_col = t("themes.col.source", "en")
        table = next(d.value for d in at.dataframe if source_col in d.value.columns)
        # every theme named by the model (each name checked against its quotes) but at most one: at the
        # comment topic level a two-theme comment that is not cut puts a foreign clause among a theme's
        # quotes ("Late delivery delayed our production line" under pricing complaints); the fake model
        # names from keywords ("Late deliveries"), and the checks rightly keep that theme's offline name
        source = table[source_col]
        label_col = t("themes.col.label", "en")
        offline = table[source != "LLM"][label_col].tolist()
        assert len(offline) <= 1, offline
        assert "Late deliveries" in set(table[t("themes.col.label", "en")])
        assert server.requests and all("sk-page-secret" == r["auth"].split()[-1] for r in server.requests)
        # the endpoint was discovered once (format + requests at a time) and is shown with its figures
        assert any("json_schema" not in c.value and "request(s) at a time" in c.value for c in at.caption)
        named = len(table) - (table[t("themes.col.label", "en")].str.startswith("General")).sum()
        named -= len(offline)
        assert any(f"{named} theme name(s) from the model, {len(offline)} kept offline" in c.value for c in at.caption)
        probes = [r for r in server.requests if is_probe(r["body"])]
        at.button(key="themes_llm_run").click().run()
        assert [r for r in server.requests if is_probe(r["body"])] == probes  # not discovered again
        # the page's time budget reaches the engine: with none left, every theme keeps its offline name
        at.number_input(key="themes_llm_budget").set_value(0.001).run()
        at.button(key="themes_llm_run").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert any("0 theme name(s) from the model" in c.value for c in at.caption)
        assert any(t("themes.reason.budget", "en") in w.value for w in at.warning)
        at.radio(key="app_language").set_value("ja").run()
        assert not at.exception and at.title[0].value == "コメントのテーマ"
    finally:
        server.close()
