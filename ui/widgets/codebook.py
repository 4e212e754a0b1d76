"""The team's codebook on the Themes page: the themes every view shows, the edit panel, the Uncoded view.

A workspace with a saved codebook shows its themes coded by it (same ids and names on every wave,
whatever the engine or an LLM says); without one, the engine's themes are shown and the first edit
saves the engine's proposal as version 1 and the edit as version 2. Edits go straight to the store
with who and when; a concurrent edit of the same themes shows both versions (keep mine / theirs).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from cx_core import CXError, Workspace, t
from cx_core.codebook import (
    Codebook,
    CodedThemes,
    apply_codebook,
    codebook_from_json,
    keep_mine,
    propose_codebook,
    save_edit,
    search_comments,
    search_terms,
    undo,
)
from cx_core.errors import CodebookConflictError, error_text
from cx_core.store import CodebookVersion, codebook_history
from cx_core.themes import CommentRecord, ThemeResult

from ..sync.identity import actor, may_use_store, store_user
from ..sync.session import session_memo
from ..sync.workspaces import current, ensure_saved, get_store
from .render import md_escape

CODED_SLOT = "codebook:coded"  #: this session's coded themes by (comments, codebook)
_CONFLICT_KEY = "_cx_codebook_conflict"
_FLASH_KEY = "_cx_codebook_flash"
_BASE_KEY = "_cx_codebook_base"  # (workspace id, what is being edited, version, codebook) when the edit began
MAX_LISTED = 200  # comments offered in a picker at most (a search narrows them)


@dataclass
class CodebookView:
    """What the Themes page shows under the workspace's codebook."""

    result: ThemeResult
    codebook: Codebook
    version: int
    saved: CodebookVersion | None
    key_to_id: dict[str, str]
    coded: CodedThemes | None = None
    comments: dict[str, str] = field(default_factory=dict)

    @property
    def id_to_key(self) -> dict[str, str]:
        return {v: k for k, v in self.key_to_id.items()}

    def current(self, rids) -> dict[str, list[str]]:
        """Each comment's themes now, as codebook ids (what a move starts from)."""
        return {r: [self.key_to_id.get(k, k) for k in self.result.assignments.get(r, [])] for r in rids}

    @property
    def uncoded_ids(self) -> list[str]:
        if self.coded is not None:
            return self.coded.uncoded_ids
        return sorted(r for r, keys in self.result.assignments.items() if not keys)

    @property
    def coverage(self) -> float:
        return self.coded.coverage if self.coded is not None else round(1 - self.result.uncovered_share, 4)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _comments_key(comments: list[CommentRecord]) -> str:
    digest = hashlib.sha256()
    for c in comments:
        digest.update(f"{c.response_id}\x1f{c.text}\x1f{c.nps}\x1e".encode())
    return digest.hexdigest()


def _saved() -> tuple[Codebook | None, int, CodebookVersion | None]:
    entry = current()
    store = get_store()
    if entry is None or store is None or not may_use_store():
        return None, 0, None
    try:
        history = codebook_history(store, entry["id"], store_user())
    except CXError:
        return None, 0, None
    if not history:
        return None, 0, None
    latest = history[-1]
    return codebook_from_json(json.dumps(latest.codebook)), latest.version, latest


def codebook_view(ws: Workspace, comments: list[CommentRecord], result: ThemeResult) -> CodebookView:
    """The themes to show: coded by the workspace's saved codebook, else the engine's ``result``."""
    saved, version, latest = _saved()
    texts = {c.response_id: str(c.text) for c in comments}
    if saved is None:
        proposal = session_memo(
            "codebook:proposal",
            (_comments_key(comments), result.engine, tuple(t.label for t in result.themes)),
            lambda: propose_codebook(result, comments),
            keep=2,
        )
        key_to_id = {th.key: proposal.themes[i].id for i, th in enumerate(result.themes)}
        return CodebookView(result, proposal, 0, None, key_to_id, None, texts)
    coded = session_memo(
        CODED_SLOT,
        (_comments_key(comments), _hash(saved.to_json())),
        lambda: apply_codebook(saved, comments, engine_result=result),
        keep=2,
    )
    return CodebookView(coded.result, saved, version, latest, {k: k for k in saved.ids}, coded, texts)


def themes_for(ws: Workspace, comments: list[CommentRecord], result: ThemeResult) -> tuple[ThemeResult, str]:
    """The themes other pages show (Account page...): coded by the saved codebook when there is one,
    and a tag naming the codebook version (for a page's memo key)."""
    view = codebook_view(ws, comments, result)
    return view.result, f"codebook:{view.version}"


