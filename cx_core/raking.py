"""Raking to population margins: answer weights that make the sample's shares match the population's.

A person knows, from the CRM or the finance team, how the customer base splits (say 20 % enterprise,
50 % mid-market, 30 % SMB; 60 % Japan, 40 % US) and the survey's answers do not split that way.
:func:`read_margins` reads such shares from a small CSV or JSON file (or the table the Overview page
edits), :func:`rake` finds one weight per answer by iterative proportional fitting (the answers of
each margin's values get, in turn, the weight that gives the value its share, until every margin
holds at once), and :mod:`cx_core.weighting` turns the weights into scores with intervals over
account clusters and Kish's effective n.

The file, in one of three shapes (the column names are the data's dimensions: ``segment``,
``region``, ``respondent_role``, ``industry`` ... as the sidebar's filters name them)::

    column,value,share          # separate margins, one per column
    segment,Enterprise,0.2
    segment,SMB,0.8
    region,Japan,0.6
    region,US,0.4

    segment,region,share        # one joint margin (every combination that has a share)
    Enterprise,Japan,0.15
    ...

    {"segment": {"Enterprise": 0.2, "SMB": 0.8}, "region": {"Japan": 0.6, "US": 0.4}}
    {"margins": [{"columns": ["segment", "region"],
                  "shares": [{"segment": "Enterprise", "region": "Japan", "share": 0.15}, ...]}]}

Each margin's shares are numbers from 0 to 1 that sum to 1. A value of the data a margin does not
name, or a value a margin names that the selection has no answer for, is refused with a coded error
(the weights would otherwise be a silent guess); a share of 0 is allowed and gives those answers
no weight.

>>> margins = read_margins("column,value,share\\nsegment,A,0.5\\nsegment,B,0.5\\n", "m.csv")
>>> margins[0].columns, margins[0].shares
(('segment',), ((('A',), 0.5), (('B',), 0.5)))
>>> cells = pd.DataFrame({"segment": ["A", "B"], "n": [30, 10]})
>>> rake(cells, margins).weight.round(3).tolist()
[0.667, 2.0]
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InvalidParameterError

MAX_MARGIN_BYTES = 1_000_000
MAX_MARGIN_CELLS = 10_000
SHARE_TOLERANCE = 0.001  #: how far a margin's shares may sum from 1 (rounded percentages in a file)
FIT_TOLERANCE = 1e-6  #: how close every weighted share must come to its target
MAX_ITERATIONS = 500


@dataclass(frozen=True)
class Margin:
    """The population's shares over one column, or jointly over several: ``shares`` pairs each
    combination of values (in the order of ``columns``) with its share."""

    columns: tuple[str, ...]
    shares: tuple[tuple[tuple[str, ...], float], ...]

    def to_dict(self) -> dict:
        return {
            "columns": list(self.columns),
            "shares": [
                dict(zip(self.columns, values, strict=True)) | {"share": share} for values, share in self.shares
            ],
        }


@dataclass(frozen=True)
class RakedCells:
    """One weight per cell (a combination of the margins' columns), the iterations IPF took and the
    largest distance of a weighted share from its target when it stopped."""

    cells: pd.DataFrame  # the margins' columns, n, weight (per answer of the cell)
    iterations: int
    max_gap: float

    @property
    def weight(self) -> pd.Series:
        return self.cells["weight"]


def margin_columns(margins: tuple[Margin, ...]) -> tuple[str, ...]:
    """Every column the margins name, once, in first-named order."""
    seen: dict[str, None] = {}
    for margin in margins:
        for column in margin.columns:
            seen.setdefault(column)
    return tuple(seen)


def margins_from_records(records: list[dict]) -> tuple[Margin, ...]:
    """Margins from rows ``{"column", "value", "share"}`` (the Overview page's table): one margin
    per column, in first-named order. Empty rows are skipped."""
    rows = []
    for record in records:
        column, value, share = (record.get(k) for k in ("column", "value", "share"))
        if _blank(column) and _blank(value) and _blank(share):
            continue
        rows.append({"column": column, "value": value, "share": share})
    return _long(rows)


def margins_from_dict(data) -> tuple[Margin, ...]:
    """Margins from their JSON form (see the module's doc; :meth:`Margin.to_dict` gives it)."""
    if isinstance(data, dict) and "margins" in data:
        data = data["margins"]
    if isinstance(data, dict):  # {"segment": {"A": 0.5, ...}, ...}: one margin per column
        rows = []
        for column, shares in data.items():
            if not isinstance(shares, dict):
                raise InvalidParameterError("error.weights_file_shape")
            rows += [{"column": column, "value": value, "share": share} for value, share in shares.items()]
        return _long(rows)
    if not isinstance(data, list):
        raise InvalidParameterError("error.weights_file_shape")
    margins = []
    for item in data:
        if not isinstance(item, dict) or not isinstance(item.get("columns"), list) or "shares" not in item:
            raise InvalidParameterError("error.weights_file_shape")
        columns = tuple(_text(c) for c in item["columns"])
        shares = item["shares"]
        if isinstance(shares, dict) and len(columns) == 1:
            shares = [{columns[0]: value, "share": share} for value, share in shares.items()]
        if not isinstance(shares, list) or not all(isinstance(s, dict) for s in shares):
            raise InvalidParameterError("error.weights_file_shape")
        margins.append(_margin(columns, [(tuple(s.get(c) for c in columns), s.get("share")) for s in shares]))
    return _checked(tuple(margins))


def read_margins(text: str | bytes, filename: str = "margins.csv") -> tuple[Margin, ...]:
    """Margins from the text of a CSV or JSON file (by its name, else by its first character)."""
    if isinstance(text, bytes):
        if len(text) > MAX_MARGIN_BYTES:
            raise InvalidParameterError("error.weights_file_size", limit=MAX_MARGIN_BYTES // 1000)
        text = text.decode("utf-8-sig", errors="replace")
    if len(text) > MAX_MARGIN_BYTES:
        raise InvalidParameterError("error.weights_file_size", limit=MAX_MARGIN_BYTES // 1000)
    text = text.lstrip("\ufeff")
    if filename.lower().endswith(".json") or text.lstrip()[:1] in ("{", "["):
        try:
            return margins_from_dict(json.loads(text))
        except json.JSONDecodeError:
            raise InvalidParameterError("error.weights_file_shape") from None
    rows = [r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r)]
    if len(rows) < 2:
        raise InvalidParameterError("error.weights_file_shape")
    header = [cell.strip() for cell in rows[0]]
    if len(rows) - 1 > MAX_MARGIN_CELLS:
        raise InvalidParameterError("error.weights_file_size", limit=MAX_MARGIN_BYTES // 1000)
    if any(len(r) != len(header) for r in rows[1:]) or "share" not in [h.casefold() for h in header]:
        raise InvalidParameterError("error.weights_file_shape")
    lowered = [h.casefold() for h in header]
    if lowered == ["column", "value", "share"]:
        return _long([dict(zip(lowered, r, strict=True)) for r in rows[1:]])
    share_at = lowered.index("share")
    columns = tuple(h for i, h in enumerate(header) if i != share_at)
    if not columns:
        raise InvalidParameterError("error.weights_file_shape")
    cells = [(tuple(c for i, c in enumerate(r) if i != share_at), r[share_at]) for r in rows[1:]]
    return _checked((_margin(columns, cells),))


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _text(value) -> str:
    if _blank(value):
        raise InvalidParameterError("error.weights_file_shape")
    return str(value).strip()


def _share(value) -> float:
    try:
        share = float(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidParameterError("error.weights_share", value=str(value)[:30]) from None
    if not math.isfinite(share) or share < 0 or share > 1:
        raise InvalidParameterError("error.weights_share", value=str(value)[:30])
    return share


def _margin(columns: tuple[str, ...], cells: Sequence[tuple[tuple, object]]) -> Margin:
    if not columns or len(set(columns)) != len(columns):
        raise InvalidParameterError("error.weights_file_shape")
    seen: dict[tuple[str, ...], float] = {}
    for values, share in cells:
        key = tuple(_text(v) for v in values)
        if key in seen:
            raise InvalidParameterError("error.weights_duplicate", column=" × ".join(columns), value=" × ".join(key))
        seen[key] = _share(share)
    return Margin(tuple(_text(c) for c in columns), tuple(seen.items()))


def _long(rows: list[dict]) -> tuple[Margin, ...]:
    by_column: dict[str, list[tuple[tuple, object]]] = {}
    for row in rows:
        by_column.setdefault(_text(row.get("column")), []).append(((row.get("value"),), row.get("share")))
    return _checked(tuple(_margin((column,), cells) for column, cells in by_column.items()))


def _checked(margins: tuple[Margin, ...]) -> tuple[Margin, ...]:
    if not margins:
        raise InvalidParameterError("error.weights_file_shape")
    if sum(len(m.shares) for m in margins) > MAX_MARGIN_CELLS:
        raise InvalidParameterError("error.weights_file_size", limit=MAX_MARGIN_BYTES // 1000)
    for margin in margins:
        total = sum(share for _values, share in margin.shares)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            raise InvalidParameterError("error.weights_sum", column=" × ".join(margin.columns), total=f"{total:.4g}")
    return margins


def rake(cells: pd.DataFrame, margins: tuple[Margin, ...]) -> RakedCells:
    """Iterative proportional fitting of one weight per answer of each cell.

    ``cells`` has one row per combination of the margins' columns present in the data, with ``n``
    its answers. Every answer starts at weight 1; each margin in turn scales the weights of its
    values' answers so that their weighted share is the target, until every margin is within
    :data:`FIT_TOLERANCE` at once. Raises an :class:`InvalidParameterError` when a margin names a
    value the cells lack, the cells hold a value a margin does not name, or the margins cannot all
    hold at once (joint and separate margins that contradict each other).
    """
    cells = cells.reset_index(drop=True)
    n = cells["n"].to_numpy(float)
    total = float(n.sum())
    if total <= 0:
        raise InvalidParameterError("error.no_responses")
    groups = []
    for margin in margins:
        keys = list(zip(*(cells[c].astype(str) for c in margin.columns), strict=True))
        targets = dict(margin.shares)
        for key in dict.fromkeys(keys):
            if key not in targets:
                raise InvalidParameterError(
                    "error.weights_value_unnamed", column=" × ".join(margin.columns), value=" × ".join(key)
                )
        present = set(keys)
        for key, share in margin.shares:
            if share > 0 and key not in present:
                raise InvalidParameterError(
                    "error.weights_value_absent", column=" × ".join(margin.columns), value=" × ".join(key)
                )
        index = {key: i for i, key in enumerate(targets)}
        codes = np.array([index[k] for k in keys], dtype=int)
        target = np.array([targets[k] for k in index], dtype=float)
        groups.append((codes, target))
    weight = np.ones(len(cells))
    gap = math.inf
    for iteration in range(1, MAX_ITERATIONS + 1):
        for codes, target in groups:
            current = np.bincount(codes, weights=weight * n, minlength=len(target))
            factor = np.divide(target * total, current, out=np.zeros_like(target), where=current > 0)
            weight = weight * factor[codes]
        gap = max(
            float(np.abs(np.bincount(codes, weights=weight * n, minlength=len(target)) / total - target).max())
            for codes, target in groups
        )
        if gap < FIT_TOLERANCE:
            return RakedCells(cells.assign(weight=weight), iteration, gap)
    raise InvalidParameterError("error.weights_no_fit", iterations=MAX_ITERATIONS, gap=f"{gap:.2g}")
