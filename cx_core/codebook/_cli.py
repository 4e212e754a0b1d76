"""``python -m cx_core codebook export|import|diff``: the codebook for scripts (same store as the app).

Exit codes: 0 done; 2 unusable input (one plain line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CXError
from ._diff import diff_codebooks
from ._model import Codebook, codebook_from_json

if TYPE_CHECKING:
    from ..ingest import LoadedData


def add_codebook_commands(sub) -> None:
    """Add the ``codebook`` command to the CLI's subparsers."""
    codebook = sub.add_parser("codebook", help="export, import or compare codebooks (the team's themes)")
    actions = codebook.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="write the codebook of a data set or of a saved workspace as JSON")
    export.add_argument("--survey", type=Path, help="survey export: the engine proposes a codebook for it")
    export.add_argument("--crm", type=Path, help="CRM accounts export (CSV/TSV/XLSX)")
    export.add_argument("--mapping", type=Path, help="column mapping JSON saved from the Data page")
    export.add_argument("--question", default=None, help="one open question's column (default: every one)")
    export.add_argument("--workspace", help="a saved workspace's name or id: its codebook instead of a proposal")
    export.add_argument("--out", type=Path, help="the JSON file to write (default: stdout)")
    imported = actions.add_parser("import", help="save a codebook JSON file as a workspace's newest version")
    imported.add_argument("--workspace", required=True, help="the workspace's name or id")
    imported.add_argument("file", type=Path, help="the codebook JSON file")
    imported.add_argument("--by", default="cli", help="who is importing it (recorded)")
    diff = actions.add_parser("diff", help="print what changed between two codebook files as JSON")
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)


def read_codebook(path: Path) -> Codebook:
    try:
        data = path.read_bytes()
    except OSError:
        raise CXError("error.cli_codebook_unreadable", path=str(path)) from None
    return codebook_from_json(data)


def _proposal(loaded: LoadedData, question: str | None) -> Codebook:
    from ..themes import comments_from_workspace, extract_themes
    from ..workspace import Workspace
    from ._propose import propose_codebook

    ws = Workspace.from_loaded(loaded)
    try:
        comments = comments_from_workspace(ws, question=question)
    finally:
        ws.close()
    return propose_codebook(extract_themes(comments), comments)


def run_codebook_command(args: argparse.Namespace, load: Callable[[argparse.Namespace], LoadedData]) -> object:
    """Run a ``codebook`` command: the JSON-ready result to print (None when written to a file)."""
    if args.action == "diff":
        return diff_codebooks(read_codebook(args.old), read_codebook(args.new))
    if args.action == "import":
        from ..store import Store
        from ._versions import import_codebook

        codebook = read_codebook(args.file)
        store = Store.from_env()
        try:
            info = store.get_workspace(args.workspace)
            saved = import_codebook(store, info.id, codebook, by=args.by)
        finally:
            store.close()
        return {"workspace": info.name, "version": saved.version, "themes": len(codebook.themes), "by": saved.by}
    return _export(args, load)


def _export(args: argparse.Namespace, load: Callable[[argparse.Namespace], LoadedData]) -> object:
    if args.workspace:
        from ..store import Store
        from ._versions import saved_codebook

        store = Store.from_env()
        try:
            codebook, version = saved_codebook(store, args.workspace)
            if codebook is None:  # nothing saved yet: the engine's proposal for the workspace's data
                print("note: no codebook saved yet; this is the engine's proposal", file=sys.stderr)
                codebook = _proposal(store.open_workspace(args.workspace).loaded, args.question)
        finally:
            store.close()
    elif args.survey is not None:
        codebook = _proposal(load(args), args.question)
    else:
        raise CXError("error.cli_codebook_source")
    text = codebook.to_json()
    if args.out is None:
        sys.stdout.write(text)
        return None
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError:
        raise CXError("error.cli_codebook_unwritable", path=str(args.out)) from None
    return {"codebook": str(args.out), "themes": len(codebook.themes)}
