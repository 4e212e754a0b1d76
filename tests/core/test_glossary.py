"""Which statistics' names a text uses, in English and Japanese, and a meaning for each."""

import pytest

from cx_core.glossary import TERMS, terms_in
from cx_core.messages import has_message


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("p (Holm)", ["p_value", "holm"]),
        ("Importance (% of R²), Johnson's relative weights", ["relative_weights", "r_squared"]),
        ("重要度 (R²に占める%)（ジョンソンの相対的重要度）", ["relative_weights", "r_squared"]),
        ("Intervals are 95% (Wilson).", ["interval", "wilson"]),
        ("p値（Holm補正）", ["p_value", "holm"]),
        ("700 bootstrap resamples", ["bootstrap"]),
        ("Deliveries arrived late again", []),
        ("The helpdesk was helpful", []),  # no 'p (' or 'interval' inside ordinary words
    ],
)
def test_terms_are_found_in_both_languages(text, terms):
    assert terms_in([text]) == terms


def test_every_term_has_a_name_and_a_meaning_in_both_languages():
    for term in TERMS:
        assert has_message(f"glossary.{term}") and has_message(f"glossary.term.{term}")
