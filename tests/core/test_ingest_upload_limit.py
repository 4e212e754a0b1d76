"""The upload limit: a setting, else derived from the machine; the refusal says the limit in use."""

from __future__ import annotations

import pytest

from cx_core.capacity import GIB, MIB, plan
from cx_core.errors import InputFileError
from cx_core.ingest import limits, load_inputs


def test_the_setting_wins_over_the_machine():
    assert limits.upload_limit({"CX_UPLOAD_MAX_MB": "1500"}) == 1500 * MIB
    assert limits.upload_limit({"CX_UPLOAD_MAX_MB": "lots"}) == limits.upload_limit({})  # mistyped: derived


def test_the_derived_limit_follows_memory_and_disk_never_below_the_old_fixed_limit():
    big = plan(64 * GIB, 8, env={})
    small = plan(4 * GIB, 2, env={})
    plenty = 1000 * GIB
    assert limits.default_upload_limit(big, plenty) == limits.READ_SHARE * big.session_budget // limits.UPLOAD_COPIES
    assert limits.default_upload_limit(big, plenty) > limits.UPLOAD_MIN_BYTES
    # little free disk for the staged files: the disk decides
    disk = 2 * GIB
    assert limits.default_upload_limit(big, disk) == max(limits.UPLOAD_MIN_BYTES, disk // limits.STAGING_FACTOR)
    # a small machine keeps the floor (what every server accepted before)
    assert limits.default_upload_limit(small, plenty) >= limits.UPLOAD_MIN_BYTES
    assert limits.default_upload_limit(plan(1 * GIB, 1, env={}), 0) == limits.UPLOAD_MIN_BYTES


def test_a_file_over_the_limit_is_refused_with_the_limit_in_use(monkeypatch):
    monkeypatch.setenv("CX_UPLOAD_MAX_MB", "1")
    data = b"Response ID,NPS\n" + b"R1,9\n" * 300_000  # 1.4 MB
    with pytest.raises(InputFileError) as refused:
        load_inputs(data, "survey.csv")
    assert refused.value.key == "error.file_too_big"
    assert refused.value.values["limit_mb"] == "1" and refused.value.values["size_mb"] == "1"
    message = str(refused.value)
    assert "the limit on this server is 1 MB" in message and "CX_UPLOAD_MAX_MB" in message
    assert "上限は 1 MB" in refused.value.text("ja") and "CX_UPLOAD_MAX_MB" in refused.value.text("ja")
    monkeypatch.setenv("CX_UPLOAD_MAX_MB", "2")  # the same file under a raised limit loads
    assert load_inputs(data, "survey.csv").survey_report.rows_read == 300_000


def test_one_session_gets_the_machines_share_not_a_server_sessions(monkeypatch):
    # the command line holds one session: a file a team server refuses may be read there
    monkeypatch.delenv("CX_UPLOAD_MAX_MB", raising=False)
    machine = plan(64 * GIB, 8, env={})
    monkeypatch.setattr(limits, "plan", lambda env=None, **kw: plan(64 * GIB, 8, env={}, **kw))
    monkeypatch.setattr(limits.shutil, "disk_usage", lambda _path: type("U", (), {"free": 1000 * GIB})())
    server = limits.upload_limit()
    with limits.one_session():
        alone = limits.upload_limit()
        monkeypatch.setenv("CX_UPLOAD_MAX_MB", "7")  # the setting still wins
        assert limits.upload_limit() == 7 * MIB
        monkeypatch.delenv("CX_UPLOAD_MAX_MB")
    assert server == limits.default_upload_limit(machine, 1000 * GIB)
    assert alone == limits.default_upload_limit(plan(64 * GIB, 8, env={}, max_sessions=1), 1000 * GIB)
    assert alone > 10 * server
    assert limits.upload_limit() == server  # only inside the block


def test_the_command_line_reads_its_files_as_one_session(monkeypatch, tmp_path):
    from cx_core import cli

    seen = []
    monkeypatch.setattr(cli, "load_inputs", lambda *a, **k: seen.append(limits._ONE_SESSION.get()))
    survey = tmp_path / "survey.csv"
    survey.write_bytes(b"Response ID,NPS\nR1,9\n")
    args = cli.build_parser().parse_args(["summarize", "--survey", str(survey)])
    cli.loaded_from_args(args)
    assert seen == [True] and limits._ONE_SESSION.get() is False
