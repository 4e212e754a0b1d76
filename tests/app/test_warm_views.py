"""AppTest: the background warm-up of a saved data set computes the views the pages' first visits ask
for, under the pages' own keys: after it, a new session's tour of the pages (and a segment filter)
computes no view (ui/sync/warm.py)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx_core import load_inputs, shared_views
from cx_core.sample import sample_bytes
from cx_core.store import Store
from ui.sync import warm

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ("segments", "drivers", "moments", "accounts", "follow_up")


@pytest.fixture()
def saved_workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CX_DATABASE_URL", raising=False)
    survey, crm = sample_bytes()
    store = Store.from_env()
    info = store.create_workspace("Q3 survey", load_inputs(survey, "survey.csv", crm, "crm.csv"))
    shared_views.VIEWS.clear()
    warm.forget_started()
    yield info.id
    warm.forget_started()
    shared_views.VIEWS.clear()
    store.close()


@pytest.fixture()
def computed(monkeypatch) -> list:
    """The keys of the shared views computed (not found kept) from now on, report tables' cells aside."""
    keys: list = []
    original = shared_views.VIEWS.get

    def spy(key, compute, **kwargs):
        def counted():
            if key[0] != "content":
                keys.append(key[1])
            return compute()

        return original(key, counted, **kwargs)

    monkeypatch.setattr(shared_views.VIEWS, "get", spy)
    return keys


def open_link(ws_id: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["ws"] = ws_id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_after_the_warm_up_a_new_sessions_first_visits_compute_no_view(saved_workspace, computed, monkeypatch):
    monkeypatch.setenv(warm.SETTING, "1")
    niced: list = []
    real = os.setpriority

    def setpriority(which, who, value):
        niced.append((threading.get_native_id(), who, value))
        real(which, who, value)

    monkeypatch.setattr(os, "setpriority", setpriority)
    open_link(saved_workspace)  # the first session on the data set: the overview, and the warm-up starts
    (warmup,) = warm._started.values()
    assert warmup.done.wait(120)
    assert warmup.stopped is None
    assert niced and niced[0][0] == niced[0][1] != threading.get_native_id()  # its own thread, not ours
    assert niced[0][2] == warm.LOW_PRIORITY
    assert {"drivers_view", "segmentation_view", "moments_of_truth", "account_health"} <= set(computed)
    assert any("segment=" in step for step in warmup.finished)  # then each single segment value
    computed.clear()

    at = open_link(saved_workspace)  # a colleague: every page's first visit, then a segment filter
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    for page in ("drivers", "overview"):
        at.switch_page(f"app_pages/{page}.py")
        at.run()
        segment = at.multiselect(key="sidebar_segment")
        segment.set_value([segment.options[0]]).run()
        assert not at.exception, [e.value for e in at.exception]
        segment.set_value([]).run()
    assert computed == []


def test_without_the_setting_nothing_is_warmed(saved_workspace, computed, monkeypatch):
    monkeypatch.delenv(warm.SETTING, raising=False)
    open_link(saved_workspace)
    assert warm._started == {}
    assert "drivers_view" not in computed  # only what the overview asked for


def test_the_warm_up_stops_quietly_when_the_data_sets_files_go_away(saved_workspace, computed, monkeypatch):
    monkeypatch.setenv(warm.SETTING, "1")
    open_link(saved_workspace)
    (warmup,) = warm._started.values()
    assert warmup.done.wait(120)
    files = list(warmup.ws.loaded.survey.files)
    again = warm.Warmup(warmup.ws, warmup.identity, warmup.visit)
    for name in files:
        Path(name).unlink()  # the session's hard links: the data set is gone
    again.start()
    assert again.done.wait(60)
    assert again.stopped == "data set changed"
    assert again.finished == []


def test_without_the_right_to_raise_it_back_the_warm_up_keeps_normal_priority(saved_workspace, computed, monkeypatch):
    # a nice-19 computation that a person waits for could not be boosted: it would starve them
    monkeypatch.setenv(warm.SETTING, "1")
    monkeypatch.setattr(warm.Warmup, "can_raise_priority", staticmethod(lambda: False))
    niced: list = []
    monkeypatch.setattr(os, "setpriority", lambda which, who, value: niced.append(value))
    open_link(saved_workspace)
    (warmup,) = warm._started.values()
    assert warmup.done.wait(120) and warmup.stopped is None
    assert niced == []
