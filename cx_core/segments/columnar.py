"""The segmentation page's aggregates from columns held in memory: a filter change in milliseconds.

A filter change on the Segments page recomputes every figure from the filtered answers: per group
and account (so that intervals know how answers cluster in accounts), for five groupings at once.
In DuckDB that is five hash aggregations of the filtered rows by text keys, every time: at a million
responses about 1.5 s of CPU, slower than plain pandas grouping the same rows without accounts.

Here the work that does not depend on the filters is done once per data set: the answers' columns
are read from the database into numpy (accounts, roles and every other text column as small integer
codes, dates as days, NPS as its category, CSAT and CES as numbers). A filter change is then a mask,
a gather and ``numpy.bincount`` over (group, account) codes: no hashing, no text. The records have
exactly the shape and values of :func:`cx_core.segments.view._aggregate`'s SQL (a test compares
both on generated data); anything this module does not handle (a filter to listed responses, a
dimension it cannot place) returns None and the SQL runs instead.

Memory: about 40 bytes per response (40 MB at a million), held once per data set and process. The
columns read from a saved data set's files are shared by every session of the process that opens
the same files (the key is the files' identity: device, inode, size and time), so twenty people on
the team's workspace hold one copy; the per-session part is one small array per account.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import weakref
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..filters import Filters
from ..metrics import NOT_SET
from ..roles import ROLES
from ..sql import quote_ident
from ..workspace import Workspace

ACCOUNT_DIMENSIONS = ("segment", "industry", "region", "owner")
"""The CRM's canonical dimensions: ``facts`` gives a response without an account ``(not set)``."""
_DENSE_LIMIT = 1 << 22
"""Largest (groups x accounts) table aggregated densely; a wider one is compacted first."""
_NO_DAY = np.iinfo(np.int32).min


@dataclass
class _Codes:
    """A text column as integer codes: ``codes[i]`` indexes ``labels`` (-1 for NULL)."""

    codes: np.ndarray
    labels: list[str]


@dataclass
class ResponseColumns:
    """The answers' columns, in the ``responses`` table's order (shared by sessions of one data set)."""

    rows: int
    cluster: np.ndarray  # int32: the account (codes of account_key), or the answer alone
    keyed: int  # clusters below this are accounts (account_key not NULL)
    clusters: int
    account_keys: list[str]  # the key of each keyed cluster
    day: np.ndarray  # int32 days since 1970-01-01 (_NO_DAY without a date)
    month: np.ndarray  # int32 months since 1970-01 (-1 without a date)
    nps_cat: np.ndarray  # int8: 0 no answer, 1 promoter, 2 passive, 3 detractor
    csat: np.ndarray  # float64, NaN without an answer
    ces: np.ndarray
    text: dict[str, _Codes]  # every text column of responses but identifiers and free text
    nbytes: int = 0


@dataclass
class ColumnarFacts:
    """One workspace's columns: the shared answers plus where each account sits in its CRM."""

    responses: ResponseColumns
    cluster_account: np.ndarray  # int32 per cluster: its row in accounts (-1 when not in the CRM)
    account_text: dict[str, _Codes]  # per account row, NULL already read as "(not set)"
    response_names: frozenset[str]
    account_names: frozenset[str]
    _cache: dict = field(default_factory=dict)


_SKIP = frozenset({"response_id", "account_id", "account_key", "role_label", "comment", "source_row"})
_shared: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
_per_workspace: dict[int, tuple[int, ColumnarFacts]] = {}
_lock = threading.Lock()


def columnar_facts(ws: Workspace) -> ColumnarFacts | None:
    """The workspace's columns, built on first use (None when its data cannot be read this way)."""
    with _lock:
        held = _per_workspace.get(ws.token)
        if held is not None and held[0] == ws.version:
            return held[1]
    built = _build(ws)
    if built is None:
        return None
    with _lock:
        if ws.token not in _per_workspace:
            weakref.finalize(ws, _per_workspace.pop, ws.token, None)
        _per_workspace[ws.token] = (ws.version, built)
    return built


