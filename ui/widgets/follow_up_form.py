"""The follow-up record as a team's shared record: a form with a Save button, conflicts shown with
both versions, and each item's history.

Saved straight to the workspace store (the session's data is saved as a draft workspace on the
first save, so a refresh keeps it). Each edit names the version it started from; when someone saved
the item since, nothing is overwritten and both versions are shown to choose from.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from cx_core import CXError, Workspace, t
from cx_core.errors import FollowUpConflictError, WorkspaceNotFoundError
from cx_core.report.charts import wrap_text
from cx_core.store import MAX_NOTE_CHARS, UNSET, FollowUpRecord, apply_records
from cx_core.workspace_file import FOLLOW_UP_TABLE, attach_table

from ..sync.identity import actor, identity_widget, may_use_store, store_user
from ..sync.workspaces import current, ensure_saved, error_text, forget, get_store
from .render import md_escape, money_label

ITEM_KEY = "follow_up_item"
SAVE_KEY = "follow_up_save"
_RECORDS_KEY = "_cx_follow_up_records"  # (workspace id, {item_id: FollowUpRecord}) of this run
_BASE_KEY = "_cx_follow_up_base"  # (workspace id, item_id) -> the FollowUpRecord the form started from
_LAST_ITEM_KEY = "_cx_follow_up_last_item"
_CONFLICT_KEY = "_cx_follow_up_conflict"
_FLASH_KEY = "_cx_follow_up_flash"
_MIRRORED_KEY = "_cx_follow_up_mirrored"  # (workspace token, version, rows) last written to the session's database
_PICKED_KEY = "_cx_follow_up_picked"  # the table row picked last, so a pick from the dropdown is kept

#: The follow-up table at 1280 px (main column ~820 px, 36 of them the row picker): whom, why, what, by when and done first,
#: each wide enough that its text wraps onto lines instead of running off; the rest further right.
#: The comment is not a column: it can be long, and the picked item shows it whole under the table.
GRID_WIDTHS = {
    "account_name": 120,
    "reason": 250,
    "action": 200,
    "due_date": 90,
    "done": 60,
    "owner": 130,
    "kind": 110,
    "note": 220,
    "risk": 80,
    "arr": 110,
    "account_id": 110,
}
_CELL_FONT_PX, _CELL_LINE_PX, _CELL_PAD_PX = 14, 21, 24
_MAX_CELL_LINES = 8
_GRID_ROWS = 6  # rows in view; the table scrolls inside for more


def follow_up_grid(shown: pd.DataFrame, labels: dict[str, str], lang: str) -> dict:
    """Arguments of ``st.dataframe`` for the follow-up list: columns in :data:`GRID_WIDTHS` order and
    width, and rows tall enough for the longest "Why" and action to wrap in full (no cut cells)."""
    config = st.column_config
    column_config: dict = {
        name: config.TextColumn(labels.get(name, name), width=width) for name, width in GRID_WIDTHS.items()
    }
    column_config["due_date"] = config.DateColumn(labels.get("due_date"), width=GRID_WIDTHS["due_date"])
    column_config["done"] = config.CheckboxColumn(labels.get("done"), width=GRID_WIDTHS["done"])
    column_config["arr"] = config.NumberColumn(
        money_label(labels.get("arr", "ARR"), lang), format="%,.0f", width=GRID_WIDTHS["arr"]
    )
    lines = 1
    for name in ("reason", "action", "account_name"):
        if name in shown.columns:
            width = GRID_WIDTHS[name] - _CELL_PAD_PX
            for text in shown[name].dropna().astype(str).unique():
                lines = max(lines, len(wrap_text(text, width, _CELL_FONT_PX)))
    row_height = min(lines, _MAX_CELL_LINES) * _CELL_LINE_PX + 12
    return {
        "hide_index": True,
        "column_order": [c for c in GRID_WIDTHS if c in shown.columns],
        "column_config": column_config,
        "row_height": row_height,
        "height": min(max(len(shown), 1), _GRID_ROWS) * row_height + 40,
        "placeholder": "—",
    }


def shared_follow_up(ws: Workspace, items: pd.DataFrame) -> pd.DataFrame:
    """``items`` with the saved record of this session's workspace laid over (as saved by anyone)."""
    entry = current()
    store = get_store()
    if entry is None or store is None or not may_use_store():
        st.session_state.pop(_RECORDS_KEY, None)
        return items
    try:
        records = store.follow_up(entry["id"], store_user())
    except WorkspaceNotFoundError:  # deleted by someone else meanwhile
        forget()
        return items
    st.session_state[_RECORDS_KEY] = (entry["id"], records)
    # the session's own database mirrors the record, so a workspace file (.cxw) carries it too
    rows = [
        (r.item_id, r.done, r.note, r.updated_at.replace(tzinfo=None) if r.updated_at else None)
        for r in records.values()
    ]
    # written only when the record changed: writing marks the workspace changed (ws.touch), which
    # makes every page compute its memoised view again
    mirrored = (ws.token, ws.version, tuple(rows))
    if rows and st.session_state.get(_MIRRORED_KEY) != mirrored:
        attach_table(ws, FOLLOW_UP_TABLE, pd.DataFrame(rows, columns=["item_id", "done", "note", "updated_at"]))
        st.session_state[_MIRRORED_KEY] = (ws.token, ws.version, tuple(rows))
    return apply_records(items, records)


