"""Typed canonical tables from a parsed file and its mapping; every rejected row keeps its reason.

All column work is vectorised (a numeric fast path, then per-distinct-value parsing), so a
million-row export validates in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import MappingError
from ..roles import normalise_role
from ..schema import SCALES, Driver, make_driver
from .dimensions import dimension_names
from .duplicates import answer_dates, find_duplicates
from .mapping import Mapping
from .notices import InputWarning
from .parse import RawTable, Rejection
from .recognise import scale_from_numbers
from .values import (
    Distinct,
    clean_text,
    clean_texts,
    empty_mask,
    map_unique,
    normalise_account_key,
    parse_bools,
    parse_dates,
    parse_numbers,
    parse_scores,
)

RESPONSE_COLUMNS = (
    "response_id",
    "account_id",
    "account_key",
    "respondent_role",
    "role_label",
    "submitted_at",
    "nps",
    "csat",
    "ces",
    "comment",
    "journey_stage",
    "touchpoint",
    "survey_type",
    "source_row",
)
ACCOUNT_COLUMNS = (
    "account_id",
    "account_key",
    "account_name",
    "segment",
    "industry",
    "region",
    "arr",
    "renewal_date",
    "churned",
    "owner",
)

# Qualtrics marks rows that are not real answers in Status and DistributionChannel (text or codes).
_NOT_A_RESPONSE_STATUS = {
    "survey preview": "survey preview",
    "survey test": "survey test",
    "spam": "flagged as spam",
    "preview spam": "flagged as spam",
    "offline survey preview": "survey preview",
    "bot": "flagged as a bot",
    "1": "survey preview",
    "2": "survey test",
    "8": "flagged as spam",
    "9": "flagged as spam",
    "17": "survey preview",
}
_NOT_A_RESPONSE_CHANNEL = {"preview": "survey preview", "test": "survey test"}


@dataclass
class SurveyData:
    """Validated survey responses (one row each) and driver ratings (long form)."""

    responses: pd.DataFrame
    ratings: pd.DataFrame  # response_id, driver, score
    drivers: list[Driver]
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rejected_index: list[int] = field(default_factory=list)  # frame index of each validation rejection
    dimensions: dict[str, str] = field(default_factory=dict)  # extra grouping column -> source column
    warnings: list[InputWarning] = field(default_factory=list)  # file name filled in by the report
    # every answer to every open question (long form): response_id, question, column, text
    answers: pd.DataFrame = field(default_factory=lambda: empty_answers())
    # with ``long_ratings=False`` only: each driver's (key, which kept responses rated it, scores),
    # the streamed path's input (it writes them as Arrow without a long table in between)
    rating_parts: list[tuple[str, np.ndarray, np.ndarray]] = field(default_factory=list)


ANSWER_COLUMNS = ("response_id", "question", "column", "text")


def empty_answers() -> pd.DataFrame:
    """The answers table with no rows (and its column types)."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in ANSWER_COLUMNS})


@dataclass
class CrmData:
    """Validated CRM accounts, one row per account id."""

    accounts: pd.DataFrame
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rejected_index: list[int] = field(default_factory=list)
    dimensions: dict[str, str] = field(default_factory=dict)  # extra grouping column -> source column


def _find_column(table: RawTable, *names: str) -> pd.Series | None:
    wanted = {n.lower() for n in names}
    for column in table.frame.columns:
        if column.lower() in wanted:
            return table.frame[column]
    return None


class _Reasons:
    """The first rejection reason of each row (later checks never overwrite an earlier reason)."""

    def __init__(self, index: pd.Index):
        self.values = pd.Series(None, index=index, dtype=object)
        self.codes: dict[int, tuple[str, dict]] = {}  # row index -> (code, values) where known

    def reject(self, mask: pd.Series, reason: str | pd.Series) -> None:
        mask = mask & self.values.isna()
        if mask.any():
            self.values[mask] = reason if isinstance(reason, str) else reason[mask]

    def reject_each(self, rejections: dict[int, tuple[str, dict, str]]) -> None:
        """Reject single rows, each with its code, values and English reason."""
        for index, (code, values, reason) in rejections.items():
            if self.values[index] is None or pd.isna(self.values[index]):
                self.values[index] = reason
                self.codes[index] = (code, values)

    def rejections(self, rows: pd.Series, drop: pd.Series) -> list[Rejection]:
        out = []
        for index, row, reason in zip(rows.index[drop], rows[drop], self.values[drop], strict=True):
            code, values = self.codes.get(index, ("", {}))
            out.append(Rejection(int(row), str(reason), code, dict(values)))
        return out

    @property
    def keep(self) -> pd.Series:
        return self.values.isna()


