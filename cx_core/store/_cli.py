"""``python -m cx_core workspace ...`` and ``python -m cx_core follow-up ...``: the store for scripts.

Both honour ``CX_DATA_DIR``, ``CX_DATABASE_URL`` and ``CX_DATASETS_URL``. Exit codes: 0 done;
2 unusable input; 3 a follow-up edit conflicts with a newer saved version (both are printed).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import FollowUpConflictError, InvalidParameterError
from ._store import UNSET, Store

if TYPE_CHECKING:
    from ..ingest import LoadedData

EXIT_CONFLICT = 3


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "yes", "1", "done"):
        return True
    if value in ("false", "no", "0", "open"):
        return False
    raise argparse.ArgumentTypeError(f"{text[:20]!r} is not true or false")


def _date_or_none(text: str) -> dt.date | None:
    if text.strip().lower() in ("", "none", "-"):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a date (YYYY-MM-DD)") from None


def add_store_commands(sub, date_type: Callable) -> None:
    """Add the ``workspace`` and ``follow-up`` commands to the CLI's subparsers."""
    workspace = sub.add_parser("workspace", help="list, create or delete saved workspaces")
    actions = workspace.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="print the saved workspaces as JSON")
    listing.add_argument("--user", help="only the workspaces this signed-in person may open")
    listing.add_argument("--drafts", action="store_true", help="include drafts (the app's unnamed uploads)")
    create = actions.add_parser("create", help="load a survey (and CRM) export and save it as a workspace")
    create.add_argument("--name", required=True, help="the workspace's name (unique)")
    create.add_argument("--survey", required=True, type=_path, help="survey export (CSV/TSV/XLSX)")
    create.add_argument("--crm", type=_path, help="CRM accounts export (CSV/TSV/XLSX)")
    create.add_argument("--mapping", type=_path, help="column mapping JSON saved from the Data page")
    create.add_argument("--owner", help="the signed-in person who owns it (default: everyone sees it)")
    create.add_argument("--share", default="", help="comma-separated people who may open it too")
    create.add_argument("--by", help="who is creating it (recorded)")
    create.add_argument(
        "--replace", action="store_true", help="an existing workspace of that name gets this data; follow-up kept"
    )
    remove = actions.add_parser("delete", help="delete a workspace, its follow-up record and its data")
    remove.add_argument("--name", required=True, help="the workspace's name or id")

    follow = sub.add_parser("follow-up", help="list or update a workspace's follow-up items")
    follow_actions = follow.add_subparsers(dest="action", required=True)
    follow_list = follow_actions.add_parser("list", help="print every item with its state and history as JSON")
    follow_list.add_argument("--workspace", required=True, help="the workspace's name or id")
    follow_list.add_argument("--as-of", type=date_type, default=None, help="date the list is relative to")
    follow_update = follow_actions.add_parser("update", help="change one item (recorded in its history)")
    follow_update.add_argument("--workspace", required=True, help="the workspace's name or id")
    follow_update.add_argument("--item", required=True, help="the item id (response:<id> or account:<key>)")
    follow_update.add_argument("--done", type=_bool, help="true or false")
    follow_update.add_argument("--note", help="the note (an empty text clears it)")
    follow_update.add_argument("--owner", help="reassign the item (an empty text: back to the CRM owner)")
    follow_update.add_argument("--due", type=_date_or_none, default=UNSET, help="due date YYYY-MM-DD or 'none'")
    follow_update.add_argument("--by", required=True, help="who made the change (recorded in the history)")
    follow_update.add_argument(
        "--expect-version",
        type=int,
        default=None,
        help="fail with exit code 3 if the item is no longer at this version (default: apply on top)",
    )


def _path(text: str) -> Path:
    return Path(text)


def run_store_command(args: argparse.Namespace, load: Callable[[argparse.Namespace], LoadedData]) -> tuple[dict, int]:
    """Run a ``workspace`` / ``follow-up`` command: (JSON-ready result, exit code)."""
    store = Store.from_env()
    try:
        if args.command == "workspace":
            return _workspace(store, args, load), 0
        return _follow_up(store, args)
    finally:
        store.close()