def list_scope(lang: str) -> None:
    """Say whose list this is: the team's, saved in a named workspace everyone opens, or a draft only
    this page's link opens (then how to share it)."""
    from ..sync.identity import auth_configured
    from ..sync.session import dataset_name
    from ..sync.workspaces import SHARED_SAMPLE_NAME, shown_name

    entry = current()
    if not may_use_store() or get_store() is None:
        return
    if entry is None and dataset_name() == "sample" and not auth_configured():
        name = SHARED_SAMPLE_NAME  # the first save creates the team's shared sample (ui.sync.workspaces)
    elif entry is not None and entry["listed"]:
        name = entry["name"]
    else:
        if entry is not None:
            st.warning(t("fu.scope_draft", lang))
        return
    st.caption(t("fu.scope_team", lang, name=md_escape(shown_name(name, lang))))


def _records() -> tuple[str | None, dict[str, FollowUpRecord]]:
    saved = st.session_state.get(_RECORDS_KEY)
    entry = current()
    if saved is None or entry is None or saved[0] != entry["id"]:
        return (entry["id"] if entry else None), {}
    return saved


def _slot(item_id: str, version: int) -> str:
    return hashlib.sha256(f"{item_id}\x00{version}".encode()).hexdigest()[:12]


def _label(row: dict, lang: str) -> str:
    mark = "✓ " if row["done"] else ""
    who = row.get("account_name") or row.get("account_id") or ""
    kind = t(f"follow_up.kind.{row['kind']}", lang)
    reason = " ".join(str(row.get("reason") or "").split())
    return f"{mark}{who} · {kind} · {reason[:70]}"


