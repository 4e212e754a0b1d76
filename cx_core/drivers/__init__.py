"""Needs and drivers: the driver catalogue, need scores (rational vs emotional) and key drivers.

Every analysis takes the catalogue (a list of :class:`~cx_core.schema.Driver` or dicts) as an
argument, so a person's edits of needs apply without reloading, and the functions stay pure.
"""

from __future__ import annotations

from ..filters import NO_FILTERS, Filters
from ..metrics import DEFAULT_MIN_N
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
    key_drivers,
    top_driver_by_group,
)
from .needs import CATEGORIES, need_scores
from .relative_weights import MISSING_METHODS, relative_weights
from .view import DriversView, drivers_view


def drivers_summary(ws: Workspace, filters: Filters = NO_FILTERS, *, min_n: int = DEFAULT_MIN_N) -> list[dict]:
    """The CLI's ``drivers`` list: overall key drivers for NPS, most important first.

    Each item: ``driver, need, category, importance`` (% of R²), ``importance_ci95``,
    ``performance`` (mean on 1-5) and ``quadrant``.
    """
    result = key_drivers(ws, catalogue_from_workspace(ws), filters, min_n=min_n)
    keys = ("driver", "need", "category", "importance", "importance_ci95", "performance", "quadrant")
    return [
        {k: v for k, v in d.to_dict().items() if k in keys} | {"ranking_uncertain": result.ranking_uncertain}
        for d in result.drivers
    ]


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
    "catalogue_json",
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