def _workspace(store: Store, args: argparse.Namespace, load: Callable[[argparse.Namespace], LoadedData]) -> dict:
    if args.action == "list":
        return {
            "store": store.config.describe(),
            "workspaces": [w.to_dict() for w in store.list_workspaces(args.user, drafts=args.drafts)],
        }
    if args.action == "delete":
        info = store.delete_workspace(args.name, by="name")  # --name is a name, never an id
        return {"deleted": info.to_dict()}
    loaded = load(args)
    dataset = args.survey.name
    same_name = [w for w in store.list_workspaces() if w.name == args.name] if args.replace else []
    if same_name:
        info = store.replace_dataset(same_name[0].id, loaded, dataset=dataset)
        return {"replaced": info.to_dict()}
    share = [p for p in args.share.split(",") if p.strip()]
    info = store.create_workspace(args.name, loaded, dataset=dataset, owner=args.owner, shared_with=share, by=args.by)
    return {"created": info.to_dict()}


def _follow_up(store: Store, args: argparse.Namespace) -> tuple[dict, int]:
    if args.action == "list":
        return _follow_up_list(store, args), 0
    opened = store.open_workspace(args.workspace)
    if args.item not in _item_ids(opened.loaded):
        raise InvalidParameterError("error.store_no_follow_up_item", name=opened.info.name, item=args.item)
    changes = {
        "done": UNSET if args.done is None else args.done,
        "note": UNSET if args.note is None else args.note,
        "owner": UNSET if args.owner is None else args.owner,
        "due_date": args.due,
    }
    try:
        record = store.update_follow_up(
            opened.info.id, args.item, expected_version=args.expect_version, by=args.by, **changes
        )
    except FollowUpConflictError as conflict:
        mine = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in conflict.mine.items()}
        return {"conflict": {"item_id": args.item, "mine": mine, "theirs": conflict.theirs.to_dict()}}, EXIT_CONFLICT
    return {"updated": record.to_dict()}, 0


def _item_ids(loaded) -> set[str]:
    """Every id an item of this data set can have (each response, each CRM account)."""
    responses = loaded.survey.responses
    refs = responses["response_id"].where(
        responses["response_id"].notna(), "row " + responses["source_row"].astype(str)
    )
    ids = {f"response:{r}" for r in refs}
    if loaded.crm is not None:
        ids |= {f"account:{k}" for k in loaded.crm.accounts["account_key"].dropna()}
    return ids


def _follow_up_list(store: Store, args: argparse.Namespace) -> dict:
    from ..accounts import default_as_of, follow_up_list
    from ..workspace import Workspace
    from ._follow_up import apply_records

    opened = store.open_workspace(args.workspace)
    as_of = args.as_of or default_as_of(opened.info.dataset == "sample")
    ws = Workspace.from_loaded(opened.loaded)
    try:
        items = follow_up_list(ws, as_of, lang="en", weights=opened.role_weights)
    finally:
        ws.close()
    records = store.follow_up(opened.info.id)
    history: dict[str, list] = {}
    for entry in store.follow_up_history(opened.info.id):
        history.setdefault(entry.item_id, []).append(entry.to_dict())
    merged = apply_records(items, records)
    out = []
    for row in merged.to_dict("records"):
        record = records.get(row["item_id"])
        out.append(
            {k: _plain(v) for k, v in row.items()}
            | {
                "in_list": True,
                "version": record.version if record else 0,
                "updated_at": record.to_dict()["updated_at"] if record else None,
                "updated_by": record.updated_by if record else None,
                "history": history.get(row["item_id"], []),
            }
        )
    listed = set(merged["item_id"])
    for item_id, record in sorted(records.items()):
        if item_id not in listed:  # saved earlier, no longer in this period's list: still part of the record
            out.append(record.to_dict() | {"in_list": False, "history": history.get(item_id, [])})
    return {"workspace": opened.info.to_dict(), "as_of": as_of.isoformat(), "items": out}


def _plain(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
