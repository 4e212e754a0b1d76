"""The streaming ingest (cx_core.ingest.stream) gives the same data, reports and summary as the
in-memory path: on the sample, on generated real layouts and on duplicates that cross chunks.

Every file here is small, so the streaming path is forced (``CX_STREAM_MIN_MB=0``) with chunks of
a few hundred rows and Arrow blocks of a few KB: every rule that needs the whole file meets a
chunk boundary.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cx_core.ingest import load_inputs, stream
from cx_core.ingest.validate import SurveyData
from cx_core.summary import build_summary
from cx_core.workspace import Workspace
from tests import real_layouts

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
SMALL = stream.StreamOptions(sample_rows=100_000, chunk_rows=300, block_bytes=16 * 1024)


def _load(monkeypatch, streamed: bool, *args, options=SMALL, **kwargs):
    monkeypatch.setenv("CX_STREAM_MIN_MB", "0" if streamed else "100000")
    monkeypatch.setattr(stream, "OPTIONS", options)
    return load_inputs(*args, **kwargs)


def _same_data(old, new) -> None:
    assert new.survey_report.to_dict() == old.survey_report.to_dict()
    assert new.survey_mapping.to_dict() == old.survey_mapping.to_dict()
    assert new.survey_columns == old.survey_columns
    assert new.survey.notes == old.survey.notes
    assert [d.to_dict() for d in new.survey.drivers] == [d.to_dict() for d in old.survey.drivers]
    for table in ("responses", "ratings", "answers"):
        pd.testing.assert_frame_equal(
            getattr(new.survey, table), getattr(old.survey, table).reset_index(drop=True), check_dtype=False
        )
    pd.testing.assert_frame_equal(
        new.survey_report.rejected_cells.astype(str), old.survey_report.rejected_cells.astype(str)
    )


def _summary(loaded) -> str:
    ws = Workspace.from_loaded(loaded)
    try:
        out = build_summary(ws, min_n=30, themes=False, environ={}, as_of=dt.date(2026, 6, 1))
    finally:
        ws.close()
    return json.dumps(out, sort_keys=True, default=str)


def test_sample_streamed_in_chunks_gives_the_same_data_and_summary(monkeypatch):
    survey, crm = (SAMPLE / "survey.csv").read_bytes(), (SAMPLE / "crm.csv").read_bytes()
    old = _load(monkeypatch, False, survey, "survey.csv", crm, "crm.csv")
    new = _load(monkeypatch, True, survey, "survey.csv", crm, "crm.csv")
    assert type(old.survey) is SurveyData
    assert isinstance(new.survey, stream.StagedSurveyData)
    _same_data(old, new)
    assert _summary(new) == _summary(old)


@pytest.mark.parametrize("layout", ["qualtrics_likert", "product_nps", "french_nps", "japanese_satisfaction"])
def test_real_layouts_give_the_same_data_and_summary(monkeypatch, layout):
    data = getattr(real_layouts, layout)()
    old = _load(monkeypatch, False, data, f"{layout}.csv")
    new = _load(monkeypatch, True, data, f"{layout}.csv")
    # legacy code pages and repaired files keep the in-memory path, which repairs and counts them
    if layout in ("french_nps", "japanese_satisfaction"):
        assert type(new.survey) is SurveyData
    else:
        assert isinstance(new.survey, stream.StagedSurveyData)
    _same_data(old, new)
    assert _summary(new) == _summary(old)


def _duplicates_file() -> bytes:
    lines = ["Response ID,Account ID,Role,Submitted,NPS (0-10),Comment"]
    for i in range(1, 1201):
        lines.append(f"R{i},A{i % 40},Engineer,2026-03-{1 + i % 28:02d},{i % 11},comment {i % 7}")
    lines[900] = lines[5]  # an exact duplicate of row 6, chunks apart
    lines[1100] = "R7,A7,Buyer,2026-04-30,10,answered again later"  # R7 again, with a later date
    lines[450] = "R9,A9,Buyer,2026-01-01,3,answered again earlier"  # R9 again, an earlier date
    lines[700] = "R700,A1,Engineer,2026-03-01,eleven,bad score"
    lines[701] = ",,,,,"  # blank row
    lines[1150] = lines[1149]  # an exact duplicate of the row just before (same chunk)
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_duplicates_across_chunks_rejected_with_the_same_reasons(monkeypatch):
    data = _duplicates_file()
    old = _load(monkeypatch, False, data, "dups.csv")
    new = _load(monkeypatch, True, data, "dups.csv")
    assert isinstance(new.survey, stream.StagedSurveyData)
    _same_data(old, new)
    report = new.survey_report
    assert report.rows_read == report.rows_loaded + report.rows_rejected == 1200
    reasons = {r.row: r.reason for r in report.rejected}
    assert reasons[901] == "duplicate of row 6"
    assert reasons[8] == "respondent 'R7' answered again (row 1101 is kept)"
    assert reasons[451] == "respondent 'R9' answered again (row 10 is kept)"
    assert "not a number" in reasons[701] and reasons[702] == "empty row"
    assert [w.code for w in report.warnings] == [w.code for w in old.survey_report.warnings]


def test_a_ragged_file_keeps_the_in_memory_path(monkeypatch):
    data = b"Response ID,NPS (0-10),Comment\nR1,9,good\nR2,3,bad,extra cell\nR3,10\n"
    new = _load(monkeypatch, True, data, "ragged.csv")
    old = _load(monkeypatch, False, data, "ragged.csv")
    assert type(new.survey) is SurveyData
    assert new.survey_report.to_dict() == old.survey_report.to_dict()


def test_streamed_workspace_stays_locked_down_and_its_file_goes_with_it(monkeypatch, tmp_path):
    survey = (SAMPLE / "survey.csv").read_bytes()
    options = stream.StreamOptions(chunk_rows=1000, block_bytes=64 * 1024, scratch_dir=str(tmp_path))
    loaded = _load(monkeypatch, True, survey, "survey.csv", options=options)
    ws = Workspace.from_loaded(loaded)
    assert ws.response_count() == loaded.survey_report.rows_loaded
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    duckdb.execute(f"COPY (SELECT 1 AS a) TO '{tmp_path / 'other.parquet'}' (FORMAT parquet)")
    for sql in (
        f"SELECT * FROM read_csv('{secret}')",
        f"ATTACH '{tmp_path / 'other.duckdb'}' AS other",
        f"COPY responses TO '{tmp_path / 'out.csv'}'",
        # the staged Parquet files are readable (the views), but no other Parquet file is, and
        # none is written over
        f"SELECT * FROM read_parquet('{tmp_path / 'other.parquet'}')",
        f"COPY (SELECT 1 AS a) TO '{loaded.survey.files[0]}' (FORMAT parquet)",
        # written in place (no temporary file to refuse), by path or through the read-only address
        f"COPY (SELECT 1 AS a) TO '{loaded.survey.files[0]}' (FORMAT parquet, USE_TMP_FILE false)",
        f"COPY (SELECT 1 AS a) TO 'cxro://{loaded.survey.files[0]}' (FORMAT parquet, USE_TMP_FILE false)",
        f"SELECT * FROM read_parquet('cxro://{tmp_path / 'other.parquet'}')",
    ):
        with pytest.raises(duckdb.Error):
            ws.con.execute(sql)
    assert not (tmp_path / "out.csv").exists()
    assert ws.response_count() == loaded.survey_report.rows_loaded  # the files are as they were
    assert sorted(Path(f).name for f in loaded.survey.files) == [
        "answers.parquet",
        "ratings.parquet",
        "responses.parquet",
    ]
    assert ws.con.execute("SELECT count(*) FROM ratings").fetchone()[0] > 0
    folder = Path(loaded.survey.path).parent
    assert folder.exists()
    ws.release()
    del loaded, ws
    gc.collect()
    assert not folder.exists()
    assert sorted(os.listdir(tmp_path)) == ["other.parquet", "secret.csv"]


def test_a_streamed_survey_saved_in_the_store_opens_with_the_same_summary(monkeypatch, tmp_path):
    from cx_core.store import Store, StoreConfig

    survey, crm = (SAMPLE / "survey.csv").read_bytes(), (SAMPLE / "crm.csv").read_bytes()
    loaded = _load(monkeypatch, True, survey, "survey.csv", crm, "crm.csv")
    assert isinstance(loaded.survey, stream.StagedSurveyData)
    store = Store(StoreConfig.build(tmp_path / "data"))
    try:
        info = store.create_workspace("big", loaded, dataset="survey.csv")
        opened = store.open_workspace(info.id)
    finally:
        store.close()
    assert opened.loaded.survey_report.to_dict() == loaded.survey_report.to_dict()
    assert _summary(opened.loaded) == _summary(loaded)


def test_the_preview_of_a_streamed_survey_suggests_what_loading_uses(monkeypatch):
    from cx_core.ingest import preview_upload

    survey = (SAMPLE / "survey.csv").read_bytes()
    monkeypatch.setenv("CX_STREAM_MIN_MB", "0")
    options = stream.StreamOptions(sample_rows=1000, chunk_rows=700, block_bytes=16 * 1024)
    monkeypatch.setattr(stream, "OPTIONS", options)
    preview, _ = preview_upload(survey, "survey.csv")
    loaded = load_inputs(survey, "survey.csv")
    assert isinstance(loaded.survey, stream.StagedSurveyData)
    assert (
        preview.rows_read
        == loaded.survey_report.rows_read
        == loaded.survey_report.rows_loaded + len(loaded.survey_report.rejected)
    )
    assert preview.mapping.to_dict() == loaded.survey_mapping.to_dict()
    assert preview.columns == loaded.survey_columns


def test_rows_stream_past_the_row_limit_but_the_in_memory_path_keeps_it(monkeypatch):
    """Streamed rows are never all held (a chunk at a time), so only the in-memory path has a row limit;
    the rows the stream keeps (its rejections) are bounded by it."""
    from cx_core.errors import FileLimitError
    from cx_core.ingest import ReadLimits

    survey = (SAMPLE / "survey.csv").read_bytes()
    small = ReadLimits(max_bytes=10**9, max_columns=5000, max_rows=1000, max_cells=10**8, max_ratio=100)
    with pytest.raises(FileLimitError) as refused:
        _load(monkeypatch, False, survey, "survey.csv", limits=small)
    assert refused.value.key == "limits.rows" and refused.value.values["found"] == 4852
    streamed = _load(monkeypatch, True, survey, "survey.csv", limits=small)
    report = streamed.survey_report
    assert report.rows_read == 4851 and report.rows_read == report.rows_loaded + len(report.rejected)
    _same_data(_load(monkeypatch, False, survey, "survey.csv"), streamed)

    # a file whose every NPS after the first rows is unreadable: each rejection is held, so they are bounded
    frame = pd.read_csv(SAMPLE / "survey.csv", dtype=str, keep_default_na=False)
    nps = streamed.survey_mapping.fields["nps"]
    frame.loc[frame.index >= 10, nps] = "not a score"
    unreadable = frame.to_csv(index=False).encode("utf-8")
    with pytest.raises(FileLimitError) as kept_too_many:
        _load(monkeypatch, True, unreadable, "survey.csv", survey_mapping=streamed.survey_mapping, limits=small)
    assert kept_too_many.value.key == "limits.rows"


def _awkward_file(rows: int = 1000) -> bytes:
    """Every per-row rule the SQL validation must apply as the in-memory path does, spread over the
    file so most rows arrive through the record stream rather than the sample."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["Response ID", "Account ID", "Role", "Submitted", "NPS (0-10)", "Satisfaction (1-5)"]
    header += ["Effort (1-7)", "Product quality", "On-time delivery", "Comment", "Other feedback", "Region"]
    writer.writerow(header)
    nps = ["9", "10", "0", "7", "11", "-1", "7.5", "eleven", "10 - Extremely likely", "９", "N/A", "", "3"]
    csat = ["5", "4", "1", "6", "#N/A", "", "2", "非常に満足 (5)"]
    dates = ["2026-03-01", "2026年3月2日", "24/03/2026", "not a date", "", "2026-13-45", "3/4/2026", "45000"]
    roles = ["Engineer", "購買担当", "CTO", "  Buyer ", "", "n/a"]
    comments = [
        "good",
        "  great   service ",
        "サポートの対応が早くて助かりました。",
        "line one\nline two, quoted",
        "",
        "#N/A",
        'said "fine"',
    ]
    records = []
    for i in range(1, rows + 1):
        rid = "" if i % 97 == 0 else f"R{i}"
        row = [
            rid,
            f"acc-{i % 50:04d}" if i % 13 else f"ACC {i % 50}",
            roles[i % len(roles)],
            dates[i % len(dates)],
            nps[i % len(nps)],
            csat[i % len(csat)],
            str(1 + i % 9),
            str(i % 6),
            "" if i % 5 == 0 else ("9" if i % 23 == 0 else str(1 + i % 5)),  # 9 is outside 1-5: a note
            comments[i % len(comments)],
            "" if i % 3 else f"その他 {i % 4}",
            ["North", "South", "", "東日本"][i % 4],
        ]
        if i % 211 == 0:
            row = [""] * len(header)  # blank row
        elif i % 173 == 0:
            row = [" ", "", "\u3000", "", "", "", "", "", "", "", "", ""]  # only spaces: blank too
        elif i % 89 == 0:
            row = [f"R{i}", "acc-0001", "Engineer", "2026-03-01", "", "", "", "", "", "", "", ""]  # no answer
        records.append(row)
    records[399] = list(records[39])  # an exact duplicate, far apart
    records[800] = list(records[799])  # an exact duplicate of the row before
    records[599] = [*records[29][:3], "2026-05-01", *records[29][4:]]  # R30 again, a later date
    records[949] = ["R52", "acc-0052", "Buyer", "2026-06-30", "10", "5", "3", "4", "4", "again later", "", "North"]
    writer.writerows(records)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("scales", ["mapped", "detected"])
