"""Hostile input: mutated exports either load with full row accounting or fail with a CXError.

Hypothesis mutates valid survey and CRM exports (flipped and inserted bytes, NUL, BOM, CR, other
encodings, quotes, delimiters, header edits, truncation) and the loader must either

* load them, with ``rows_read == rows_loaded + rows_rejected`` for each file, into a workspace the
  pages can query, or
* raise :class:`cx_core.errors.CXError` (a plain-language message for the person),

never anything else. The profile is derandomized with a bounded number of examples, so every run
tries the same inputs. Any input that ever crashed the loader is kept under
``tests/regressions/ingest/`` (``<name>.survey.bin`` plus an optional ``<name>.crm.bin``) and
replayed by :func:`test_regression_inputs_stay_fixed`; a new failure found here is also written to
``test-artifacts/fuzz/`` ready to be copied there.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synthetic import synthetic_csv_bytes
from cx_core import CXError, Workspace, load_inputs, nps_distribution, overview, scores_by_group
from cx_core.sample import sample_bytes

ROOT = Path(__file__).resolve().parents[2]
REGRESSIONS = ROOT / "tests" / "regressions" / "ingest"
FAILURES = ROOT / "test-artifacts" / "fuzz"
# Bounded so the whole file runs well under a minute on a busy 2-core machine.
LOADER_EXAMPLES = 250  # loader only
WORKSPACE_EXAMPLES = 100  # loader, then a workspace and the Overview queries


def _head(data: bytes, lines: int) -> bytes:
    return b"\n".join(data.split(b"\n")[:lines]) + b"\n"


def _bases() -> list[tuple[bytes, bytes]]:
    synthetic = synthetic_csv_bytes(25, 6, seed=3)
    survey, crm = sample_bytes()  # Japanese and English text, as exported by real tools
    japanese = (_head(survey, 25), _head(crm, 15))
    as_cp932 = tuple(part.decode("utf-8").encode("cp932", errors="replace") for part in japanese)
    return [synthetic, japanese, as_cp932]


BASES = _bases()

SPECIALS = [
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\r",
    b"\r\n",
    b"\n",
    b'"',
    b'""',
    b",",
    b";",
    b"\t",
    b"|",
    b"\x1a",
    b"\x85",
    b"\xe3\x81",  # a cut UTF-8 sequence
    b"\x82\xa0",  # CP932 hiragana
    "\u2028".encode(),
    "１０".encode(),
    b"=cmd|' /C calc'!A0",
]
# Cell values that are valid CSV but hostile to parsers of numbers, dates and ids.
NASTY_VALUES = [
    "1e400",
    "-inf",
    "inf",
    "NaN",
    "1e-400",
    "99999999999999999999999",
    "-0",
    "0x1A",
    "10 (Extremely likely)",
    "１０",
    "𝟗",
    "٩",
    "Ⅸ",
    "1,000",
    "1.03444E11",
    "1E99999",
    "#N/A",
    "=1+1",
    " ",
    "2025-01-01T00:00:00+09:00",
    "2025-01-02T00:00:00-05:00",
    "2025-01-03T10:00Z",
    "2025-01-01 10:00+9",
    "2025-01-01",
    "２０２５年１３月４０日",
    "0001-01-01",
    "9999-12-31 23:59:59",
    "1700000000",
    "ACC-0001",
    " acc-0001 ",
    "x" * 5000,
]
CODECS = ["utf-8-sig", "cp932", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "euc-jp", "iso-2022-jp"]
fraction = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def _at(data: bytes, where: float) -> int:
    return min(len(data), int(where * len(data)))


@st.composite
def mutation(draw):
    """One edit of a file's bytes, as a (description, function) pair."""
    kind = draw(
        st.sampled_from(
            [
                "flip",
                "insert",
                "delete",
                "truncate",
                "encode",
                "delimiter",
                "newlines",
                "header",
                "cell",
                "column",
                "column",
                "lines",
            ]
        )
    )
    if kind == "flip":
        spots = draw(st.lists(st.tuples(fraction, st.integers(1, 255)), min_size=1, max_size=8))

        def edit(data: bytes) -> bytes:
            out = bytearray(data)
            for where, xor in spots:
                if out:
                    i = min(len(out) - 1, int(where * len(out)))
                    out[i] ^= xor
            return bytes(out)

        return f"flip{spots}", edit
    if kind == "insert":
        where = draw(fraction)
        piece = draw(st.one_of(st.sampled_from(SPECIALS), st.binary(min_size=1, max_size=12)))
        times = draw(st.integers(1, 3))
        return (
            f"insert {piece!r}x{times} at {where:.3f}",
            lambda d: d[: _at(d, where)] + piece * times + d[_at(d, where) :],
        )
    if kind == "delete":
        where, size = draw(fraction), draw(st.integers(1, 200))
        return f"delete {size} at {where:.3f}", lambda d: d[: _at(d, where)] + d[_at(d, where) + size :]
    if kind == "truncate":
        where = draw(fraction)
        return f"truncate at {where:.3f}", lambda d: d[: _at(d, where)]
    if kind == "encode":
        codec = draw(st.sampled_from(CODECS))
        return f"re-encode {codec}", lambda d: d.decode("utf-8", errors="replace").encode(codec, errors="replace")
    if kind == "delimiter":
        new = draw(st.sampled_from([b";", b"\t", b"|", b" ", b"\x00", b'"']))
        share = draw(fraction)
        return f"delimiter {new!r} {share:.2f}", lambda d: d.replace(b",", new, max(1, int(share * d.count(b","))))
    if kind == "newlines":
        new = draw(st.sampled_from([b"\r\n", b"\r", b"\n\n", b"\r\r\n", b"\x0b", b"\n\x00"]))
        return f"newlines {new!r}", lambda d: d.replace(b"\n", new)
    if kind == "header":
        how = draw(st.sampled_from(["duplicate", "blank", "drop", "add", "quote", "replace", "long", "only"]))
        text = draw(st.text(max_size=30))
        column = draw(fraction)

        def edit(data: bytes) -> bytes:
            header, sep, rest = data.partition(b"\n")
            names = header.split(b",")
            i = min(len(names) - 1, int(column * len(names)))
            if how == "duplicate":
                names[i] = names[0]
            elif how == "blank":
                names[i] = b""
            elif how == "drop":
                del names[i]
            elif how == "add":
                names.insert(i, text.encode("utf-8"))
            elif how == "quote":
                names[i] = b'"' + names[i]
            elif how == "replace":
                names[i] = text.encode("utf-8")
            elif how == "long":
                names[i] = names[i] * 500
            else:  # only the header line is left
                return header + sep
            return b",".join(names) + sep + rest

        return f"header {how} {text!r} col {column:.2f}", edit
    if kind == "column":
        values = draw(st.lists(st.sampled_from(NASTY_VALUES), min_size=1, max_size=3))
        column = draw(fraction)

        def edit(data: bytes) -> bytes:
            rows = list(csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline="")))
            width = max((len(r) for r in rows), default=0)
            i = min(width - 1, int(column * width))
            for n, row in enumerate(rows[1:]):
                if 0 <= i < len(row):
                    row[i] = values[n % len(values)]
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(rows)
            return out.getvalue().encode("utf-8")

        return f"column {column:.2f} = {values!r}", edit
    if kind == "cell":
        text = draw(st.one_of(st.text(min_size=0, max_size=40), st.sampled_from(NASTY_VALUES)))
        where = draw(fraction)

        def edit(data: bytes) -> bytes:
            cells = data.split(b",")
            if len(cells) > 1:
                cells[max(1, min(len(cells) - 1, int(where * len(cells))))] = text.encode("utf-8", errors="replace")
            return b",".join(cells)

        return f"cell {text!r} at {where:.3f}", edit
    how = draw(st.sampled_from(["duplicate", "drop", "blank", "shuffle-head"]))
    where = draw(fraction)

    def edit(data: bytes) -> bytes:
        lines = data.split(b"\n")
        i = min(len(lines) - 1, int(where * len(lines)))
        if how == "duplicate":
            lines.insert(i, lines[i])
        elif how == "drop":
            del lines[i]
        elif how == "blank":
            lines[i] = b" , ,"
        else:
            lines[0], lines[i] = lines[i], lines[0]
        return b"\n".join(lines)

    return f"lines {how} at {where:.3f}", edit


