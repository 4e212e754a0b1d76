"""Issue 21: filters that outlive their data.

After an upload answered on 25-26 Dec 2025, going back to the sample kept that date range (it lies
inside the sample's span, so it passed as valid) and every page showed two days of the sample.
Filters belong to the data set they were picked on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cx_core import Workspace, load_inputs, t
from cx_core.segments import date_span
from tests.real_layouts import qualtrics_likert
from ui.sync import state

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def nps(at: AppTest) -> str:
    return {m.label: m.value for m in at.metric}["NPS"]


def test_going_back_to_the_sample_drops_the_uploads_date_range(ws):
    sample_first, sample_last = date_span(ws)
    assert sample_first < dt.date(2025, 12, 25) < sample_last  # the trap: the upload's days fit the sample

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    sample_nps = nps(at)
    at.session_state[state.WORKSPACE] = Workspace.from_loaded(load_inputs(qualtrics_likert(), "qualtrics.csv"))
    at.session_state[state.DATASET] = "upload"
    at.run()
    assert at.date_input(key="sidebar_dates").value == (dt.date(2025, 12, 25), dt.date(2025, 12, 27))
    at.multiselect(key="sidebar_Gender").set_value(["Woman"]).run()
    assert at.query_params["Gender"] == "Woman"

    at.switch_page("app_pages/data.py")
    at.run()
    at.button(key="data_back_to_sample").click().run()
    at.switch_page("app_pages/overview.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.date_input(key="sidebar_dates").value == (sample_first, sample_last)
    assert nps(at) == sample_nps
    assert "date_from" not in at.query_params and "Gender" not in at.query_params
    assert "filters: " + t("present.filters_all", "en") in " ".join(c.value for c in at.caption)
