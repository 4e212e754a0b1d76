"""AppTest for the Needs & drivers and Moments of truth pages on the sample data."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx_core import Workspace, load_inputs
from tests.helpers import shown_number

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def table_with(at: AppTest, column: str):
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def metric(at: AppTest, label: str) -> str:
    return {m.label: m.value for m in at.metric}[label]


@pytest.mark.parametrize("page", ["app_pages/drivers.py", "app_pages/moments.py"])
def test_pages_render_in_japanese(page):
    at = open_page(page)
    at.radio(key="app_language").set_value("ja").run()
    assert not at.exception and not at.error
    assert at.title[0].value in ("ニーズとドライバー", "真実の瞬間")


def test_drivers_page_shows_catalogue_needs_and_top_driver():
    at = open_page("app_pages/drivers.py")
    catalogue = table_with(at, "need")  # the catalogue editor (its own column names), drawn last
    assert at.dataframe[-1].value.equals(catalogue)  # the insight first, the configuration last
    assert len(catalogue) == 10 and set(catalogue["need"]) >= {"price", "fulfilment", "trust", "effort"}
    assert metric(at, "Top driver") == "On-time delivery"
    needs = table_with(at, "Category")
    assert {"Rational", "Emotional"} <= set(needs["Need"]) and needs["n"].map(shown_number).min() > 0
    assert not at.warning  # the ranking on the full sample is trustworthy


def test_changing_outcome_changes_importances():
    at = open_page("app_pages/drivers.py")
    before = table_with(at, "Importance (% of R²)")["Importance (% of R²)"].tolist()
    at.selectbox(key="drivers_outcome").set_value("csat").run()
    after = table_with(at, "Importance (% of R²)")["Importance (% of R²)"].tolist()
    assert not at.exception and before != after


@pytest.mark.parametrize(
    ("role", "top"),
    [("procurement", "Price transparency"), ("executive", "Account manager understands our business")],
)
def test_choosing_a_role_shows_its_top_driver(role, top):
    at = open_page("app_pages/drivers.py")
    at.radio(key="drivers_split_by").set_value("respondent_role").run()
    at.selectbox(key="drivers_group").set_value(role).run()
    assert not at.exception
    assert metric(at, "Top driver") == top


def test_editing_a_need_in_the_catalogue_changes_the_needs_view():
    at = open_page("app_pages/drivers.py")
    before = table_with(at, "Category").set_index("Need")["Mean (1-5)"]
    # what the data editor sends when the person picks "trust" for the first driver (Product quality)
    at.session_state["drivers_catalogue_editor"] = {
        "edited_rows": {0: {"need": "trust"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    stored = at.session_state["cx_driver_catalogue"][0]
    assert (stored["label"], stored["need"], stored["category"]) == ("Product quality", "trust", "emotional")
    after = table_with(at, "Category").set_index("Need")["Mean (1-5)"]
    assert after["Trust"] != before["Trust"] and after["Product strength"] != before["Product strength"]
    assert after["Price"] == before["Price"]


def test_moments_page_finds_order_delivery_worst_for_smb():
    at = open_page("app_pages/moments.py")
    at.multiselect(key="sidebar_segment").set_value(["SMB"]).run()
    assert not at.exception
    assert metric(at, "Most harmful moment") == "Order delivery"
    ranked = table_with(at, "Impact (net promoters)")
    assert ranked.iloc[0]["Touchpoint"] == "Order delivery"


def test_changing_role_changes_top_moments():
    at = open_page("app_pages/moments.py")
    first = at.dataframe[-1].value["Touchpoint"].tolist()
    at.selectbox(key="moments_role").set_value("admin").run()
    assert not at.exception
    assert at.dataframe[-1].value["Touchpoint"].tolist() != first


def test_moments_page_says_what_to_add_without_journey_columns(sample):
    survey = sample.survey.drop(columns=["Journey stage", "Touchpoint", "Survey type"])
    ws = Workspace.from_loaded(load_inputs(survey.to_csv(index=False).encode(), "survey.csv"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["cx_workspace"] = ws
    at.session_state["cx_dataset_name"] = "upload"
    at.run()
    at.switch_page("app_pages/moments.py")
    at.run()
    assert not at.exception and not at.error
    assert any("Touchpoint" in info.value for info in at.info)
    assert not at.dataframe
