"""Needs and drivers: the driver catalogue, need scores (rational vs emotional) and key drivers.

Every analysis takes the catalogue (a list of :class:`~cx_core.schema.Driver` or dicts) as an
argument, so a person's edits of needs apply without reloading, and the functions stay pure.
"""

from __future__ import annotations

from ..errors import InvalidParameterError
from ..filters import NO_FILTERS, Filters
from ..metrics import DEFAULT_MIN_N
from ..sql import run_rows
from ..workspace import Workspace
from .catalogue import (
    CatalogueInput,
    apply_catalogue,
    catalogue_from_json,
    catalogue_from_workspace,
    catalogue_json,
    normalise_catalogue,
    set_need,
    to_driver,
)
from .key_drivers import (
    DEFAULT_RESAMPLES,
    OUTCOMES,
    PERFORMANCE_MEASURES,
    QUADRANTS,
    SPLIT_METHODS,
    DriverImportance,
    KeyDriverResult,
    check_choices,
    driver_scores,
    driver_scores_of,
    key_drivers,
    key_drivers_of,
    selection_sums,
    top_driver_by_group,
)
from .needs import CATEGORIES, need_scores
from .relative_weights import MISSING_METHODS, relative_weights
from .view import DriversView, drivers_view


def default_outcome(ws: Workspace) -> str | None:
    """The key-driver outcome: the person's choice, else NPS, CSAT, CES (the first the data has)."""
    mapping = ws.loaded.survey_mapping if ws.loaded is not None else None
    keys = {d.key for d in ws.drivers}
    chosen = getattr(mapping, "outcome", None) if mapping is not None else None
    if chosen in OUTCOMES or chosen in keys:
        return chosen
    counts = run_rows(ws.con, "SELECT count(nps), count(csat), count(ces) FROM responses")[0]
    for name, n in zip(OUTCOMES, counts, strict=True):
        if n:
            return name
    return None


def available_outcomes(ws: Workspace) -> list[str]:
    """What key drivers can explain here: the core scores the data has, then every driver rating."""
    counts = run_rows(ws.con, "SELECT count(nps), count(csat), count(ces) FROM responses")[0]
    return [name for name, n in zip(OUTCOMES, counts, strict=True) if n] + [d.key for d in ws.drivers]


def drivers_summary(ws: Workspace, filters: Filters = NO_FILTERS, *, min_n: int = DEFAULT_MIN_N) -> list[dict]:
    """The CLI's ``drivers`` list: overall key drivers of the outcome, most important first.

    The outcome is NPS, else CSAT, else CES (or the one chosen on the Data page). Each item:
    ``driver, need, category, importance`` (% of R²), ``importance_ci95``, ``performance`` (mean
    put on 1-5 so drivers on different scales compare), ``quadrant``, ``outcome``, the driver's
    ``scale`` ``[low, high]``, its ``n``, ``mean`` on its own scale and ``top2_share`` (% of answers
    in the top two points of its scale). Without any outcome only the ratings are listed.
    """
    catalogue = catalogue_from_workspace(ws)
    scales = {d.key: [_whole(d.scale_min), _whole(d.scale_max)] for d in ws.drivers}
    outcome = default_outcome(ws)
    drivers = normalise_catalogue(catalogue)
    outcome_usable = outcome is not None
    if outcome is not None:
        try:
            check_choices(drivers, outcome=outcome)
        except InvalidParameterError:  # the outcome was the only rating: nothing left to explain it
            outcome_usable = False
    # one summary of the ratings for the scores and the key drivers (they used to read them twice)
    sums = selection_sums(ws, drivers, outcome if outcome_usable else None, filters)
    scores = driver_scores_of(sums)

    def rating(key: str) -> dict:
        n, mean, top2 = scores.get(key, (0, None, None))
        return {"outcome": outcome, "scale": scales.get(key), "n": n, "mean": mean, "top2_share": top2}

    if outcome is None or not outcome_usable:
        return [
            {"driver": d.label, "need": d.need, "category": d.category} | rating(d.key) | {"importance": None}
            for d in ws.drivers
        ]
    result = key_drivers_of(ws, sums, outcome=outcome, min_n=min_n)
    keys = ("driver", "need", "category", "importance", "importance_ci95", "performance", "quadrant")
    return [
        {k: v for k, v in d.to_dict().items() if k in keys}
        | {"ranking_uncertain": result.ranking_uncertain}
        | rating(d.key)
        for d in result.drivers
    ]


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


__all__ = [
    "CATEGORIES",
    "CatalogueInput",
    "DEFAULT_RESAMPLES",
    "DriverImportance",
    "DriversView",
    "KeyDriverResult",
    "MISSING_METHODS",
    "OUTCOMES",
    "PERFORMANCE_MEASURES",
    "QUADRANTS",
    "SPLIT_METHODS",
    "apply_catalogue",
    "catalogue_from_json",
    "catalogue_from_workspace",
    "available_outcomes",
    "catalogue_json",
    "default_outcome",
    "driver_scores",
    "drivers_summary",
    "drivers_view",
    "key_drivers",
    "need_scores",
    "normalise_catalogue",
    "relative_weights",
    "set_need",
    "to_driver",
    "top_driver_by_group",
]
