"""Files a locked-down session reads through cxro:// (cx_core.ingest.read_only): read right, never written."""

from __future__ import annotations

import duckdb
import pytest

from cx_core.ingest.read_only import read_only_url, register_read_only
from cx_core.workspace import lock_down


def test_threads_reading_one_file_at_once_all_read_it_right(tmp_path):
    path = tmp_path / "t.parquet"
    con = duckdb.connect(config={"threads": "2"})
    con.execute(f"COPY (SELECT range AS a, range::VARCHAR AS b FROM range(200000)) TO '{path}' (ROW_GROUP_SIZE 20000)")
    expected = con.execute(f"SELECT count(*), sum(a) FROM read_parquet('{path}') WHERE b LIKE '%7%'").fetchone()
    register_read_only(con)
    con.execute(f"SET allowed_paths = ['{read_only_url(str(path))}']")
    lock_down(con)
    # two threads seek and read one handle: with one shared position about one query in five failed
    for _ in range(100):
        sql = f"SELECT count(*), sum(a) FROM read_parquet('{read_only_url(str(path))}') WHERE b LIKE '%7%'"
        assert con.execute(sql).fetchone() == expected
    for sql in (
        f"COPY (SELECT 1 AS a) TO '{read_only_url(str(path))}' (FORMAT parquet, USE_TMP_FILE false)",
        f"COPY (SELECT 1 AS a) TO '{path}' (FORMAT parquet, USE_TMP_FILE false)",
        f"SELECT * FROM read_parquet('{path}')",
    ):
        with pytest.raises(duckdb.Error):
            con.execute(sql)
    assert con.execute(f"SELECT count(*) FROM read_parquet('{read_only_url(str(path))}')").fetchone() == (200000,)
