"""Offline themes: planted themes recovered, deterministic, Japanese, non-answers, multi-theme, views."""

from __future__ import annotations

import datetime as dt

import pytest

from cx_core.themes import (
    CommentRecord,
    Embedder,
    Redactor,
    adjusted_rand_index,
    comments_from_workspace,
    extract_themes,
    is_non_answer,
    mask_pii,
    split_units,
    theme_by_dimension,
    theme_impact,
    theme_trend,
)

NPS_COLUMN = "How likely are you to recommend us to a colleague? (0-10)"


@pytest.fixture(scope="module")
def sample_comments(sample):
    df = sample.survey
    return [
        CommentRecord(str(r), c if isinstance(c, str) else "", float(n))
        for r, c, n in zip(df["Response ID"], df["Comment"], df[NPS_COLUMN], strict=True)
    ]


@pytest.fixture(scope="module")
def sample_result(sample_comments):
    return extract_themes(sample_comments)


def test_recovers_planted_themes(sample, sample_result):
    truth = sample.truth["themes"]
    single = [r for r, themes in truth.items() if len(themes) == 1 and r in sample_result.assignments]
    planted = [truth[r][0] for r in single]
    found = ["|".join(sorted(sample_result.assignments[r])) or "none" for r in single]
    assert len(single) > 2000
    assert adjusted_rand_index(planted, found) >= 0.75
    # Comments mixing two planted themes get (at least) two themes.
    mixed = [r for r, themes in truth.items() if len(themes) == 2]
    assert sum(len(sample_result.assignments[r]) >= 2 for r in mixed) / len(mixed) >= 0.8


def test_coverage_and_theme_shape(sample_result):
    assert sample_result.uncovered_share <= 0.1
    assert 4 <= len(sample_result.themes) <= 15
    for theme in sample_result.themes:
        assert min(3, theme.count) <= len(theme.quotes) <= 5  # a side of 2 comments shows both
        assert {q.response_id for q in theme.quotes} <= set(theme.response_ids)
        assert theme.count == len(theme.response_ids)
        assert theme.mean_nps is not None and 0 <= theme.detractor_share <= 1
        assert theme.label and len(theme.label) < 120
    counts = [t.count for t in sample_result.themes]
    assert counts == sorted(counts, reverse=True)


def test_late_delivery_groups_japanese_and_english(sample_result):
    late = [
        t
        for t in sample_result.themes
        if any(w in t.label for w in ("納期", "遅延", "配送"))
        and any(w in t.label.lower() for w in ("late", "deliver"))
    ]
    assert late, [t.label for t in sample_result.themes]
    top = max(late, key=lambda t: t.count)
    assert top.side == "complaint" and top.polarity["positive"] == 0
    texts = " ".join(q.text for q in top.quotes)
    assert any(ch in texts for ch in "納遅") and "late" in texts.lower()
    assert top.detractor_share > 0.4


def test_non_answers_never_form_a_theme(sample_result, sample_comments):
    non_answers = {c.response_id for c in sample_comments if c.text and is_non_answer(c.text)}
    assert non_answers and set(sample_result.non_answer_ids) == non_answers
    for theme in sample_result.themes:
        assert not non_answers & set(theme.response_ids)
    assert not non_answers & set(sample_result.assignments)


@pytest.mark.parametrize(
    "text", ["No comment", "N/A", "nothing", "None", "特になし", "なし", "特にありません", "  -  ", "特になし。"]
)
def test_non_answer_phrases(text):
    assert is_non_answer(text)


@pytest.mark.parametrize("text", ["納期が遅い", "No comment on price, but delivery is late", "Nothing works"])
def test_real_answers_are_not_non_answers(text):
    assert not is_non_answer(text)


def test_deterministic_and_order_independent(sample_comments):
    subset = sample_comments[:800]
    first = extract_themes(subset).to_dict()
    again = extract_themes(list(reversed(subset)), embedder=Embedder()).to_dict()
    assert first == again


