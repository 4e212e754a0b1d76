"""The codebook: themes with stable ids, and its JSON file format (``"format": "cx-codebook"``)."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import CodebookError

FORMAT = "cx-codebook"
FORMAT_VERSION = 1
SIDES = ("praise", "complaint", "neutral", "request", "")
MAX_THEMES = 500
MAX_TEXT = 2000
MAX_LIST = 200


@dataclass(frozen=True)
class CodebookTheme:
    """One theme of the codebook.

    ``id`` never changes (trends across waves follow it); ``label`` and ``description`` are what
    people read; ``side`` ("praise", "complaint", "neutral", "request" or "" for any) is the side of
    the mentions it takes; ``examples`` are comments (or clauses) the theme stands for, matched by
    meaning; ``include`` phrases put every comment that contains one into the theme, ``exclude``
    phrases keep every comment that contains one out of it (exclude wins); ``pinned`` names are
    never changed by a re-run or an LLM; ``excluded`` themes take their comments out of coding.
    """

    id: str
    label: str
    description: str = ""
    side: str = ""
    examples: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    pinned: bool = False
    excluded: bool = False
    topic: str = ""
    """The topic a proposed theme is one side of (so a mention's side can be corrected to its twin)."""

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "description": self.description,
            "side": self.side,
            "examples": list(self.examples),
            "include": list(self.include),
            "exclude": list(self.exclude),
            "pinned": self.pinned,
        }
        if self.excluded:
            out["excluded"] = True
        if self.topic:
            out["topic"] = self.topic
        return out


@dataclass(frozen=True)
class Codebook:
    """A workspace's agreed themes, applied unchanged to every wave.

    ``comments`` holds decisions about single comments of the data the team coded (moved to other
    themes, or excluded with an empty tuple): response id -> theme ids. They win over rules and
    examples for those responses.
    """

    themes: tuple[CodebookTheme, ...] = ()
    version: int = FORMAT_VERSION
    comments: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def theme(self, theme_id: str) -> CodebookTheme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def require(self, theme_id: str) -> CodebookTheme:
        theme = self.theme(theme_id)
        if theme is None:
            raise CodebookError("error.codebook_unknown_theme", theme=str(theme_id)[:80])
        return theme

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def with_theme(self, theme: CodebookTheme) -> Codebook:
        """This codebook with ``theme`` replacing the theme of the same id (or added at the end)."""
        if self.theme(theme.id) is None:
            return replace(self, themes=(*self.themes, theme))
        return replace(self, themes=tuple(theme if t.id == theme.id else t for t in self.themes))

    def new_id(self, seed: str) -> str:
        """A theme id derived from ``seed`` that no theme of this codebook has."""
        return unique_id(seed, set(self.ids))

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "format": FORMAT,
            "version": self.version,
            "themes": [t.to_dict() for t in self.themes],
        }
        if self.comments:
            out["comments"] = {rid: list(ids) for rid, ids in sorted(self.comments.items())}
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def unique_id(seed: str, taken: set[str]) -> str:
    """``th-`` and a short hash of ``seed``: the same seed gives the same id on every run."""
    base = "th-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:8]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _text(value: Any, what: str, limit: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise CodebookError("error.codebook_field", field=what)
    return unicodedata.normalize("NFC", str(value)).strip()[:limit]


def _texts(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise CodebookError("error.codebook_field", field=what)
    seen: dict[str, str] = {}
    for item in value[:MAX_LIST]:
        text = _text(item, what)
        if text:
            seen.setdefault(text.casefold(), text)
    return tuple(seen.values())


_ID = re.compile(r"^[\w.:\-]{1,80}$")


def theme_from_dict(raw: Any) -> CodebookTheme:
    """One theme of a codebook file (``id`` and ``label`` required)."""
    if not isinstance(raw, dict):
        raise CodebookError("error.codebook_theme")
    theme_id = _text(raw.get("id"), "id", 80)
    label = _text(raw.get("label"), "label", 200)
    if not theme_id or not label:
        raise CodebookError("error.codebook_theme")
    if not _ID.match(theme_id):
        raise CodebookError("error.codebook_field", field="id")
    side = _text(raw.get("side"), "side", 20).lower()
    side = {"complaints": "complaint", "mention": "neutral", "mentions": "neutral", "requests": "request"}.get(
        side, side
    )
    if side not in SIDES:
        raise CodebookError("error.codebook_field", field="side")
    return CodebookTheme(
        id=theme_id,
        label=label,
        description=_text(raw.get("description"), "description"),
        side=side,
        examples=_texts(raw.get("examples"), "examples"),
        include=_texts(raw.get("include"), "include"),
        exclude=_texts(raw.get("exclude"), "exclude"),
        pinned=bool(raw.get("pinned", False)),
        excluded=bool(raw.get("excluded", False)),
        topic=_text(raw.get("topic"), "topic", 200),
    )


def codebook_from_dict(raw: Any) -> Codebook:
    """A codebook from its parsed JSON; raises :class:`CodebookError` saying what is wrong."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or not isinstance(raw.get("themes"), list):
        raise CodebookError("error.codebook_format")
    if len(raw["themes"]) > MAX_THEMES:
        raise CodebookError("error.codebook_too_many", limit=MAX_THEMES)
    themes = [theme_from_dict(t) for t in raw["themes"]]
    ids = [t.id for t in themes]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise CodebookError("error.codebook_duplicate_id", theme=duplicate)
    version = raw.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise CodebookError("error.codebook_field", field="version")
    comments: dict[str, tuple[str, ...]] = {}
    raw_comments = raw.get("comments") or {}
    if not isinstance(raw_comments, dict):
        raise CodebookError("error.codebook_field", field="comments")
    known = set(ids)
    for rid, targets in raw_comments.items():
        chosen = _texts(targets if targets else [], "comments")
        comments[str(rid)[:200]] = tuple(t for t in chosen if t in known)
    return Codebook(themes=tuple(themes), version=version, comments=comments)


def codebook_from_json(text: str | bytes) -> Codebook:
    """A codebook from the text of a ``.json`` file (the documented ``cx-codebook`` format)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig", errors="replace")
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise CodebookError("error.codebook_not_json") from None
    return codebook_from_dict(raw)
