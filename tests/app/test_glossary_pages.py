"""Issue 21 (hard to read): a statistic's name on a page has its plain meaning beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx_core import t
from cx_core.glossary import TERMS, terms_in
from ui.sync import state

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = ("overview", "segments", "drivers", "moments", "themes", "accounts")


def page_texts(at: AppTest) -> list[str]:
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
    return [str(e.value).replace("\\", "") for kind in kinds for e in getattr(at, kind)]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_statistics_word_on_a_page_is_explained_on_it(lang):
    meanings = {term: t(f"glossary.{term}", lang) for term in TERMS}
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state[state.LANGUAGE] = lang
    at.run()
    explained_somewhere = set()
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        texts = page_texts(at)
        said = [text for text in texts if not any(m in text for m in meanings.values())]
        shown = {term for term, meaning in meanings.items() if any(meaning in text for text in texts)}
        missing = set(terms_in(said)) - shown
        assert not missing, f"{page}: {sorted(missing)} used but not explained"
        explained_somewhere |= shown
    assert {"nps", "interval", "holm", "relative_weights"} <= explained_somewhere