def test_japanese_clauses_and_mixed_comment():
    assert split_units("納期が遅い。価格体系が分かりにくい。") == ["納期が遅い。", "価格体系が分かりにくい。"]
    assert split_units("納品がいつも遅れて、価格も分かりにくい") == ["納品がいつも遅れて", "価格も分かりにくい"]
    assert split_units("Contact Mr. Smith at j.smith@example.com. Late delivery!") == [
        "Contact Mr. Smith at j.smith@example.com.",
        "Late delivery!",
    ]
    comments = []
    late = ["納期が遅い。", "配送の遅延が続いています。", "Deliveries arrived late again.", "Late delivery again."]
    price = [
        "価格体系が分かりにくい。",
        "見積もりの内訳が不明確。",
        "Pricing is hard to understand.",
        "Unclear prices.",
    ]
    for i in range(12):
        comments.append(CommentRecord(f"A{i}", late[i % 4], 3.0))
        comments.append(CommentRecord(f"B{i}", price[i % 4], 5.0))
    comments.append(CommentRecord("MIX", "納期が遅い。価格体系が分かりにくい。", 2.0))
    comments.append(CommentRecord("NA", "特になし", 8.0))
    result = extract_themes(comments)
    assert len(result.themes) == 2
    assert len(result.assignments["MIX"]) == 2
    late_key = result.assignments["A0"][0]
    assert all(result.assignments[f"A{i}"] == [late_key] for i in range(12))
    assert result.non_answer_ids == ["NA"] and result.uncovered_share == 0


def test_ngram_fallback_embedder_still_themes():
    comments = [
        CommentRecord(f"R{i}", t, 5.0)
        for i, t in enumerate(["Late delivery again."] * 5 + ["Unclear pricing in quotes."] * 5)
    ]
    result = extract_themes(comments, embedder=Embedder("ngram"))
    assert result.engine == "offline (char-ngram)" and len(result.themes) == 2


def test_adjusted_rand_index():
    assert adjusted_rand_index([1, 1, 2, 2], ["a", "a", "b", "b"]) == 1.0
    assert adjusted_rand_index([1, 1, 2, 2], [1, 2, 1, 2]) < 0
    assert adjusted_rand_index([1, 1, 1, 2, 2, 2], [1, 1, 2, 2, 2, 2]) == pytest.approx(0.3243, abs=1e-3)


def test_redaction_of_planted_and_japanese_pii():
    redact = Redactor(["Sakura Seiki 12"])
    text = (
        "田中様から連絡をお願いします。taro.yamada@example.co.jp 03-1234-5678までご連絡ください。〒100-0001 "
        "Contact Mr. Smith at j.smith@example.com or 090-1234-5678, +81 90 1234 5678, https://x.example/a. "
        "営業の佐藤さんと鈴木氏. Sakura seiki 12 ships late. Austin, TX 78701"
    )
    out = redact(text)
    for secret in (
        "田中",
        "taro",
        "03-1234",
        "100-0001",
        "Smith",
        "j.smith",
        "090-1234",
        "+81",
        "x.example",
        "佐藤",
        "鈴木",
        "Sakura",
        "78701",
    ):
        assert secret not in out, secret
    assert "ships late" in out and "お客様" in mask_pii("お客様対応")


def test_views_on_workspace(ws):
    comments = comments_from_workspace(ws)
    result = extract_themes(comments)
    by_segment = theme_by_dimension(result, comments, "segment")
    top = result.themes[0].key
    smb = by_segment[(by_segment["key"] == top) & (by_segment["group"] == "SMB")]["share"].iloc[0]
    ent = by_segment[(by_segment["key"] == top) & (by_segment["group"] == "Enterprise")]["share"].iloc[0]
    assert smb > ent  # late delivery is SMB's most common theme (planted)
    by_role = theme_by_dimension(result, comments, "role")
    assert set(by_role["group"]) >= {"executive", "procurement", "engineer", "admin"}
    impact = theme_impact(result, comments).set_index("key")
    assert impact.loc[top, "difference"] < 0 and impact.loc[top, "n_with"] == result.themes[0].count
    trend = theme_trend(result, comments)
    assert trend["quarter"].str.match(r"^\d{4}-Q[1-4]$").all() and (trend["share"] <= 1).all()


def test_empty_input():
    result = extract_themes([CommentRecord("R1", "", None), CommentRecord("R2", "特になし", None)])
    assert result.themes == [] and result.n_substantive == 0 and result.non_answer_ids == ["R2"]


def test_record_dates_are_optional():
    result = extract_themes(
        [CommentRecord(f"R{i}", "Late delivery again.", 5.0, submitted_at=dt.datetime(2026, 1, 1)) for i in range(3)]
    )
    assert result.themes and result.themes[0].count == 3