def coverage_caption(view: CodebookView, lang: str) -> None:
    n = view.result.n_substantive - (len(view.coded.set_aside_ids) if view.coded else 0)
    st.caption(
        t(
            "cb.coverage",
            lang,
            coverage=f"{100 * view.coverage:.1f}%",
            n=f"{n:,}",
            uncoded=f"{len(view.uncoded_ids):,}",
        )
    )


# --- saving ------------------------------------------------------------------------------------


def _save(view: CodebookView, edit: dict, lang: str) -> None:
    from ..sync.workspaces import get_workspace

    store = get_store()
    entry = ensure_saved(get_workspace()) if store is not None and may_use_store() else None
    if store is None or entry is None:
        st.warning(t("cb.no_store", lang))
        return
    # the edit started from the version shown when the person picked what to edit, not from one
    # someone saved since (typing reruns the page): a newer one is re-applied on top or a conflict
    began = st.session_state.get(_BASE_KEY)
    base, base_version = view.codebook, view.version
    if began is not None and began[0] == entry["id"] and began[2] <= view.version:
        base_version, base = began[2], began[3]
    try:
        saved = save_edit(store, entry["id"], edit, base=base, base_version=base_version, by=actor(), user=store_user())
    except CodebookConflictError as conflict:
        st.session_state[_CONFLICT_KEY] = {"mine": conflict.mine, "theirs": conflict.theirs, "edit": conflict.edit}
        st.rerun()
    except CXError as exc:
        st.error(md_escape(error_text(exc, lang)))
        return
    st.session_state.pop(_CONFLICT_KEY, None)
    st.session_state.pop(_BASE_KEY, None)
    st.session_state[_FLASH_KEY] = ("cb.saved", saved.version)
    st.rerun()


def _show_conflict(conflict: dict, lang: str) -> None:
    theirs: CodebookVersion = conflict["theirs"]
    mine: Codebook = conflict["mine"]
    when = md_escape(theirs.at.strftime("%Y-%m-%d %H:%M UTC")) if theirs.at else "—"
    with st.container(border=True, key="codebook_conflict"):
        st.warning(t("cb.conflict", lang, who=md_escape(theirs.by or t("who.anonymous", lang)), at=when))
        left, right = st.columns(2)
        their_labels = [th["label"] for th in theirs.codebook.get("themes", [])]
        for column, title, labels, key in (
            (left, t("cb.theirs", lang), their_labels, "codebook_theirs"),
            (right, t("cb.mine", lang), [th.label for th in mine.themes], "codebook_mine"),
        ):
            with column.container(border=True, key=key):
                st.markdown(f"**{md_escape(title)}**")
                st.dataframe(pd.DataFrame({t("cb.col.theme", lang): labels}), hide_index=True)
        c1, c2, _ = st.columns([1, 1, 3])
        if c1.button(t("cb.keep_mine", lang), key="codebook_keep_mine", type="primary"):
            store, entry = get_store(), current()
            if store is not None and entry is not None:
                try:
                    saved = keep_mine(
                        store,
                        entry["id"],
                        mine,
                        conflict["edit"],
                        over=theirs.version,
                        theirs=theirs.codebook,
                        by=actor(),
                        user=store_user(),
                    )
                    st.session_state[_FLASH_KEY] = ("cb.saved", saved.version)
                except CodebookConflictError as again:
                    st.session_state[_CONFLICT_KEY] = {"mine": mine, "theirs": again.theirs, "edit": conflict["edit"]}
                    st.rerun()
            st.session_state.pop(_CONFLICT_KEY, None)
            st.session_state.pop(_BASE_KEY, None)
            st.rerun()
        if c2.button(t("cb.keep_theirs", lang), key="codebook_keep_theirs"):
            st.session_state.pop(_CONFLICT_KEY, None)
            st.session_state.pop(_BASE_KEY, None)
            st.rerun()


# --- the panel ---------------------------------------------------------------------------------


def _theme_picker(view: CodebookView, label: str, key: str, *, exclude: tuple[str, ...] = ()) -> str | None:
    ids = [i for i in view.codebook.ids if i not in exclude and not view.codebook.require(i).excluded]
    if not ids:
        return None
    labels = {th.id: th.label for th in view.codebook.themes}
    return st.selectbox(md_escape(label), ids, format_func=lambda i: labels.get(i, i), key=key)


