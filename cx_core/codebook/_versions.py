"""A workspace's codebook in the store: every edit saved at once as a new version, undoable.

Conflicts follow the follow-up record's rule: an edit names the version it started from. When
someone saved a newer version since, the edit is re-applied on top of it if it touches other themes
and other comments (two people correcting different themes both succeed); otherwise nothing is
written and :class:`~cx_core.errors.CodebookConflictError` carries both codebooks.
"""

from __future__ import annotations

from ..errors import CodebookConflictError, CodebookError
from ..store import CodebookVersion, Store, add_codebook_version, codebook_history, latest_codebook
from ._edits import apply_edit, touched
from ._model import Codebook, codebook_from_dict


def saved_codebook(store: Store, ref: str, user: str | None = None) -> tuple[Codebook | None, int]:
    """The workspace's newest codebook and its version (``(None, 0)`` when none is saved yet)."""
    latest = latest_codebook(store, ref, user)
    if latest is None:
        return None, 0
    return codebook_from_dict(latest.codebook), latest.version


def _same_parts(a: Codebook, b: Codebook, theme_ids: set[str], rids: set[str]) -> bool:
    for theme_id in theme_ids:
        left, right = a.theme(theme_id), b.theme(theme_id)
        if (left.to_dict() if left else None) != (right.to_dict() if right else None):
            return False
    return all(a.comments.get(r) == b.comments.get(r) for r in rids)


def save_edit(
    store: Store,
    ref: str,
    edit: dict,
    *,
    base: Codebook,
    base_version: int,
    by: str | None,
    user: str | None = None,
) -> CodebookVersion:
    """Apply ``edit`` to ``base`` (the version ``base_version`` the person saw) and save the result.

    ``base_version`` 0 with no saved codebook saves the proposal as version 1 first, so the team's
    first edit is undoable back to the engine's themes.
    """
    mine = apply_edit(base, edit)
    if base_version == 0:
        try:
            add_codebook_version(
                store, ref, base.to_dict(), expected_version=0, edit={"op": "propose"}, by=by, user=user
            )
            base_version = 1
        except CodebookConflictError:
            pass  # someone saved the first version meanwhile: treated as a newer version below
    try:
        return add_codebook_version(
            store, ref, mine.to_dict(), expected_version=base_version, edit=edit, by=by, user=user
        )
    except CodebookConflictError as conflict:
        theirs: CodebookVersion | None = conflict.theirs
        if theirs is None:
            raise
        newer = codebook_from_dict(theirs.codebook)
        theme_ids, rids = touched(edit)
        if not _same_parts(base, newer, theme_ids, rids):
            raise CodebookConflictError("error.store_codebook_conflict", mine=mine, theirs=theirs, edit=edit) from None
        try:
            rebased = apply_edit(newer, edit)
        except CodebookError:
            raise CodebookConflictError("error.store_codebook_conflict", mine=mine, theirs=theirs, edit=edit) from None
        return add_codebook_version(
            store, ref, rebased.to_dict(), expected_version=theirs.version, edit=edit, by=by, user=user
        )


def keep_mine(
    store: Store,
    ref: str,
    mine: Codebook,
    edit: dict,
    *,
    over: int,
    theirs: dict | None = None,
    by: str | None,
    user: str | None = None,
) -> CodebookVersion:
    """After a conflict the person chose their own edit: it is applied on top of the newer version
    ``over`` (``theirs``, its codebook), so the colleague's changes to other themes stay and this
    edit wins where both changed the same; ``mine`` is saved as it is when the edit no longer fits
    (e.g. they merged the theme away)."""
    result = mine
    if theirs is not None:
        try:
            result = apply_edit(codebook_from_dict(theirs), edit)
        except CodebookError:
            result = mine
    return add_codebook_version(
        store, ref, result.to_dict(), expected_version=over, edit={**edit, "kept_over": over}, by=by, user=user
    )


def import_codebook(
    store: Store, ref: str, codebook: Codebook, *, by: str | None, user: str | None = None
) -> CodebookVersion:
    """Save an imported codebook as the workspace's newest version (after whatever is saved)."""
    for _attempt in range(5):
        latest = latest_codebook(store, ref, user)
        try:
            return add_codebook_version(
                store,
                ref,
                codebook.to_dict(),
                expected_version=latest.version if latest else 0,
                edit={"op": "import", "themes": len(codebook.themes)},
                by=by,
                user=user,
            )
        except CodebookConflictError:
            continue
    raise CodebookError("error.codebook_busy")


def undo(store: Store, ref: str, *, expected_version: int, by: str | None, user: str | None = None) -> CodebookVersion:
    """Undo the newest edit: save the version before it again as a new version (history is kept).

    ``expected_version`` is the version the person saw; a newer one raises the conflict error.
    """
    history = codebook_history(store, ref, user)
    if len(history) < 2:
        raise CodebookError("error.codebook_nothing_to_undo")
    latest = history[-1]
    if latest.version != expected_version:
        raise CodebookConflictError(
            "error.store_codebook_undo_conflict",
            mine=None,
            theirs=latest,
            edit={"op": "undo"},
        )
    target = _undo_target(history)
    return add_codebook_version(
        store,
        ref,
        target.codebook,
        expected_version=latest.version,
        edit={"op": "undo", "restores": target.version, "undoes": latest.edit.get("op")},
        by=by,
        user=user,
    )


def _undo_target(history: list[CodebookVersion]) -> CodebookVersion:
    """The version the newest edit started from: undoing an undo steps further back, like an editor."""
    position = len(history) - 1
    skip = 0
    while position > 0:
        edit = history[position].edit
        if edit.get("op") == "undo":
            skip += 1
        elif skip:
            skip -= 1
        else:
            return history[position - 1]
        position -= 1
    return history[0]
