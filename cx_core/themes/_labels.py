"""Theme labels in the reader's language (the offline engine writes them in the comments' language)."""

from __future__ import annotations

from dataclasses import replace

from ._naming import is_japanese_term
from ._steps.data import GENERAL_LABELS, GENERAL_LABELS_JA, SIDE_WORDS
from ._types import ThemeResult


def labels_in_language(result: ThemeResult, lang: str) -> ThemeResult:
    """``result`` with the offline engine's side words and general groups in the reader's language.

    The offline engine writes "<topic>: complaints" in the language of the comments; a Japanese
    reader of English comments sees "<topic>: 不満", an English reader of Japanese comments
    "<topic>: complaints". Topic names stay as the customers wrote them; names an LLM gave stay as
    they are. The CLI keeps the engine's own labels.
    """
    japanese = lang == "ja"
    themes = []
    for theme in result.themes:
        label = theme.label
        if theme.source == "offline" and theme.general and theme.side in GENERAL_LABELS:
            label = (GENERAL_LABELS_JA if japanese else GENERAL_LABELS)[theme.side]
        elif theme.source == "offline" and theme.topic and theme.side in SIDE_WORDS[japanese]:
            label = f"{_topic_in_language(theme.topic, japanese)}: {SIDE_WORDS[japanese][theme.side]}"
        themes.append(replace(theme, label=label))
    broad = [_topic_in_language(topic, japanese) for topic in result.broad_topics]
    return replace(result, themes=themes, broad_topics=broad)


def _topic_in_language(topic: str, japanese: bool) -> str:
    """The reader's half of a two-language topic name ("納期・納品 / deliveries" -> "deliveries" in English);
    a name in one language stays as the customers wrote it."""
    parts = topic.split(" / ")
    if len(parts) != 2:
        return topic
    mine = [p for p in parts if is_japanese_term(p) == japanese]
    return mine[0] if len(mine) == 1 else topic
