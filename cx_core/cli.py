"""``python -m cx_core``: the headless twin of the pages. Prints one JSON document.

Exit codes: 0 success; 2 unusable input (one plain line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from .capacity import one_session_database_settings
from .errors import CXError, Phrase
from .ingest import LoadedData, load_inputs, load_mapping_file
from .ingest.limits import one_session
from .summary import build_summary
from .workspace import Workspace


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's default prints usage + exits 2; keep it one line
        self.exit(2, f"error: {message}\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a date (YYYY-MM-DD)") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m cx_core", description="CX insight explorer, headless.")
    sub = parser.add_subparsers(dest="command", required=True)
    summarize = sub.add_parser("summarize", help="load a survey (and CRM) export and print the summary JSON")
    summarize.add_argument(
        "--survey", required=True, type=Path, help="survey export (CSV/TSV/XLSX), or a workspace file (.cxw)"
    )
    summarize.add_argument("--crm", type=Path, help="CRM accounts export (CSV/TSV)")
    summarize.add_argument("--mapping", type=Path, help="column mapping JSON saved from the Data page")
    summarize.add_argument(
        "--cases", type=Path, help="support cases / tickets export (Salesforce Case, HubSpot, Zendesk; CSV/XLSX)"
    )
    summarize.add_argument("--min-n", type=int, default=30, help="groups with fewer answers are flagged")
    summarize.add_argument("--themes", action="store_true", help="add verbatim themes")
    summarize.add_argument(
        "--question", default=None, help="themes of one open question (its column; default: every open question)"
    )
    summarize.add_argument(
        "--engine",
        choices=("offline", "llm"),
        default="offline",
        help="theme engine (llm reads OPENAI_API_KEY, OPENAI_BASE_URL, CX_LLM_MODEL; falls back to offline)",
    )
    summarize.add_argument(
        "--codebook", type=Path, default=None, help="code the themes with this codebook JSON (with --themes)"
    )
    summarize.add_argument(
        "--weight-by",
        choices=("account", "arr"),
        default=None,
        help="weight NPS, CSAT and CES so that each account counts once (account) or by its ARR (arr)",
    )
    summarize.add_argument(
        "--weights",
        type=Path,
        default=None,
        help="rake NPS, CSAT and CES to population margins: a CSV (column,value,share) or JSON file of shares",
    )
    summarize.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help="the date renewals, periods and follow-up due dates are relative to (YYYY-MM-DD; default today)",
    )
    report = sub.add_parser("report", help="write a report of the data as a self-contained HTML or PPTX file")
    report.add_argument("--survey", required=True, type=Path, help="survey export (CSV/TSV)")
    report.add_argument("--crm", type=Path, help="CRM accounts export (CSV/TSV)")
    report.add_argument("--mapping", type=Path, help="column mapping JSON saved from the Data page")
    report.add_argument("--cases", type=Path, help="support cases / tickets export (CSV/XLSX)")
    report.add_argument("--out", required=True, type=Path, help="report.html or report.pptx")
    report.add_argument("--lang", choices=("en", "ja"), default="en", help="report language")
    report.add_argument("--codebook", type=Path, default=None, help="code the themes with this codebook JSON")
    report.add_argument("--min-n", type=int, default=30, help="groups with fewer answers are flagged")
    report.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help="the date accounts at risk and follow-up due dates are relative to (YYYY-MM-DD; default today)",
    )
    from .store._cli import add_store_commands

    add_store_commands(sub, _date)
    from .ask._cli import add_ask_command

    add_ask_command(sub, _date)
    from .codebook._cli import add_codebook_commands

    add_codebook_commands(sub)
    return parser


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CXError("error.cli_file_missing", what=Phrase(f"error.kind_{what}"), path=str(path)) from None
    except IsADirectoryError:
        raise CXError("error.cli_path_is_folder", what=Phrase(f"error.kind_{what}"), path=str(path)) from None
    except OSError:
        raise CXError("error.cli_file_unreadable", what=Phrase(f"error.kind_{what}"), path=str(path)) from None


def loaded_from_args(args: argparse.Namespace) -> LoadedData:
    """The files named by ``--survey``, ``--crm``, ``--mapping`` (and ``--cases``), loaded."""
    if str(args.survey).lower().endswith(".cxw") and not args.crm and not getattr(args, "cases", None):
        # a workspace saved from the Data page: its data as it was loaded (read limits apply)
        from .workspace_file import open_workspace_file

        return open_workspace_file(_read(args.survey, "workspace"), filename=args.survey.name).loaded
    mappings = {}
    if args.mapping:
        mappings = load_mapping_file(_read(args.mapping, "mapping").decode("utf-8", errors="replace"))
    with one_session():  # this process holds one session: its files may use the machine's share
        loaded = load_inputs(
            _read(args.survey, "survey"),
            str(args.survey),
            _read(args.crm, "crm") if args.crm else None,
            str(args.crm) if args.crm else None,
            survey_mapping=mappings.get("survey"),
            crm_mapping=mappings.get("crm"),
            **_cases_args(args),
        )
    return loaded


def summarize(args: argparse.Namespace) -> dict:
    codebook = None
    if getattr(args, "codebook", None) is not None:
        from .codebook._cli import read_codebook

        codebook = read_codebook(args.codebook)
    margins = _margins(args)
    ws = _load_workspace(args)
    try:
        return build_summary(
            ws,
            min_n=args.min_n,
            themes=args.themes,
            theme_engine=args.engine,
            environ=dict(os.environ),
            as_of=args.as_of or dt.date.today(),
            themes_question=args.question,
            themes_codebook=codebook,
            weight_by=args.weight_by,
            weight_margins=margins,
        )
    finally:
        ws.close()


def _margins(args: argparse.Namespace):
    """The margins of ``--weights`` (read before any data is loaded, so a bad file fails first)."""
    if getattr(args, "weights", None) is None:
        return None
    if args.weight_by is not None:
        raise CXError("error.cli_weights_both")
    from .raking import read_margins

    return read_margins(_read(args.weights, "margins"), args.weights.name)


def _load_workspace(args: argparse.Namespace) -> Workspace:
    # this process holds one session: its database may use more than a server's share per session
    memory_limit, threads = one_session_database_settings()
    return Workspace.from_loaded(loaded_from_args(args), memory_limit=memory_limit, threads=threads)


def _cases_args(args: argparse.Namespace) -> dict:
    cases = getattr(args, "cases", None)
    return {"cases": _read(cases, "cases"), "cases_name": str(cases)} if cases else {}


def write_report(args: argparse.Namespace) -> dict:
    """Build the report of the whole data set and write it; returns what was written (for stdout)."""
    from .report import build_report, report_bytes

    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in ("html", "pptx"):
        raise CXError("error.cli_report_suffix", suffix=args.out.suffix or "(nothing)")
    ws = _load_workspace(args)
    try:
        as_of = args.as_of or dt.date.today()
        extras: dict = {"as_of": as_of}
        if getattr(args, "codebook", None) is not None:
            from .codebook._cli import read_codebook

            extras["codebook"] = read_codebook(args.codebook)
        report = build_report(ws, lang=args.lang, min_n=args.min_n, extras=extras)
        data = report_bytes(report, fmt)
    finally:
        ws.close()
    try:
        args.out.write_bytes(data)
    except OSError:
        raise CXError("error.cli_report_unwritable", path=str(args.out)) from None
    return {
        "report": str(args.out),
        "format": fmt,
        "lang": args.lang,
        "bytes": len(data),
        "as_of": as_of.isoformat(),
        "sections": [s.key for s in report.sections],
        "n": report.n,
    }


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    result: object
    try:
        if args.command == "summarize":
            result = summarize(args)
        elif args.command == "report":
            result = write_report(args)
        elif args.command == "ask":
            from .ask._cli import run_ask

            result = run_ask(args, _load_workspace)
        elif args.command == "codebook":
            from .codebook._cli import run_codebook_command

            result = run_codebook_command(args, loaded_from_args)
            if result is None:  # the codebook itself went to stdout
                return 0
        elif args.command in ("workspace", "follow-up"):
            from .store._cli import run_store_command

            result, code = run_store_command(args, loaded_from_args)
            if code:
                print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
                print(
                    "error: someone else saved this item since that version; nothing was overwritten.", file=sys.stderr
                )
                return code
        else:  # pragma: no cover - argparse restricts the choices
            parser.error("unknown command")
    except CXError as exc:
        print(f"error: {exc}", file=sys.stderr)
        warning = getattr(exc, "warning", None)
        if warning is not None:  # e.g. not_a_survey: the warning as JSON too, for scripts
            sys.stdout.write(json.dumps({"warnings": [warning.to_dict("en")]}, ensure_ascii=False, indent=2) + "\n")
        return 2
    except Exception:  # noqa: BLE001 - the CLI promise: one clear line, never a traceback
        print("error: the input could not be processed (unexpected problem in the file).", file=sys.stderr)
        return 2
    text = json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n"
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`: not an error of ours
        return 0
    return 0