def _short(value: object) -> str:
    text = " ".join(str(value).split())
    return repr(text[:40] + ("…" if len(text) > 40 else ""))


def _outside(label: str, value: float | None, low: int, high: int) -> str:
    if value is None:
        return ""
    if value % 1:
        return f"{label} {value:g} is not a whole number on the {low}-{high} scale"
    return f"{label} {value:g} is outside {low}-{high}"


def _qualtrics_status(table: RawTable, reasons: _Reasons, notes: list[str]) -> None:
    status = _find_column(table, "Status")
    if status is not None:
        kinds = map_unique(status, lambda v: _NOT_A_RESPONSE_STATUS.get(str(v or "").strip().lower()))
        reasons.reject(kinds.notna(), "Qualtrics status: " + kinds.fillna(""))
    channel = _find_column(table, "DistributionChannel")
    if channel is not None:
        kinds = map_unique(channel, lambda v: _NOT_A_RESPONSE_CHANNEL.get(str(v or "").strip().lower()))
        reasons.reject(kinds.notna(), "Qualtrics distribution channel: " + kinds.fillna(""))
    finished = _find_column(table, "Finished")
    if finished is not None:
        unfinished = map_unique(finished, lambda v: str(v or "").strip().lower() in {"false", "0"}).astype(bool)
        if unfinished.any():
            notes.append(f"{int(unfinished.sum())} response(s) were not finished; their answers are kept.")


class _Sources:
    """The mapped source columns of a table, each factorised once however many parsers read it."""

    def __init__(self, table: RawTable, mapping: Mapping):
        self.table, self.mapping = table, mapping
        self._distinct: dict[str, Distinct] = {}

    def column(self, column: str) -> Distinct:
        if column not in self._distinct:
            self._distinct[column] = Distinct(self.table.frame[column])
        return self._distinct[column]

    def field(self, name: str) -> Distinct | None:
        column = self.mapping.fields.get(name)
        return self.column(column) if column else None


def _extra_dimensions(sources: _Sources, out: pd.DataFrame, taken) -> dict[str, str]:
    """Add the mapping's extra grouping columns to ``out``; returns their safe name -> source column."""
    entries = sources.mapping.dimensions
    source = "survey" if sources.mapping.kind == "survey" else "CRM"
    names = dimension_names([d.get("name") or d["column"] for d in entries], taken, source)
    for name, entry in zip(names, entries, strict=True):
        out[name] = clean_texts(sources.column(entry["column"]))
    return dict(zip(names, (d["column"] for d in entries), strict=True))


def _duplicates(ids: pd.Series, candidates: pd.Series) -> pd.Series:
    """True for each candidate row whose id already appeared on an earlier candidate row."""
    codes, _ = pd.factorize(ids.where(candidates), use_na_sentinel=True)
    return pd.Series(pd.Series(codes).duplicated(keep="first").to_numpy() & (codes >= 0), index=ids.index)


def _repeated(text: str, count: int):
    """An Arrow string array holding ``text`` ``count`` times, written straight into its buffers
    (``pa.repeat`` appends value by value and is slow for millions of rows)."""
    import pyarrow as pa

    data = text.encode("utf-8")
    offsets = np.arange(count + 1, dtype=np.int64) * len(data)
    return pa.LargeStringArray.from_buffers(count, pa.py_buffer(offsets), pa.py_buffer(data * count))


