"""Every figure of the Needs & drivers page from one call: key drivers and need scores.

The page's extras are methods of the view: :meth:`DriversView.needs_by` scores the needs per group
of a dimension with the same catalogue, filters and minimum n.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..filters import NO_FILTERS, Filters
from ..metrics import DEFAULT_MIN_N
from ..shared_views import shared_view
from ..workspace import Workspace
from .catalogue import CatalogueInput, normalise_catalogue
from .key_drivers import KeyDriverResult, check_choices, key_drivers_of, selection_sums
from .needs import need_scores

_CHOICES = ("outcome", "performance", "missing", "split")


@dataclass(frozen=True)
class DriversView:
    """Key drivers (``key_drivers``) and the overall need scores (``needs``) of one selection."""

    filters: Filters
    min_n: int
    catalogue: tuple[Any, ...]
    key_drivers: KeyDriverResult
    needs: pd.DataFrame
    _ws: Workspace = field(repr=False, compare=False)

    def needs_by(self, dimension: str) -> pd.DataFrame:
        """The need scores of each group of ``dimension`` (e.g. ``"segment"``, ``"respondent_role"``)."""
        return shared_view(
            self._ws,
            "needs_by",
            (self.catalogue, self.filters, dimension, self.min_n),
            lambda: need_scores(self._ws, list(self.catalogue), self.filters, by=dimension, min_n=self.min_n),
        )


def drivers_view(
    ws: Workspace,
    catalogue: CatalogueInput,
    filters: Filters = NO_FILTERS,
    *,
    min_n: int = DEFAULT_MIN_N,
    **options: Any,
) -> DriversView:
    """Key drivers (``options``: ``outcome``, ``performance``, ``group``, ``missing``, ``split`` as in
    :func:`key_drivers`) and the overall need scores of ``filters``, with the same catalogue.

    Both are aggregated in DuckDB in one pass over the selection's ratings (:func:`selection_sums`:
    the drivers', the needs' and the model's sums per account); with a ``group``, the need scores
    (of all of ``filters``) are their own query.

    Both figures are shared by the sessions on the same saved data set with the same catalogue,
    filters, minimum n and options (:mod:`cx_core.shared_views`); the view itself is this
    session's (its :meth:`DriversView.needs_by` reads this session's database).
    """
    drivers = normalise_catalogue(catalogue)
    result, needs = shared_view(
        ws,
        "drivers_view",
        (drivers, filters, min_n, options),
        lambda: _key_drivers_and_needs(ws, drivers, filters, min_n, dict(options)),
    )
    return DriversView(filters, min_n, tuple(catalogue), result, needs, ws)


def _key_drivers_and_needs(
    ws: Workspace, drivers: list, filters: Filters, min_n: int, options: dict[str, Any]
) -> tuple[KeyDriverResult, pd.DataFrame]:
    group = options.pop("group", None)
    check_choices(drivers, **{k: v for k, v in options.items() if k in _CHOICES})
    outcome = options.get("outcome", "nps")
    sums = selection_sums(ws, drivers, outcome, filters, group, needs=group is None, min_n=min_n)
    result = key_drivers_of(ws, sums, min_n=min_n, **options)
    needs = sums.needs if sums.needs is not None else need_scores(ws, drivers, filters, min_n=min_n)
    return result, needs