def _files_identity(ws: Workspace) -> tuple | None:
    """The identity of the saved files a workspace's answers are read from (None: not from files)."""
    loaded = ws.loaded
    files = list(getattr(getattr(loaded, "survey", None), "files", None) or [])
    responses = [f for f in files if os.path.basename(f) == "responses.parquet"]
    if not responses:
        return None
    info = os.stat(responses[0])
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _build(ws: Workspace) -> ColumnarFacts | None:
    con = ws.con
    response_columns = {str(r[0]): str(r[1]) for r in con.execute("DESCRIBE responses").fetchall()}
    account_columns = {str(r[0]): str(r[1]) for r in con.execute("DESCRIBE accounts").fetchall()}
    accounts = con.sql("SELECT * FROM accounts").to_arrow_table()
    keys = accounts.column("account_key").to_pylist() if accounts.num_rows else []
    if len(set(keys)) != len(keys):  # facts would repeat answers: leave it to SQL
        return None
    identity = _files_identity(ws)
    shared = None
    if identity is not None:
        with _lock:
            shared = _shared.get(identity)
    if shared is None:
        shared = _read_responses(ws, response_columns)
        if identity is not None:
            with _lock:
                _shared[identity] = shared
    position = {key: i for i, key in enumerate(keys) if key is not None}
    cluster_account = np.full(shared.clusters, -1, dtype=np.int32)
    for c, key in enumerate(shared.account_keys):
        cluster_account[c] = position.get(key, -1)
    account_text = {}
    for name, kind in account_columns.items():
        if kind != "VARCHAR" or name in ("account_id", "account_key", "account_name"):
            continue
        values = accounts.column(name).to_pylist()
        labels: dict[str, int] = {}
        codes = np.array([labels.setdefault(NOT_SET if v is None else str(v), len(labels)) for v in values], np.int32)
        account_text[name] = _Codes(codes, list(labels))
    return ColumnarFacts(
        shared,
        cluster_account,
        account_text,
        frozenset(response_columns),
        frozenset(account_columns),
    )


def _read_responses(ws: Workspace, kinds: dict[str, str]) -> ResponseColumns:
    text_names = [n for n, k in kinds.items() if k == "VARCHAR" and n not in _SKIP]
    wanted = ["account_key", "submitted_at", "nps", "csat", "ces", *text_names]
    select = ", ".join(quote_ident(n) for n in wanted)
    table = ws.con.sql(f"SELECT {select} FROM responses").to_arrow_table()  # names quoted
    rows = table.num_rows
    key_codes = _dictionary(table.column("account_key"))
    cluster = key_codes.codes.astype(np.int64)
    missing = cluster < 0
    keyed = len(key_codes.labels)
    cluster[missing] = keyed + np.arange(int(missing.sum()))
    stamps = table.column("submitted_at").cast(pa.timestamp("us")).to_numpy(zero_copy_only=False)
    has_day = ~np.isnat(stamps)
    day = np.where(has_day, stamps.astype("datetime64[D]").astype(np.int64), _NO_DAY).astype(np.int32)
    month = np.where(has_day, stamps.astype("datetime64[M]").astype(np.int64), -1).astype(np.int32)
    nps = table.column("nps").cast(pa.float64()).to_numpy(zero_copy_only=False)
    nps_cat = np.zeros(rows, dtype=np.int8)
    nps_cat[nps >= 9] = 1
    nps_cat[(nps >= 7) & (nps <= 8)] = 2
    nps_cat[nps <= 6] = 3
    csat = table.column("csat").cast(pa.float64()).to_numpy(zero_copy_only=False)
    ces = table.column("ces").cast(pa.float64()).to_numpy(zero_copy_only=False)
    text = {name: _dictionary(table.column(name)) for name in text_names}
    out = ResponseColumns(
        rows=rows,
        cluster=cluster.astype(np.int32),
        keyed=keyed,
        clusters=keyed + int(missing.sum()),
        account_keys=key_codes.labels,
        day=day,
        month=month,
        nps_cat=nps_cat,
        csat=np.ascontiguousarray(csat, dtype=np.float64),
        ces=np.ascontiguousarray(ces, dtype=np.float64),
        text=text,
    )
    out.nbytes = sum(a.nbytes for a in (out.cluster, day, month, nps_cat, out.csat, out.ces)) + sum(
        c.codes.nbytes for c in text.values()
    )
    return out