def _ratings_table(response_ids: pd.Series, parts: list[tuple[str, np.ndarray, np.ndarray]]) -> pd.DataFrame:
    """The long ratings table (response_id, driver, score), one Arrow chunk per driver.

    Built in Arrow (a filter of the ids and a repeated key per driver) rather than as millions
    of Python objects: a 1M-response survey with 10 drivers has 10M ratings.
    """
    import pyarrow as pa

    if not parts:
        return pd.DataFrame(
            {
                "response_id": pd.Series(dtype=object),
                "driver": pd.Series(dtype=object),
                "score": pd.Series(dtype="float64"),
            }
        )
    ids = pa.array(response_ids.to_numpy(dtype=object), type=pa.large_string())
    table = pa.table(
        {
            "response_id": pa.chunked_array([ids.filter(pa.array(valid)) for _key, valid, _scores in parts]),
            "driver": pa.chunked_array([_repeated(key, len(scores)) for key, _valid, scores in parts]),
            "score": pa.chunked_array([pa.array(scores, type=pa.float64()) for _key, _valid, scores in parts]),
        }
    )
    return table.to_pandas()


def validate_survey(table: RawTable, mapping: Mapping, *, taken_names=(), long_ratings: bool = True) -> SurveyData:
    """Build the canonical responses table.

    Every metric is optional: a blank NPS, CSAT or CES is missing for that metric only. Rows are
    rejected, each with its reason, when a score is unreadable or outside its scale, when the row
    answers none of the mapped score, rating or open-text columns, when the response id repeats,
    or when the survey tool marks the row as a preview, test or spam. Scales come from the mapping
    (detected per column; NPS is always 0-10). The mapping's extra dimensions become extra columns
    with safe names (never one of ``taken_names``). With ``long_ratings=False`` the ratings are
    left in :attr:`SurveyData.rating_parts` and :attr:`SurveyData.ratings` is empty.
    """
    mapping.check_against(list(table.frame.columns))
    question_columns = _question_columns(mapping)
    if not (any(mapping.fields.get(s) for s in ("nps", "csat", "ces")) or mapping.drivers or question_columns):
        raise MappingError("error.mapping_no_metric")
    frame = table.frame
    sources = _Sources(table, mapping)
    notes = list(table.notes)
    rows = pd.Series(table.row_numbers, index=frame.index, dtype="int64")
    reasons = _Reasons(frame.index)
    if table.format == "qualtrics" or _find_column(table, "DistributionChannel") is not None:
        _qualtrics_status(table, reasons, notes)

    out = pd.DataFrame(index=frame.index)
    rid = sources.field("response_id")
    out["response_id"] = clean_texts(rid) if rid is not None else pd.Series(None, index=frame.index, dtype=object)
    missing_id = out["response_id"].isna()
    if missing_id.any():
        out.loc[missing_id, "response_id"] = "row-" + rows[missing_id].astype(str)
    acc = sources.field("account_id")
    out["account_id"] = clean_texts(acc) if acc is not None else None
    out["account_key"] = map_unique(acc, lambda v: normalise_account_key(clean_text(v))) if acc is not None else None
    role = sources.field("respondent_role")
    out["role_label"] = clean_texts(role) if role is not None else None
    out["respondent_role"] = (
        map_unique(role, lambda v: normalise_role(clean_text(v))) if role is not None else normalise_role(None)
    )
    when = sources.field("submitted_at")
    out["submitted_at"] = parse_dates(when) if when is not None else pd.NaT
    if when is not None:
        bad_dates = int((out["submitted_at"].isna() & ~empty_mask(when)).to_numpy().sum())
        if bad_dates:
            notes.append(f"{bad_dates} response date(s) could not be read and were left empty.")
    for score in ("nps", "csat", "ces"):
        source = sources.field(score)
        if source is None:
            out[score] = np.nan
            continue
        parsed = parse_scores(source)
        lo, hi = SCALES[score] if score == "nps" else _score_scale(mapping, score, parsed)
        lo, hi = _whole(lo), _whole(hi)
        label = score.upper()
        unreadable = parsed.isna() & ~empty_mask(source)
        if unreadable.any():
            reasons.reject(unreadable, map_unique(source, lambda v, s=label: f"{s} value {_short(v)} is not a number"))
        bad = parsed.notna() & ((parsed < lo) | (parsed > hi) | (parsed % 1 != 0))
        if bad.any():
            reasons.reject(bad, map_unique(parsed, lambda v, s=label, a=lo, b=hi: _outside(s, v, a, b)))
        out[score] = parsed
    for name in ("comment", "journey_stage", "touchpoint", "survey_type"):
        source = sources.field(name)
        out[name] = clean_texts(source) if source is not None else None
    out["source_row"] = rows
    dimensions = _extra_dimensions(sources, out, taken_names)
    # a row is kept when it answers anything mapped (blank = missing for that metric only)
    answered = pd.Series(False, index=frame.index)
    for score in ("nps", "csat", "ces"):
        answered |= out[score].notna()
    for column in [d["column"] for d in mapping.drivers] + question_columns:
        answered |= ~empty_mask(sources.column(column))
    reasons.reject(~answered, "no answer in any score, rating or comment column")
    # exact duplicate rows, and respondents who answered more than once (duplicates.KEEP_RULE)
    found = find_duplicates(
        frame,
        rows,
        reasons.keep,
        out["response_id"] if rid is not None else None,
        out["submitted_at"] if when is not None else answer_dates(table),
    )
    reasons.reject_each(found.rejections)
    warnings = []
    duplicate_warning = found.warning("", mapping.fields.get("response_id"))
    if duplicate_warning is not None:
        warnings.append(duplicate_warning)

    drivers: list[Driver] = []
    parts: list[tuple[str, np.ndarray, np.ndarray]] = []
    keep = reasons.keep
    kept = keep.to_numpy()
    seen_keys: set[str] = set()
    for d in mapping.drivers:
        parsed = parse_scores(sources.column(d["column"]))
        lo, hi = _driver_scale(mapping, d, parsed)
        driver = make_driver(d["label"], need=d.get("need"), scale=(lo, hi))
        if driver.key in seen_keys:  # two columns with the same label: keep them apart
            driver = make_driver(f"{d['label']} ({d['column']})", need=d.get("need"), scale=(lo, hi))
        seen_keys.add(driver.key)
        drivers.append(driver)
        valid = (keep & parsed.notna() & (parsed >= lo) & (parsed <= hi)).to_numpy()
        out_of_range = int((keep & parsed.notna()).to_numpy().sum() - valid.sum())
        if out_of_range:
            notes.append(f"{out_of_range} rating(s) of '{d['label'][:60]}' were outside {lo:g}-{hi:g} and left out.")
        # which kept responses (rows of ``responses``, in order) rated this driver, and their scores
        parts.append((driver.key, valid[kept], parsed.to_numpy(dtype="float64")[valid]))

    drop = ~keep
    rejected = reasons.rejections(rows, drop)
    responses = out.loc[keep, [*RESPONSE_COLUMNS, *dimensions]].reset_index(drop=True)
    # NPS answers are whole numbers 0-10 or missing (nullable: every metric is optional)
    responses["nps"] = pd.to_numeric(responses["nps"], errors="coerce").astype("Int64")
    for score in ("csat", "ces"):
        responses[score] = pd.to_numeric(responses[score], errors="coerce").astype("float64")
    for name in [*RESPONSE_COLUMNS, *dimensions]:
        if name not in ("nps", "csat", "ces", "submitted_at", "source_row"):
            responses[name] = responses[name].astype(object)
    ratings = _ratings_table(responses["response_id"], parts if long_ratings else [])
    answers = _answers_table(mapping, sources, out["response_id"], keep)
    all_rejected = sorted(table.rejected + rejected, key=lambda r: r.row)
    return SurveyData(
        responses,
        ratings,
        drivers,
        all_rejected,
        notes,
        list(frame.index[drop]),
        dimensions,
        warnings=warnings,
        answers=answers,
        rating_parts=[] if long_ratings else parts,
    )


