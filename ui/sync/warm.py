"""Warm the shared views of a saved data set in the background, the first time this process opens it.

The first person on the team's workspace in a server process paid every page's first computation
(the 1M-response workspace: about 23 CPU-s for the tour) and everyone who clicked meanwhile waited
for it. With ``CX_WARM_SHARED_VIEWS=1`` (the team set-up: ``tools/serve_team.py``, docs/DEPLOY.md),
the first session that opens a saved data set in this process starts one background thread that
computes, through :data:`cx_core.shared_views.VIEWS`, the views the pages compute on their first,
unfiltered visit (:func:`first_visit_views`: sidebar, overview, segments, drivers, moments, accounts,
follow-up), then the same pages for each single value of the sidebar's main segment dimension.

The thread calls the very core functions the pages call, with the inputs a first visit gives them
(widget defaults, the session's catalogue, weights and language), so the keys are the pages' keys
(tests/app/test_warm_views.py runs the pages after a warm-up and counts no new computation). It

- queries through the session's :class:`~cx_core.workspace.PerThreadConnection`, which gives the
  thread a DuckDB cursor of its own (never the session's cursor);
- runs at the lowest OS priority (nice 19, Linux); a session that asks for the entry the thread is
  computing waits for it (one computation), and the thread is raised back to normal priority while
  someone waits. Raising it needs the right to (root, or ``RLIMIT_NICE``): where the process has
  none, the thread keeps normal priority from the start, since a person waiting behind a nice-19
  computation on a busy machine would wait longer than if they had computed it themselves;
- stops quietly when the data set's files change or go away, the session's workspace is closed, or
  the process shuts down; nothing it meets is raised into a session (it is logged).

Off unless ``CX_WARM_SHARED_VIEWS`` is ``1``/``true``/``on``: a person alone gains little from it
and it spends CPU on pages nobody may open; tests stay deterministic (a test turns it on and waits
for :attr:`Warmup.done`).
"""

from __future__ import annotations

import atexit
import dataclasses
import logging
import os
import resource
import threading
from collections.abc import Callable
from typing import Any

from cx_core import CXError, shared_views
from cx_core.accounts import DEFAULT_RULES, account_health, follow_up_list
from cx_core.coverage import coverage, score_cards
from cx_core.drivers import (
    MISSING_METHODS,
    OUTCOMES,
    PERFORMANCE_MEASURES,
    SPLIT_METHODS,
    available_outcomes,
    default_outcome,
    drivers_view,
)
from cx_core.filters import Filters
from cx_core.moments import moments_of_truth
from cx_core.report import OVERVIEW_SECTIONS, ReportContext, build_sections
from cx_core.roles import DEFAULT_ROLE_WEIGHTS, ROLES
from cx_core.segments import (
    CROSSTAB_METRICS,
    GRAINS,
    available_dimensions,
    date_span,
    dimension_values,
    segmentation_view,
)
from cx_core.weighting import ScoreWeights, weighted_overview
from cx_core.workspace import Workspace

log = logging.getLogger(__name__)

SETTING = "CX_WARM_SHARED_VIEWS"
MAX_FILTER_VALUES = 12  # a main dimension with more values is not warmed value by value
LOW_PRIORITY = 19
FILTERED_ORDER = ("drivers", "overview", "segments", "moments", "accounts")

_started: dict[tuple, Warmup] = {}  # data set identity -> its warm-up in this process
_started_lock = threading.Lock()
_stopping = threading.Event()
atexit.register(_stopping.set)


def enabled() -> bool:
    return os.environ.get(SETTING, "").strip().lower() in {"1", "true", "on", "yes"}


@dataclasses.dataclass(frozen=True)
class FirstVisit:
    """What a page's first visit takes from the session besides the data: language, minimum n, the
    driver catalogue, role and score weights (a saved workspace may carry its own), the accounts' as-of."""

    lang: str
    min_n: int
    catalogue: tuple[Any, ...]
    role_weights: dict[str, float] | None
    score_weights: ScoreWeights
    as_of: Any
    extras: dict[str, Any] = dataclasses.field(default_factory=dict)


