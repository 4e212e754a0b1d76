"""AppTest for the Segments page and the shared sidebar's URL-synced filters."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.helpers import sample_response_count

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGE = "app_pages/segments.py"


def open_segments(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE)
    at.run()
    return at


def first_caption(at: AppTest) -> str:
    return next(c.value for c in at.caption if "responses" in c.value)


def chart_titles(at: AppTest) -> list[str]:
    """Title and subtitle of every Altair chart on the page, from the chart specs."""
    titles = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec.get("title") or next(
            (layer.get("title") for layer in spec.get("layer", []) if "title" in layer), {}
        )
        text = title.get("text", "")
        text = " ".join(text) if isinstance(text, list) else text  # the finding, wrapped to the chart's width
        subtitle = title.get("subtitle", "")  # n and filters
        subtitle = " ".join(subtitle) if isinstance(subtitle, list) else subtitle
        titles.append(f"{text} | {subtitle}")
    return titles


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_page_renders_every_figure():
    at = open_segments()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert first_caption(at).startswith(f"{sample_response_count():,} responses")
    # groups, segment x role, cross-tab, weighted accounts, trend: each states finding, n, filters
    titles = chart_titles(at)
    assert len(titles) == 5, titles
    assert titles[0].startswith("Segment: Highest NPS: Mid-market") and "lowest: SMB" in titles[0]
    assert all("n = " in t and "all responses" in t for t in titles), titles
    assert "significant at 95%" in titles[4]
    text = markdown(at)
    assert "significant at 95%" in text
    assert "Holm-adjusted" in " ".join(c.value for c in at.caption).replace("\\", "")  # notes are Markdown-escaped
    crosstab_csv = next(d for d in at.get("download_button") if d.key == "segments_crosstab_download")
    assert crosstab_csv.label == "Download cross-tab (CSV)"


def test_filter_change_changes_the_numbers_and_the_url():
    at = open_segments()
    before = (first_caption(at), markdown(at))
    at.multiselect(key="sidebar_respondent_role").set_value(["procurement"]).run()
    after = (first_caption(at), markdown(at))
    assert not at.exception
    assert before[0] != after[0]  # the caption states n and the filter
    assert "Role: Procurement" in after[0]  # readable names, never column names
    assert before[1] != after[1]
    assert "Role: Procurement" in chart_titles(at)[0]
    assert at.query_params["respondent_role"] == ["procurement"] or at.query_params["respondent_role"] == "procurement"


def test_query_params_restore_the_filters():
    at = open_segments({"segment": ["SMB", "Enterprise"], "min_n": "500", "date_from": "2026-01-01"})
    assert not at.exception, [e.value for e in at.exception]
    assert sorted(at.multiselect(key="sidebar_segment").value) == ["Enterprise", "SMB"]
    assert at.number_input(key="sidebar_min_n").value == 500
    caption = first_caption(at)
    assert "Segment: SMB, Enterprise" in caption or "Segment: Enterprise, SMB" in caption
    assert "1 Jan 2026" in caption and "under 500 answers" in caption


def test_bad_query_params_are_ignored():
    at = open_segments({"segment": ["Nope"], "min_n": "lots", "date_from": "yesterday", "region": "Kanto"})
    assert not at.exception and not at.error
    assert at.multiselect(key="sidebar_segment").value == []
    assert at.multiselect(key="sidebar_region").value == ["Kanto"]
    assert at.number_input(key="sidebar_min_n").value == 30


def test_filters_survive_a_page_switch():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.multiselect(key="sidebar_segment").set_value(["SMB"]).run()
    at.number_input(key="sidebar_min_n").set_value(45).run()
    at.switch_page(PAGE)
    at.run()
    assert at.multiselect(key="sidebar_segment").value == ["SMB"]
    assert "under 45 answers" in first_caption(at)


def test_role_weights_are_shared_and_change_the_distribution():
    at = open_segments()
    before = chart_titles(at)[3]
    at.number_input(key="segments_weight_executive").set_value(0.0).run()
    at.number_input(key="segments_weight_procurement").set_value(10.0).run()
    assert not at.exception
    assert at.session_state["cx_role_weights"]["executive"] == 0.0
    assert at.session_state["cx_role_weights"]["procurement"] == 10.0
    after = chart_titles(at)[3]
    assert after != before and "Median account weighted NPS" in after


def test_crosstab_and_grain_controls():
    at = open_segments()
    at.selectbox(key="segments_crosstab_rows").set_value("region").run()
    at.selectbox(key="segments_crosstab_metric").set_value("count").run()
    at.radio(key="segments_trend_grain").set_value("quarter").run()
    at.selectbox(key="segments_dimension").set_value("respondent_role").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "2026-Q3" in " ".join(chart_titles(at) + [c.value for c in at.caption])


def test_japanese_renders():
    at = open_segments()
    at.radio(key="app_language").set_value("ja").run()
    assert not at.exception
    assert at.title[0].value == "セグメントと役割"


def survey_only(page: str = PAGE, lang: str = "en") -> AppTest:
    """A session whose data is the sample survey alone (no CRM file)."""
    from cx_core import Workspace, load_inputs
    from cx_core.sample import sample_bytes
    from ui.sync import state

    survey, _crm = sample_bytes()
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.WORKSPACE] = Workspace.from_loaded(load_inputs(survey, "survey.csv"))
    at.session_state[state.DATASET] = "upload"
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(page)
    at.run()
    return at


def test_survey_only_defaults_follow_the_data():
    at = survey_only()
    assert not at.exception and not at.error, [e.value for e in at.exception]
    rows, cols = at.selectbox(key="segments_crosstab_rows").value, at.selectbox(key="segments_crosstab_cols").value
    assert rows != cols  # never a role x role cross-tab
    titles = chart_titles(at)
    assert titles and not any("(not set)" in title for title in titles), titles
    keys = {d.key for d in at.get("download_button")}
    assert "segments_dl_table_segments_csv" not in keys  # no segment x role heatmap without segments
    assert "segments_dl_table_crosstab_csv" in keys


def test_japanese_captions_describe_the_filters_in_japanese():
    at = survey_only(lang="ja")
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "all responses" not in captions and "フィルター: 全回答" in captions.replace("\\", "")
