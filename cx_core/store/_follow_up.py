"""Lay the shared follow-up record over a freshly computed follow-up list."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ._store import FollowUpRecord


def apply_records(items: pd.DataFrame, records: Mapping[str, FollowUpRecord]) -> pd.DataFrame:
    """``items`` (columns of :func:`cx_core.accounts.follow_up_list`) with each saved item's done,
    note, reassigned owner and changed due date. Items are matched by their stable id
    (``response:<id>`` / ``account:<key>``), so a reloaded data set keeps its record."""
    if items.empty or not records:
        return items
    out = items.copy()
    ids = out["item_id"].tolist()
    saved = [records.get(i) for i in ids]
    out["done"] = [bool(r.done) if r else bool(d) for r, d in zip(saved, out["done"], strict=True)]
    out["note"] = [r.note if r else n for r, n in zip(saved, out["note"], strict=True)]
    out["owner"] = [r.owner if r and r.owner else o for r, o in zip(saved, out["owner"], strict=True)]
    out["due_date"] = [r.due_date if r and r.due_date else d for r, d in zip(saved, out["due_date"], strict=True)]
    return out
