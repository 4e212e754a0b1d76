"""The theme engines as one line of steps, each a module of :mod:`._steps` with one entry.

Offline (no network)::

    normalise -> split -> non-answers -> redact -> embed -> topics -> sides -> parts -> names -> assemble

LLM: the same offline engine, then one more step, :func:`._llm.name_with_llm`: the model renames and
describes the groups the offline engine found (label, description, need, action, quotes cited
first), never regroups them. Data flows one way: each step gets what earlier steps returned and
never imports another step nor this module (``tests/core/test_theme_pipeline.py``).
"""

from __future__ import annotations

from ._embed import Embedder, one_blas_thread
from ._endpoint import EndpointCapabilities
from ._llm import LLMConfig, Polarity, name_with_llm
from ._redact import Redactor
from ._steps.assemble import assemble
from ._steps.data import OfflineSettings
from ._steps.embed import embed
from ._steps.names import name_topics
from ._steps.nonanswers import drop_non_answers
from ._steps.normalise import normalise
from ._steps.parts import find_parts
from ._steps.redact import redact
from ._steps.sides import judge_sides
from ._steps.split import split
from ._steps.topics import find_topics
from ._types import CommentRecord, ProgressCallback, ThemeResult

AUTO = "auto"

STEPS = ("normalise", "split", "nonanswers", "redact", "embed", "topics", "sides", "parts", "names", "assemble")
"""The modules of :mod:`._steps`, in the order :func:`extract_offline` runs them."""


@one_blas_thread
def extract_offline(
    comments: list[CommentRecord],
    settings: OfflineSettings | None = None,
    *,
    embedder: Embedder | None = None,
    progress: ProgressCallback | None = None,
) -> ThemeResult:
    """Themes of ``comments`` without any network access: the steps of :mod:`._steps`, in order."""
    settings = settings or OfflineSettings()
    embedder = embedder or Embedder()
    engine = f"offline ({embedder.name})"
    report = progress or (lambda _f, _s: None)
    report(0.0, "splitting")
    normalised = normalise(comments)
    pieces = split(normalised)
    answers = drop_non_answers(pieces)
    clauses = redact(answers)
    report(0.1, "polarity")
    vectors = embed(clauses, settings, embedder, report)
    topics = find_topics(clauses, vectors, settings, report)
    sides = judge_sides(clauses, vectors, topics)
    parts = find_parts(clauses, vectors, topics, settings)
    report(0.85, "naming")
    names = name_topics(clauses, sides, parts, settings, embedder)
    result = assemble(clauses, sides, parts, names, settings, engine=engine)
    report(1.0, "done")
    return result


def extract_llm(
    comments: list[CommentRecord],
    config: LLMConfig | None,
    *,
    client=None,
    redactor: Redactor | None = None,
    settings: OfflineSettings | None = None,
    embedder: Embedder | None = None,
    progress: ProgressCallback | None = None,
    offline: ThemeResult | None = None,
    capabilities: EndpointCapabilities | None = None,
    polarity: Polarity | None | str = AUTO,
) -> ThemeResult:
    """The offline engine's themes (or ``offline``, an earlier result of the same comments), each
    renamed by the model when it gives an acceptable name (see :func:`._llm.name_with_llm`)."""
    report = progress or (lambda _f, _s: None)
    if offline is None:
        offline = extract_offline(comments, settings, embedder=embedder, progress=lambda f, s: report(0.3 * f, s))
    return name_with_llm(
        offline,
        comments,
        config,
        client=client,
        redactor=redactor,
        embedder=embedder,
        progress=report,
        capabilities=capabilities,
        polarity=polarity,
    )