def test_cli_themes_offline_and_llm_fallback(tmp_path):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CX_LLM_MODEL")}
    base = [sys.executable, "-m", "cx_core", "summarize", "--survey", "sample_data/survey.csv"]
    base += ["--crm", "sample_data/crm.csv", "--themes"]
    out = subprocess.run(base, cwd=root, capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["themes"] and 0 <= doc["themes_uncovered_share"] <= 0.1
    first = doc["themes"][0]
    assert {"label", "count", "share", "sentiment", "response_ids", "quotes"} <= set(first)
    assert first["count"] == len(first["response_ids"]) and first["sentiment"]["mean_nps"] is not None
    assert isinstance(doc["themes_non_answers"], int) and doc["themes_non_answers"] > 0
    for theme in doc["themes"]:
        assert set(theme["polarity"]) == {"positive", "negative", "neutral", "request"}
        if theme.get("general"):
            assert theme["side"] in ("praise", "complaint", "request")
        else:
            assert theme["topic"] and theme["side"] in ("praise", "complaint", "request", "neutral")
            assert theme["label"].startswith(theme["topic"])
    out = subprocess.run([*base, "--engine", "llm"], cwd=root, capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["themes"] and doc["themes_messages"] == [{"code": "themes.msg.no_key"}]


def test_theme_impact_headline_is_a_clear_difference_never_a_small_theme():
    from cx_core.filters import Filters
    from cx_core.report import ReportContext
    from cx_core.report.themes import theme_impact_section

    comments = [CommentRecord(f"A{i:03d}", "The onboarding training was excellent", 10.0) for i in range(40)]
    comments += [CommentRecord(f"C{i:03d}", "Deliveries arrive late every week", 6.0 + 2 * (i % 2)) for i in range(40)]
    comments += [CommentRecord(f"P{i:03d}", "Passwords reset emails never come", 0.0) for i in range(4)]
    comments += [CommentRecord(f"N{i:03d}", "We use the reporting module daily", 8.0) for i in range(40)]
    result = extract_themes(comments)
    impact = theme_impact(result, comments)
    assert {"difference_low", "difference_high", "p_adjusted"} <= set(impact.columns)
    rated = impact.dropna(subset=["difference"])
    assert (rated["difference_low"] <= rated["difference"]).all() and (
        rated["difference"] <= rated["difference_high"]
    ).all()
    section = theme_impact_section(ReportContext(None, Filters(), "en", 30), result, comments)
    small = impact[impact["n_with"] < 30]
    assert len(small) and small["difference"].min() < rated[rated["n_with"] >= 30]["difference"].min()
    labels = list(section.table["Theme"])
    assert all(f"{lab} *" in labels for lab in small["label"])  # flagged
    assert not any(lab in section.finding for lab in small["label"])  # never the headline
    assert "deliver" in section.finding.lower() and "95% interval" in section.finding


def test_theme_trend_headline_is_the_clearest_change_since_last_quarter():
    from cx_core.filters import Filters
    from cx_core.report import ReportContext
    from cx_core.report.themes import theme_trend_section

    q1, q2 = dt.datetime(2026, 2, 1), dt.datetime(2026, 5, 1)
    texts = ["Deliveries arrive late every week", "The onboarding training was excellent", "Reports export to Excel"]
    comments = []
    for quarter, counts in ((q1, (10, 45, 45)), (q2, (40, 40, 40))):  # late deliveries: 10% then 33%
        for text, count in zip(texts, counts, strict=True):
            for i in range(count):
                comments.append(CommentRecord(f"{quarter:%m}-{text[:4]}-{i:03d}", text, 5.0, submitted_at=quarter))
    result = extract_themes(comments)
    finding = theme_trend_section(ReportContext(None, Filters(), "en", 30), result, comments).finding
    assert "deliver" in finding.lower() and "rose from 10% to 33%" in finding and "2026-Q1 and 2026-Q2" in finding

    flat = comments[:100] + [CommentRecord(f"x{c.response_id}", c.text, 5.0, submitted_at=q2) for c in comments[:100]]
    finding = theme_trend_section(ReportContext(None, Filters(), "en", 30), extract_themes(flat), flat).finding
    assert "rose" not in finding and "fell" not in finding  # the same shares: no change is claimed
    assert "no theme's share changed clearly since 2026-Q1" in finding
