"""A first codebook from the engine's themes: one codebook theme per engine theme, with examples."""

from __future__ import annotations

from collections import Counter, defaultdict

from ..themes import CommentRecord, ThemeResult, mask_pii
from ._model import Codebook, CodebookTheme, unique_id
from ._rules import normalise
from ._text import clauses

MAX_EXAMPLES = 40
_OWN_SHARE = 0.6  # a clause stands for a theme when at least this share of the comments using it are in it


def propose_codebook(
    result: ThemeResult,
    comments: list[CommentRecord],
    *,
    max_examples: int = MAX_EXAMPLES,
    example_ids: set[str] | None = None,
    previous: Codebook | None = None,
) -> Codebook:
    """The codebook the engine proposes for ``comments`` (whose themes are ``result``).

    Each theme gets an id derived from its topic and side (the same data gives the same ids), the
    engine's label and description, its side, and up to ``max_examples`` clauses of its comments
    that stand for it: the quotes first, then the clauses most of whose comments are in the theme,
    most used first. ``example_ids`` limits the examples to those responses (an evaluation keeps
    its held-out comments out). With ``previous``, its pinned and edited themes are kept as they
    are: a re-run never renames a theme the team named.
    """
    by_id = {c.response_id: c for c in comments}
    themes_of: dict[str, list[str]] = defaultdict(list)
    for rid, keys in result.assignments.items():
        themes_of[rid] = list(keys)
    uses: dict[str, Counter] = defaultdict(Counter)  # clause -> theme key -> comments
    seen: Counter = Counter()  # clause -> comments using it
    text_of: dict[str, str] = {}
    for rid, keys in sorted(themes_of.items()):
        record = by_id.get(rid)
        if record is None or (example_ids is not None and rid not in example_ids):
            continue
        for part in dict.fromkeys(clauses(record.text)):
            key = normalise(part)
            text_of.setdefault(key, mask_pii(part))
            seen[key] += 1
            for k in keys:
                uses[key][k] += 1
    owned: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for key, counts in uses.items():
        theme_key, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        if n / seen[key] >= _OWN_SHARE and list(counts.values()).count(n) == 1:
            owned[theme_key].append((seen[key], key))
    taken = set(previous.ids) if previous is not None else set()
    out: list[CodebookTheme] = []
    for theme in result.themes:
        examples: dict[str, str] = {}
        for quote in theme.quotes:
            if example_ids is None or quote.response_id in example_ids:
                text = (quote.excerpt or quote.text).strip()
                if text:
                    examples.setdefault(normalise(text), text)
        for _n, key in sorted(owned.get(theme.key, []), key=lambda p: (-p[0], p[1])):
            if len(examples) >= max_examples:
                break
            examples.setdefault(key, text_of[key])
        seed = f"{theme.topic or theme.label}|{theme.side}|{'general' if theme.general else ''}"
        theme_id = unique_id(seed, taken)
        taken.add(theme_id)
        out.append(
            CodebookTheme(
                id=theme_id,
                label=theme.label,
                description=theme.description,
                side=theme.side if theme.side in ("praise", "complaint", "neutral", "request") else "",
                examples=tuple(list(examples.values())[:max_examples]),
                topic=theme.topic,
            )
        )
    proposed = Codebook(themes=tuple(out))
    return proposed if previous is None else keep_edits(previous, proposed)


def keep_edits(previous: Codebook, proposed: Codebook) -> Codebook:
    """``previous`` (the team's codebook) with the proposal's new themes added after it: every theme
    the team has stays as it is, with its id, name and rules."""
    known_labels = {normalise(t.label) for t in previous.themes}
    known_topics = {(t.topic, t.side) for t in previous.themes if t.topic}
    added = tuple(
        t
        for t in proposed.themes
        if t.id not in previous.ids
        and normalise(t.label) not in known_labels
        and not (t.topic and (t.topic, t.side) in known_topics)
    )
    return Codebook(themes=(*previous.themes, *added), version=previous.version, comments=dict(previous.comments))
