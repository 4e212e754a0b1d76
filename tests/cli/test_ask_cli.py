"""CLI ``ask``: the JSON contract of the README, lowest first for "lowest", never an error exit."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ["--survey", "sample_data/survey.csv", "--crm", "sample_data/crm.csv", "--as-of", "2026-10-01"]


def run_ask(question: str, *extra: str) -> tuple[int, dict]:
    out = subprocess.run(
        [sys.executable, "-m", "cx_core", "ask", question, *DATA, *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    return out.returncode, json.loads(out.stdout)


def test_ask_prints_the_contract_rows_in_the_questions_order():
    code, doc = run_ask("Which segment has the lowest NPS last quarter?")
    assert code == 0
    assert {"question", "understood", "reading", "rows", "sql", "message"} <= set(doc)
    assert doc["understood"] is True
    assert {"measure", "group_by", "filters", "period", "compare"} <= set(doc["reading"])
    assert doc["reading"]["group_by"] == ["segment"]
    assert doc["reading"]["period"]["start"] == "2026-07-01"
    values = [row["value"] for row in doc["rows"]]
    assert values == sorted(values) and len(values) == 3
    assert all({"group", "value", "n", "ci95"} <= set(row) for row in doc["rows"])
    assert doc["sql"] and all(s.startswith(("SELECT", "WITH", "DESCRIBE")) for s in doc["sql"])


def test_ask_in_japanese_with_a_nested_group_and_nonsense_exits_0():
    code, doc = run_ask("中小企業の地域別・役割別のNPS", "--lang", "ja")
    assert code == 0 and doc["understood"]
    assert isinstance(doc["rows"][0]["group"], dict)  # dimension -> value
    code, doc = run_ask("how is the weather in Osaka", "--lang", "ja")
    assert code == 0
    assert doc["understood"] is False and doc["rows"] == [] and doc["message"]
    assert doc["suggestions"]


def test_a_theme_question_counts_only_that_themes_respondents():
    code, doc = run_ask("NPS of customers who mention late deliveries")
    assert code == 0 and doc["understood"], doc["message"]
    assert doc["reading"]["themes"] == ["theme-01"]  # the offline engine's delivery complaints
    assert any("read as the theme" in g for g in doc["reading"]["guesses"])
    assert any("list_contains($f_response_ids" in s for s in doc["sql"])  # the ids as one parameter
    assert 0 < doc["rows"][0]["n"] < 4000 and "respondents" in doc["rows"][0]["group"]


def test_a_theme_question_reads_the_teams_codebook(tmp_path):
    """With ``--codebook`` the theme names are the team's (as on the Themes page), not the engine's."""
    book_path = tmp_path / "codebook.json"
    subprocess.run(
        [sys.executable, "-m", "cx_core", "codebook", "export", *DATA[:4], "--out", str(book_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=180,
    )
    book = json.loads(book_path.read_text(encoding="utf-8"))
    delivery = next(theme for theme in book["themes"] if theme["side"] == "complaint" and "deliver" in theme["label"])
    # the exported codebook as it is: its themes code the comments by their examples (clauses)
    _, as_exported = run_ask("NPS of customers who mention late deliveries", "--codebook", str(book_path))
    assert as_exported["reading"]["themes"] == [delivery["id"]]
    delivery["label"] = "Shipping woes"
    book_path.write_text(json.dumps(book), encoding="utf-8")

    code, renamed = run_ask("NPS of customers who mention shipping woes", "--codebook", str(book_path))
    assert code == 0 and renamed["understood"], renamed["message"]
    assert renamed["reading"]["themes"] == [delivery["id"]]
    assert renamed["rows"][0]["n"] == as_exported["rows"][0]["n"]  # the same members under the team's name
    _, unknown = run_ask("NPS of customers who mention shipping woes")
    assert unknown["reading"].get("themes") != [delivery["id"]]
