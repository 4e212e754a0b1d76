"""Views shared by the sessions of one server process that opened the same saved data set.

Twenty people on the team's saved workspace each have a session of their own (their own DuckDB
connection, filters and settings), yet they look at the same data: every session computed the same
overview, segments, key drivers... again. Here a view's result is kept once per process, under a
key made of

- the data set's identity (:func:`dataset_identity`): device, inode, size and modification time of
  the saved files the session queries in place (``responses``, ``ratings``, ``answers``: the files
  of a saved data set never change, a new save gets new files), plus a digest of the content of
  every other table the session was given (the CRM's accounts, the driver list, support cases,
  input reports). A session holds these files open (hard links of the store,
  :mod:`cx_core.store`), so it can only meet an entry computed on the data it already has. A
  session whose data is not read from files (an upload parsed into memory) has no identity: its
  views are never shared, never kept here;
- the view's name and every input it depends on (filters, minimum n, weights, catalogue, outcome,
  language when the view words anything...), given by the caller.

Nothing a person edits is read by a view kept here: the only table a session writes after loading,
``follow_up_notes``, is read by no shared view (follow-up notes and statuses are laid over the shared
list afterwards, :func:`cx_core.accounts.follow_up_list`); support cases attached later
(:func:`cx_core.accounts.attach_cases`) change the digest, so the identity is taken again.

The cache is bounded (``CX_SHARED_VIEWS_MB``, default 256 MiB of estimated result size, and
:data:`MAX_ENTRIES` entries), least recently used entries go first; a missing entry asked for by
several sessions at once is computed once (one lock per key: the others wait for its result); every
caller gets its own deep copy, so no caller can change what another one sees.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import os
import sys
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .workspace import Workspace

T = TypeVar("T")

MIB = 1024 * 1024
DEFAULT_MAX_MB = 256
MAX_ENTRIES = 512
_SAMPLED = 200


@dataclasses.dataclass
class _Flight:
    """A computation under way: the others asking for its key wait for ``done``."""

    done: threading.Event = dataclasses.field(default_factory=threading.Event)
    ok: bool = False
    value: Any = None
    waiters: int = 0
    owner: int = dataclasses.field(default_factory=threading.get_native_id)  # the thread computing it


_boosters: dict[int, Callable[[], None]] = {}


def register_booster(native_id: int, boost: Callable[[], None]) -> None:
    """``boost()`` is called when someone starts waiting for an entry thread ``native_id`` computes
    (a background warm-up at low priority raises its priority while a person waits for it)."""
    _boosters[native_id] = boost


def unregister_booster(native_id: int) -> None:
    _boosters.pop(native_id, None)


class SharedViews:
    """A thread-safe LRU cache of view results bounded by estimated bytes and entries, computing a
    missing entry once however many threads ask for it at the same time."""

    def __init__(self, max_bytes: int, max_entries: int = MAX_ENTRIES):
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._flights: dict[Hashable, _Flight] = {}
        self._lock = threading.Lock()
        self.bytes = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T], *, copy_result: bool = True) -> T:
        """A copy of the result kept under ``key``, else of ``compute()`` (kept when it fits).

        ``copy_result=False`` hands out the kept object itself: only for results nobody can change
        (bytes, text, tuples of them)."""
        while True:
            with self._lock:
                held = self._entries.get(key)
                if held is not None:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    value = held[0]
                    break
                flight = self._flights.get(key)
                mine = flight is None
                if flight is None:
                    flight = self._flights[key] = _Flight()
                else:
                    flight.waiters += 1
            if not mine:
                boost = _boosters.get(flight.owner)
                if boost is not None:
                    try:
                        boost()
                    except Exception:  # noqa: BLE001, S110 - a priority that cannot be raised: just wait
                        pass
                flight.done.wait()
                if flight.ok:
                    with self._lock:
                        self.hits += 1
                    value = flight.value
                    break
                continue  # its computation failed (that session's error): try again, maybe as the one computing
            try:
                value = compute()
            except BaseException:
                with self._lock:
                    del self._flights[key]
                flight.done.set()
                raise
            try:
                size = estimate_bytes(value)
            except Exception:  # noqa: BLE001 - a size that cannot be told: handed out, not kept
                size = self.max_bytes + 1
            with self._lock:
                self.misses += 1
                del self._flights[key]
                self._keep(key, value, size)
            flight.value, flight.ok = value, True
            flight.done.set()
            break
        return copy.deepcopy(value) if copy_result else value

    def _keep(self, key: Hashable, value: Any, size: int) -> None:
        if size > self.max_bytes // 4:  # one huge result would push out everything else
            return
        self._entries[key] = (value, size)
        self.bytes += size
        while self._entries and (self.bytes > self.max_bytes or len(self._entries) > self.max_entries):
            _, (_, dropped) = self._entries.popitem(last=False)
            self.bytes -= dropped

    def waiting(self, key: Hashable) -> int:
        """How many askers wait for the computation of ``key`` under way (0: none under way)."""
        with self._lock:
            flight = self._flights.get(key)
            return 0 if flight is None else flight.waiters

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


def _max_bytes() -> int:
    try:
        return max(0, int(float(os.environ.get("CX_SHARED_VIEWS_MB", DEFAULT_MAX_MB)) * MIB))
    except ValueError:
        return DEFAULT_MAX_MB * MIB


VIEWS = SharedViews(_max_bytes())
"""This process's shared views (one per process: sessions of other processes compute their own)."""