def _dictionary(column: pa.ChunkedArray) -> _Codes:
    encoded = pc.dictionary_encode(column.cast(pa.string())).combine_chunks()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    small = np.int16 if len(encoded.dictionary) < 32_000 else np.int32
    return _Codes(codes.astype(small), [str(v) for v in encoded.dictionary.to_pylist()])


# --- one filter change ------------------------------------------------------------------------------------


@dataclass
class _Grouping:
    """A grouping's codes and the label of each code: per account (``per_account``: one code per
    cluster) or per selected answer."""

    codes: np.ndarray
    labels: list
    per_account: bool = False


def segment_sets(
    ws: Workspace,
    filters: Filters,
    dimension: str,
    row_dim: str,
    col_dim: str,
    grain: str,
    weights: dict[str, float],
    score_names: tuple[str, ...],
) -> dict[str, list[dict]] | None:
    """The records :func:`cx_core.segments.view._aggregate` returns, computed from the columns
    (None when the SQL has to answer: answers restricted to listed responses, an unknown column)."""
    if filters.restricted:
        return None
    facts = columnar_facts(ws)
    if facts is None:
        return None
    names = (dimension, row_dim, col_dim, "segment", "respondent_role", *(n for n, _ in filters.dims))
    if any(_place(facts, n) is None for n in names):
        return None
    r = facts.responses
    selected = _selection(facts, filters)
    cat = r.nps_cat[selected]
    by_name = {
        n: _grouping(facts, n, selected)
        for n in dict.fromkeys((dimension, "segment", "respondent_role", row_dim, col_dim))
    }
    dim, seg, role, row, col = (by_name[n] for n in (dimension, "segment", "respondent_role", row_dim, col_dim))
    sets: dict[str, list[dict]] = {"group": [], "heatmap": [], "crosstab": [], "trend": [], "total": []}
    cells = None
    if selected.size:
        cells = _Cells(r.cluster[selected], r.clusters, cat, r.csat[selected], r.ces[selected])
        sets["heatmap"] = cells.records([seg, role], lambda x: (x[0], x[1], None))  # first: its table serves others
        sets["group"] = cells.records([dim], lambda x: (x[0], None, None))
        sets["crosstab"] = cells.records([row, col], lambda x: (x[0], x[1], None))
        sets["trend"] = cells.records([_periods(r.month[selected], grain)], lambda x: (None, None, x[0]))
        sets["total"] = cells.records([], lambda x: (None, None, None))
    bins, summary = _account_weights(facts, cells, role, weights)
    sets["account_bin"] = bins
    sets["account_summary"] = summary
    for records in sets.values():
        for record in records:
            for name in ("a", "b", "period", "bin", "value", *score_names):
                record.setdefault(name, None)
    return sets


def _place(facts: ColumnarFacts, name: str) -> str | None:
    if name in facts.response_names:
        return "response" if name in facts.responses.text else None
    if name in facts.account_names and name in facts.account_text:
        return "account"
    return None