def _members(view: CodebookView, theme_id: str | None) -> list[str]:
    if theme_id is None:
        return []
    key = view.id_to_key.get(theme_id, theme_id)
    theme = view.result.theme(key)
    return list(theme.response_ids) if theme is not None else []


def _comment_picker(view: CodebookView, pool: list[str], lang: str, key: str) -> list[str]:
    """Comments picked from ``pool``: narrowed by a search, then all found or some of them."""
    query = st.text_input(t("cb.search", lang), key=f"{key}_search")
    records = [CommentRecord(r, view.comments.get(r, "")) for r in pool]
    found = search_comments(records, query) if query.strip() else list(pool)
    st.caption(t("cb.found", lang, n=f"{len(found):,}"))
    if query.strip() and st.checkbox(t("cb.all_found", lang), value=True, key=f"{key}_all"):
        return found
    return st.multiselect(
        t("cb.pick_comments", lang),
        found[:MAX_LISTED],
        format_func=lambda r: f"{r}: {view.comments.get(r, '')[:90]}",
        key=f"{key}_pick",
    )


def _examples(view: CodebookView, rids: list[str]) -> list[str]:
    return [view.comments[r] for r in rids[:20] if view.comments.get(r)]


def edit_panel(view: CodebookView, lang: str) -> None:
    """Rename, merge, split, move, create, exclude, pin, correct a side; undo; history; import/export."""
    st.subheader(t("cb.heading", lang), anchor=False)
    st.caption(t("cb.help", lang))
    flash = st.session_state.pop(_FLASH_KEY, None)
    if flash:  # (message key, version): worded here, in the language of the run that shows it
        st.success(t(flash[0], lang, version=int(flash[1])))
    if view.saved is None:
        st.caption(t("cb.proposed", lang))
    else:
        when = md_escape(view.saved.at.strftime("%Y-%m-%d %H:%M UTC")) if view.saved.at else "—"
        st.caption(
            t(
                "cb.version",
                lang,
                version=int(view.version),
                by=md_escape(view.saved.by or t("who.anonymous", lang)),
                at=when,
            )
        )
    conflict = st.session_state.get(_CONFLICT_KEY)
    if conflict is not None:
        _show_conflict(conflict, lang)
    ops = ["rename", "merge", "split", "move", "create", "exclude", "pin", "side"]
    op = st.radio(
        t("cb.action", lang), ops, format_func=lambda o: t(f"cb.op.{o}", lang), horizontal=True, key="codebook_op"
    )
    edit = _edit_form(view, op, lang)
    entry = current()
    editing = (op, str((edit or {}).get("theme") or (edit or {}).get("into") or (edit or {}).get("source") or ""))
    began = st.session_state.get(_BASE_KEY)
    if began is None or began[0] != (entry["id"] if entry else None) or began[1] != editing:
        st.session_state[_BASE_KEY] = (entry["id"] if entry else None, editing, view.version, view.codebook)
    if st.button(t("cb.save", lang), key="codebook_save", type="primary") and edit is not None:
        _save(view, edit, lang)
    _undo_and_history(view, lang)
    _import_export(view, lang)


