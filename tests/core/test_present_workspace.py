"""Saving a workspace as one file and opening it again gives the same numbers; bad files are refused."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace

import pandas as pd
import pytest

from cx_core import Filters, InputFileError, overview, scores_by_group
from cx_core.errors import error_text
from cx_core.weighting import weighted_account_nps
from cx_core.workspace_file import (
    FOLLOW_UP_TABLE,
    attach_table,
    open_workspace_file,
    save_workspace_file,
)


def _rezip(data: bytes, change) -> bytes:
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    change(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def test_round_trip_keeps_data_numbers_and_session_edits(ws):
    notes = pd.DataFrame({"account_id": ["ACC-0001"], "note": ["=call the CFO"], "done": [False]})
    attach_table(ws, FOLLOW_UP_TABLE, notes)
    weights = {"executive": 4.0, "procurement": 2.0}
    catalogue = pd.DataFrame({"key": ["delivery"], "need": ["fulfilment"]})
    data = save_workspace_file(ws, dataset="upload", role_weights=weights, driver_catalogue=catalogue)
    saved = open_workspace_file(data)
    restored = saved.to_workspace()
    try:
        assert saved.manifest["version"] == 1 and saved.dataset == "upload"
        assert saved.role_weights == weights
        pd.testing.assert_frame_equal(saved.driver_catalogue, catalogue)
        smb = Filters.make(segment=["SMB"])
        assert overview(restored, smb) == overview(ws, smb)
        assert [g.to_dict() for g in scores_by_group(restored, "industry")] == [
            g.to_dict() for g in scores_by_group(ws, "industry")
        ]
        pd.testing.assert_frame_equal(
            weighted_account_nps(restored, weights=weights), weighted_account_nps(ws, weights=weights)
        )
        for table in ("responses", "accounts", "ratings", "drivers", "rejected"):
            before = ws.con.execute(f"SELECT * FROM {table} ORDER BY ALL").df()
            after = restored.con.execute(f"SELECT * FROM {table} ORDER BY ALL").df()
            pd.testing.assert_frame_equal(before, after, check_dtype=False)
        restored_notes = restored.con.execute(f"SELECT * FROM {FOLLOW_UP_TABLE}").df()
        assert restored_notes["note"].tolist() == ["=call the CFO"]
        assert [r.to_dict() for r in restored.reports] == [r.to_dict() for r in ws.reports]
        assert saved.loaded.survey_mapping == ws.loaded.survey_mapping
    finally:
        restored.close()


def test_workspace_without_crm_or_extras(sample_files):
    from cx_core import Workspace, load_inputs

    survey, _ = sample_files
    ws = Workspace.from_loaded(load_inputs(survey, "survey.csv"))
    try:
        saved = open_workspace_file(save_workspace_file(ws))
        assert saved.loaded.crm is None and saved.role_weights is None and saved.follow_up_notes is None
        restored = saved.to_workspace()
        assert overview(restored) == overview(ws) and not restored.has_crm
        restored.close()
    finally:
        ws.close()


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip at all", b"PK\x03\x04broken", b"account_id,nps\nA,9\n"],
)
def test_not_a_workspace_file(data):
    with pytest.raises(InputFileError, match="not a saved workspace"):
        open_workspace_file(data)


def test_other_zip_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "something-else", "version": 1}))
    with pytest.raises(InputFileError, match="not a saved workspace"):
        open_workspace_file(out.getvalue())


def test_damaged_members_give_clear_errors(ws):
    good = save_workspace_file(ws)

    def drop_responses(m):
        del m["responses.csv"]

    def bad_nps(m):
        m["responses.csv"] = m["responses.csv"].replace(b",10,", b",99,", 1)

    def bad_json(m):
        m["inputs.json"] = b"{not json"

    def extra_member(m):
        m["../evil.sh"] = b"rm -rf /"

    for change in (drop_responses, bad_nps, bad_json, extra_member):
        with pytest.raises(InputFileError, match="damaged or incomplete"):
            open_workspace_file(_rezip(good, change))


def test_newer_format_is_refused_politely(ws):
    def newer(m):
        manifest = json.loads(m["manifest.json"])
        manifest["version"] = 99
        m["manifest.json"] = json.dumps(manifest).encode()

    with pytest.raises(InputFileError, match="newer version") as refused:
        open_workspace_file(_rezip(save_workspace_file(ws), newer))
    assert "新しいバージョン" in error_text(refused.value, "ja")  # worded by the edge in the reader's language


def test_zip_bomb_is_refused(ws):
    from cx_core.errors import FileLimitError
    from cx_core.ingest.limits import MIN_BYTES, read_limits

    small = replace(read_limits(), max_bytes=1000)
    with pytest.raises(FileLimitError, match="unpacks to .* more than the 1 MB") as refused:
        open_workspace_file(save_workspace_file(ws), limits=small)
    assert "CX_READ_MAX_MB" in error_text(refused.value, "ja")
    assert read_limits().max_bytes >= MIN_BYTES


def test_rows_and_cells_of_members_are_counted_before_parsing(ws):
    from cx_core.errors import FileLimitError
    from cx_core.ingest.limits import read_limits

    rows = ws.response_count()
    with pytest.raises(FileLimitError, match="rows"):
        open_workspace_file(save_workspace_file(ws), limits=replace(read_limits(), max_rows=rows - 1))
    with pytest.raises(FileLimitError, match="cells"):
        open_workspace_file(save_workspace_file(ws), limits=replace(read_limits(), max_cells=rows * 2))


def test_a_json_member_is_refused_when_too_big_to_parse_whole(ws):
    from cx_core.errors import FileLimitError
    from cx_core.ingest.limits import read_limits

    def padded(m):
        m["inputs.json"] = m["inputs.json"][:-1] + b" " * 1_000_000 + b"]"

    data = _rezip(save_workspace_file(ws), padded)
    with pytest.raises(FileLimitError, match="inputs.json"):
        open_workspace_file(data, limits=replace(read_limits(), max_bytes=6 * 1024 * 1024))
    assert open_workspace_file(data).loaded.survey_report.rows_read > 0  # within this server's limits


def test_formula_cells_are_neutralised_in_the_file_and_restored_on_opening(ws):
    hostile = ['=HYPERLINK("http://evil")', "+1", "-2 not a number", "@SUM(A1)", "'already quoted", "plain"]
    notes = pd.DataFrame({"item_id": [f"response:{i}" for i in range(6)], "note": hostile, "done": [False] * 6})
    ids = ws.con.execute("SELECT response_id FROM responses ORDER BY response_id LIMIT 6").fetchall()
    for (rid,), value in zip(ids, hostile, strict=True):
        ws.con.execute("UPDATE responses SET comment = ? WHERE response_id = ?", [value, rid])
    data = save_workspace_file(ws, follow_up_notes=notes)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                cells = [c for line in archive.read(name).decode("utf-8").splitlines() for c in line.split(",")]
                assert not [c for c in cells if c.lstrip('"').startswith(("=", "+", "@"))], name
    saved = open_workspace_file(data)
    restored = saved.to_workspace()
    try:
        for (rid,), value in zip(ids, hostile, strict=True):
            got = restored.con.execute("SELECT comment FROM responses WHERE response_id = ?", [rid]).fetchone()[0]
            assert got == value
    finally:
        restored.close()
    assert saved.follow_up_notes["note"].tolist() == hostile


def test_support_cases_travel_in_the_workspace_file():
    from cx_core import Workspace
    from tests.core.test_ingest_cases import assert_same_case_health, loaded_with_cases

    loaded = loaded_with_cases()
    before = Workspace.from_loaded(loaded)
    after = open_workspace_file(save_workspace_file(before)).to_workspace()
    try:
        assert after.loaded.cases.mapping.fields == loaded.cases.mapping.fields
        pd.testing.assert_frame_equal(after.loaded.cases.cases, loaded.cases.cases, check_dtype=False)
        assert_same_case_health(before, after)
    finally:
        before.close()
        after.close()