def _selection(facts: ColumnarFacts, filters: Filters) -> np.ndarray:
    r = facts.responses
    mask = np.ones(r.rows, dtype=bool)
    if filters.date_from:
        mask &= r.day >= (filters.date_from - dt.date(1970, 1, 1)).days
    if filters.date_to:
        mask &= (r.day <= (filters.date_to - dt.date(1970, 1, 1)).days) & (r.day != _NO_DAY)
    for name, values in filters.dims:
        wanted = set(values)
        if _place(facts, name) == "response":
            codes = r.text[name]
            allowed = np.array([label in wanted for label in codes.labels] + [False], dtype=bool)
            mask &= allowed[codes.codes]  # -1 (NULL) reads the last entry: never selected
        else:
            codes = facts.account_text[name]
            allowed = np.array([label in wanted for label in codes.labels] + [NOT_SET in wanted], dtype=bool)
            mask &= allowed[_cluster_codes(facts, codes)[r.cluster]]
    return np.flatnonzero(mask)


def _cluster_codes(facts: ColumnarFacts, codes: _Codes) -> np.ndarray:
    """Per cluster, the code of its account's value; a cluster without an account in the CRM gets
    ``len(labels)`` (read as "(not set)", as ``facts`` does)."""
    key = ("cluster_codes", id(codes))
    per_cluster = facts._cache.get(key)
    if per_cluster is None:
        padded = np.append(codes.codes, np.int32(len(codes.labels)))
        per_cluster = padded[facts.cluster_account]  # -1 (no account) reads the padding
        facts._cache[key] = per_cluster
    return per_cluster


def _grouping(facts: ColumnarFacts, name: str, selected: np.ndarray) -> _Grouping:
    """Group codes by ``coalesce(name, '(not set)')``: per account for a CRM column, else per
    selected answer."""
    if _place(facts, name) == "response":
        codes = facts.responses.text[name]
    else:
        codes = facts.account_text[name]
    labels = [*codes.labels, NOT_SET]  # the last code: NULL, or no account
    merged: dict[str, int] = {}
    remap = np.array([merged.setdefault(label, len(merged)) for label in labels], dtype=np.int64)
    if _place(facts, name) == "response":
        return _Grouping(remap[codes.codes[selected]], list(merged))  # NULL (-1) reads the last entry
    return _Grouping(remap[_cluster_codes(facts, codes)], list(merged), per_account=True)