def test_streamed_awkward_file_equals_the_in_memory_path(monkeypatch, scales):
    """Ratings, dates, ids, roles, blank rows, duplicates, repeat respondents, Japanese and quoted
    multi-line texts: the same staged tables, rejections (reasons and codes), notes and report; most
    rows come after the sample (50 rows), in Arrow blocks of 4 KB and chunks of 300 rows."""
    from cx_core.ingest.mapping import Mapping

    data = _awkward_file()
    tiny = stream.StreamOptions(sample_rows=50, chunk_rows=300, block_bytes=4 * 1024)
    suggested = _load(monkeypatch, False, data, "awkward.csv").survey_mapping.to_dict()
    suggested["questions"].append({"column": "Other feedback", "question": "Anything else?"})
    if scales == "detected":  # a mapping saved without scales: both paths detect them from the values
        suggested["scales"] = {}
        for entry in suggested["drivers"]:
            entry.pop("scale", None)
    old = _load(monkeypatch, False, data, "awkward.csv", survey_mapping=Mapping.from_dict(suggested))
    new = _load(monkeypatch, True, data, "awkward.csv", survey_mapping=Mapping.from_dict(suggested), options=tiny)
    assert isinstance(new.survey, stream.StagedSurveyData)
    _same_data(old, new)
    assert [(r.row, r.reason, r.code, r.values) for r in new.survey.rejected] == [
        (r.row, r.reason, r.code, r.values) for r in old.survey.rejected
    ]
    report = new.survey_report
    assert report.rows_read == report.rows_loaded + report.rows_rejected == 1000
    reasons = {r.row: r.reason for r in report.rejected}
    codes = {r.code for r in report.rejected}
    assert {"empty_row", "duplicate_row", "superseded_answer"} <= codes
    assert any("is outside 0-10" in r for r in reasons.values())
    assert any("is not a whole number" in r for r in reasons.values())
    assert any("is not a number" in r for r in reasons.values())
    assert any(r == "no answer in any score, rating or comment column" for r in reasons.values())
    assert any("were outside" in n for n in new.survey.notes)
    assert any("could not be read" in n for n in new.survey.notes)
    answers = new.survey.answers
    texts = set(answers["text"])  # a quoted record across two lines, its spaces collapsed as clean_text does
    assert {"line one line two, quoted", "great service", "サポートの対応が早くて助かりました。", "その他 1"} <= texts
