"""Respondent ids and duplicate answers.

Two kinds of repetition are told apart:

* an **exact duplicate row** (every cell the same as an earlier row: the export was appended
  twice, or a form was submitted twice) is rejected as "duplicate of row N";
* a **repeated respondent id with different answers** (the person answered again) keeps one
  answer per id, the rule being :data:`KEEP_RULE`: the latest by date when every answer of that
  id has a date, else the last in file order. The others are rejected with the row kept named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .notices import DUPLICATE_ROWS, InputWarning
from .parse import RawTable

KEEP_RULE = "the latest answer by date when each answer of the id has one, else the last in the file"

# Headers that name a respondent or response id (normalised: lower case, "_" and "-" as spaces).
_ID_HEADERS = frozenset(
    {
        "user id",
        "userid",
        "respondent id",
        "respondentid",
        "response id",
        "responseid",
        "#",
        "id",
        "guid",
        "uuid",
        "token",
        "submission id",
        "record id",
        "recordid",
        "回答id",
        "回答者id",
        "回答番号",
        "回答者番号",
    }
)


def _normalise(header: str) -> str:
    return re.sub(r"[\s_\-]+", " ", header.strip().lower()).strip()


def respondent_id_column(table: RawTable) -> str | None:
    """The column that identifies respondents, or None.

    The header must name an id (``user_id``, ``RespondentID``, ``ResponseId``, ``#``, ``Id``,
    ``Guid``, ``回答ID``...) and the values must look like ids: filled in on nearly every row and
    mostly distinct (a column of a few repeated values is a code, not an id). Ids stay text:
    a 19-digit id is never turned into a number.
    """
    frame = table.frame
    if not len(frame):
        return None
    for column in frame.columns:
        if _normalise(str(column)) not in _ID_HEADERS:
            continue
        cells = frame[column].astype(str).str.strip()
        filled = cells[cells.ne("")]
        if len(filled) < 0.9 * len(frame):
            continue
        if filled.nunique() >= 0.5 * len(filled):
            return str(column)
    return None


_DATE_HEADERS = frozenset(
    {
        "created at",
        "createdat",
        "created",
        "createddate",
        "created date",
        "date",
        "timestamp",
        "submitted",
        "submitted at",
        "submit date",
        "submit date (utc)",
        "response date",
        "end date",
        "enddate",
        "recordeddate",
        "回答日時",
        "回答日",
        "タイムスタンプ",
    }
)


def answer_dates(table: RawTable) -> pd.Series | None:
    """The dates of the answers, from a column named like one (``created_at``, ``Timestamp``...),
    when the mapping has none: they decide which of a respondent's answers is the latest."""
    from .values import parse_dates  # local: values is heavy and only needed here

    for column in table.frame.columns:
        if _normalise(str(column)) not in _DATE_HEADERS:
            continue
        dates = parse_dates(table.frame[column])
        if len(dates) and dates.notna().mean() >= 0.9:
            return dates
    return None


@dataclass
class Duplicates:
    """The rows to reject (frame index -> (code, values, English reason)) and the warning."""

    rejections: dict[int, tuple[str, dict, str]] = field(default_factory=dict)
    exact: int = 0
    repeated_ids: int = 0
    rule: str = "last"  # "latest" when dates decided every repeated id, else "last"

    def warning(self, file: str, id_column: str | None) -> InputWarning | None:
        if not self.rejections:
            return None
        return InputWarning(
            DUPLICATE_ROWS,
            {"file": file, "exact": self.exact, "repeated": self.repeated_ids, "rule": self.rule},
            (id_column,) if id_column else (),
        )


def find_duplicates(
    frame: pd.DataFrame,
    row_numbers: pd.Series,
    candidates: pd.Series,
    ids: pd.Series | None,
    dates: pd.Series | None,
) -> Duplicates:
    """Exact duplicate rows and repeated ids among the ``candidates`` rows of ``frame``.

    ``row_numbers`` are the file's row numbers (same index as ``frame``), ``ids`` the respondent
    ids (None when the file has none: then only exact duplicates are found), ``dates`` the parsed
    answer dates or None.
    """
    found = Duplicates()
    chosen = candidates.to_numpy(dtype=bool)
    if not chosen.any():
        return found
    if ids is not None:
        id_values = ids[chosen]
        repeated = id_values.duplicated(keep=False) & id_values.notna()
        # rows with a unique id cannot be exact duplicates of anything: hash only the others
        rows = frame.loc[id_values.index[repeated.to_numpy(dtype=bool)]]
    else:
        rows = frame[chosen]
    if len(rows):
        hashes = pd.util.hash_pandas_object(rows, index=False)
        first_of = pd.Series(rows.index, index=rows.index).groupby(hashes.to_numpy()).transform("first")
        dup = first_of.ne(pd.Series(rows.index, index=rows.index))
        for index, first in first_of[dup].items():
            row = int(row_numbers[first])
            found.rejections[int(index)] = ("duplicate_row", {"row": row}, f"duplicate of row {row}")
        found.exact = int(dup.sum())
    if ids is None:
        return found
    keep = candidates.copy()
    keep.loc[list(found.rejections)] = False
    id_values = ids.loc[keep.to_numpy(dtype=bool)]
    repeated = id_values[id_values.duplicated(keep=False) & id_values.notna()]
    if not len(repeated):
        return found
    order = pd.DataFrame({"id": repeated, "position": np.arange(len(repeated))}, index=repeated.index)
    use_dates = False
    if dates is not None:
        when = dates.loc[repeated.index]
        use_dates = bool(when.notna().all())
        if use_dates:
            order["when"] = when
    found.rule = "latest" if use_dates else "last"
    sort_by = ["id", "when", "position"] if use_dates else ["id", "position"]
    kept = order.sort_values(sort_by, kind="stable").groupby("id", sort=False).tail(1)
    kept_row = {key: int(row_numbers[index]) for key, index in zip(kept["id"], kept.index, strict=True)}
    for index, key in repeated.items():
        if index in kept.index:
            continue
        row = kept_row[key]
        shown = str(key)[:40]
        found.rejections[int(index)] = (
            "superseded_answer",
            {"id": shown, "row": row},
            f"respondent {shown!r} answered again (row {row} is kept)",
        )
    found.repeated_ids = len(kept_row)
    return found