def crosstab_defaults(dims: list[str]) -> tuple[int, int]:
    """Rows: segment when the data has one; columns: role, else the first other dimension (never rows x rows)."""
    row = dims.index("segment") if "segment" in dims else 0
    preferred = [d for d in ("respondent_role", "segment", *dims) if d in dims and d != dims[row]]
    return row, dims.index(preferred[0]) if preferred else row


def segments_weights(role_weights: dict[str, float] | None) -> dict[str, float]:
    """The Segments page's role weights inputs before anyone edits them."""
    stored = {**DEFAULT_ROLE_WEIGHTS, **(role_weights or {})}
    return {role: float(stored[role]) for role in ROLES}


def main_dimension(dims: list[str]) -> str | None:
    """The sidebar's main segment dimension: ``segment`` when the data has one, else the first."""
    return "segment" if "segment" in dims else (dims[0] if dims else None)


def sidebar_filters(dims: list[str], **chosen: list[str]) -> Filters:
    """The filters the sidebar builds (every dimension's multiselect, no dates)."""
    return Filters.make(None, None, **{d: list(chosen.get(d, [])) for d in dims})


def first_visit_views(ws: Workspace, visit: FirstVisit, filters: Filters | None = None) -> list[tuple[str, Callable]]:
    """(page, computation) of each view the pages compute on a visit with ``filters`` (default: none),
    the sidebar's first; every one goes through the shared views (its key is the page's)."""
    dims = available_dimensions(ws)
    chosen = sidebar_filters(dims) if filters is None else filters
    min_n, lang = visit.min_n, visit.lang
    steps: list[tuple[str, Callable]] = []
    if filters is None:

        def sidebar() -> None:
            for dimension in dims:
                dimension_values(ws, dimension)
            date_span(ws)
            coverage(ws)

        steps.append(("sidebar", sidebar))

    def overview_page() -> None:
        ov, _ = weighted_overview(ws, chosen, visit.score_weights)
        score_cards(ws, ov)
        build_sections(ReportContext(ws, chosen, lang, min_n, dict(visit.extras)), OVERVIEW_SECTIONS)

    def drivers_page() -> None:
        if not visit.catalogue:
            return
        outcomes = available_outcomes(ws) or list(OUTCOMES[:1])
        default = default_outcome(ws)
        choices = {
            "outcome": default if default in outcomes else outcomes[0],
            "performance": PERFORMANCE_MEASURES[0],
            "group": None,
            "missing": MISSING_METHODS[0],
            "split": SPLIT_METHODS[0],
        }
        drivers_view(ws, list(visit.catalogue), chosen, min_n=min_n, **choices)

    def segments_page() -> None:
        if not dims or not coverage(ws).nps:
            return
        row, col = crosstab_defaults(dims)
        segmentation_view(
            ws,
            chosen,
            dimension=dims[row],
            crosstab=(dims[row], dims[col], CROSSTAB_METRICS[0]),
            weights=segments_weights(visit.role_weights) if ws.has_crm else None,
            grain=GRAINS[0],
            min_n=min_n,
        )

    def moments_page() -> None:
        result = moments_of_truth(ws, chosen, include_relationship=False, min_n=min_n)
        if not result.available or result.overall.n == 0 or not result.moments:
            return
        present = set(dimension_values(ws, "respondent_role", chosen)) if "respondent_role" in dims else set()
        roles = [r for r in ROLES if r in present]
        if roles:
            moments_of_truth(ws, chosen, role=roles[0], include_relationship=False, min_n=min_n)

    def accounts_pages() -> None:
        health = account_health(ws, visit.as_of, chosen, visit.role_weights, DEFAULT_RULES) if ws.has_crm else None
        follow_up_list(
            ws, visit.as_of, lang=lang, filters=chosen, weights=visit.role_weights, rules=DEFAULT_RULES, health=health
        )

    # the order people click in (bench/load/client.py's tour: overview, segments, drivers, moments...)
    steps += [
        ("overview", overview_page),
        ("drivers", drivers_page),
        ("segments", segments_page),
        ("moments", moments_page),
        ("accounts", accounts_pages),
    ]
    return steps


