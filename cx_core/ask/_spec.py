"""The typed reading of a question: what to measure, over which groups, filters, period and comparison.

A :class:`QuerySpec` is plain frozen data. The offline parser and an LLM both produce one; only
:func:`cx_core.ask.answer` turns it into numbers, through the same views the pages use. A spec
never carries SQL or code: every name in it is checked against the workspace's vocabulary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

#: the scores the core computes for any selection
CORE_MEASURES: tuple[str, ...] = ("nps", "csat", "ces")
#: "every driver's mean": one row per driver rating
ALL_DRIVERS = "drivers"
#: a driver rating as a measure is ``driver:<key>``
DRIVER_PREFIX = "driver:"
#: groupings by time (answered period by period)
TIME_GROUPS: tuple[str, ...] = ("month", "quarter")
ORDERS: tuple[str, ...] = ("asc", "desc")


@dataclass(frozen=True)
class Period:
    """A date range a question names (``label`` is how it was said: ``last_quarter``, ``2025``...).

    ``start``/``end`` are inclusive days; ``None`` means open on that side.
    """

    label: str
    start: dt.date | None = None
    end: dt.date | None = None

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Period:
        def day(value: Any) -> dt.date | None:
            return dt.date.fromisoformat(str(value)) if value else None

        return cls(str(data.get("label") or "custom"), day(data.get("start")), day(data.get("end")))


@dataclass(frozen=True)
class Compare:
    """Two or more groups of one dimension (``dimension`` and ``values``), or two or more ``periods``."""

    dimension: str | None = None
    values: tuple[str, ...] = ()
    periods: tuple[Period, ...] = ()

    @property
    def kind(self) -> str:
        return "periods" if self.periods else "groups"

    def to_dict(self) -> dict:
        if self.periods:
            return {"periods": [p.to_dict() for p in self.periods]}
        return {"dimension": self.dimension, "values": list(self.values)}

    @classmethod
    def from_dict(cls, data: dict) -> Compare:
        if data.get("periods"):
            return cls(periods=tuple(Period.from_dict(p) for p in data["periods"]))
        return cls(dimension=data.get("dimension"), values=tuple(str(v) for v in data.get("values") or ()))


@dataclass(frozen=True)
class QuerySpec:
    """One question, read: ``measure`` (``nps``, ``csat``, ``ces``, ``driver:<key>`` or ``drivers``),
    ``group_by`` (dimensions, or ``month``/``quarter``), ``filters`` (dimension -> values),
    ``period``, ``compare``, ``order`` (``asc`` lowest first, ``desc`` highest first), ``top`` and
    ``themes`` (theme ids: only the respondents whose comments belong to one of them count).
    """

    measure: str = "nps"
    group_by: tuple[str, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    period: Period | None = None
    compare: Compare | None = None
    order: str | None = None
    top: int | None = None
    themes: tuple[str, ...] = ()

    def filter_dict(self) -> dict[str, list[str]]:
        return {name: list(values) for name, values in self.filters}

    def with_(self, **changes: Any) -> QuerySpec:
        """A copy with ``changes`` (filters may be given as a dict)."""
        if isinstance(changes.get("filters"), dict):
            changes["filters"] = normal_filters(changes["filters"])
        if "group_by" in changes:
            changes["group_by"] = tuple(changes["group_by"] or ())
        if "themes" in changes:
            changes["themes"] = tuple(str(x) for x in changes["themes"] or ())
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return {
            "measure": self.measure,
            "group_by": list(self.group_by),
            "filters": self.filter_dict(),
            "period": self.period.to_dict() if self.period else None,
            "compare": self.compare.to_dict() if self.compare else None,
            "order": self.order,
            "top": self.top,
            "themes": list(self.themes),
        }

    @classmethod
    def from_dict(cls, data: dict) -> QuerySpec:
        return cls(
            measure=str(data.get("measure") or "nps"),
            group_by=tuple(str(g) for g in data.get("group_by") or ()),
            filters=normal_filters(data.get("filters") or {}),
            period=Period.from_dict(data["period"]) if data.get("period") else None,
            compare=Compare.from_dict(data["compare"]) if data.get("compare") else None,
            order=data.get("order") or None,
            top=int(data["top"]) if data.get("top") else None,
            themes=tuple(str(x) for x in data.get("themes") or ()),
        )


def normal_filters(filters: dict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Filters in one canonical order (dimensions sorted, values as given, empty selections dropped)."""
    return tuple((str(k), tuple(str(v) for v in vs)) for k, vs in sorted(filters.items()) if vs)


@dataclass(frozen=True)
class Reading:
    """What the parser understood: the spec, whether it could read the question, and why not.

    ``guesses`` say what was assumed (a default measure, a corrected spelling); ``unknown`` lists
    words that name nothing in the data; ``suggestions`` are questions the data can answer.
    """

    question: str
    understood: bool
    spec: QuerySpec
    guesses: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    source: str = "offline"  #: "offline" or "llm"
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        spec = self.spec.to_dict()
        return {
            "measure": spec["measure"],
            "group_by": spec["group_by"],
            "filters": spec["filters"],
            "period": spec["period"],
            "compare": spec["compare"],
            "order": spec["order"],
            "top": spec["top"],
            "themes": spec["themes"],
            "guesses": list(self.guesses),
            "unknown": list(self.unknown),
            "source": self.source,
        }