def _question_columns(mapping: Mapping) -> list[str]:
    """The open-text columns of a survey mapping: its questions, and the comment column."""
    columns = [q["column"] for q in mapping.questions]
    comment = mapping.fields.get("comment")
    if comment and comment not in columns:
        columns.insert(0, comment)
    return columns


def _score_scale(mapping: Mapping, score: str, parsed: pd.Series) -> tuple[float, float]:
    """CSAT/CES scale: the mapping's, else detected from the values (a column chosen by hand)."""
    column = mapping.fields[score]
    if column is None:
        return SCALES[score]
    if column in mapping.scales:
        return mapping.scale_of(column, SCALES[score])
    values = parsed.dropna()
    detected = scale_from_numbers(values.to_numpy()) if len(values) else None
    if detected is not None and detected != (0, 100):
        mapping.scales[column] = list(detected)  # kept with the mapping: every view uses it
        return detected
    return SCALES[score]


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def _driver_scale(mapping: Mapping, entry: dict, parsed: pd.Series) -> tuple[float, float]:
    """A driver's scale: the mapping's, else detected from its values (mappings saved before scales)."""
    if entry.get("scale"):
        lo, hi = entry["scale"]
        return _whole(lo), _whole(hi)
    if entry["column"] in mapping.scales:
        lo, hi = mapping.scales[entry["column"]]
        return _whole(lo), _whole(hi)
    values = parsed.dropna()
    scale = scale_from_numbers(values.to_numpy()) if len(values) else None
    return scale or (0, 10)


