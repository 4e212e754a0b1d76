"""The filters every page shares, and their translation into a parameterised WHERE clause."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .errors import InvalidParameterError
from .i18n_format import format_date
from .messages import dimension_label, t
from .roles import role_label
from .schema import DIMENSIONS
from .sql import in_list, quote_ident, where_clause

_MAX_NAME = 120


def is_dimension_name(name: object) -> bool:
    """True for a canonical dimension or a plausible name of another mapped categorical column.

    Which extra columns really exist depends on the loaded data (see
    :func:`cx_core.segments.available_dimensions`); here we only refuse what can never be a column
    name. Names always reach SQL through ``quote_ident``, so this is not what keeps SQL safe.
    """
    if name in DIMENSIONS:
        return True
    return isinstance(name, str) and 0 < len(name) <= _MAX_NAME and name.isprintable() and name not in _NOT_DIMENSIONS


# Columns of ``facts`` that identify rows or hold free text: never a filter or a grouping.
_NOT_DIMENSIONS = frozenset(
    {"response_id", "account_id", "account_key", "role_label", "comment", "account_name", "source_row"}
)


@dataclass(frozen=True)
class Filters:
    """Date range plus selected values per dimension. Empty selections mean "all".

    Frozen and hashable, so it can key a cache together with the data's content hash.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    dims: tuple[tuple[str, tuple[str, ...]], ...] = field(default_factory=tuple)
    #: only these responses count (a theme's respondents on the Ask page); empty means no restriction
    response_ids: tuple[str, ...] = ()
    #: what ``response_ids`` are, in words (a theme's name), for :meth:`describe`
    responses_label: str = ""

    def restricted_to(self, response_ids, label: str = "") -> Filters:
        """These filters, counting only the responses ``response_ids`` (``label`` names them).

        >>> Filters.make(segment=["SMB"]).restricted_to(["r2", "r1"], "Late delivery").describe("en")
        'Segment: SMB · Late delivery (2 respondents)'
        """
        return dataclasses.replace(
            self, response_ids=tuple(sorted({str(r) for r in response_ids})), responses_label=label
        )

    @classmethod
    def make(cls, date_from=None, date_to=None, **selected) -> Filters:
        """Build filters from keyword selections, e.g. ``Filters.make(segment=["SMB"])``."""
        dims = []
        for name, values in sorted(selected.items()):
            if not is_dimension_name(name):
                raise InvalidParameterError("error.not_filterable", name=str(name)[:60])
            values = tuple(str(v) for v in (values or ()))
            if values:
                dims.append((name, values))
        return cls(date_from, date_to, tuple(dims))

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered (every response counts)."""
        return self.date_from is None and self.date_to is None and not self.dims and not self.restricted

    @property
    def restricted(self) -> bool:
        """True when only the listed ``response_ids`` count (an empty list then counts nobody)."""
        return bool(self.response_ids) or bool(self.responses_label)

    def selected(self, name: str) -> tuple[str, ...]:
        return dict(self.dims).get(name, ())

    def conditions(self, params: dict[str, Any], *, exclude: str | None = None) -> list[str]:
        """SQL conditions on the ``facts`` view; values are added to ``params``.

        ``exclude`` leaves one dimension out (used when grouping by that dimension).
        """
        conds: list[str] = []
        if self.date_from:
            params["f_date_from"] = dt.datetime.combine(self.date_from, dt.time.min)
            conds.append("submitted_at >= $f_date_from")
        if self.date_to:
            params["f_date_to"] = dt.datetime.combine(self.date_to, dt.time.max)
            conds.append("submitted_at <= $f_date_to")
        for i, (name, values) in enumerate(self.dims):
            if name == exclude or not values:
                continue
            if not is_dimension_name(name):
                raise InvalidParameterError("error.not_filterable", name=str(name)[:60])
            conds.append(f"{quote_ident(name)} IN {in_list(f'f_dim{i}', list(values), params)}")
        if self.restricted:  # one list parameter, however many responses (a theme can hold thousands)
            params["f_response_ids"] = list(self.response_ids)
            conds.append("list_contains($f_response_ids, CAST(response_id AS VARCHAR))")
        return conds

    def where(self, params: dict[str, Any], *, extra: list[str] | None = None) -> str:
        return where_clause(self.conditions(params) + list(extra or []))

    def describe(self, lang: str) -> str:
        """The filters in words, in ``lang``, for captions, chart titles and report slides.

        >>> Filters.make(segment=["SMB"], respondent_role=["executive"]).describe("ja")
        '役割: 経営層 · セグメント: SMB'
        >>> Filters().describe("en")
        'all responses'
        """
        parts = []
        if self.date_from or self.date_to:
            first = format_date(self.date_from, lang) if self.date_from else "…"
            last = format_date(self.date_to, lang) if self.date_to else "…"
            parts.append(f"{first}{'〜' if lang == 'ja' else ' – '}{last}")
        separator = "、" if lang == "ja" else ", "
        for name, values in self.dims:
            label = (lambda v: role_label(v, lang)) if name == "respondent_role" else str
            shown = separator.join(label(v) for v in values[:3])
            if len(values) > 3:
                shown += f" +{len(values) - 3}"
            parts.append(f"{dimension_label(name, lang)}: {shown}")
        if self.restricted:
            parts.append(t("present.filters_responses", lang, label=self.responses_label, n=len(self.response_ids)))
        return " · ".join(parts) if parts else t("present.filters_all", lang)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "dims": {name: list(values) for name, values in self.dims},
        }
        if self.restricted:
            out |= {"response_ids": list(self.response_ids), "responses_label": self.responses_label}
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Filters:
        def day(v):
            if not v:
                return None
            try:
                return dt.date.fromisoformat(str(v))
            except ValueError as exc:
                raise InvalidParameterError("error.not_a_date", value=str(v)[:20]) from exc

        dims = {k: v for k, v in (data.get("dims") or {}).items() if is_dimension_name(k)}
        made = cls.make(day(data.get("date_from")), day(data.get("date_to")), **dims)
        if data.get("response_ids") is not None or data.get("responses_label"):
            made = made.restricted_to(data.get("response_ids") or (), str(data.get("responses_label") or ""))
        return made


NO_FILTERS = Filters()
