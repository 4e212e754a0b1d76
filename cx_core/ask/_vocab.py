"""The workspace's own words: which measures, dimensions, values and drivers a question may name.

Built from the loaded data (never from a fixed list of columns), so a mapped ``Product line`` or a
segment called ``大企業`` is understood as soon as it is loaded. Plain frozen data: the parser and
the LLM schema both read it; only names, never rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..drivers import catalogue_from_workspace
from ..segments import available_dimensions, date_span, dimension_values, has_answers
from ..workspace import Workspace


@dataclass(frozen=True)
class Vocabulary:
    """What a question over one workspace can name.

    ``values`` pairs each dimension with its values; ``drivers`` pairs driver keys with their labels;
    ``columns`` pairs canonical fields with the column names of the person's file; ``themes`` pairs
    theme ids with their names (the codebook's when one is saved; never which responses they hold);
    ``today`` anchors relative periods ("last quarter").
    """

    measures: tuple[str, ...]
    dimensions: tuple[str, ...]
    values: tuple[tuple[str, tuple[str, ...]], ...]
    drivers: tuple[tuple[str, str], ...] = ()
    columns: tuple[tuple[str, str], ...] = ()
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    today: dt.date | None = None
    themes: tuple[tuple[str, str], ...] = ()
    #: per theme id, what its members say beyond its name (key terms, sub-theme names)
    theme_words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: the parser's phrases, built once per vocabulary (kept with it, never in a process-wide cache:
    #: they hold the names of a person's data)
    phrases: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def values_of(self, dimension: str) -> tuple[str, ...]:
        return dict(self.values).get(dimension, ())

    def driver_label(self, key: str) -> str:
        return dict(self.drivers).get(key, key)

    def theme_label(self, theme_id: str) -> str:
        return dict(self.themes).get(theme_id, theme_id)

    def measure_names(self) -> list[str]:
        """Every measure a spec may name: core scores present in the data, each driver, and all drivers."""
        names = list(self.measures)
        if self.drivers:
            names += [f"driver:{key}" for key, _ in self.drivers] + ["drivers"]
        return names

    def anchor(self) -> dt.date:
        """The day relative periods count from: ``today``, else the last answer's day, else the real today."""
        return self.today or dt.date.today()

    def to_dict(self) -> dict:
        return {
            "measures": self.measure_names(),
            "dimensions": {d: list(v) for d, v in self.values},
            "drivers": {k: label for k, label in self.drivers},
            "themes": {k: label for k, label in self.themes},
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
        }


def vocabulary(
    ws: Workspace,
    *,
    today: dt.date | None = None,
    themes: Iterable[tuple[str, str]] = (),
    theme_words: Iterable[tuple[str, Iterable[str]]] = (),
) -> Vocabulary:
    """The vocabulary of ``ws``: measures with answers, usable dimensions and their values, drivers,
    the names of ``themes`` (theme id, label; e.g. ``theme_ids_of(workspace_themes(ws))``) and what
    their members say beyond them (``theme_words``: theme id, words; :func:`theme_words_of`)."""
    measures = tuple(m for m in ("nps", "csat", "ces") if has_answers(ws, m))
    dims = available_dimensions(ws)
    values = tuple((d, tuple(dimension_values(ws, d))) for d in dims)
    drivers = tuple((str(d["key"]), str(d["label"])) for d in catalogue_from_workspace(ws))
    columns: list[tuple[str, str]] = []
    loaded = ws.loaded
    for mapping in (getattr(loaded, "survey_mapping", None), getattr(loaded, "crm_mapping", None)):
        fields = getattr(mapping, "fields", None) or {}
        columns += [(str(k), str(v)) for k, v in fields.items() if v]
    first, last = date_span(ws)
    return Vocabulary(
        measures=measures,
        dimensions=tuple(dims),
        values=values,
        drivers=drivers,
        columns=tuple(columns),
        first_date=first,
        last_date=last,
        today=today,
        themes=tuple((str(k), str(label)) for k, label in themes),
        theme_words=tuple((str(k), tuple(str(w) for w in words)) for k, words in theme_words),
    )
