"""No copy of a person's data outlives their session, and a rerun that changed nothing recomputes nothing."""

from __future__ import annotations

import ast
import gc
import weakref
from pathlib import Path

import pytest
from streamlit.runtime.memory_session_storage import MemorySessionStorage
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.session_manager import SessionInfo
from streamlit.runtime.uploaded_file_manager import UploadedFileRec
from streamlit.testing.v1 import AppTest

from cx_core import Workspace
from ui.runtime.lifecycle import reap_expired_sessions
from ui.sync import state

ROOT = Path(__file__).resolve().parents[2]
SHARED_CACHES = {"cache_data", "cache_resource", "experimental_memo", "memo", "experimental_singleton", "singleton"}
# The built-in sample is nobody's data: the one function allowed a process-wide cache.
ALLOWED = {("ui/sync/session.py", "_load_sample")}


def _decorated_with_shared_cache(func: ast.FunctionDef) -> bool:
    for deco in func.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in SHARED_CACHES or name in {"lru_cache", "cache"}:
            return True
    return False


def test_nothing_outside_a_session_caches_what_a_person_uploaded():
    """st.cache_data / cache_resource / functools caches are shared by every session and outlive them."""
    sources = [ROOT / "app.py", *ROOT.glob("app_pages/*.py"), *ROOT.glob("ui/**/*.py")]
    offenders = []
    for path in sources:
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef) and _decorated_with_shared_cache(node):
                if (rel, node.name) not in ALLOWED:
                    offenders.append(f"{rel}:{node.lineno} {node.name}")
    assert offenders == []


class _Session:
    """Stands in for an AppSession: holds a person's data and their uploaded files."""

    def __init__(self, session_id: str, files: MemoryUploadedFileManager, workspace):
        self.id = session_id
        self.files = files
        self.state = {state.WORKSPACE: workspace}  # what a session's state holds
        self.shut_down = False

    def shutdown(self) -> None:  # what AppSession.shutdown does with the session's files
        self.files.remove_session_files(self.id)
        self.shut_down = True


class _Manager:
    def __init__(self, storage):
        self._session_storage = storage


def test_an_expired_session_is_shut_down_its_files_removed_and_its_data_freed(sample_loaded):
    """Streamlit only marks a disconnected session expired; the reaper ends it for real."""
    now = [0.0]
    storage = MemorySessionStorage(ttl_seconds=120)
    storage._cache._timer = lambda: now[0]  # noqa: SLF001 - the clock of the TTL cache
    files = MemoryUploadedFileManager("/_stcore/upload_file")
    gone = _Session("gone", files, Workspace.from_loaded(sample_loaded))
    staying = _Session("staying", files, Workspace.from_loaded(sample_loaded))
    for session in (gone, staying):
        files.add_file(session.id, UploadedFileRec("f1", "survey.csv", "text/csv", b"secret,row\n" * 1000))
    storage.save(SessionInfo(client=None, session=gone))
    now[0] = 100.0
    storage.save(SessionInfo(client=None, session=staying))
    data = weakref.ref(gone.state[state.WORKSPACE])
    manager = _Manager(storage)

    now[0] = 119.0
    assert reap_expired_sessions(manager) == 0
    now[0] = 121.0  # "gone" left 121 s ago, "staying" 21 s ago
    assert reap_expired_sessions(manager) == 1
    assert gone.shut_down and not staying.shut_down
    assert files.get_files("gone", ["f1"]) == []
    assert [f.name for f in files.get_files("staying", ["f1"])] == ["survey.csv"]
    del gone, storage
    gc.collect()
    assert data() is None, "the session's data is still reachable after its session ended"
    staying.state[state.WORKSPACE].close()


def test_reaper_without_a_server_does_nothing():
    assert reap_expired_sessions(object()) == 0