def _edit_form(view: CodebookView, op: str, lang: str) -> dict | None:
    if op == "rename":
        theme_id = _theme_picker(view, t("cb.theme", lang), "codebook_rename_theme")
        if theme_id is None:
            return None
        theme = view.codebook.require(theme_id)
        label = st.text_input(t("cb.label", lang), value=theme.label, key=f"codebook_rename_label_{theme_id}")
        description = st.text_area(
            t("cb.description", lang), value=theme.description, key=f"codebook_rename_desc_{theme_id}"
        )
        return {"op": "rename", "theme": theme_id, "label": label, "description": description}
    if op == "merge":
        into = _theme_picker(view, t("cb.into", lang), "codebook_merge_into")
        labels = {th.id: th.label for th in view.codebook.themes}
        others = st.multiselect(
            t("cb.others", lang),
            [i for i in view.codebook.ids if i != into],
            format_func=lambda i: labels.get(i, i),
            key="codebook_merge_others",
        )
        return {"op": "merge", "into": into, "others": others} if into else None
    if op == "split":
        theme_id = _theme_picker(view, t("cb.theme", lang), "codebook_split_theme")
        key = view.id_to_key.get(theme_id or "", theme_id or "")
        split_theme = view.result.theme(key)
        subs = list(split_theme.subthemes) if split_theme is not None else []
        picked = st.multiselect(
            t("cb.part", lang),
            list(range(len(subs))),
            format_func=lambda i: f"{subs[i].label or '—'} ({subs[i].count})",
            key="codebook_split_parts",
        )
        parts: list[dict] = [
            {
                "label": subs[i].label or theme_id,
                "response_ids": subs[i].response_ids,
                "examples": _examples(view, subs[i].response_ids),
            }
            for i in picked
        ]
        # or a part of picked comments (from a search or one by one) under a name of the team's
        own_label = st.text_input(t("cb.split_label", lang), key="codebook_split_label")
        own = _comment_picker(view, _members(view, theme_id), lang, "codebook_split")
        if own_label.strip() and own:
            parts.append({"label": own_label.strip(), "response_ids": own, "examples": _examples(view, own)})
        rids = [r for p in parts for r in p["response_ids"]]
        return {"op": "split", "theme": theme_id, "parts": parts, "current": view.current(rids)} if parts else None
    if op == "move":
        source = _theme_picker(view, t("cb.theme", lang), "codebook_move_from")
        rids = _comment_picker(view, _members(view, source), lang, "codebook_move")
        target = _theme_picker(view, t("cb.to", lang), "codebook_move_to", exclude=(source or "",))
        if not (source and target):
            return None
        return {
            "op": "move",
            "source": [source],
            "to": target,
            "response_ids": rids,
            "current": view.current(rids),
            "examples": _examples(view, rids),
        }
    if op == "create":
        label = st.text_input(t("cb.label", lang), key="codebook_create_label")
        pool = sorted(view.comments)
        rids = _comment_picker(view, pool, lang, "codebook_create")
        query = st.session_state.get("codebook_create_search", "")
        as_rule = bool(query.strip()) and st.checkbox(t("cb.keep_rule", lang), value=True, key="codebook_create_rule")
        edit = {
            "op": "create",
            "label": label,
            "response_ids": rids,
            "current": view.current(rids),
            "examples": _examples(view, rids),
        }
        if as_rule:
            edit["include"] = search_terms(query)
        return edit
    if op == "exclude":
        what = st.radio(
            t("cb.exclude_what", lang),
            ["theme", "comments"],
            horizontal=True,
            format_func=lambda w: t(f"cb.exclude_{w}", lang),
            key="codebook_exclude_what",
        )
        theme_id = _theme_picker(view, t("cb.theme", lang), "codebook_exclude_theme")
        if what == "theme":
            return {"op": "exclude_theme", "theme": theme_id} if theme_id else None
        rids = _comment_picker(view, _members(view, theme_id), lang, "codebook_exclude")
        return {"op": "exclude_comments", "response_ids": rids}
    if op == "pin":
        theme_id = _theme_picker(view, t("cb.theme", lang), "codebook_pin_theme")
        return {"op": "pin", "theme": theme_id} if theme_id else None
    theme_id = _theme_picker(view, t("cb.theme", lang), "codebook_side_theme")
    rids = _comment_picker(view, _members(view, theme_id), lang, "codebook_side")
    side = st.radio(
        t("cb.side", lang),
        ["praise", "complaint", "neutral", "request"],
        horizontal=True,
        format_func=lambda s: t(f"cb.side.{s}", lang),
        key="codebook_side_side",
    )
    if not theme_id:
        return None
    return {"op": "correct_side", "theme": theme_id, "side": side, "response_ids": rids, "current": view.current(rids)}


def _undo_and_history(view: CodebookView, lang: str) -> None:
    store, entry = get_store(), current()
    if view.saved is None or store is None or entry is None:
        return
    if st.button(t("cb.undo", lang), key="codebook_undo"):
        try:
            done = undo(store, entry["id"], expected_version=view.version, by=actor(), user=store_user())
            st.session_state[_FLASH_KEY] = ("cb.undone", done.version)
            st.session_state.pop(_BASE_KEY, None)
        except CodebookConflictError as conflict:
            st.warning(t("cb.conflict", lang, who=md_escape(conflict.theirs.by or t("who.anonymous", lang)), at="—"))
            return
        except CXError as exc:
            st.error(md_escape(error_text(exc, lang)))
            return
        st.rerun()
    with st.expander(t("cb.history", lang)):
        try:
            history = codebook_history(store, entry["id"], store_user())
        except CXError as exc:
            st.error(md_escape(error_text(exc, lang)))
            return
        rows = [
            {
                t("cb.col.version", lang): h.version,
                t("cb.col.at", lang): h.at.strftime("%Y-%m-%d %H:%M UTC") if h.at else "",
                t("cb.col.by", lang): h.by or t("who.anonymous", lang),
                t("cb.col.what", lang): _describe(h.edit, view, lang),
            }
            for h in reversed(history[-30:])
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="codebook_history")


