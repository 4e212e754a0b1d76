"""Wording shared by the report's domain modules: numbers and significance statements."""

from __future__ import annotations

from ..i18n_format import format_number, p_relation
from ..labels import code_label
from ..messages import t
from ..roles import role_label


def num(value, lang: str, digits: int = 0, sign: bool = False) -> str:
    return format_number(value, lang, digits=digits, sign=sign)


def statement(cmp, metric: str, a: str, b: str, min_n: int, lang: str, digits: int = 1) -> str:
    """The significance statement of one comparison (a :class:`cx_core.segments.Comparison`)."""
    if not cmp.tested:
        key = "segments.sig_small" if cmp.reason == "small_sample" else "segments.sig_untestable"
        return t(key, lang, metric=metric, a=a, b=b, min_n=min_n)
    key = "segments.sig_yes" if cmp.significant else "segments.sig_no"
    return t(key, lang, metric=metric, a=a, b=b, diff=f"{cmp.difference:+.{digits}f}", p=p_relation(cmp.p_adjusted))


def value_label(dimension: str, value, lang: str) -> str:
    """A dimension's value as people read it (role codes become role names, codes words in ``lang``)."""
    return role_label(value, lang) if dimension == "respondent_role" else str(code_label(str(value), lang))
