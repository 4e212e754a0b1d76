"""Verbatim themes: turn free-text comments into a short list of themes anyone can check.

One interface, two engines::

    result = extract_themes(comments, ThemeEngine.OFFLINE)               # default: no key, no network
    result = extract_themes(comments, ThemeEngine.LLM, llm=LLMConfig(...))  # names themes with a model

Every theme carries its count, share, sentiment (mean NPS, detractor share, NPS), the response ids
it covers and 3-5 verbatim quotes with their response ids. The LLM engine groups comments locally
first (offline engine), then asks the model only to name and describe each group from redacted
quotes; whatever goes wrong, it falls back to the offline themes with a message.
"""

from __future__ import annotations

from enum import StrEnum

from ._analysis import (
    comments_from_workspace,
    crm_names,
    theme_by_dimension,
    theme_impact,
    theme_period_shares,
    theme_table,
    theme_trend,
    topic_split,
    with_questions,
)
from ._checks import check_naming, content_terms, is_generic
from ._embed import Embedder, ngram_vectors, use_available
from ._endpoint import FAILURE_REASONS, AnswerRejectedError, EndpointCapabilities, ask_json, discover_capabilities
from ._llm import (
    ENV_KEYS,
    PROMPT_VERSION,
    CostEstimate,
    LLMConfig,
    ThemeNaming,
    ThemeRequest,
    build_requests,
    estimate_cost,
    llm_cache_key,
    llm_requests,
    make_client,
    parse_json_answer,
    request_bodies,
)
from ._metrics import adjusted_rand_index
from ._nonanswers import is_non_answer
from ._offline import OfflineSettings, extract_offline, labels_in_language
from ._polarity import POLARITIES, Polarity, clause_polarities, clause_polarity, polarity_score
from ._redact import Redactor, mask_pii
from ._split import split_units
from ._types import CommentRecord, ProgressCallback, Quote, SubTheme, Theme, ThemeResult


class ThemeEngine(StrEnum):
    """Which engine names the themes."""

    OFFLINE = "offline"
    LLM = "llm"


def extract_themes(
    comments: list[CommentRecord],
    engine: ThemeEngine | str = ThemeEngine.OFFLINE,
    *,
    llm=None,
    client=None,
    redactor: Redactor | None = None,
    settings: OfflineSettings | None = None,
    embedder: Embedder | None = None,
    progress: ProgressCallback | None = None,
    offline: ThemeResult | None = None,
    capabilities: EndpointCapabilities | None = None,
) -> ThemeResult:
    """Themes of ``comments`` with the chosen engine.

    For ``ThemeEngine.LLM`` pass ``llm`` (an :class:`LLMConfig`) and optionally ``client`` (an
    ``openai.OpenAI``-compatible client; built from ``llm`` when omitted) and ``redactor`` (with
    the CRM account names). The LLM engine never raises for model trouble: it returns the
    offline themes with an explanation in ``result.messages``. ``offline`` reuses an offline
    result of the same comments (the LLM engine then only names its groups); ``capabilities``
    reuses an earlier :func:`discover_capabilities` of the same endpoint (discovered otherwise).
    """
    engine = ThemeEngine(engine)
    if engine is ThemeEngine.OFFLINE:
        return extract_offline(comments, settings, embedder=embedder, progress=progress)
    from ._pipeline import extract_llm  # noqa: PLC0415

    return extract_llm(
        comments,
        llm,
        client=client,
        redactor=redactor,
        settings=settings,
        embedder=embedder,
        progress=progress,
        offline=offline,
        capabilities=capabilities,
    )


__all__ = [
    "labels_in_language",
    "FAILURE_REASONS",
    "AnswerRejectedError",
    "EndpointCapabilities",
    "check_naming",
    "content_terms",
    "discover_capabilities",
    "is_generic",
    "ask_json",
    "POLARITIES",
    "Polarity",
    "clause_polarities",
    "clause_polarity",
    "polarity_score",
    "parse_json_answer",
    "ENV_KEYS",
    "PROMPT_VERSION",
    "CostEstimate",
    "LLMConfig",
    "ThemeNaming",
    "ThemeRequest",
    "build_requests",
    "llm_requests",
    "request_bodies",
    "comments_from_workspace",
    "crm_names",
    "with_questions",
    "estimate_cost",
    "llm_cache_key",
    "make_client",
    "theme_by_dimension",
    "theme_impact",
    "theme_table",
    "theme_trend",
    "theme_period_shares",
    "topic_split",
    "CommentRecord",
    "Embedder",
    "OfflineSettings",
    "ProgressCallback",
    "Quote",
    "Redactor",
    "SubTheme",
    "Theme",
    "ThemeEngine",
    "ThemeResult",
    "adjusted_rand_index",
    "extract_themes",
    "is_non_answer",
    "mask_pii",
    "ngram_vectors",
    "split_units",
    "use_available",
]
