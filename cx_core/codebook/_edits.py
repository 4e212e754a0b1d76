"""The team's corrections as edits: plain JSON-ready dicts, each turning one codebook into the next.

An edit is ``{"op": name, ...arguments}``. Keeping edits as data lets the store record what each
version changed, re-apply an edit on top of someone else's newer version when it touches other
themes, and show both versions when it does not.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import CodebookError
from ._model import Codebook, CodebookTheme, _texts

MAX_MOVED_EXAMPLES = 20
_SIDE_WORDS = {"praise": "praise", "complaint": "complaints", "neutral": "mentions", "request": "requests"}

OPS = (
    "rename",
    "pin",
    "merge",
    "split",
    "move",
    "exclude_theme",
    "restore_theme",
    "exclude_comments",
    "create",
    "correct_side",
    "edit_rules",
)


def _ids(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in (value or [])]


def touched(edit: dict) -> tuple[set[str], set[str]]:
    """(theme ids, response ids) an edit reads or changes: two edits conflict when these overlap."""
    themes = set(_ids(edit.get("theme"))) | set(_ids(edit.get("into"))) | set(_ids(edit.get("others")))
    themes |= set(_ids(edit.get("to"))) | set(_ids(edit.get("source")))
    rids = set(_ids(edit.get("response_ids")))
    for part in edit.get("parts") or []:
        rids |= set(_ids(part.get("response_ids")))
    return themes, rids


def apply_edit(codebook: Codebook, edit: dict) -> Codebook:
    """``codebook`` with ``edit`` applied; raises :class:`CodebookError` for an unknown op or theme."""
    op = edit.get("op")
    if op not in OPS:
        raise CodebookError("error.codebook_edit", op=str(op)[:40])
    return _HANDLERS[op](codebook, edit)


def _rename(cb: Codebook, edit: dict) -> Codebook:
    theme = cb.require(edit["theme"])
    label = str(edit.get("label") or theme.label).strip()[:200] or theme.label
    description = theme.description if edit.get("description") is None else str(edit["description"]).strip()[:2000]
    return cb.with_theme(replace(theme, label=label, description=description, pinned=True))


def _pin(cb: Codebook, edit: dict) -> Codebook:
    theme = cb.require(edit["theme"])
    return cb.with_theme(replace(theme, pinned=bool(edit.get("pinned", True))))


def _merge(cb: Codebook, edit: dict) -> Codebook:
    into = cb.require(edit["into"])
    others = [cb.require(i) for i in _ids(edit.get("others")) if i != into.id]
    if not others:
        raise CodebookError("error.codebook_merge_needs_two")
    merged = replace(
        into,
        examples=_texts([*into.examples, *(x for o in others for x in o.examples)], "examples"),
        include=_texts([*into.include, *(x for o in others for x in o.include)], "include"),
        exclude=_texts([*into.exclude, *(x for o in others for x in o.exclude)], "exclude"),
        label=str(edit.get("label") or into.label)[:200],
        pinned=into.pinned or bool(edit.get("label")),
        side=into.side if all(o.side == into.side for o in others) else "",  # sides merged: takes any
        topic=into.topic if all(o.topic == into.topic for o in others) else "",
    )
    gone = {o.id for o in others}
    themes = tuple(merged if t.id == into.id else t for t in cb.themes if t.id not in gone)
    comments = {rid: tuple(dict.fromkeys(into.id if t in gone else t for t in ids)) for rid, ids in cb.comments.items()}
    return Codebook(themes=themes, version=cb.version, comments=comments)


def _with_comments(cb: Codebook, current: dict, rids: list[str], remove: set[str], add: list[str]) -> dict:
    comments = dict(cb.comments)
    for rid in rids:
        now = list(comments.get(rid, tuple(_ids(current.get(rid)))))
        kept = [t for t in now if t not in remove]
        comments[rid] = tuple(dict.fromkeys([*kept, *add]))
    return comments


def _examples_of(edit: dict) -> list[str]:
    return [str(x) for x in (edit.get("examples") or [])][:MAX_MOVED_EXAMPLES]


def _move(cb: Codebook, edit: dict) -> Codebook:
    target = cb.require(edit["to"])
    source = _ids(edit.get("source"))
    for s in source:
        cb.require(s)
    rids = _ids(edit.get("response_ids"))
    if not rids:
        raise CodebookError("error.codebook_no_comments")
    comments = _with_comments(cb, edit.get("current") or {}, rids, set(source), [target.id])
    target = replace(target, examples=_texts([*target.examples, *_examples_of(edit)], "examples"))
    return Codebook(themes=cb.with_theme(target).themes, version=cb.version, comments=comments)


def _split(cb: Codebook, edit: dict) -> Codebook:
    theme = cb.require(edit["theme"])
    parts = edit.get("parts") or []
    if not parts:
        raise CodebookError("error.codebook_no_comments")
    result = cb
    for part in parts:
        label = str(part.get("label") or "").strip()[:200] or theme.label
        full = label if label.startswith(theme.label) else f"{theme.label}: {label}"
        new_id = str(part.get("id") or result.new_id(f"{theme.id}|{label}"))
        new_theme = CodebookTheme(
            id=new_id,
            label=full[:200],
            description=theme.description,
            side=theme.side,
            examples=_texts(_examples_of(part), "examples"),
            topic=theme.topic,
            pinned=True,
        )
        result = result.with_theme(new_theme)
        rids = _ids(part.get("response_ids"))
        comments = _with_comments(result, edit.get("current") or {}, rids, {theme.id}, [new_id])
        result = Codebook(themes=result.themes, version=result.version, comments=comments)
    return result


def _exclude_theme(cb: Codebook, edit: dict) -> Codebook:
    return cb.with_theme(replace(cb.require(edit["theme"]), excluded=True))


def _restore_theme(cb: Codebook, edit: dict) -> Codebook:
    return cb.with_theme(replace(cb.require(edit["theme"]), excluded=False))


def _exclude_comments(cb: Codebook, edit: dict) -> Codebook:
    rids = _ids(edit.get("response_ids"))
    if not rids:
        raise CodebookError("error.codebook_no_comments")
    comments = dict(cb.comments)
    for rid in rids:
        comments[rid] = ()
    return Codebook(themes=cb.themes, version=cb.version, comments=comments)


def _create(cb: Codebook, edit: dict) -> Codebook:
    label = str(edit.get("label") or "").strip()[:200]
    include = _texts(edit.get("include") or [], "include")
    rids = _ids(edit.get("response_ids"))
    if not label:
        raise CodebookError("error.codebook_theme")
    if not include and not rids:
        raise CodebookError("error.codebook_no_comments")
    theme_id = str(edit.get("id") or cb.new_id(f"created|{label}"))
    theme = CodebookTheme(
        id=theme_id,
        label=label,
        description=str(edit.get("description") or "")[:2000],
        side=str(edit.get("side") or ""),
        examples=_texts(_examples_of(edit), "examples"),
        include=include,
        pinned=True,
    )
    out = cb.with_theme(theme)
    if rids:
        comments = _with_comments(out, edit.get("current") or {}, rids, set(), [theme_id])
        out = Codebook(themes=out.themes, version=out.version, comments=comments)
    return out


def _correct_side(cb: Codebook, edit: dict) -> Codebook:
    theme = cb.require(edit["theme"])
    side = str(edit.get("side") or "")
    if side not in _SIDE_WORDS:
        raise CodebookError("error.codebook_field", field="side")
    topic = theme.topic or theme.label.split(":")[0].strip()
    twin = next((t for t in cb.themes if t.id != theme.id and t.topic == topic and t.side == side), None)
    out = cb
    if twin is None:
        twin = CodebookTheme(
            id=cb.new_id(f"{topic}|{side}|"), label=f"{topic}: {_SIDE_WORDS[side]}", side=side, topic=topic
        )
        out = cb.with_theme(twin)
    moved = {**edit, "op": "move", "to": twin.id, "source": [theme.id]}
    return _move(out, moved)


def _edit_rules(cb: Codebook, edit: dict) -> Codebook:
    theme = cb.require(edit["theme"])
    include = theme.include if edit.get("include") is None else _texts(edit["include"], "include")
    exclude = theme.exclude if edit.get("exclude") is None else _texts(edit["exclude"], "exclude")
    return cb.with_theme(replace(theme, include=include, exclude=exclude))


_HANDLERS = {
    "rename": _rename,
    "pin": _pin,
    "merge": _merge,
    "split": _split,
    "move": _move,
    "exclude_theme": _exclude_theme,
    "restore_theme": _restore_theme,
    "exclude_comments": _exclude_comments,
    "create": _create,
    "correct_side": _correct_side,
    "edit_rules": _edit_rules,
}
