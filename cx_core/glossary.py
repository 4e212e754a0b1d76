"""Plain words for the statistics' names: which terms a text uses, and what each means.

A page that says "Holm-adjusted", "Johnson's relative weights" or "Wilson" puts the plain meaning
beside it (``ui.widgets.glossary``); the explanations are messages (``glossary.<term>``, EN/JA), so
they are written once for the page, the CLI and the reports.

>>> terms_in(["p (Holm)", "Importance (% of R²)"])
['r_squared', 'p_value', 'holm']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_START, _END = r"(?<![A-Za-z])", r"(?![A-Za-z])"  # word edges that Japanese letters next to a term do not break


def _term(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives), re.IGNORECASE)


#: term -> what finds it in English or Japanese text; the order is the order they are explained in
TERMS: dict[str, re.Pattern[str]] = {
    "nps": _term(f"{_START}NPS{_END}", "net promoter", "ネットプロモーター"),
    "interval": _term(f"{_START}(?:CI|confidence intervals?|intervals?){_END}", "信頼区間", "区間"),
    "top_box": _term(f"{_START}top-?2{_END}", "上位2段階", "トップ2"),
    "wilson": _term(f"{_START}Wilson{_END}", "ウィルソン"),
    "relative_weights": _term("relative weights", f"{_START}Johnson", "相対的重要度", "ジョンソン"),
    "r_squared": _term("R²", f"{_START}R\\^?2{_END}", "説明率"),
    "bootstrap": _term("bootstrap", "ブートストラップ"),
    "p_value": _term(f"{_START}p-values?{_END}", f"{_START}p \\(", f"{_START}p\\s*[<=]", "p値"),
    "holm": _term(f"{_START}Holm{_END}", "ホルム"),
    "bonferroni": _term("Bonferroni", "ボンフェローニ"),
    "benjamini_hochberg": _term("Benjamini", "Hochberg", "ベンジャミニ"),
    "clustered": _term("cluster(?:ed)? (?:in|on|by) accounts", "design effect", "デザイン効果", "アカウント単位"),
}


def terms_in(texts: Iterable[str | None]) -> list[str]:
    """The terms of :data:`TERMS` that ``texts`` use, in the order of :data:`TERMS`."""
    joined = "\n".join(text for text in texts if text)
    return [term for term, pattern in TERMS.items() if pattern.search(joined)]
