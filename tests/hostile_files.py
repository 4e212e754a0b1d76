"""Hostile files made at test time (nothing big is committed): memory bombs and broken quoting.

Each function writes one file and returns its path. The compressed bombs are built from one
deflate segment repeated: a segment compressed with a full flush refers to nothing before it, so
the same compressed bytes written k times are a valid stream of k times the text, and a file
holding gigabytes of XML is written in about a second instead of compressing gigabytes.

``python -m tests.hostile_files DIR`` writes them all into ``DIR`` (to measure them by hand).
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_XLSX_SHEET = "xl/worksheets/sheet1.xml"
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _small_workbook(sheet_xml: str | None = None) -> dict[str, bytes]:
    """The members of a real one-sheet workbook written by openpyxl (sheet XML replaceable)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["How likely are you to recommend us? (0-10)"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    if sheet_xml is not None:
        members[_XLSX_SHEET] = sheet_xml.encode("utf-8")
    return members


def _write_zip(path: Path, members: dict[str, bytes], *, repeated: dict[str, tuple[bytes, bytes, int, bytes]]) -> None:
    """A ZIP of ``members`` (deflated normally) plus ``repeated`` members: name -> (head, segment,
    times, tail), whose text is ``head + segment * times + tail``, written without compressing
    it all (the segment is compressed once and its deflate blocks repeated)."""
    with path.open("wb") as out:
        central: list[bytes] = []

        def add(name: str, compressed_parts, crc: int, size: int, compressed_size: int) -> None:
            offset = out.tell()
            encoded = name.encode("utf-8")
            out.write(
                struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, compressed_size, size, len(encoded), 0)
            )
            out.write(encoded)
            for part in compressed_parts:
                out.write(part)
            central.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    0,
                    8,
                    0,
                    0x21,
                    crc,
                    compressed_size,
                    size,
                    len(encoded),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + encoded
            )

        for name, data in members.items():
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            compressed = packer.compress(data) + packer.flush()
            add(name, [compressed], zlib.crc32(data), len(data), len(compressed))
        for name, (head, segment, times, tail) in repeated.items():
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            block = packer.compress(segment) + packer.flush(zlib.Z_FULL_FLUSH)
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            last = packer.compress(tail) + packer.flush(zlib.Z_FINISH)
            crc = zlib.crc32(head)
            for _ in range(times):
                crc = zlib.crc32(segment, crc)
            crc = zlib.crc32(tail, crc)
            size = len(head) + len(segment) * times + len(tail)
            if size >= 2**32:
                raise ValueError("a repeated member must stay under 4 GiB (no ZIP64 here)")
            compressed_size = len(first) + len(block) * times + len(last)
            add(name, [first, *(block for _ in range(times)), last], crc, size, compressed_size)
        start = out.tell()
        for record in central:
            out.write(record)
        count = len(central)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, out.tell() - start, start, 0))