def _counting(monkeypatch, module, name: str) -> list:
    calls: list = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(name)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.mark.parametrize(
    ("page", "module_name", "function"),
    [
        ("app_pages/overview.py", "cx_core.weighting", "overview"),  # inside weighted_overview
        ("app_pages/overview.py", "cx_core.weighting", "weighted_overview"),
        ("app_pages/segments.py", "cx_core.segments", "segmentation_view"),
        ("app_pages/moments.py", "cx_core.moments", "moments_of_truth"),
        ("app_pages/accounts.py", "cx_core.accounts", "account_health"),
        ("app_pages/account.py", "cx_core.accounts", "account_view"),
        ("app_pages/follow_up.py", "cx_core.accounts", "account_health"),
        ("app_pages/drivers.py", "cx_core.drivers", "drivers_view"),
        ("app_pages/drivers.py", "cx_core.drivers.view", "selection_sums"),  # inside drivers_view
        ("app_pages/themes.py", "cx_core.themes", "comments_from_workspace"),
        ("app_pages/themes.py", "ui.widgets.llm", "extract_themes"),  # the offline themes, by comments hash
    ],
)
def test_a_rerun_that_changed_nothing_recomputes_nothing(monkeypatch, tmp_path, page, module_name, function):
    import importlib

    # a store of its own: once any test saved a follow-up on the sample, the team's shared sample
    # workspace exists in the session-wide store and the first run links it (a change of data set)
    monkeypatch.setenv("CX_DATA_DIR", str(tmp_path / "data"))

    calls = _counting(monkeypatch, importlib.import_module(module_name), function)
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    first = len(calls)
    assert first >= 1
    at.run()  # nothing changed
    at.run()
    assert len(calls) == first, f"{function} ran again on a rerun that changed none of its inputs"
    segment = next(w for w in at.multiselect if w.key == "sidebar_segment")
    segment.set_value([segment.options[0]]).run()  # a filter changed: computed again
    assert not at.exception, at.exception
    assert len(calls) > first


def test_upload_preview_is_parsed_once_per_session(monkeypatch):
    import cx_core.ingest

    calls = _counting(monkeypatch, cx_core.ingest, "preview_upload")

    def script():
        from cx_core.sample import sample_bytes
        from ui.sync.session import preview_for_upload

        survey, crm = sample_bytes()
        survey_preview, _ = preview_for_upload(survey, "survey.csv", crm, "crm.csv")
        survey_preview.mapping.fields["nps"] = None  # the page may change its copy

    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    at.run()
    assert not at.exception, at.exception
    assert len(calls) == 1
    memo = at.session_state[state.MEMO]["preview"]
    (remembered,) = memo.values()
    assert remembered[0].mapping.fields["nps"] is not None
    other = AppTest.from_function(script, default_timeout=60)
    other.run()
    assert len(calls) == 2, "another session must not see this session's parse"


class _ActiveManager:
    """A session manager with connected sessions and a storage, as Streamlit's has."""

    def __init__(self, active: list[str]):
        self._active_session_info_by_id = dict.fromkeys(active)
        self._session_storage = MemorySessionStorage(ttl_seconds=120)


def test_the_workspace_of_a_session_streamlit_ended_itself_is_released(sample_loaded, monkeypatch):
    """Streamlit shuts some sessions down on disconnect; even if a reference to the workspace survives,
    its database is closed and its data dropped at the reaper's next round."""
    import ui.runtime.lifecycle
    from ui.runtime.lifecycle import register_workspace, tick

    monkeypatch.setattr(ui.runtime.lifecycle, "_WORKSPACES", {})  # this test's sessions only

    leaving = Workspace.from_loaded(sample_loaded)
    staying = Workspace.from_loaded(sample_loaded)
    register_workspace("leaving-session", leaving)
    register_workspace("staying-session", staying)
    stray_reference = leaving  # e.g. a widget callback some library still holds
    manager = _ActiveManager(["staying-session"])
    assert tick(manager) == 1
    assert stray_reference.loaded is None
    with pytest.raises(Exception):  # noqa: B017 - DuckDB's "connection closed" error
        stray_reference.con.execute("SELECT count(*) FROM responses")
    assert staying.response_count() > 0 and staying.loaded is not None
    assert tick(manager) == 0  # nothing left to release
    staying.close()


def test_loading_new_data_drops_the_views_of_the_old_data():
    """Memoised views may hold the old workspace: they go when new data is loaded, so it can be freed."""

    def script():
        import streamlit as st

        from cx_core import overview
        from ui.sync.session import _load_sample, memo_view, set_workspace
        from ui.sync.workspaces import get_workspace

        ws = get_workspace()
        memo_view("overview", ws, (), lambda: overview(ws))
        if st.session_state.get("reload"):
            set_workspace(_load_sample(), "sample")

    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert "view:overview" in at.session_state[state.MEMO]
    at.session_state["reload"] = True
    at.run()
    assert not at.exception, at.exception
    assert "view:overview" not in at.session_state[state.MEMO]