def _periods(month: np.ndarray, grain: str) -> _Grouping:
    """Period codes (months, or quarters) from the first; answers without a date in the last code."""
    dated = month >= 0
    unit = np.where(dated, month // 3 if grain == "quarter" else month, 0)
    first = int(unit[dated].min()) if dated.any() else 0
    span = int(unit[dated].max()) - first + 1 if dated.any() else 0
    codes = np.where(dated, unit - first, span).astype(np.int64)
    step = 3 if grain == "quarter" else 1
    labels: list = []
    for k in range(span):
        months = (first + k) * step
        labels.append(dt.datetime(1970 + months // 12, months % 12 + 1, 1))
    labels.append(None)
    return _Grouping(codes, labels)


class _Cells:
    """The selected answers' sums per (answer-level group, account) cell, and per group from them.

    Every score needs its sums per group and account (cx_core.clustered). A grouping by a CRM
    column is a grouping of accounts, so its cells are the accounts' own: only the answer-level
    part of a grouping (role, period, touchpoint...) needs a pass over the answers, and the
    segment x role heatmap and the region x role cross-tab share the (role, account) cells.
    """

    _SUMS = ("n", "promoters", "passives", "detractors") + tuple(
        f"{m}_{part}" for m in ("csat", "ces") for part in ("n", "sum", "sq", "top")
    )

    def __init__(self, cluster, clusters: int, cat, csat, ces):
        self.cluster = cluster.astype(np.int64)
        self.clusters = clusters
        self.cat = cat
        self.means = {"csat": (csat, 4.0), "ces": (ces, 6.0)}  # view.py: inner_columns(4.0, 6.0)
        self._tables: dict[int, tuple] = {}  # id(part) -> (part, sums, codes, clusters)

    def _table(self, part: _Grouping | None) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        """Sums per cell, and each cell's answer-level code and cluster."""
        key = id(part)  # the part is kept with its table below, so its id is not reused meanwhile
        if key in self._tables:
            return self._tables[key][1:]
        dense = next(
            (t for t in self._tables.values() if t[0] is not None and t[2].size == len(t[0].labels) * self.clusters),
            None,
        )
        if part is None and dense is not None:  # per account: the sum of a dense table's rows
            sums = {name: v.reshape(-1, self.clusters).sum(axis=0) for name, v in dense[1].items()}
            codes, clusters = np.zeros(self.clusters, np.int64), np.arange(self.clusters)
            self._tables[key] = (part, sums, codes, clusters)
            return sums, codes, clusters
        if part is None:
            index, cells = self.cluster, self.clusters
            codes, clusters = np.zeros(cells, np.int64), np.arange(cells)
        elif len(part.labels) * self.clusters <= _DENSE_LIMIT:
            index = part.codes * self.clusters + self.cluster
            cells = len(part.labels) * self.clusters
            codes, clusters = np.divmod(np.arange(cells), self.clusters)
        else:  # many values: only the cells that occur
            unique, index = np.unique(part.codes * self.clusters + self.cluster, return_inverse=True)
            cells = unique.size
            codes, clusters = np.divmod(unique, self.clusters)

        def add(weights=None):
            return np.bincount(index, weights, minlength=cells).astype(np.float64, copy=False)

        sums = {
            "n": add(),
            "promoters": add(self.cat == 1),
            "passives": add(self.cat == 2),
            "detractors": add(self.cat == 3),
        }
        for name, (values, top) in self.means.items():
            answered = ~np.isnan(values)
            clean = np.where(answered, values, 0.0)
            sums[f"{name}_n"] = add(answered)
            sums[f"{name}_sum"] = add(clean)
            sums[f"{name}_sq"] = add(clean * clean)
            sums[f"{name}_top"] = add(answered & (values >= top))
        self._tables[key] = (part, sums, codes, clusters)
        return sums, codes, clusters

    def records(self, parts: list[_Grouping], label) -> list[dict]:
        """One record per group of ``parts`` with answers (``label`` makes (a, b, period) of the
        parts' labels)."""
        answer_parts = [p for p in parts if not p.per_account]
        part = answer_parts[0] if answer_parts else None
        if len(answer_parts) == 2:  # e.g. role x touchpoint: one combined answer-level part
            first, second = answer_parts
            part = _Grouping(
                first.codes * len(second.labels) + second.codes, [None] * (len(first.labels) * len(second.labels))
            )
        sums, answer_codes, clusters = self._table(part)
        decoded = {id(p): answer_codes for p in answer_parts}
        if len(answer_parts) == 2:
            decoded = dict(
                zip(map(id, answer_parts), np.divmod(answer_codes, len(answer_parts[1].labels)), strict=True)
            )
        widths = [len(p.labels) for p in parts]
        group = np.zeros(answer_codes.size, np.int64)
        for p, width in zip(parts, widths, strict=True):
            group = group * width + (p.codes[clusters] if p.per_account else decoded[id(p)])
        groups = int(np.prod(widths)) if widths else 1

        rows_are_groups = (
            not parts or (len(parts) == 1 and part is parts[0])
        ) and answer_codes.size == groups * self.clusters

        def per_group(values):
            if rows_are_groups:  # a dense table whose rows are the groups: sum each row
                return values.reshape(groups, self.clusters).sum(axis=1)
            return np.bincount(group, values, minlength=groups)

        answered = sums["promoters"] + sums["passives"] + sums["detractors"]
        net = sums["promoters"] - sums["detractors"]
        out = {name: per_group(sums[name]) for name in self._SUMS}
        out |= {
            "nps_k": per_group((answered > 0) * 1.0),
            "nps_cy2": per_group(net * net),
            "nps_cny": per_group(answered * net),
            "nps_cn2": per_group(answered * answered),
        }
        for name in ("csat", "ces"):
            count, total = sums[f"{name}_n"], sums[f"{name}_sum"]
            out[f"{name}_k"] = per_group((count > 0) * 1.0)
            out[f"{name}_cy2"] = per_group(total * total)
            out[f"{name}_cny"] = per_group(count * total)
            out[f"{name}_cn2"] = per_group(count * count)
        records = []
        for g in np.flatnonzero(out["n"]):
            position, picked = int(g), []
            for width in reversed(widths):
                position, k = divmod(position, width)
                picked.append(k)
            values = [p.labels[k] for p, k in zip(parts, reversed(picked), strict=True)]
            a, b, period = label(values)
            record: dict = {"a": a, "b": b, "period": period, "bin": None, "value": None}
            for name, column in out.items():
                value = column[g]
                record[name] = int(round(value)) if name in _COUNTS else float(value)
            for name in ("csat", "ces"):
                if not record[f"{name}_n"]:  # SQL's sum over no answers is NULL
                    for part_name in ("sum", "sq", "cy2", "cny"):
                        record[f"{name}_{part_name}"] = None
            records.append(record)
        return records


_COUNTS = frozenset(
    {"n", "promoters", "passives", "detractors", "nps_k", "csat_n", "csat_top", "csat_k", "ces_n", "ces_top", "ces_k"}
)


def _account_weights(
    facts: ColumnarFacts, cells: _Cells | None, role: _Grouping, weights: dict[str, float]
) -> tuple[list[dict], list[dict]]:
    """Accounts per 10-point bin of role-weighted NPS, and (count, median): the SQL's ``by_role``,
    ``accounts`` and ``rated`` steps (:func:`cx_core.weighting.weighted_account_nps`), from the
    (role, account) sums of the heatmap."""
    r = facts.responses
    if cells is None:
        return [], [{"n": 0, "bin": None, "value": None}]
    sums, codes, clusters = cells._table(role)
    keyed = clusters < r.keyed  # answers without an account count for no account
    kinds = len(ROLES)
    cells_count = r.keyed * kinds
    answered_all = sums["promoters"] + sums["passives"] + sums["detractors"]
    net_all = sums["promoters"] - sums["detractors"]
    role_index = np.array([ROLES.index(lab) if lab in ROLES else -1 for lab in role.labels], np.int64)[codes]
    take = keyed & (role_index >= 0)
    target = clusters[take] * kinds + role_index[take]
    answered = np.bincount(target, answered_all[take], minlength=cells_count)
    net = np.bincount(target, net_all[take], minlength=cells_count)
    present = np.bincount(target, sums["n"][take], minlength=cells_count) > 0
    rated_role = present & (answered > 0)
    role_nps = np.divide(100.0 * net, answered, out=np.zeros(cells_count), where=answered > 0)
    weight = np.tile(np.array([float(weights[x]) for x in ROLES]), r.keyed)
    w_sum = np.where(rated_role, weight, 0.0).reshape(r.keyed, kinds).sum(axis=1)
    wx_sum = np.where(rated_role, weight * role_nps, 0.0).reshape(r.keyed, kinds).sum(axis=1)
    in_roles = present.reshape(r.keyed, kinds).any(axis=1)
    rated = in_roles & (w_sum > 0)
    ratio = wx_sum[rated] / w_sum[rated]
    wnps = np.sign(ratio) * np.floor(np.abs(ratio) * 1e6 + 0.5) / 1e6  # DuckDB's round(x, 6): halves away from 0
    if not wnps.size:
        return [], [{"n": 0, "bin": None, "value": None}]
    bins = np.minimum(np.floor((wnps + 100) / 10), 19).astype(np.int64)
    counts = np.bincount(bins, minlength=20)
    bin_records = [{"n": int(counts[b]), "bin": int(b), "value": None} for b in np.flatnonzero(counts)]
    return bin_records, [{"n": int(wnps.size), "bin": None, "value": float(np.median(wnps))}]