def dimension_bomb(path: Path, far_cell: bool = False) -> Path:
    """A ~5 KB workbook whose sheet declares ``A1:XFD1048576`` (16,384 x 1,048,576) and holds 3
    cells, then the sheet's last row, empty but formatted (as Excel writes when a whole sheet was
    formatted); with ``far_cell`` that row holds a fourth cell, in XFD1048576 itself."""
    last = '<c r="XFD1048576"><v>1</v></c>' if far_cell else ""
    sheet = (
        _SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>How likely are you to recommend us? (0-10)</t></is></c></row>'
        '<row r="2"><c r="A2"><v>9</v></c></row>'
        '<row r="3"><c r="A3"><v>3</v></c></row>'
        f'<row r="1048576" spans="1:16384" ht="15">{last}</row>'
        "</sheetData></worksheet>"
    )
    path.write_bytes(_zip_bytes(_small_workbook(sheet)))
    return path


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xml_bomb(path: Path, gigabytes: float = 1.9) -> Path:
    """A workbook of a few MB whose sheet XML is ``gigabytes`` GB of real rows once decompressed."""
    row = '<row><c t="inlineStr"><is><t>fine</t></is></c><c><v>9</v></c></row>'
    segment = (row * (1024 * 1024 // len(row))).encode("utf-8")
    times = int(gigabytes * 1e9 // len(segment))
    head = (
        _SHEET_HEAD + "<sheetData>"
        '<row><c t="inlineStr"><is><t>comment</t></is></c>'
        '<c t="inlineStr"><is><t>How likely are you to recommend us? (0-10)</t></is></c></row>'
    ).encode("utf-8")
    members = _small_workbook()
    del members[_XLSX_SHEET]
    _write_zip(path, members, repeated={_XLSX_SHEET: (head, segment, times, b"</sheetData></worksheet>")})
    return path


def wide_csv(path: Path, columns: int = 100_000, rows: int = 15) -> Path:
    """A CSV of ``columns`` columns (4.7 MB at 100,000 columns and 15 rows)."""
    header = ",".join(f"question {i}" for i in range(columns))
    body = "\n".join(",".join("9" for _ in range(columns)) for _ in range(rows))
    path.write_text(header + "\n" + body + "\n", encoding="utf-8")
    return path


def workspace_bomb(path: Path, megabytes: int = 946) -> Path:
    """A ``.cxw`` of a few MB whose ``responses.csv`` is ``megabytes`` MB once decompressed."""
    from cx_core import Workspace
    from cx_core.ingest import load_inputs
    from cx_core.workspace_file import save_workspace_file

    survey = b"id,How likely are you to recommend us?,comment\nr1,9,good\nr2,3,slow\n"
    ws = Workspace.from_loaded(load_inputs(survey, "survey.csv"))
    try:
        saved = save_workspace_file(ws)
    finally:
        ws.close()
    with zipfile.ZipFile(io.BytesIO(saved)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    responses = members.pop("responses.csv").decode("utf-8")
    head, first_row = responses.split("\n")[0] + "\n", responses.split("\n")[1] + "\n"
    segment = (first_row * (1024 * 1024 // len(first_row))).encode("utf-8")
    times = megabytes * 1024 * 1024 // len(segment)
    _write_zip(path, members, repeated={"responses.csv": (head.encode("utf-8"), segment, times, b"")})
    return path


def blank_lines_csv(path: Path, lines: int = 5_000_000) -> Path:
    """A header, one answer, then ``lines`` blank lines (5 MB): each would become a rejected row."""
    path.write_bytes(b"id,How likely are you to recommend us? (0-10)\nr1,9\n" + b"\n" * lines)
    return path


def unclosed_quote_csv(path: Path, before: int = 100, after: int = 1000) -> Path:
    """``before`` rows, a row whose comment opens a quote that never closes, then ``after`` rows."""
    lines = ["id,How likely are you to recommend us? (0-10),comment"]
    lines += [f"a{i},{i % 11},fine {i}" for i in range(before)]
    lines.append('broken,5,"the quote opens here and never closes')
    lines += [f"b{i},{i % 11},after {i}" for i in range(after)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Run:
    """One process run on a hostile file: exit code, output, peak resident memory and wall time."""

    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float
    cpu_seconds: float
    killed: bool


def _peak_rss_mb(pid: int) -> float:
    """The process's resident high-water mark so far (``VmHWM``: its own memory since ``exec``)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_measured(
    args: list[str], *, kill_mb: float = 3000, kill_s: float = 120, env: dict | None = None, cwd: Path = ROOT
) -> Run:
    """Run ``args`` and measure it: peak resident memory and wall time. The peak is the child's own
    high-water mark (``VmHWM`` in /proc, polled every 20 ms; it only grows, so the last reading is at
    most 20 ms old), not ``ru_maxrss``: Linux carries the parent's resident size at ``fork`` into the
    child's ``ru_maxrss`` across ``exec``, so a child of a 1 GB pytest process reads 1 GB. The same
    polling kills the child past ``kill_mb`` or ``kill_s``, so a bomb that still works cannot take
    the machine down."""
    start = time.monotonic()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd, text=True)
    peak = 0.0
    killed = False
    with ThreadPoolExecutor(2) as pool:
        out = pool.submit(process.stdout.read)  # type: ignore[union-attr]
        err = pool.submit(process.stderr.read)  # type: ignore[union-attr]
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, _peak_rss_mb(process.pid))
            if not killed and (peak > kill_mb or time.monotonic() - start > kill_s):
                process.kill()
                killed = True
            time.sleep(0.02)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        stdout, stderr = out.result(), err.result()
    cpu = usage.ru_utime + usage.ru_stime
    return Run(process.returncode, stdout, stderr, peak, seconds, cpu, killed)


def summarize_command(path: Path) -> list[str]:
    """The CLI on one survey file, as a person on the server would run it."""
    return [sys.executable, "-m", "cx_core", "summarize", "--survey", str(path)]


ALL = {
    "dimension_bomb.xlsx": dimension_bomb,
    "xml_bomb.xlsx": xml_bomb,
    "wide.csv": wide_csv,
    "workspace_bomb.cxw": workspace_bomb,
    "unclosed_quote.csv": unclosed_quote_csv,
    "blank_lines.csv": blank_lines_csv,
}

if __name__ == "__main__":
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for name, make in ALL.items():
        made = make(folder / name)
        print(f"{made}: {made.stat().st_size:,} bytes", flush=True)
        if "--measure" in sys.argv:
            run = run_measured(summarize_command(made))
            print(
                f"  exit {run.returncode}{' (killed)' if run.killed else ''}, peak RSS {run.peak_rss_mb:,.0f} MB, "
                f"{run.seconds:.1f} s ({run.cpu_seconds:.1f} s CPU); stderr: {run.stderr.strip()[-300:]!r}",
                flush=True,
            )
