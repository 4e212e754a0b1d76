import pytest

from cx_core.errors import InvalidParameterError
from cx_core.sql import checked_column, in_list, quote_ident


def test_quote_ident_doubles_quotes():
    assert quote_ident('a"b') == '"a""b"'
    assert quote_ident('"; DROP TABLE responses; --') == '"""; DROP TABLE responses; --"'


def test_quote_ident_rejects_nul():
    with pytest.raises(InvalidParameterError):
        quote_ident("a\x00b")


def test_checked_column_only_accepts_known_columns():
    assert checked_column("segment", ["segment"]) == '"segment"'
    with pytest.raises(InvalidParameterError):
        checked_column("segment; --", ["segment"])


def test_hostile_values_stay_values(ws):
    params = {}
    clause = in_list("v", ["x' OR '1'='1", "SMB"], params)
    rows = ws.con.execute(f"SELECT count(*) FROM facts WHERE segment IN {clause}", params).fetchone()[0]
    smb = ws.con.execute("SELECT count(*) FROM facts WHERE segment = 'SMB'").fetchone()[0]
    assert rows == smb