def warm_plan(ws: Workspace, visit: FirstVisit) -> list[tuple[str, Callable]]:
    """Every step of a warm-up: the first visit, then each single value of the main dimension."""
    plan = first_visit_views(ws, visit)
    dims = available_dimensions(ws)
    main = main_dimension(dims)
    if main is None:
        return plan
    values = dimension_values(ws, main)
    if len(values) > MAX_FILTER_VALUES:
        return plan
    by_value = {value: dict(first_visit_views(ws, visit, sidebar_filters(dims, **{main: [value]}))) for value in values}
    # page by page, each value in the sidebar's order: a filter is mostly set on Drivers (the load test's
    # and page_cpu's clicks), then kept while one moves on to the other pages
    for page in FILTERED_ORDER:
        plan += [(f"{page} {main}={value}", steps[page]) for value, steps in by_value.items() if page in steps]
    return plan


class Warmup:
    """One background warm-up of one data set (``done`` is set when it ended, however it ended)."""

    def __init__(self, ws: Workspace, identity: tuple, visit: FirstVisit):
        self.ws, self.identity, self.visit = ws, identity, visit
        self.done = threading.Event()
        self.finished: list[str] = []  # the steps computed (or found computed)
        self.skipped: list[str] = []  # the steps whose page does not fit the data (a CXError)
        self.stopped: str | None = None  # why it stopped early, if it did
        self._native_id: int | None = None
        self.thread = threading.Thread(target=self._run, name="cx-warm-shared-views", daemon=True)

    def start(self) -> Warmup:
        self.thread.start()
        return self

    def _nice(self, value: int) -> None:
        if self._native_id is None or not hasattr(os, "setpriority"):
            return
        try:
            os.setpriority(os.PRIO_PROCESS, self._native_id, value)
        except OSError:  # lowering niceness needs the right to: the thread keeps its low priority
            pass

    @staticmethod
    def can_raise_priority() -> bool:
        """Whether this process may set a thread back to nice 0 after lowering it (root, or an
        ``RLIMIT_NICE`` of at least 20: the ceiling is ``20 - limit``)."""
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            return True
        try:
            soft, _hard = resource.getrlimit(resource.RLIMIT_NICE)
        except (AttributeError, OSError, ValueError):
            return False
        return soft == resource.RLIM_INFINITY or soft >= 20

    def _boost(self) -> None:
        """Someone waits for the entry this thread computes: no low priority while they do."""
        self._nice(0)

    def _still_wanted(self) -> bool:
        if _stopping.is_set() or not threading.main_thread().is_alive():
            self.stopped = "shutting down"
            return False
        if shared_views._identity(self.ws) != self.identity:  # files gone or changed
            self.stopped = "data set changed"
            return False
        return True

    def _run(self) -> None:
        try:
            self._native_id = threading.get_native_id()
            # without the right to raise it back, no boost is possible: never make a person wait behind it
            low = self.can_raise_priority()
            if low:
                self._nice(LOW_PRIORITY)
                shared_views.register_booster(self._native_id, self._boost)
            plan = warm_plan(self.ws, self.visit)
            for name, step in plan:
                if not self._still_wanted():
                    return
                try:
                    step()
                except CXError as exc:  # this page does not fit this data (the page says so): the next one
                    self.skipped.append(f"{name}: {exc}")
                else:
                    self.finished.append(name)
                if low:
                    self._nice(LOW_PRIORITY)  # back to low priority if someone's wait raised it
        except Exception as exc:  # noqa: BLE001 - a closed workspace, files gone...: never a session's error
            self.stopped = f"{type(exc).__name__}: {exc}"
            log.info("warming the shared views stopped: %s", self.stopped)
        finally:
            if self._native_id is not None:
                shared_views.unregister_booster(self._native_id)
            self.done.set()


def warm_in_background(ws: Workspace, visit: Callable[[], FirstVisit]) -> Warmup | None:
    """Start the warm-up of ``ws``'s data set (``visit()``: the session's first-visit inputs) unless this process started one already (or it is off,
    or ``ws`` has no saved data set identity). Never raises."""
    if not enabled():
        return None
    try:
        identity = shared_views.dataset_identity(ws)
        if identity is None:
            return None
        with _started_lock:
            if identity in _started:
                return None
            warmup = _started[identity] = Warmup(ws, identity, visit())
        return warmup.start()
    except Exception:  # noqa: BLE001 - a warm-up is a bonus: never a session's error
        log.exception("could not start warming the shared views")
        return None


def forget_started() -> None:
    """Forget which data sets were warmed (tests)."""
    with _started_lock:
        _started.clear()