def _answers_table(mapping: Mapping, sources: _Sources, ids: pd.Series, keep: pd.Series) -> pd.DataFrame:
    """Every non-empty answer of the kept rows to every open question, question by question."""
    labels = {q["column"]: q.get("question") or q["column"] for q in mapping.questions}
    parts = []
    for column in _question_columns(mapping):
        texts = clean_texts(sources.column(column))
        mask = keep & texts.notna()
        if not mask.any():
            continue
        parts.append(
            pd.DataFrame(
                {
                    "response_id": ids[mask].astype(object).to_numpy(),
                    "question": labels.get(column, column),
                    "column": column,
                    "text": texts[mask].astype(object).to_numpy(),
                }
            )
        )
    if not parts:
        return empty_answers()
    return pd.concat(parts, ignore_index=True).astype(object)


def validate_crm(table: RawTable, mapping: Mapping, *, taken_names=()) -> CrmData:
    """Build the canonical accounts table; reject rows without an account id and duplicates.

    The mapping's extra dimensions become extra columns with safe names (never one of
    ``taken_names``, e.g. the survey's extra dimensions).
    """
    mapping.check_against(list(table.frame.columns))
    if not mapping.fields.get("account_id"):
        raise MappingError("error.mapping_no_account")
    frame = table.frame
    sources = _Sources(table, mapping)
    notes = list(table.notes)
    rows = pd.Series(table.row_numbers, index=frame.index, dtype="int64")
    out = pd.DataFrame(index=frame.index)
    account = sources.field("account_id")
    out["account_id"] = clean_texts(account)
    out["account_key"] = map_unique(account, lambda v: normalise_account_key(clean_text(v)))
    for name in ("account_name", "segment", "industry", "region", "owner"):
        source = sources.field(name)
        out[name] = clean_texts(source) if source is not None else None
    arr = sources.field("arr")
    out["arr"] = parse_numbers(arr) if arr is not None else float("nan")
    renewal = sources.field("renewal_date")
    if renewal is not None:
        dates = parse_dates(renewal)
        bad = int((dates.isna() & ~empty_mask(renewal)).sum())
        if bad:
            notes.append(f"{bad} renewal date(s) could not be read and were left empty.")
        out["renewal_date"] = dates.dt.date.astype(object).where(dates.notna(), None)
    else:
        out["renewal_date"] = None
    churned = sources.field("churned")
    out["churned"] = parse_bools(churned) if churned is not None else None
    dimensions = _extra_dimensions(sources, out, taken_names)
    reasons = _Reasons(frame.index)
    reasons.reject(out["account_key"].isna(), "account id is missing")
    dup = _duplicates(out["account_key"], reasons.keep) & reasons.keep
    if dup.any():
        reasons.reject(dup, map_unique(out["account_id"], lambda v: f"duplicate account id {_short(v)}"))
    keep = reasons.keep
    drop = ~keep
    rejected = [Rejection(int(r), str(x)) for r, x in zip(rows[drop], reasons.values[drop], strict=True)]
    accounts = out.loc[keep, [*ACCOUNT_COLUMNS, *dimensions]].reset_index(drop=True)
    for name in [*ACCOUNT_COLUMNS, *dimensions]:
        if name != "arr":
            accounts[name] = accounts[name].astype(object)
    all_rejected = sorted(table.rejected + rejected, key=lambda r: r.row)
    return CrmData(accounts, all_rejected, notes, list(frame.index[drop]), dimensions)
