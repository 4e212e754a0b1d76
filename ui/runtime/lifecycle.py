"""Ending sessions for real: a person who left gets their memory back to the server, and their data gone.

Streamlit keeps a disconnected session for ``server.disconnectedSessionTTL`` seconds (default 120) so
a browser that reconnects finds it. After that the session is only *marked* expired: its storage
drops it on the next write, and never calls ``shutdown()`` on it, so the session state (with its
workspace) lives on until someone else connects, and the raw uploaded files stay in the upload
manager for good. Measured before this module: 2.8 GB still held 135 s after 8 people left.

:func:`ensure_session_reaper` starts one daemon thread per server process (from the first page
run) that every ``CX_SESSION_REAP_SECONDS`` (default 30) removes the expired sessions, shuts each
down (uploaded files, media and caches released), releases the workspace of every session that
ended (its DuckDB closed and its frames dropped, even if a stray reference keeps the Python
object), collects garbage and hands freed memory back to the operating system. It holds no
session's data itself: the thread, and weak references from session ids to their workspaces.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import logging
import os
import sys
import threading
import time
import weakref

_LOG = logging.getLogger(__name__)
DEFAULT_INTERVAL = 30.0
_START_LOCK = threading.Lock()
# session id -> weak references to the workspaces it created: lets the reaper release a left session's
# database and frames even when some stray reference keeps the Python object; holds nothing alive.
_WORKSPACES: dict[str, list[weakref.ref]] = {}
_WORKSPACES_LOCK = threading.Lock()
_STARTED: list[threading.Thread] = []  # the reaper thread of this process, once started
# session id -> a weak reference to its AppSession: lets the reaper empty the state of a session that
# ended even when something still holds the session object itself (see forget_session_state).
_SESSIONS: dict[str, weakref.ref] = {}


def release_free_memory() -> None:
    """Collect garbage and give the freed memory back to the system.

    Freed memory otherwise stays with the allocators that had it: Arrow's memory pool (pandas
    frames of an upload) and the C heap (glibc's ``malloc_trim``; elsewhere a no-op). Measured on
    three 20,000-response sessions: 137 MB used, 70 MB still held after they ended without this,
    2 MB with it.
    """
    gc.collect()
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        with contextlib.suppress(Exception):
            arrow.default_memory_pool().release_unused()
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(libc_name).malloc_trim(0)


def _session_manager():
    from streamlit import runtime  # noqa: PLC0415 - only in a running server

    if not runtime.exists():
        return None
    return getattr(runtime.get_instance(), "_session_mgr", None)


def reap_expired_sessions(session_manager=None) -> int:
    """Remove and shut down every stored session past its reconnect window; returns how many.

    Uses the storage of Streamlit's ``WebsocketSessionManager`` (``_session_storage``, a
    ``MemorySessionStorage`` around a TTL cache); with any other manager it does nothing.
    """
    manager = _session_manager() if session_manager is None else session_manager
    cache = getattr(getattr(manager, "_session_storage", None), "_cache", None)
    expire = getattr(cache, "expire", None)
    if expire is None:
        return 0
    lock = getattr(manager, "_storage_lock", None) or contextlib.nullcontext()
    with lock:
        removed = expire()
    count = len(removed)
    _shut_down(removed)
    removed = None  # the last reference this thread holds to the sessions
    return count


def _shut_down(removed: list) -> None:
    while removed:
        session_id, info = removed.pop()
        try:
            info.session.shutdown()
        except Exception:  # noqa: BLE001 - one broken session must not stop the others' cleanup
            _LOG.warning("could not shut down expired session %s", session_id, exc_info=True)
        forget_session_state(info.session)


def forget_session_state(session) -> None:
    """Empty the state of a session that was shut down: every value, memo and widget callback in it.

    Shutting a session down does not drop its state, and Streamlit may keep the session object
    itself: its runtime loop keeps the last session it sent messages to in a local variable
    (``active_session_info`` in ``Runtime._loop_coroutine``) until it sends to another one. After
    everyone left, that one session kept its memoised views and, through the Data page's widget
    format functions, the page's globals with the whole upload (a 100,000-response upload: 67 MB
    of frames). Only sessions that were shut down are emptied.
    """
    if not _is_shut_down(session):
        return
    state = getattr(session, "_session_state", None)
    clear = getattr(state, "clear", None)
    if clear is None:
        return
    try:
        clear()
        # clear() keeps the widgets' metadata: their callbacks and format functions, which hold the
        # globals of the page that drew them (the Data page's hold the whole upload)
        widgets = getattr(state, "_new_widget_state", None)
        for name in ("widget_metadata", "states"):
            part = getattr(widgets, name, None)
            if isinstance(part, dict):
                part.clear()
    except Exception:  # noqa: BLE001 - a session state of another Streamlit version: leave it
        _LOG.warning("could not empty the state of an ended session", exc_info=True)


def _is_shut_down(session) -> bool:
    state = getattr(session, "_state", None)
    return getattr(state, "name", None) == "SHUTDOWN_REQUESTED"


def _interval() -> float:
    try:
        return max(0.2, float(os.environ.get("CX_SESSION_REAP_SECONDS", DEFAULT_INTERVAL)))
    except ValueError:
        return DEFAULT_INTERVAL


def live_session_ids(session_manager=None) -> set[str]:
    """Sessions this process holds: connected ones and those waiting for their browser to reconnect."""
    manager = _session_manager() if session_manager is None else session_manager
    # the manager moves a resumed session from its storage to the active ones under this lock
    lock = getattr(manager, "_storage_lock", None) or contextlib.nullcontext()
    with lock:
        active = getattr(manager, "_active_session_info_by_id", None) or {}
        stored = getattr(getattr(manager, "_session_storage", None), "_cache", None)
        return set(active) | set(getattr(stored, "_data", None) or {})


def register_workspace(session_id: str | None, workspace, session_manager=None) -> None:
    """Remember (weakly) that ``session_id`` owns ``workspace``, so it is released when the session ends."""
    if not session_id:
        return
    manager = _session_manager() if session_manager is None else session_manager
    info = getattr(manager, "_active_session_info_by_id", {}).get(session_id)
    with _WORKSPACES_LOCK:
        refs = [r for r in _WORKSPACES.get(session_id, []) if r() is not None]
        refs.append(weakref.ref(workspace))
        _WORKSPACES[session_id] = refs
        if info is not None and session_id not in _SESSIONS:
            with contextlib.suppress(TypeError):  # an object without weak references: nothing to remember
                _SESSIONS[session_id] = weakref.ref(info.session)


def release_workspaces_of_ended_sessions(live: set[str]) -> int:
    """Close the database and drop the data of every workspace whose session is not in ``live``,
    and empty the state of those sessions if something still holds them (:func:`forget_session_state`)."""
    with _WORKSPACES_LOCK:
        ended = [sid for sid in _WORKSPACES if sid not in live]
        refs = [r for sid in ended for r in _WORKSPACES.pop(sid)]
        sessions = [_SESSIONS.pop(sid) for sid in [sid for sid in _SESSIONS if sid not in live]]
    released = 0
    for ref in refs:
        workspace = ref()
        if workspace is not None:
            workspace.release()
            released += 1
        del workspace
    for session_ref in sessions:
        session = session_ref()
        if session is not None:
            forget_session_state(session)
        del session
    return released


def _run(interval: float) -> None:
    while True:
        time.sleep(interval)
        try:
            tick()
        except Exception:  # noqa: BLE001 - the reaper must outlive any one failure
            _LOG.warning("session reaper failed", exc_info=True)


def tick(session_manager=None) -> int:
    """One round of the reaper: end expired sessions, release the workspaces of every ended session.

    Returns the number of sessions ended and workspaces released. Streamlit ends some sessions
    itself (one that cannot be resumed is shut down when its browser leaves): their workspaces are
    released here too.
    """
    ended = reap_expired_sessions(session_manager)
    released = release_workspaces_of_ended_sessions(live_session_ids(session_manager))
    if ended or released:
        release_free_memory()
        _LOG.info("ended %d expired session(s), released %d workspace(s)", ended, released)
    return ended + released


def use_returnable_arrow_memory() -> None:
    """Let Arrow (pandas' text columns) allocate with malloc, whose freed pages ``malloc_trim`` returns.

    Arrow's default pool (mimalloc) keeps freed pages in the heaps of the threads that used them:
    script threads that have ended, out of reach of :func:`release_free_memory`. Measured on a
    server with three 20,000-response sessions: 60 MB more still held after they left.
    """
    try:
        import pyarrow  # noqa: PLC0415 - a dependency of pandas and Streamlit
    except ImportError:
        return
    with contextlib.suppress(Exception):
        pyarrow.set_memory_pool(pyarrow.system_memory_pool())


def use_one_blas_thread_per_call() -> None:
    """Let each BLAS call (numpy's matrix products, e.g. the key drivers' bootstrap) use one thread.

    In a server the parallelism comes from the sessions: OpenBLAS's own threads wait for work by
    spinning, and several sessions' products at once then fight over the cores. Measured with four
    Drivers pages of 100,000 responses at once in one process on 2 cores: 12.8 s (8.0 s CPU) with
    two BLAS threads, 3.5 s (3.2 s CPU) with one. ``OPENBLAS_NUM_THREADS`` in the environment wins.
    """
    if any(os.environ.get(name) for name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")):
        return
    try:
        from threadpoolctl import threadpool_limits  # noqa: PLC0415 - only in a running server
    except ImportError:
        return
    with contextlib.suppress(Exception):
        threadpool_limits(limits=1, user_api="blas")


def ensure_session_reaper() -> None:
    """Start this process's session reaper once (cheap to call on every run)."""
    if _STARTED:
        return
    with _START_LOCK:
        if _STARTED or _session_manager() is None:  # AppTest and scripts: no server, nothing to reap
            return
        use_returnable_arrow_memory()
        use_one_blas_thread_per_call()
        thread = threading.Thread(target=_run, args=(_interval(),), name="cx-session-reaper", daemon=True)
        thread.start()
        _STARTED.append(thread)
