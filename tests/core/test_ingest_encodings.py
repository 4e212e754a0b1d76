"""Encodings decided from the whole file, repaired line by line and cell by cell, and reported.

Every expected count is worked out here from how the bytes were made, not read back from the
decoder: the lines written in DOS code page 850, the cells written as mojibake, the C1 controls.
"""

from __future__ import annotations

import re

import pytest

from cx_core.ingest import load_inputs, read_table, warning_text
from cx_core.ingest.decode import decode_bytes, plausibility

FRENCH = [
    "Très bien, le délai était correct",
    "Le service client a été à l'écoute, merci",
    "Prix élevé mais qualité supérieure",
    "Ça marche, rien à signaler",
    "Déçu par la livraison, trop de retard",
    "Équipe réactive et compétente",
    "Interface peu intuitive, à revoir",
    "Très satisfait du suivi",
]
C1 = re.compile(r"[\x80-\x9f]")


def _french_rows() -> list[str]:
    return [
        f"R{i};{score};{text}" for i, (score, text) in enumerate(zip([9, 7, 3, 10, 5, 8, 6, 9], FRENCH, strict=True), 1)
    ]


def _comments(loaded) -> list[str]:
    return loaded.survey.responses["comment"].tolist()


def test_windows_1252_mixed_with_dos_850_line_by_line():
    header = "id;Recommanderiez-vous notre société ? (0-10);Commentaire"
    rows = _french_rows()
    dos = {1, 4, 6}  # rows exported by the old DOS till
    data = (header.encode("cp1252") + b"\r\n") + b"".join(
        row.encode("cp850" if i in dos else "cp1252") + b"\r\n" for i, row in enumerate(rows)
    )
    loaded = load_inputs(data, "mixed.csv")
    report = loaded.survey_report
    assert report.encoding == "cp1252"
    assert report.repairs == {"cp850_lines": len(dos)}
    assert _comments(loaded) == FRENCH
    assert not any(C1.search(c) for c in _comments(loaded))
    assert [w.code for w in report.warnings] == ["encoding_repaired"]
    assert "3 line(s) read as DOS code page 850" in warning_text(report.warnings[0], "en")
    assert "DOS code page 850" in warning_text(report.warnings[0], "ja")


def test_file_mostly_dos_850_is_read_as_850():
    header = "id;Recommandation (0-10);Commentaire"
    data = "\r\n".join([header, *_french_rows()]).encode("cp850")
    loaded = load_inputs(data, "dos.csv")
    assert loaded.survey_report.encoding == "cp850"
    assert loaded.survey_report.repairs == {}
    assert _comments(loaded) == FRENCH


def test_utf8_file_with_a_few_windows_lines():
    lines = [
        "id,recommend (0-10),comment",
        *[r.replace(";", ",", 1).replace(";", ',"', 1) + '"' for r in _french_rows()],
    ]
    data = b"".join(
        (line.encode("cp1252") if i in (3, 5) else line.encode("utf-8")) + b"\n" for i, line in enumerate(lines)
    )
    loaded = load_inputs(data, "utf8_mixed.csv")
    assert loaded.survey_report.encoding == "utf-8"
    assert loaded.survey_report.repairs == {"cp1252_lines": 2}
    assert _comments(loaded) == FRENCH


def test_mojibake_cells_are_repaired_and_counted():
    comments = ["I don’t like the new portal", "Great café partner", "fine", "Résumé export is broken", "ok"]
    garbled = {0, 1, 3}
    rows = ["id,How likely are you to recommend us? (0-10),comment"]
    for i, text in enumerate(comments):
        cell = text.encode("utf-8").decode("cp1252") if i in garbled else text
        rows.append(f'{i + 1},{8 + i % 3},"{cell}"')
    data = "\n".join(rows).encode("utf-8")
    assert "donâ€™t" in data.decode("utf-8")
    loaded = load_inputs(data, "mojibake.csv")
    assert _comments(loaded) == comments
    assert loaded.survey_report.repairs == {"mojibake_cells": len(garbled)}
    assert loaded.survey_report.encoding == "utf-8"


def test_c1_controls_never_survive():
    # Windows-1252 punctuation that went through Latin-1 on its way to UTF-8, and one undefined byte
    text = "id,recommend (0-10),comment\n1,9,don\u0092t stop\n2,3,\u0093late\u0094 again\n3,7,odd\u0081byte\n"
    loaded = load_inputs(text.encode("utf-8"), "c1.csv")
    assert _comments(loaded) == ["don’t stop", "“late” again", "oddbyte"]
    assert loaded.survey_report.repairs == {"c1_controls_repaired": 3, "c1_controls_removed": 1}


def test_cr_only_mac_file_is_not_read_as_cp932():
    # two stray Mac Roman bytes ("’" is 0xD5, "é" is 0x8E) form valid CP932 by accident
    lines = ["id,recommend (0-10),comment", "1,9,I don’t know", "2,4,Cafés were closed", "3,10,good"]
    data = "\r".join(lines).encode("mac_roman")
    try:
        data.decode("cp932")
    except UnicodeDecodeError:  # pragma: no cover - the point of the test is that it does decode
        pytest.fail("the bytes should be valid CP932 for this test to mean something")
    loaded = load_inputs(data, "mac.csv")
    assert loaded.survey_report.encoding == "mac_roman"
    assert _comments(loaded) == ["I don’t know", "Cafés were closed", "good"]


def test_cr_only_windows_1252_file_stays_windows():
    lines = ["id,recommend (0-10),comment", "1,9,I don’t know", "2,4,“fine”", "3,10,good"]
    decoded = decode_bytes("\r".join(lines).encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert decoded.text.split("\r") == lines


def test_cp932_japanese_with_circled_digits_and_numero():
    lines = ["回答ID,おすすめ度,ご意見", "1,9,とても良い①", "2,3,№の表記が変です", "3,8,担当者の対応が丁寧"]
    loaded = load_inputs("\r\n".join(lines).encode("cp932"), "ja.csv")
    assert loaded.survey_report.encoding == "cp932"
    assert loaded.survey_report.repairs == {}
    assert _comments(loaded) == ["とても良い①", "№の表記が変です", "担当者の対応が丁寧"]


def test_clean_files_report_no_repairs():
    table = read_table("id,recommend (0-10),comment\n1,9,naïve café «ok»\n".encode(), "x.csv")
    assert table.repairs == {} and table.encoding == "utf-8"


def test_plausibility_prefers_the_right_code_page():
    line = "Ça marche, rien à signaler"
    right = plausibility(line.encode("cp1252").decode("cp1252"))
    wrong = plausibility(line.encode("cp1252").decode("cp850"))
    assert right > wrong


def test_a_line_mixing_utf8_and_windows_cells_is_read_cell_by_cell():
    # one cell pasted from a UTF-8 source, the next from a Windows-1252 one, on the same line
    line = b"R1,9," + "Très bien".encode() + b',"' + "Problème réglé".encode("cp1252") + b'"\n'
    data = b"id,recommend (0-10),comment,note\n" + line + "R2,3,Déçu,ok\n".encode()
    table = read_table(data, "mixed_cells.csv")
    assert table.encoding == "utf-8"
    assert table.frame["comment"].tolist() == ["Très bien", "Déçu"]
    assert table.frame["note"].tolist() == ["Problème réglé", "ok"]
    assert table.repairs == {"cp1252_chars": 3}  # è, é, é
