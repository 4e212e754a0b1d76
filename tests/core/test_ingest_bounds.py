"""Read limits and broken quoting, in-process (the real-process bombs are in test_hostile_files.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cx_core.capacity import GIB, MIB, plan
from cx_core.errors import FileLimitError, error_text
from cx_core.ingest import load_inputs, read_table, warning_text
from cx_core.ingest.limits import MIN_CELLS, MIN_ROWS, read_limits
from cx_core.ingest.parse import find_unclosed_quote, repair_unclosed_quotes
from tests.hostile_files import dimension_bomb, unclosed_quote_csv

NPS = "How likely are you to recommend us? (0-10)"


def test_limits_come_from_the_session_budget_and_each_setting_overrides_its_own():
    small = read_limits({}, plan(4 * GIB, 2, max_sessions=20, env={}))
    big = read_limits({}, plan(64 * GIB, 8, max_sessions=4, env={}))
    assert (small.max_cells, small.max_rows) == (MIN_CELLS, MIN_ROWS)  # the floors
    assert big.max_cells > small.max_cells and big.max_bytes > small.max_bytes
    env = {"CX_READ_MAX_MB": "300", "CX_READ_MAX_COLUMNS": "1,000", "CX_READ_MAX_ROWS": "oops"}
    custom = read_limits(env, plan(4 * GIB, 2, max_sessions=20, env={}))
    assert (custom.max_bytes, custom.max_columns) == (300 * MIB, 1000)
    assert custom.max_rows == small.max_rows  # a mistyped setting keeps the default (and is logged)


def test_each_limit_is_one_sentence_in_each_language_naming_the_setting():
    survey = f"id,{NPS}\n" + "".join(f"r{i},{i % 11}\n" for i in range(50))
    limits = read_limits()
    for changed, setting in (
        (replace(limits, max_columns=1), "CX_READ_MAX_COLUMNS"),
        (replace(limits, max_rows=10), "CX_READ_MAX_ROWS"),
        (replace(limits, max_cells=20), "CX_READ_MAX_CELLS"),
        (replace(limits, max_bytes=100), "CX_READ_MAX_MB"),
    ):
        with pytest.raises(FileLimitError) as caught:
            load_inputs(survey.encode(), "survey.csv", limits=changed)
        for lang in ("en", "ja"):
            text = error_text(caught.value, lang)
            assert setting in text and "survey.csv" in text and text.count("\n") == 0
        assert caught.value.code == "file_limit"


def test_rows_counted_from_line_breaks_do_not_refuse_a_file_of_long_multiline_comments():
    comment = '"' + "line\n" * 30 + 'end"'
    survey = f"id,{NPS},comment\n" + "".join(f"r{i},9,{comment}\n" for i in range(40))
    table = read_table(survey.encode(), "survey.csv", limits=replace(read_limits(), max_rows=100))
    assert table.rows_read == 40  # 1,200 lines, 40 records


def test_dimension_of_a_sheet_is_not_trusted(tmp_path):
    table = read_table(dimension_bomb(tmp_path / "d.xlsx").read_bytes(), "d.xlsx")
    assert (table.rows_read, list(table.frame.columns)) == (2, [NPS])
    with pytest.raises(FileLimitError, match="16,384 columns"):
        read_table(dimension_bomb(tmp_path / "e.xlsx", far_cell=True).read_bytes(), "e.xlsx")


def test_the_unclosed_quote_is_found_with_its_line_and_the_rows_after_it_load(tmp_path):
    loaded = load_inputs(unclosed_quote_csv(tmp_path / "q.csv").read_bytes(), "q.csv")
    report = loaded.survey_report
    assert report.rows_read == 1101 == report.rows_loaded + report.rows_rejected
    (warning,) = [w for w in report.warnings if w.code == "unclosed_quote"]
    assert warning.values["line"] == 102
    assert "102" in warning_text(warning, "ja") and "line 102" in warning_text(warning, "en")
    broken = loaded.survey.responses.set_index("response_id").loc["broken"]
    assert broken["nps"] == 5


def test_quotes_in_quoted_cells_and_line_breaks_are_not_mistaken_for_an_unclosed_quote():
    text = 'id,comment\n1,"he said ""hi""\nthen left"\n2,5" screen\n3,"ok"\n'
    assert find_unclosed_quote(text, ",") is None
    broken = 'id,comment\n1,"multi\nline"\n2,"never closed\n3,x\n'
    record, line, _ = find_unclosed_quote(broken, ",")
    assert (record, line) == (2, 4)  # the header is record 0; the quoted line break moves lines on
    repaired, where = repair_unclosed_quotes(broken, ",")
    assert where == [(2, 4)] and find_unclosed_quote(repaired, ",") is None


def test_two_nps_columns_with_the_same_header_are_a_warning():
    survey = f"id,{NPS},{NPS},comment\nr1,9,2,good\nr2,3,10,slow\n".encode()
    loaded = load_inputs(survey, "survey.csv")
    warnings = [w for w in loaded.survey_report.warnings if w.code == "duplicate_header"]
    assert len(warnings) == 1
    (warning,) = warnings
    assert warning.values["field"] == "nps" and warning.values["count"] == 2
    assert warning.columns[0] == loaded.survey_mapping.fields["nps"]
    en, ja = warning_text(warning, "en"), warning_text(warning, "ja")
    assert "2 columns headed" in en and f"'{NPS} (2)'" in en
    assert "2 列" in ja


def test_a_raised_column_limit_is_honoured_by_every_reader():
    header = ",".join(f"q{i}" for i in range(6000))
    data = f"{header}\n{','.join('9' for _ in range(6000))}\n".encode()
    with pytest.raises(FileLimitError, match="6,000 columns"):
        read_table(data, "wide.csv")
    assert read_table(data, "wide.csv", limits=replace(read_limits(), max_columns=7000)).frame.shape == (1, 6000)


def test_a_quote_never_closed_cannot_hide_blank_lines_from_the_row_count():
    data = f'id,{NPS},comment\nr1,9,"opens\n'.encode() + b"\n" * 300 + b"r2,3,x\n"
    with pytest.raises(FileLimitError, match="rows"):
        read_table(data, "survey.csv", limits=replace(read_limits(), max_rows=100))


def test_a_sheet_may_hold_half_the_cells_of_a_csv(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    for i in range(30):
        book.active.append([f"r{i}", i % 11])
    book.active.insert_rows(1)
    book.active["A1"], book.active["B1"] = "id", NPS
    path = tmp_path / "s.xlsx"
    book.save(path)
    csv_text = "id," + NPS + "\n" + "".join(f"r{i},{i % 11}\n" for i in range(30))
    limits = replace(read_limits(), max_cells=100)  # 31 rows x 2 columns = 62 cells
    assert read_table(csv_text.encode(), "s.csv", limits=limits).rows_read == 30
    with pytest.raises(FileLimitError, match="cells"):
        read_table(path.read_bytes(), "s.xlsx", limits=limits)