def _value_text(field: str, value, lang: str) -> str:
    if field == "done":
        return t("fu.yes", lang) if value else t("fu.no", lang)
    if value is None or value == "":
        return "—"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def follow_up_form(view: pd.DataFrame, original: pd.DataFrame, lang: str, *, picked: str | None = None) -> None:
    """The form for one item of ``view`` (the rows shown; ``original`` holds the data's own owner
    and due date of each item, before any reassignment); ``picked``: the item of the table's
    selected row, which the form opens when the selection changes."""
    st.subheader(t("fu.form_heading", lang), anchor=False)
    st.caption(t("fu.shared_caption", lang))
    identity_widget(lang, key="follow_up")
    if not may_use_store() or view.empty:
        return
    saved_version = st.session_state.pop(_FLASH_KEY, None)
    if saved_version is not None:
        st.success(t("fu.saved", lang, version=int(saved_version)))
    rows = {r["item_id"]: r for r in view.to_dict("records")}
    data_rows = original.set_index("item_id")
    if picked != st.session_state.get(_PICKED_KEY):  # a row clicked in the table: the form opens it
        st.session_state[_PICKED_KEY] = picked
        if picked in rows:
            st.session_state[ITEM_KEY] = picked
    if st.session_state.get(ITEM_KEY) not in rows:
        st.session_state.pop(ITEM_KEY, None)  # filtered out: the first item shown
    st.caption(t("fu.pick_help", lang))
    item_id = st.selectbox(t("fu.pick", lang), list(rows), format_func=lambda i: _label(rows[i], lang), key=ITEM_KEY)
    _details(rows[item_id], lang)
    workspace_id, records = _records()
    latest = records.get(item_id) or FollowUpRecord(
        item_id, done=bool(rows[item_id]["done"]), note=rows[item_id]["note"]
    )
    bases = st.session_state.setdefault(_BASE_KEY, {})
    base_key = (workspace_id, item_id)
    # the form starts from the saved state when an item is picked; it keeps that starting point
    # (and what the person typed) until Save, so a concurrent save shows up as a conflict
    if st.session_state.get(_LAST_ITEM_KEY) != base_key or base_key not in bases:
        bases[base_key] = latest
    st.session_state[_LAST_ITEM_KEY] = base_key
    base = bases[base_key]

    conflict = st.session_state.get(_CONFLICT_KEY)
    if conflict is not None and conflict["key"] == base_key:
        _show_conflict(conflict, lang)
    else:
        _form(item_id, base, data_rows.loc[item_id], lang)
    _history(item_id, lang)


def _details(row: dict, lang: str) -> None:
    """The picked item's why and comment in full (the table wraps them; a long comment is only here)."""
    with st.container(border=True, key="follow_up_details"):
        for field in ("reason", "action", "comment"):
            value = row.get(field)
            if isinstance(value, str) and value.strip():
                st.markdown(f"**{md_escape(t(f'follow_up.col.{field}', lang))}**: {md_escape(value)}")


def _form(item_id: str, base: FollowUpRecord, data_row, lang: str) -> None:
    data_owner = data_row["owner"] if isinstance(data_row["owner"], str) else ""
    data_due = data_row["due_date"] if isinstance(data_row["due_date"], dt.date) else None
    shown_owner = base.owner or data_owner
    shown_due = base.due_date or data_due
    slot = _slot(item_id, base.version)
    with st.form("follow_up_form", clear_on_submit=False):
        c1, c2, c3 = st.columns([1, 2, 2])
        done = c1.checkbox(t("fu.done", lang), value=base.done, key=f"fu_done_{slot}")
        owner = c2.text_input(t("fu.owner", lang), value=shown_owner, key=f"fu_owner_{slot}", max_chars=320)
        due = c3.date_input(t("fu.due", lang), value=shown_due, key=f"fu_due_{slot}")
        note = st.text_area(t("fu.note", lang), value=base.note or "", key=f"fu_note_{slot}", max_chars=MAX_NOTE_CHARS)
        submitted = st.form_submit_button(t("fu.save", lang), key=SAVE_KEY, type="primary")
    if not submitted:
        return
    changes: dict = {}
    if bool(done) != base.done:
        changes["done"] = bool(done)
    if (note or "").strip() != (base.note or ""):
        changes["note"] = note
    typed_owner = (owner or "").strip()
    if typed_owner != shown_owner:
        changes["owner"] = None if typed_owner in ("", data_owner) else typed_owner
    if isinstance(due, dt.date) and due != shown_due:
        changes["due_date"] = None if due == data_due else due
    if not changes:
        st.info(t("fu.unchanged", lang))
        return
    _save(item_id, base, changes, lang)