class _AppSession:
    """Stands in for an AppSession: its state (Streamlit's SessionState) and its shut-down flag."""

    def __init__(self, session_id: str, workspace):
        from streamlit.runtime.state import SessionState

        self.id = session_id
        self._session_state = SessionState()
        self._session_state[state.WORKSPACE] = workspace
        self._state = type("S", (), {"name": "RUNNING"})()

    def shutdown(self) -> None:
        self._state = type("S", (), {"name": "SHUTDOWN_REQUESTED"})()


class _ActiveInfo:
    def __init__(self, session):
        self.session = session


def test_an_ended_session_still_held_by_streamlit_keeps_no_data(sample_loaded, monkeypatch):
    """Streamlit's runtime loop keeps the last session it flushed (a local variable of its coroutine):
    once that session is shut down, its state is emptied, so nothing in it keeps the person's data."""
    import ui.runtime.lifecycle
    from ui.runtime.lifecycle import register_workspace, tick

    monkeypatch.setattr(ui.runtime.lifecycle, "_WORKSPACES", {})
    monkeypatch.setattr(ui.runtime.lifecycle, "_SESSIONS", {})
    leaving = _AppSession("leaving-session", Workspace.from_loaded(sample_loaded))
    staying = _AppSession("staying-session", Workspace.from_loaded(sample_loaded))
    manager = _ActiveManager(["leaving-session", "staying-session"])
    manager._active_session_info_by_id = {s.id: _ActiveInfo(s) for s in (leaving, staying)}
    for session in (leaving, staying):
        register_workspace(session.id, session._session_state[state.WORKSPACE], manager)
    data = weakref.ref(leaving._session_state[state.WORKSPACE])  # (the loaded frames are the fixture's)

    held_by_streamlit = leaving  # the runtime loop's local variable
    del manager._active_session_info_by_id["leaving-session"]
    leaving.shutdown()
    del leaving
    assert tick(manager) == 1
    gc.collect()
    assert state.WORKSPACE not in held_by_streamlit._session_state
    assert data() is None, "the ended session's workspace is still reachable"
    assert staying._session_state[state.WORKSPACE].loaded is not None  # a live session keeps its state
    staying._session_state[state.WORKSPACE].close()


def test_an_ended_session_keeps_no_widget_callback_holding_a_page_s_data(sample_loaded):
    """A widget's format function holds the globals of the page that drew it (the Data page's hold
    the upload): an ended session's widget metadata goes with its state."""
    from streamlit.runtime.state.common import WidgetMetadata

    from ui.runtime.lifecycle import forget_session_state

    session = _AppSession("ended", Workspace.from_loaded(sample_loaded))
    page_globals = {"loaded": Workspace.from_loaded(sample_loaded)}
    data = weakref.ref(page_globals["loaded"])
    format_func = eval("lambda v: str(v)", page_globals)  # noqa: S307 - a function whose globals are a page's
    session._session_state._set_widget_metadata(
        WidgetMetadata("$$ID-x-data_outcome", format_func, format_func, value_type="string_value")
    )
    page_globals["loaded"].close()
    del page_globals, format_func
    session._session_state[state.WORKSPACE].close()
    session.shutdown()
    forget_session_state(session)
    gc.collect()
    assert data() is None, "a widget of the ended session still holds the page's data"


def test_a_session_that_was_not_shut_down_keeps_its_state(sample_loaded):
    """Only ended sessions are emptied (a session moving between Streamlit's lists keeps everything)."""
    from ui.runtime.lifecycle import forget_session_state

    session = _AppSession("reconnecting", Workspace.from_loaded(sample_loaded))
    forget_session_state(session)
    assert session._session_state[state.WORKSPACE].loaded is not None
    session.shutdown()
    forget_session_state(session)
    assert state.WORKSPACE not in session._session_state


def test_the_server_runs_each_blas_call_on_one_thread(monkeypatch):
    """Sessions are the server's parallelism: BLAS's own spinning threads made four Drivers pages at once
    take 12.8 s instead of 3.5 s (ui.runtime.lifecycle.use_one_blas_thread_per_call)."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from ui.runtime.lifecycle import use_one_blas_thread_per_call

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.delenv("MKL_NUM_THREADS", raising=False)
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):  # restores the test process's own on exit
        use_one_blas_thread_per_call()
        assert {i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"} == {1}