@st.composite
def hostile_inputs(draw):
    """(description, survey bytes, crm bytes or None): a valid pair with a few edits applied."""
    survey, crm = draw(st.sampled_from(BASES))
    target = draw(st.sampled_from(["survey", "crm", "both"]))
    edits = draw(st.lists(mutation(), min_size=1, max_size=4))
    steps = []
    for description, edit in edits:
        if target in ("survey", "both"):
            survey = edit(survey)
        if target in ("crm", "both"):
            crm = edit(crm)
        steps.append(description)
    if draw(st.booleans()) and target == "survey":
        crm = None  # a survey on its own is a valid upload too
    return f"{target}: " + "; ".join(steps), survey, crm


def check_loader(survey: bytes, crm: bytes | None, *, queries: bool = True) -> None:
    """Load and account for every row, then (``queries``) run the Overview queries on a workspace.

    A CXError is an allowed outcome; any other exception is a bug.
    """
    try:
        loaded = load_inputs(survey, "survey.csv", crm, "crm.csv" if crm is not None else None)
    except CXError as error:
        assert str(error).strip(), "a CXError must carry a message for the person"
        return
    for report in loaded.reports:
        assert report.rows_read == report.rows_loaded + report.rows_rejected, report.to_dict()
        assert report.rows_read >= 0 and report.rows_loaded >= 0
    assert len(loaded.survey.responses) == loaded.survey_report.rows_loaded
    if loaded.crm is not None:
        assert len(loaded.crm.accounts) == loaded.crm_report.rows_loaded
    if not queries:
        return
    ws = Workspace.from_loaded(loaded)
    try:
        assert ws.response_count() == loaded.survey_report.rows_loaded
        # run even when nothing loaded: the Overview page asks for these before checking for rows
        overview(ws)
        nps_distribution(ws)
        scores_by_group(ws, "segment")
        scores_by_group(ws, "respondent_role")
    finally:
        ws.close()