def shared_view(ws: Workspace, name: str, inputs: Any, compute: Callable[[], T]) -> T:
    """``compute()`` for ``ws``, shared with the other sessions of this process on the same data set.

    ``inputs`` must name everything the result depends on besides the data (filters, options,
    settings, language); dicts, lists and sets in it are made hashable. ``compute`` must read only
    the data set's tables (never anything a person edits). Without a data set identity (an upload
    held in memory) it simply runs.
    """
    identity = dataset_identity(ws)
    if identity is None:
        return compute()
    return VIEWS.get((identity, name, hashable(inputs)), compute)


def shared_by_content(name: str, inputs: Any, compute: Callable[[], T], *, copy_result: bool = True) -> T:
    """``compute()`` shared by every caller that passes the same ``inputs`` (frames by a digest of
    their content): a caller can only meet a result of the very data it passes itself. ``inputs``
    must hold the :func:`dataset_identity` of the saved data set the content comes from (never
    called for a session's private upload: nothing of it may outlive the session)."""
    return VIEWS.get(("content", name, hashable(inputs)), compute, copy_result=copy_result)


def hashable(value: Any) -> Hashable:
    """``value`` as part of a key: dicts, lists and sets become tuples, dataclasses their fields."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), hashable(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return tuple(hashable(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(repr(hashable(v)) for v in value)))
    if isinstance(value, pd.DataFrame):
        return ("frame", frame_digest(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__qualname__, hashable(dataclasses.asdict(value)))
    hash(value)  # raises TypeError for anything else that cannot name an input
    return value


# --- a data set's identity --------------------------------------------------------------------------------

_identities: dict[int, tuple[tuple, tuple | None]] = {}
_identities_lock = threading.Lock()


def dataset_identity(ws: Workspace) -> tuple | None:
    """What names the data ``ws`` queries: its saved files' identity and its other tables' digest
    (None when its answers are not read from saved files: nothing of it is shared)."""
    loaded = ws.loaded
    if loaded is None:
        return None
    cases = getattr(loaded, "cases", None)
    stamp = (ws.version, id(loaded), id(loaded.crm), id(cases))
    with _identities_lock:
        held = _identities.get(ws.token)
        if held is not None and held[0] == stamp:
            return held[1]
    identity = _identity(ws)
    with _identities_lock:
        if ws.token not in _identities:
            weakref.finalize(ws, _identities.pop, ws.token, None)
        _identities[ws.token] = (stamp, identity)
    return identity


def _identity(ws: Workspace) -> tuple | None:
    loaded = ws.loaded
    if loaded is None:
        return None
    files = list(getattr(loaded.survey, "files", None) or [])
    named = {os.path.basename(f): f for f in files}
    if "responses.parquet" not in named or "ratings.parquet" not in named:
        return None
    try:
        stats = []
        for name in sorted(named):
            info = os.stat(named[name])
            stats.append((name, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns))
    except OSError:
        return None
    digest = hashlib.sha256()
    crm = loaded.crm.accounts if loaded.crm is not None else None
    case_data = getattr(loaded, "cases", None)
    cases = case_data.cases if case_data is not None else None
    for part in (crm, cases):
        digest.update(b"-" if part is None else frame_digest(part).encode())
    meta = {
        "drivers": [d.to_dict() for d in ws.drivers],
        "reports": [r.to_dict() for r in ws.reports],
        "has_crm": ws.has_crm,
        "dimensions": getattr(loaded.survey, "dimensions", None),
        "mapping": loaded.survey_mapping.to_dict() if loaded.survey_mapping is not None else None,
    }
    digest.update(json.dumps(meta, sort_keys=True, default=str).encode())
    return (tuple(stats), digest.hexdigest())


def frame_digest(frame: pd.DataFrame) -> str:
    """A digest of a frame's columns, types and values."""
    digest = hashlib.sha256()
    digest.update(json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode())
    digest.update(str(len(frame)).encode())
    for _, column in frame.items():
        try:
            values = pd.util.hash_pandas_object(column, index=False)
        except TypeError:  # cells pandas cannot hash (lists, dicts): by their text
            values = pd.util.hash_pandas_object(column.map(repr), index=False)
        digest.update(np.ascontiguousarray(values.to_numpy()).tobytes())
    return digest.hexdigest()


# --- sizes ------------------------------------------------------------------------------------------------


def estimate_bytes(value: Any, _seen: set[int] | None = None, _depth: int = 0) -> int:
    """Roughly the memory a result holds (frames with their text, arrays, containers, dataclasses)."""
    seen = set() if _seen is None else _seen
    if id(value) in seen or _depth > 20:
        return 0
    seen.add(id(value))
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True, index=True).sum())
    if isinstance(value, pd.Series):
        return int(value.memory_usage(deep=True, index=True))
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    size = sys.getsizeof(value, 64)
    if isinstance(value, dict):
        return size + sum(
            estimate_bytes(k, seen, _depth + 1) + estimate_bytes(v, seen, _depth + 1) for k, v in value.items()
        )
    if isinstance(value, (list, tuple, set, frozenset)):
        if len(value) > _SAMPLED:  # a long table of rows: its first rows times its length
            first = list(value)[:_SAMPLED] if isinstance(value, (set, frozenset)) else value[:_SAMPLED]
            return size + sum(estimate_bytes(v, seen, _depth + 1) for v in first) * len(value) // _SAMPLED
        return size + sum(estimate_bytes(v, seen, _depth + 1) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return size + sum(
            estimate_bytes(getattr(value, f.name, None), seen, _depth + 1) for f in dataclasses.fields(value)
        )
    return size