def _describe(edit: dict, view: CodebookView, lang: str) -> str:
    op = str(edit.get("op", ""))
    if op in ("propose", "import", "undo"):
        return t(f"cb.op_name.{op}", lang)
    names = {
        "rename": "rename",
        "merge": "merge",
        "split": "split",
        "move": "move",
        "create": "create",
        "exclude_theme": "exclude",
        "exclude_comments": "exclude",
        "pin": "pin",
        "correct_side": "side",
    }
    what = t(f"cb.op.{names.get(op, 'rename')}", lang)
    detail = edit.get("label") or ""
    theme = view.codebook.theme(str(edit.get("theme") or edit.get("into") or edit.get("to") or ""))
    if theme is not None and not detail:
        detail = theme.label
    return f"{what}: {detail}" if detail else what


def _import_export(view: CodebookView, lang: str) -> None:
    left, right = st.columns(2)
    left.download_button(
        t("cb.export", lang),
        view.codebook.to_json(),
        file_name="codebook.json",
        mime="application/json",
        key="codebook_export",
        on_click="ignore",
    )
    upload = right.file_uploader(t("cb.import", lang), type=["json"], key="codebook_import")
    if upload is None:
        return
    try:
        imported = codebook_from_json(upload.getvalue())
    except CXError as exc:
        right.error(md_escape(error_text(exc, lang)))
        return
    comments = [CommentRecord(r, text) for r, text in view.comments.items()]
    preview = session_memo(
        "codebook:preview",
        (_hash(imported.to_json()), _comments_key(comments)),
        lambda: apply_codebook(imported, comments, candidates=False),
    )
    coded = sum(1 for keys in preview.result.assignments.values() if keys)
    right.caption(
        t(
            "cb.import_preview",
            lang,
            coded=f"{coded:,}",
            n=f"{len(preview.result.assignments):,}",
            uncoded=f"{len(preview.uncoded_ids):,}",
        )
    )
    rows = pd.DataFrame(preview.preview(imported))[["label", "count", "by_rule"]]
    rows.columns = [t("cb.col.theme", lang), t("cb.col.count", lang), t("cb.col.rule", lang)]
    right.dataframe(rows, hide_index=True, key="codebook_import_preview")
    if right.button(t("cb.import_apply", lang), key="codebook_import_apply"):
        from cx_core.codebook import import_codebook

        from ..sync.workspaces import get_workspace

        store = get_store()
        entry = ensure_saved(get_workspace()) if store is not None else None
        if store is None or entry is None:
            st.warning(t("cb.no_store", lang))
            return
        saved = import_codebook(store, entry["id"], imported, by=actor(), user=store_user())
        st.session_state.pop(_BASE_KEY, None)
        st.session_state[_FLASH_KEY] = ("cb.saved", saved.version)
        st.rerun()


def uncoded_view(view: CodebookView, lang: str) -> None:
    """The comments no theme took, and candidate groups among them (each one click from a theme)."""
    uncoded = view.uncoded_ids
    with st.expander(f"{t('cb.uncoded', lang)} ({len(uncoded):,})", expanded=False):
        if not uncoded:
            st.caption(t("cb.uncoded_none", lang))
            return
        frame = pd.DataFrame(
            {
                t("cb.col.response_id", lang): uncoded[:MAX_LISTED],
                t("cb.col.comment", lang): [view.comments.get(r, "") for r in uncoded[:MAX_LISTED]],
            }
        )
        st.dataframe(frame, hide_index=True, key="codebook_uncoded")
        candidates = view.coded.candidates if view.coded is not None else []
        st.markdown(f"**{md_escape(t('cb.candidates', lang))}**")
        if not candidates:
            st.caption(t("cb.candidates_none", lang))
            return
        for i, cand in enumerate(candidates[:10]):
            cols = st.columns([4, 1])
            cols[0].text(f"{cand.label} ({cand.count})")
            if cols[1].button(t("cb.adopt", lang, label=md_escape(cand.label[:40])), key=f"codebook_adopt_{i}"):
                edit = {
                    "op": "create",
                    "label": cand.label,
                    "side": cand.side if cand.side in ("praise", "complaint", "neutral") else "",
                    "response_ids": cand.response_ids,
                    "current": view.current(cand.response_ids),
                    "examples": cand.examples,
                }
                _save(view, edit, lang)
