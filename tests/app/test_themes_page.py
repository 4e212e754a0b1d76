"""AppTest: the Themes page renders offline by default, explains the LLM setup, and runs the LLM path."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.core.test_llm_themes import FakeServer

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def open_themes() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("app_pages/themes.py")
    at.run()
    return at


def test_themes_page_offline(monkeypatch):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CX_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    at = open_themes()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    table = at.dataframe[0].value
    # dataframes carry no key in AppTest: top themes, all themes, by segment, by role, impact, trend,
    # quotes, all quotes
    assert len(at.dataframe) == 8
    assert len(table) >= 4 and table.iloc[0, 1] > 100
    assert "納期" in table.iloc[0, 0]
    quotes = at.dataframe[6].value
    assert 3 <= len(quotes) <= 5
    at.selectbox(key="themes_quote_theme").set_value("theme-02").run()
    assert not at.exception
    assert not at.dataframe[6].value.equals(quotes)
    at.radio(key="themes_engine").set_value("llm").run()
    assert not at.exception
    assert any("OPENAI_API_KEY" in i.value for i in at.info)


def test_themes_page_llm_run_and_language(monkeypatch):
    server = FakeServer()
    try:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-page-secret")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("CX_LLM_MODEL", "fake-model")
        at = open_themes()
        at.radio(key="themes_engine").set_value("llm").run()
        code = " ".join(c.value for c in at.code)
        assert "sk-page-secret" not in code and "comments" in code and "DATA" in code
        at.button(key="themes_llm_run").click().run()
        assert not at.exception, [e.value for e in at.exception]
        table = at.dataframe[0].value
        assert (table.iloc[:, 0] == "Late deliveries").all()
        assert server.requests and all("sk-page-secret" == r["auth"].split()[-1] for r in server.requests)
        at.radio(key="app_language").set_value("ja").run()
        assert not at.exception and at.title[0].value == "コメントのテーマ"
    finally:
        server.close()
