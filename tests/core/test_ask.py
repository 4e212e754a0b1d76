"""Ask the data: the offline parser on the question set, and answers equal to the pages' figures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from ask_scoring import TODAY, score, vocab, workspace  # noqa: E402

from cx_core import Filters, overview  # noqa: E402
from cx_core.ask import ask, group_text, parse, suggestions  # noqa: E402
from cx_core.drivers import catalogue_from_workspace, driver_scores  # noqa: E402
from cx_core.report import ReportContext, build_sections  # noqa: E402
from cx_core.segments import segmentation_view  # noqa: E402


def test_offline_parser_reads_at_least_90_percent_of_the_question_set():
    right, total, wrong = score()
    dev_right, dev_total, _ = score("dev")
    held_right, held_total, _ = score("heldout")
    print(
        f"\nask question set: all {right}/{total} = {right / total:.3f}; development {dev_right}/{dev_total} ="
        f" {dev_right / dev_total:.3f}; held-out {held_right}/{held_total} = {held_right / held_total:.3f}"
    )
    assert total >= 150
    assert right / total >= 0.9, [item["q"] for item, _ in wrong]
    for lang in ("en", "ja"):
        lang_right, lang_total, _ = score(lang=lang)
        assert lang_total >= (100 if lang == "en" else 50)
        assert lang_right / lang_total >= 0.9


def _ask(question: str, data: str = "sample", lang: str = "en", min_n: int = 30):
    result = ask(workspace(data), question, lang=lang, min_n=min_n, vocab=vocab(data))
    assert result.understood, (question, result.message)
    return result


def _rows(result) -> dict:
    return {str(r.group_json()): (r.value, r.n, r.ci95) for r in result.rows}


def test_overall_answer_is_the_overview_headline():
    ws = workspace("sample")
    result = _ask("What is our NPS?")
    ov = overview(ws)
    assert [(r.value, r.n, r.ci95) for r in result.rows] == [(ov.nps.score, ov.nps.n, ov.nps.ci95)]
    last_quarter = _ask("CSAT last quarter")
    ov = overview(ws, Filters.make(TODAY.replace(month=7, day=1), TODAY.replace(month=9, day=30)))
    assert ov.csat is not None
    assert [(r.value, r.n) for r in last_quarter.rows] == [(ov.csat.score, ov.csat.n)]


def test_groups_equal_the_overview_section_and_the_segments_page():
    ws = workspace("sample")
    result = _ask("NPS by segment")
    section = build_sections(ReportContext(ws, Filters(), "en", 30), ["by_segment"])[0]
    table = section.table
    assert table is not None
    page = {row["Group"]: (row["NPS"], row["n"]) for _, row in table.iterrows()}
    assert {g: (v, n) for g, (v, n, _) in _rows(result).items()} == page
    view = segmentation_view(ws, dimension="segment")
    assert [r.group for r in view.groups] == [r.group_json() for r in result.rows]  # the page's order
    assert {g.group: (g.scores.nps.score, g.scores.nps.n, g.scores.nps.ci95) for g in view.groups} == _rows(result)


def test_filtered_groups_in_japanese_equal_the_segments_page_lowest_first():
    ws = workspace("sample")
    result = _ask("購買担当のCSATが一番低いセグメントは?", lang="ja")
    view = segmentation_view(ws, Filters.make(respondent_role=["procurement"]), dimension="segment")
    page = {g.group: g.scores.csat for g in view.groups}
    labels = {"大企業": "Enterprise", "中堅企業": "Mid-market", "中小企業": "SMB"}
    for row in result.rows:
        expected = page[labels[str(row.group)]]
        assert expected is not None and (row.value, row.n, row.ci95) == (expected.score, expected.n, expected.ci95)
    values = [r.value for r in result.rows]
    assert values == sorted(values)  # "一番低い": the lowest first
    assert "中小企業" in result.message


def test_a_comparison_equals_the_segments_page_test():
    ws = workspace("sample")
    result = _ask("Enterprise vs SMB CSAT")
    view = segmentation_view(ws, dimension="segment")
    page = view.compare("Enterprise", "SMB", "csat")
    assert result.difference is not None
    assert result.difference.difference == page.difference
    assert result.difference.clear == page.significant
    assert [r.group for r in result.rows] == ["Enterprise", "SMB"]
    decision = _ask("NPS of decision makers by segment")
    view = segmentation_view(ws, Filters.make(respondent_role=["executive", "procurement"]), dimension="segment")
    assert {g.group: (g.scores.nps.score, g.scores.nps.n, g.scores.nps.ci95) for g in view.groups} == _rows(decision)


def test_trend_and_periods_equal_the_segments_trend():
    ws = workspace("sample")
    result = _ask("NPS trend by quarter")
    trend = segmentation_view(ws, grain="quarter").trend.frame
    assert [(r.group, r.value, r.n) for r in result.rows] == [
        (p, v, n) for p, v, n in zip(trend["period"], trend["nps"], trend["n"], strict=True)
    ]
    compared = _ask("NPS last quarter vs the one before")
    assert [r.group for r in compared.rows] == ["2026-07-01 – 2026-09-30", "2026-04-01 – 2026-06-30"]
    assert [r.n for r in compared.rows] == [int(trend["n"].iloc[-1]), int(trend["n"].iloc[-2])]
    assert compared.difference is not None and compared.difference.tested


def test_drivers_equal_the_driver_scores_lowest_first():
    ws = workspace("sample")
    result = _ask("Which driver is rated lowest?")
    scores = driver_scores(ws, catalogue_from_workspace(ws))
    labels = {d["label"]: d["key"] for d in catalogue_from_workspace(ws)}
    for row in result.rows:
        n, mean, _ = scores[labels[str(row.group)]]
        assert (row.value, row.n) == (mean, n)
    values = [r.value for r in result.rows]
    assert values == sorted(values)


def test_the_sql_shown_is_what_ran_and_only_reads():
    result = _ask("NPS of enterprise decision makers last quarter vs the one before")
    assert result.sql
    for statement in result.sql:
        assert statement.split()[0].upper() in ("SELECT", "WITH", "DESCRIBE"), statement
    assert any("'Enterprise'" in s for s in result.sql)  # the values, as parameters, are shown beside


def test_small_groups_are_flagged_never_ranked_and_too_few_cannot_tell():
    by_region = _ask("Which region has the lowest NPS?", data="generated")
    assert by_region.rows[-1].group == "沖縄" and by_region.rows[-1].small_sample
    solid = [r.value for r in by_region.rows if not r.small_sample]
    assert solid == sorted(solid)
    assert "fewer than 30" in by_region.message
    top = _ask("top 2 regions by NPS", data="generated")
    assert len(top.rows) == 2 and not any(r.small_sample for r in top.rows)
    okinawa = _ask("沖縄のNPS", data="generated")
    assert okinawa.rows[0].small_sample
    assert okinawa.message.startswith("Cannot tell")
    versus = _ask("関東と沖縄のNPSを比較", data="generated")
    assert versus.difference is not None and not versus.difference.tested
    assert (
        "判断できません"
        in ask(workspace("generated"), "関東と沖縄のNPSを比較", lang="ja", vocab=vocab("generated")).message
    )


@pytest.mark.parametrize(
    ("question", "lang", "word"),
    [("NPS in Brazil", "en", "brazil"), ("what is the weather", "en", "weather"), ("ブラジルのNPS", "ja", "ブラジル")],
)
def test_questions_about_what_the_data_lacks_get_suggestions_not_errors(question, lang, word):
    result = ask(workspace("sample"), question, lang=lang, vocab=vocab("sample"))
    assert not result.understood
    assert word in result.message
    assert result.reading.suggestions
    assert result.rows == () and result.sql == ()
    values = {group_text(d, v, lang) for d, vs in vocab("sample").values for v in vs}
    assert any(any(v in s for v in values) for s in result.reading.suggestions)  # built from the data


def test_a_measure_the_data_lacks_is_said_plainly():
    result = ask(workspace("generated"), "What is the CES?", vocab=vocab("generated"), lang="en")
    assert not result.understood
    assert "CES" in result.message or "ces" in result.message


def test_misspellings_are_read_and_shown_as_guesses():
    reading = parse("entreprise NPS by regoin", vocab("sample"), lang="en")
    assert reading.understood
    assert reading.spec.filter_dict() == {"segment": ["Enterprise"]}
    assert reading.spec.group_by == ("region",)
    assert any("entreprise" in g for g in reading.guesses)


def test_suggestions_come_from_the_data_in_both_languages():
    assert any("Enterprise" in s or "SMB" in s for s in suggestions(vocab("sample"), "en"))
    assert any("大企業" in s or "中小企業" in s for s in suggestions(vocab("generated"), "ja"))


def test_a_pinned_answer_is_a_report_section_in_html_and_pptx():
    import io
    import zipfile

    from cx_core.ask import measure_label, spec_filters
    from cx_core.report import answer_section, build_report, render_html, render_pptx

    ws = workspace("sample")
    result = _ask("Which segment has the lowest NPS?")
    section = answer_section(ReportContext(ws, spec_filters(result.spec), "en", 30), result, measure_label("nps", "en"))
    assert section is not None and section.chart is not None
    assert list(section.table["n"]) == [r.n for r in result.rows]
    report = build_report(ws, lang="en", prebuilt=[section])
    html = render_html(report).decode("utf-8")
    assert "Which segment has the lowest NPS?" in html and "Lowest NPS: SMB" in html
    slides = zipfile.ZipFile(io.BytesIO(render_pptx(report)))
    text = " ".join(slides.read(n).decode("utf-8") for n in slides.namelist() if n.startswith("ppt/slides/slide"))
    assert "Lowest NPS: SMB" in text


def test_any_text_is_read_or_refused_never_an_error():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    words = st.sampled_from(
        [
            "NPS",
            "by",
            "segment",
            "vs",
            "SMB",
            "大企業",
            "の",
            "last quarter",
            "top 3",
            "'; DROP TABLE facts; --",
            "lowest",
            "先月",
            "region",
            "Kanto",
            "since April",
            "2025年",
            "q9",
            "99月",
            "\x00",
            "%",
            "driver",
            "比較",
            "2026年13月",
            "2026年0月以降",
            "past 99999999999 days",
            "last 0 months",
            "since 2026-13",
            "top 0",
            "top 999",
        ]
    )

    @settings(max_examples=80, derandomize=True)
    @given(st.lists(st.one_of(words, st.text(max_size=8)), max_size=8))
    def check(parts):
        question = " ".join(parts)
        reading = parse(question, vocab("sample"), lang="en")
        if reading.understood:
            result = ask(workspace("sample"), question, vocab=vocab("sample"), lang="en")
            assert all(s.split()[0].upper() in ("SELECT", "WITH", "DESCRIBE") for s in result.sql)

    check()
    for question in ("NPS 2026年13月", "NPS 2026年0月以降", "NPS past 99999999999 days", "NPS by region top 0"):
        ask(workspace("sample"), question, vocab=vocab("sample"), lang="en")  # read or refused, never raised
    assert workspace("sample").response_count() > 0


@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("NPS from April to June", ("2026-04-01", "2026-06-30")),
        ("NPS from november 2025 to february 2026", ("2025-11-01", "2026-02-28")),
        ("2026年4月から9月のNPS", ("2026-04-01", "2026-09-30")),
        ("NPS in the first half of 2026", ("2026-01-01", "2026-06-30")),
        ("上半期のNPS", ("2026-01-01", "2026-06-30")),
        ("NPS since April", ("2026-04-01", None)),
    ],
)
def test_ranges_and_halves_of_the_year(question, period):
    reading = parse(question, vocab("sample"), lang="en")
    assert reading.understood and reading.spec.period is not None
    start, end = reading.spec.period.start, reading.spec.period.end
    assert (start.isoformat(), end.isoformat() if end else None) == period


def test_the_top_of_the_lowest_is_lowest_first():
    for question in ("top 3 worst regions", "満足度の低い業界トップ3"):
        spec = parse(question, vocab("sample"), lang="en").spec
        assert (spec.order, spec.top) == ("asc", 3), question


def test_every_driver_side_by_side_for_two_groups():
    ws = workspace("sample")
    result = _ask("drivers for SMB vs Enterprise")
    catalogue = catalogue_from_workspace(ws)
    labels = {d["label"]: d["key"] for d in catalogue}
    for row in result.rows:
        group = row.group_json()
        assert isinstance(group, dict)
        scores = driver_scores(ws, catalogue, Filters.make(segment=[group["segment"]]))
        assert (row.value, row.n) == scores[labels[group["driver"]]][1::-1]
    best = max(result.rows, key=lambda r: r.value or 0)
    assert result.message.startswith("Rated highest: " + " · ".join(best.group_json().values()))


@pytest.mark.parametrize(("question", "dimension"), [("NPS by segment", "by_segment"), ("NPS by role", "by_role")])
def test_a_groups_clear_gap_is_judged_as_the_overview_headline_judges_it(question, dimension):
    ws = workspace("sample")
    result = _ask(question)
    section = build_sections(ReportContext(ws, Filters(), "en", 30), [dimension])[0]
    page_says_clear = not section.finding.startswith("No clear gap")
    assert result.difference is not None and result.difference.correction == "pairs"
    assert result.difference.clear == page_says_clear


def test_the_answer_sentence_names_its_interval_once():
    for lang, question, said in (("en", "What is our NPS?", "95% CI"), ("ja", "NPSは?", "95%信頼区間")):
        result = _ask(question, lang=lang)
        sentence = result.message
        assert sentence.count(said) == 1 and "95% interval 95%" not in sentence and "95%区間 95%" not in sentence
