"""``python -m cx_core ask "QUESTION" --survey F``: one question answered as JSON, never an error exit
for a question it cannot read (``understood: false`` with suggestions)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path


def add_ask_command(sub, date_type: Callable) -> None:
    ask = sub.add_parser("ask", help="answer a question in plain words (English or Japanese) as JSON")
    ask.add_argument("question", help='e.g. "NPS by segment last quarter" or "購買担当のCSATが一番低いセグメントは?"')
    ask.add_argument("--survey", required=True, type=Path, help="survey export (CSV/TSV)")
    ask.add_argument("--crm", type=Path, help="CRM accounts export (CSV/TSV)")
    ask.add_argument("--mapping", type=Path, help="column mapping JSON saved from the Data page")
    ask.add_argument("--cases", type=Path, help="support cases / tickets export (CSV/XLSX)")
    ask.add_argument(
        "--codebook",
        type=Path,
        default=None,
        help="the team's codebook JSON (exported from the Themes page): theme questions use its themes and names",
    )
    ask.add_argument("--lang", choices=("en", "ja"), default="en", help="language of the message")
    ask.add_argument("--min-n", type=int, default=30, help="groups with fewer answers are flagged, never ranked")
    ask.add_argument("--as-of", type=date_type, default=None, help="'today' for relative periods (YYYY-MM-DD)")
    ask.add_argument(
        "--llm",
        action="store_true",
        help="when the offline parser cannot read the question, let the LLM of OPENAI_API_KEY / OPENAI_BASE_URL "
        "/ CX_LLM_MODEL fill the spec (only the question and the data's names are sent)",
    )


def run_ask(args: argparse.Namespace, load_workspace: Callable) -> dict:
    from dataclasses import replace

    from . import ThemeMembers, answer, parse, parse_with_llm, suggestions, vocabulary, workspace_themes
    from ._themes import may_name_theme

    ws = load_workspace(args)
    try:
        vocab = vocabulary(ws, today=args.as_of)
        reading = parse(args.question, vocab, args.lang)
        themes = None
        if may_name_theme(args.question):
            # the themes cost a pass of the offline engine: only for a question that says it names one
            # ("mention ...", 「...について」); a theme's bare name is read on the Ask page
            codebook = None
            if getattr(args, "codebook", None) is not None:
                from ..codebook._cli import read_codebook

                codebook = read_codebook(args.codebook)
            themes = ThemeMembers.of(workspace_themes(ws, codebook))
            vocab = replace(vocab, themes=themes.labels, phrases={})
            reading = parse(args.question, vocab, args.lang)
        llm_reason = None
        if not reading.understood and args.llm:
            from ..themes import LLMConfig, Redactor, crm_names, make_client

            config = LLMConfig.from_mapping(dict(os.environ))
            if config is None:
                llm_reason = "not_configured"
            else:
                redactor = Redactor(crm_names(ws))
                read, llm_reason = parse_with_llm(
                    args.question, vocab, make_client(config), config, args.lang, redactor
                )
                if read is not None:
                    reading = read
        if not reading.understood:
            reading = replace(reading, suggestions=tuple(suggestions(vocab, args.lang)))
        result = answer(ws, reading, lang=args.lang, min_n=args.min_n, themes=themes).to_dict()
        if llm_reason:
            result["llm"] = llm_reason
        return result
    finally:
        ws.close()