def _keep_failure(survey: bytes, crm: bytes | None) -> Path:
    FAILURES.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(survey + b"\x00" + (crm or b"")).hexdigest()[:12]
    (FAILURES / f"{name}.survey.bin").write_bytes(survey)
    if crm is not None:
        (FAILURES / f"{name}.crm.bin").write_bytes(crm)
    return FAILURES / name


def _check_or_keep(case, *, queries: bool) -> None:
    description, survey, crm = case
    try:
        check_loader(survey, crm, queries=queries)
    except Exception as error:
        kept = _keep_failure(survey, crm)
        raise AssertionError(
            f"{type(error).__name__} after [{description}]; input kept as {kept}.*.bin - "
            f"copy it to {REGRESSIONS.relative_to(ROOT)}/ with a descriptive name"
        ) from error


def _profile(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@_profile(LOADER_EXAMPLES)
@given(hostile_inputs())
def test_mutated_exports_load_with_accounting_or_fail_cleanly(case):
    _check_or_keep(case, queries=False)


@_profile(WORKSPACE_EXAMPLES)
@given(hostile_inputs())
def test_mutated_exports_that_load_can_be_analysed(case):
    _check_or_keep(case, queries=True)


def _regression_cases() -> list[pytest.param]:
    cases = []
    for survey_path in sorted(REGRESSIONS.glob("*.survey.bin")):
        crm_path = survey_path.with_name(survey_path.name.replace(".survey.bin", ".crm.bin"))
        cases.append(
            pytest.param(survey_path, crm_path if crm_path.exists() else None, id=survey_path.name.split(".")[0])
        )
    return cases


@pytest.mark.parametrize(("survey_path", "crm_path"), _regression_cases())
def test_regression_inputs_stay_fixed(survey_path, crm_path):
    check_loader(survey_path.read_bytes(), crm_path.read_bytes() if crm_path else None)


def test_regression_fixtures_are_present():
    """The replay above must have something to replay (an empty folder would pass silently)."""
    assert _regression_cases(), f"no fixtures in {REGRESSIONS}"


def test_a_filter_that_selects_nothing_gives_empty_scores(ws):
    """Same crash as the empty-workspace fixture, reached from the sidebar instead of a file."""
    from cx_core import Filters

    nothing = Filters.make(segment=["no such segment"])
    result = overview(ws, nothing)
    assert result.responses == 0 and result.nps.n == 0 and result.nps.score is None
    assert nps_distribution(ws, nothing)["count"].sum() == 0
    assert scores_by_group(ws, "respondent_role", nothing) == []
