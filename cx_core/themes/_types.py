"""The data the theme engines take and give back (plain dataclasses, JSON-ready)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

ProgressCallback = Callable[[float, str], None]
"""Called with (fraction done 0..1, short status text) while an engine runs."""


@dataclass(frozen=True)
class CommentRecord:
    """One free-text comment and the context the theme views need."""

    response_id: str
    text: str
    nps: float | None = None
    segment: str | None = None
    role: str | None = None
    submitted_at: dt.datetime | None = None
    question: str | None = None
    """The open question this text answers (None when it joins the answers to several questions)."""
    answers: tuple[tuple[str, str], ...] = ()
    """(question, text) of each answer joined in ``text`` (to tell which question a quote answers)."""
    account: str | None = None
    """The respondent's account key (None without an account id): impact statistics cluster on it."""


@dataclass(frozen=True)
class Quote:
    """A representative quote: the sentence or clause that carries the theme, and its response."""

    response_id: str
    text: str
    excerpt: str = ""
    """The sentence or clause of ``text`` that carries the theme."""
    question: str | None = None
    """The open question the quote answers (see :func:`cx_core.themes.with_questions`)."""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SubTheme:
    """What part of a theme is about: a theme's comments drilled down one level ("card: complaints"
    -> "arrival", "declined payment"), named by the offline engine from the terms its members share."""

    label: str
    """What the part's comments share beyond the theme's name; "" for comments that say nothing more
    than the theme's own words (the theme in general)."""
    count: int
    """Comments of the theme with a mention in this sub-theme."""
    response_ids: list[str]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Theme:
    """One theme: a readable label, how often it occurs, how its commenters feel, and its quotes."""

    key: str
    label: str
    count: int
    share: float
    mean_nps: float | None
    detractor_share: float | None
    nps: float | None
    response_ids: list[str]
    quotes: list[Quote]
    keywords: list[str] = field(default_factory=list)
    description: str = ""
    need: str = ""
    need_category: str = ""
    action: str = ""
    source: str = "offline"
    topic: str = ""
    """The shared topic name when a topic is split by polarity (``label`` then adds the side)."""
    side: str = ""
    """"praise", "complaint", "request" or "neutral" for one side of a topic; "" for an unsplit theme."""
    polarity: dict = field(default_factory=lambda: {"positive": 0, "negative": 0, "neutral": 0, "request": 0})
    """Mentions (clause x response) of this theme by polarity of their words."""
    general: bool = False
    """True for "General praise" / "General complaint": comments with no topic, shown apart."""
    support: float = 0.0
    """Share of the theme's mentions that use one of the terms its name is built from."""
    subthemes: list[SubTheme] = field(default_factory=list)
    """The theme drilled down one level, largest first (empty when it does not divide further)."""

    @property
    def sentiment(self) -> dict:
        return {"mean_nps": self.mean_nps, "detractor_share": self.detractor_share, "nps": self.nps}

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "count": self.count,
            "share": self.share,
            "sentiment": self.sentiment,
            "response_ids": list(self.response_ids),
            "quotes": [q.to_dict() for q in self.quotes],
            "keywords": list(self.keywords),
            "description": self.description,
            "need": self.need,
            "need_category": self.need_category,
            "action": self.action,
            "source": self.source,
            "topic": self.topic,
            "side": self.side,
            "polarity": dict(self.polarity),
            "general": self.general,
            "support": self.support,
            "subthemes": [s.to_dict() for s in self.subthemes],
        }


@dataclass
class ThemeResult:
    """Themes of a set of comments, with the bookkeeping that makes them checkable.

    ``assignments`` maps each substantive response id to the keys of its themes (possibly
    several, possibly none; the offline engine lists first the theme of the comment's longest
    clause, its main theme); ``non_answer_ids`` lists comments like "no comment" / "特になし",
    which are reported but never form a theme.
    """

    themes: list[Theme]
    assignments: dict[str, list[str]]
    non_answer_ids: list[str]
    n_comments: int
    n_substantive: int
    uncovered_share: float
    engine: str = "offline"
    messages: list[dict] = field(default_factory=list)
    """Notices for the person, as ``{"code": message key, **values}`` (e.g. why the LLM fell back)."""
    broad_topics: list[str] = field(default_factory=list)
    """Topics above ~30 % of comments that could not be split further (explained, not hidden)."""

    @property
    def n_non_answers(self) -> int:
        return len(self.non_answer_ids)

    def theme(self, key: str) -> Theme | None:
        return next((t for t in self.themes if t.key == key), None)

    def to_dict(self) -> dict:
        return {
            "engine": self.engine,
            "n_comments": self.n_comments,
            "n_substantive": self.n_substantive,
            "n_non_answers": self.n_non_answers,
            "uncovered_share": self.uncovered_share,
            "broad_topics": list(self.broad_topics),
            "themes": [t.to_dict() for t in self.themes],
            "messages": list(self.messages),
        }