def _save(item_id: str, base: FollowUpRecord, changes: dict, lang: str, *, expected: int | None = None) -> None:
    from ..sync.workspaces import get_workspace

    store = get_store()
    if store is None:
        st.warning(t("store.unavailable", lang))
        return
    try:
        entry = ensure_saved(get_workspace())
        if entry is None:
            st.warning(t("store.unavailable", lang))
            return
        conflict_key = (entry["id"], item_id)
        record = store.update_follow_up(
            entry["id"],
            item_id,
            expected_version=base.version if expected is None else expected,
            by=actor(),
            user=store_user(),
            **{k: changes.get(k, UNSET) for k in ("done", "note", "owner", "due_date")},
        )
    except FollowUpConflictError as exc:
        st.session_state[_CONFLICT_KEY] = {
            "key": conflict_key,
            "item_id": item_id,
            "mine": {**base.values(), **changes},
            "changes": changes,
            "theirs": exc.theirs,
        }
        st.rerun()
    except CXError as exc:
        st.error(md_escape(error_text(exc, lang)))
        return
    st.session_state.setdefault(_BASE_KEY, {})[(entry["id"], item_id)] = record
    st.session_state.pop(_CONFLICT_KEY, None)
    st.session_state[_FLASH_KEY] = record.version  # said on the next run
    st.rerun()


def _show_conflict(conflict: dict, lang: str) -> None:
    theirs: FollowUpRecord = conflict["theirs"]
    when = theirs.updated_at.strftime("%Y-%m-%d %H:%M UTC") if theirs.updated_at else "—"
    with st.container(border=True, key="follow_up_conflict"):
        st.warning(
            t("fu.conflict", lang, who=md_escape(theirs.updated_by or t("who.anonymous", lang)), at=md_escape(when))
        )
        left, right = st.columns(2)
        for column, title, values, key in (
            (left, t("fu.theirs", lang), theirs.values(), "follow_up_theirs"),
            (right, t("fu.mine", lang), conflict["mine"], "follow_up_mine"),
        ):
            with column.container(border=True, key=key):
                st.markdown(f"**{md_escape(title)}**")
                for field in ("done", "owner", "due_date", "note"):
                    st.text(
                        f"{t('fu.' + ('due' if field == 'due_date' else field), lang)}: {_value_text(field, values.get(field), lang)}"
                    )
        c1, c2, _ = st.columns([1, 1, 3])
        if c1.button(t("fu.keep_mine", lang), key="follow_up_keep_mine", type="primary"):
            _save(conflict["item_id"], theirs, conflict["changes"], lang, expected=theirs.version)
        if c2.button(t("fu.keep_theirs", lang), key="follow_up_keep_theirs"):
            st.session_state.setdefault(_BASE_KEY, {})[conflict["key"]] = theirs
            st.session_state.pop(_CONFLICT_KEY, None)
            st.rerun()


def _history(item_id: str, lang: str) -> None:
    entry = current()
    store = get_store()
    if entry is None or store is None:
        return
    with st.expander(t("fu.history", lang)):
        try:
            history = store.follow_up_history(entry["id"], item_id, user=store_user())
        except CXError as exc:
            st.error(md_escape(str(exc)))
            return
        if not history:
            st.caption(t("fu.history_empty", lang))
            return
        rows = []
        for h in reversed(history[-20:]):
            if h.changes.get("imported"):
                what = t("fu.imported", lang)
            else:
                what = "; ".join(
                    t(
                        "fu.field_value",
                        lang,
                        field=t("fu." + ("due" if f == "due_date" else f), lang),
                        old=_value_text(f, old, lang),
                        new=_value_text(f, new, lang),
                    )
                    for f, (old, new) in h.changes.items()
                )
            rows.append(
                {
                    t("fu.col.at", lang): h.at.strftime("%Y-%m-%d %H:%M UTC"),
                    t("fu.col.by", lang): h.by or t("who.anonymous", lang),
                    t("fu.col.what", lang): what,
                }
            )
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="follow_up_history")
