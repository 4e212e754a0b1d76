"""Which modules of ``cx_core.themes`` the offline engine's orchestrator calls, in order.

    python -m tools.themes_flow_trace [orchestrator module]   # default: cx_core.themes._pipeline

Runs the offline engine on 40 small comments (character n-gram embedder: quick, no model) and
prints the sequence of modules called directly from the orchestrator (repeats in a row shown
once; the shared data types left out), and how often it goes back to a module it had left. On
the code before the steps (``cx_core.themes._offline`` at f86c8bc): 10 modules, 181 returns; on
the pipeline: each step once, none.
"""

from __future__ import annotations

import sys

from cx_core.themes import CommentRecord, Embedder, extract_themes

TEXTS = [
    "The delivery was late again, but the support team was great.",
    "Pricing is unclear. Please add a dark mode.",
    "n/a",
    "Great!",
    "Late delivery",
    "The invoice was wrong",
    "Support answered quickly",
]
_INNER = ("<lambda>", "<genexpr>", "<listcomp>", "<dictcomp>", "<setcomp>")


def trace(orchestrator: str) -> list[str]:
    """The modules called from ``orchestrator`` during one run, repeats in a row once."""
    comments = [CommentRecord(f"r{i}", TEXTS[i % len(TEXTS)], float(i % 11)) for i in range(40)]
    called: list[str] = []

    def profile(frame, event, _arg) -> None:
        if event != "call" or frame.f_back is None or frame.f_code.co_name in _INNER:
            return
        callee = frame.f_globals.get("__name__", "")
        caller = frame.f_back.f_globals.get("__name__", "")
        if not caller.startswith(orchestrator) or callee.startswith(orchestrator):
            return
        if not callee.startswith("cx_core.themes.") or callee.endswith(("._types", "._steps.data")):
            return
        if not called or called[-1] != callee:
            called.append(callee)

    embedder = Embedder("ngram")
    sys.setprofile(profile)
    try:
        extract_themes(comments, embedder=embedder)
    finally:
        sys.setprofile(None)
    return [m.removeprefix("cx_core.themes.") for m in called]


def main(argv: list[str]) -> int:
    orchestrator = argv[0] if argv else "cx_core.themes._pipeline"
    modules = trace(orchestrator)
    print(
        f"{orchestrator}: {len(set(modules))} modules, {len(modules) - len(set(modules))} returns to a module it had left"
    )
    print(" -> ".join(modules))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
