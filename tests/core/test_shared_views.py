"""Views shared by the sessions of one process on the same saved data set (cx_core.shared_views)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import shutil
import threading
import time

import numpy as np
import pandas as pd
import pytest

from cx_core import shared_views
from cx_core.accounts import account_health, follow_up_list
from cx_core.drivers import catalogue_from_workspace, drivers_view
from cx_core.filters import NO_FILTERS, Filters
from cx_core.metrics import overview, scores_by_group
from cx_core.moments import moments_of_truth
from cx_core.segments import dimension_values, segmentation_view
from cx_core.shared_views import SharedViews, dataset_identity
from cx_core.store import Store, StoreConfig
from cx_core.workspace import Workspace

AS_OF = dt.date(2026, 6, 1)


def same(a, b) -> bool:
    """Equal values: frames cell by cell, floats with NaN equal to NaN, dataclasses field by field."""
    if isinstance(a, pd.DataFrame):
        try:
            pd.testing.assert_frame_equal(a, b)
        except AssertionError:
            return False
        return True
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(
            same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a) if f.name != "_ws"
        )
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, np.ndarray):
        return np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    return a == b


@pytest.fixture()
def saved(tmp_path, sample_loaded):
    store = Store(StoreConfig.build(tmp_path / "data"))
    info = store.create_workspace("Q3", sample_loaded, dataset="sample", by="Aiko")
    opened: list[Workspace] = []

    def open_one() -> Workspace:
        ws = Workspace.from_loaded(store.open_workspace(info.id).loaded)
        opened.append(ws)
        return ws

    shared_views.VIEWS.clear()
    yield open_one
    for ws in opened:
        ws.close()
    shared_views.VIEWS.clear()
    store.close()


def _views(ws: Workspace, filters: Filters = NO_FILTERS, min_n: int = 5, weights=None) -> dict:
    catalogue = catalogue_from_workspace(ws)
    drivers = drivers_view(ws, catalogue, filters, min_n=min_n, outcome="nps")
    return {
        "overview": overview(ws, filters),
        "by_segment": scores_by_group(ws, "segment", filters, min_n=min_n),
        "values": dimension_values(ws, "region", filters),
        "segments": segmentation_view(ws, filters, weights=weights, min_n=min_n),
        "drivers": (drivers.key_drivers, drivers.needs, drivers.needs_by("segment")),
        "moments": moments_of_truth(ws, filters, min_n=min_n),
        "health": account_health(ws, AS_OF, filters, weights),
        "follow_up": follow_up_list(ws, AS_OF, lang="en", filters=filters, weights=weights),
    }


def _uncached(monkeypatch, ws: Workspace, **kwargs) -> dict:
    with monkeypatch.context() as patch:
        patch.setattr(shared_views, "dataset_identity", lambda _ws: None)
        return _views(ws, **kwargs)


def test_two_sessions_on_the_same_saved_files_share_views_equal_to_computing_them(saved, monkeypatch):
    first, second = saved(), saved()
    assert dataset_identity(first) is not None and dataset_identity(first) == dataset_identity(second)
    computed = _views(first)
    misses, hits = shared_views.VIEWS.misses, shared_views.VIEWS.hits
    assert misses >= len(computed)
    again = _views(second)
    assert shared_views.VIEWS.misses == misses  # the second session computed nothing
    assert shared_views.VIEWS.hits > hits
    plain = _uncached(monkeypatch, saved())
    for name in computed:
        assert same(computed[name], plain[name]), name
        assert same(again[name], plain[name]), name
    # each caller has its own copy: what one session changes, the other never sees
    again["health"].loc[:, "risk"] = "changed"
    assert not (_views(second)["health"]["risk"] == "changed").any()
    assert _views(first)["follow_up"] is not _views(first)["follow_up"]


def test_different_filters_and_settings_do_not_share_an_entry(saved, monkeypatch):
    ws = saved()
    region = dimension_values(ws, "region")[0]
    choices = [
        {},
        {"filters": Filters(dims=(("region", (region,)),), date_from=dt.date(2026, 1, 1))},
        {"min_n": 30, "weights": {"decision_maker": 1.0, "influencer": 0.0, "user": 0.0, "procurement": 0.0}},
    ]
    results = [_views(ws, **c) for c in choices]
    entries = len(shared_views.VIEWS)
    for choice, result in zip(choices, results, strict=True):
        plain = _uncached(monkeypatch, saved(), **choice)
        for name in result:
            assert same(result[name], plain[name]), (choice, name)
    assert len(shared_views.VIEWS) == entries  # computing them directly kept nothing
    assert not same(results[0]["overview"], results[1]["overview"])
    assert not same(results[0]["segments"], results[2]["segments"])
    assert not same(results[0]["health"], results[2]["health"])
    # the catalogue and the outcome are part of a view's key
    catalogue = catalogue_from_workspace(ws)
    edited = [dict(item, need=catalogue[-1]["need"]) for item in catalogue]
    assert edited != catalogue
    with_edit = drivers_view(ws, edited, min_n=5, outcome="nps")
    plain = drivers_view(ws, catalogue, min_n=5, outcome="nps")
    assert not same(with_edit.needs, plain.needs)
    other_outcome = drivers_view(ws, catalogue, min_n=5, outcome="csat")
    assert not same(other_outcome.key_drivers, plain.key_drivers)


def test_a_private_upload_never_meets_another_sessions_entry(saved, sample_loaded, tmp_path):
    ws = saved()
    _views(ws)  # from an empty cache: its own repeated calls are its only hits
    own_hits, hits, entries = shared_views.VIEWS.hits, shared_views.VIEWS.hits, len(shared_views.VIEWS)
    upload = Workspace.from_loaded(sample_loaded)  # the same data, uploaded: held in memory
    try:
        assert dataset_identity(upload) is None
        _views(upload)
        assert (shared_views.VIEWS.hits, len(shared_views.VIEWS)) == (hits, entries)
    finally:
        upload.close()
    # a copy of the same files (another inode) is another data set: no entry of the first
    other = saved()
    for name in other.loaded.survey.files:
        shutil.copy(name, name + ".copy")
        shutil.move(name + ".copy", name)
    assert dataset_identity(other) not in (None, dataset_identity(ws))
    _views(other)
    assert shared_views.VIEWS.hits == hits + own_hits
    assert len(shared_views.VIEWS) == 2 * entries


def test_concurrent_askers_compute_once_and_each_get_a_copy():
    cache = SharedViews(max_bytes=1 << 20)
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []
    results: dict[str, object] = {}

    def slow() -> dict:
        calls.append("first")
        started.set()
        assert release.wait(10)
        return {"n": [1, 2, 3]}

    def never() -> dict:
        calls.append("second")
        return {"n": []}

    first = threading.Thread(target=lambda: results.__setitem__("first", cache.get("key", slow)))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=lambda: results.__setitem__("second", cache.get("key", never)))
    second.start()
    deadline = time.monotonic() + 10
    while cache.waiting("key") < 1:  # the second asker is waiting for the first one's result
        assert time.monotonic() < deadline
        time.sleep(0.001)
    release.set()
    first.join(10)
    second.join(10)
    assert calls == ["first"]
    assert results["first"] == results["second"] == {"n": [1, 2, 3]}
    assert results["first"] is not results["second"]
    assert (cache.misses, cache.hits) == (1, 1)


def test_a_failed_computation_is_not_kept_and_the_next_asker_computes():
    cache = SharedViews(max_bytes=1 << 20)

    def fails():
        raise RuntimeError("session closed")

    with pytest.raises(RuntimeError):
        cache.get("key", fails)
    assert cache.get("key", lambda: 7) == 7
    assert len(cache) == 1


def test_least_recently_used_entries_go_first_when_over_the_bound():
    cache = SharedViews(max_bytes=1 << 20, max_entries=2)
    for key in ("a", "b"):
        cache.get(key, lambda: np.zeros(10))
    cache.get("a", lambda: np.ones(10))  # a hit: "a" is now the most recent
    cache.get("c", lambda: np.zeros(10))
    assert cache.get("a", lambda: None) is not None
    assert cache.get("b", lambda: "recomputed") == "recomputed"
    small = SharedViews(max_bytes=4096 * 4)
    small.get("big", lambda: np.zeros(100_000))  # more than a quarter of the bound: not kept
    assert len(small) == 0


def test_long_tables_of_a_saved_data_set_are_formatted_once_and_private_ones_never_kept(saved):
    from dataclasses import replace

    from cx_core.cells import Column, ColumnKind
    from cx_core.report.sections import Section, _section_cells, section_cells

    identity = dataset_identity(saved())
    frame = pd.DataFrame({"account": [f"=A{i}" for i in range(500)], "arr": np.arange(500) * 1000.5})
    columns = (Column("account", ColumnKind.TEXT), Column("arr", ColumnKind.MONEY))
    private = Section("accounts", "Accounts", "", len(frame), "", table=frame, columns=columns)
    shared_views.VIEWS.clear()
    assert section_cells(private, "en") == _section_cells(private, "en", None)
    assert len(shared_views.VIEWS) == 0  # an upload's table: formatted, never kept
    for table in (frame, frame.assign(arr=frame["arr"] + 1)):
        section = replace(private, table=table, shared_as=identity)
        for lang in ("en", "ja"):
            cells = section_cells(section, lang)
            assert cells == _section_cells(section, lang, None)
            cells[1][0][0] = "changed by a caller"
            assert section_cells(section, lang) == _section_cells(section, lang, None)
    assert (len(shared_views.VIEWS), shared_views.VIEWS.hits) == (4, 4)


def test_a_waiter_raises_the_priority_of_the_thread_computing_its_entry():
    views = SharedViews(10 * shared_views.MIB)
    started, release, boosted = threading.Event(), threading.Event(), threading.Event()

    def slow() -> dict:
        started.set()
        release.wait(10)
        return {"x": 1}

    def computer() -> None:
        shared_views.register_booster(threading.get_native_id(), boosted.set)
        try:
            views.get("k", slow)
        finally:
            shared_views.unregister_booster(threading.get_native_id())

    thread = threading.Thread(target=computer)
    thread.start()
    assert started.wait(10)
    assert not boosted.is_set()
    waiter = threading.Thread(target=lambda: views.get("k", dict))
    waiter.start()
    assert boosted.wait(10)  # the waiter asked the computing thread to hurry
    release.set()
    thread.join(10)
    waiter.join(10)
    assert views.misses == 1 and views.hits == 1
