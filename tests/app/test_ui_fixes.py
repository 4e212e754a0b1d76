"""Small display fixes found by running the app in a browser: each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from cx_core import Filters
from cx_core.i18n_format import format_interval
from cx_core.report import ReportContext, build_sections
from cx_core.report.charts import COLOURS
from cx_core.report.sections import _ci_text
from tests.core.test_ingest_fixtures import fixture
from ui.widgets.render import fmt_ci

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_an_interval_bound_that_rounds_to_zero_shows_as_0_not_minus_0():
    assert fmt_ci((-0.4, 12.2), "en") == "95% CI 0 to 12"
    assert fmt_ci((-3.004, -0.004), "en", digits=2) == "95% CI -3.00 to 0.00"
    assert _ci_text((-12.3, -0.2), "en", sign=True) == "95% CI -12 to 0"
    assert format_interval((-0.49, 0.49), "ja") == "95%信頼区間 0 〜 0"
    assert format_interval(None, lang="en") == ""
    for text in (fmt_ci((-0.4, 0.3), "en"), _ci_text((-0.1, 4.0), "en", sign=True)):
        assert "-0" not in text, text


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def test_nps_split_and_distribution_colour_promoters_green_and_detractors_red(ws):
    red, green, _ = _rgb(COLOURS["detractor"])
    assert red > 2 * green, "detractors must be red"
    red, green, _ = _rgb(COLOURS["promoter"])
    assert green > 1.5 * red, "promoters must be green"
    sections = {s.key: s for s in build_sections(ReportContext(ws, Filters(), "en"), ["nps_split", "nps_distribution"])}
    for key in ("nps_split", "nps_distribution"):
        spec = sections[key].chart
        # an explicit domain: the colour follows the category, never the order the data happens to have
        scale = spec["encoding"]["color"]["scale"] if "encoding" in spec else None
        if scale is None:
            scale = next(
                layer["encoding"]["color"]["scale"] for layer in spec["layer"] if "color" in layer.get("encoding", {})
            )
        colour_of = dict(zip(scale["domain"], scale["range"], strict=True))
        assert colour_of["promoter"] == COLOURS["promoter"], key
        assert colour_of["detractor"] == COLOURS["detractor"], key
        categories = {v["category"] for v in spec["data"]["values"]}
        assert {"promoter", "detractor"} <= categories <= set(scale["domain"]), key


def test_the_sidebar_names_the_upload_right_after_loading_it():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()

    def dataset_captions() -> list[str]:
        return [c.value for c in at.sidebar.caption if c.value.startswith("Data:")]

    assert dataset_captions() == ["Data: built-in sample"]
    at.file_uploader(key="data_upload_survey").upload("qualtrics.csv", fixture("qualtrics.csv"), "text/csv")
    at.run()
    at.file_uploader(key="data_upload_crm").upload("salesforce_crm.csv", fixture("salesforce_crm.csv"), "text/csv")
    at.run()
    at.button(key="data_load_button").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Loaded 6 of 8 survey rows" in at.success[0].value
    assert dataset_captions() == ["Data: your upload"]  # in this same run, not only the next one
