"""The load test's section of docs/BENCHMARKS.md (kept when ``make bench`` rewrites the rest)."""

from __future__ import annotations

from pathlib import Path

START = "<!-- load-test:start -->"
END = "<!-- load-test:end -->"
MB = 1e6


def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def _mb(value: int) -> str:
    return f"{value / MB:,.0f} MB"


def render(report: dict) -> str:
    """The whole section, with one run."""
    return "\n".join([START, "## Load test: a team on one server", "", render_run(report), END, ""])


def render_run(report: dict) -> str:
    m, st = report["machine"], report["settings"]
    shared = bool(st.get("shared"))
    who = (
        f"every person opens the team's one saved {st['rows']:,}-response workspace by its link (in place: the "
        f"saved files shared, streamed and saved once before the run in {st.get('save_seconds', 0):.0f} s), "
        "then clicks through the pages "
        if shared
        else f"each uploads their own {st['rows']:,}-response survey and CRM export, loads it, then clicks through the pages "
    )
    heading = f"one shared workspace of {st['rows']:,} responses" if shared else f"{st['rows']:,} responses each"
    lines = [
        f"### {m['date']}: {report['results'][0]['users']} people, {heading}",
        "",
        "Written by `make loadtest` (`python -m bench.load.run`, `bench/load/`); not part of `make bench`.",
        "Simulated people speak Streamlit's websocket protocol (no browsers); "
        + who
        + f"({', '.join(st['pages'])}) with {st['think'][0]:g}-{st['think'][1]:g} s between clicks for "
        f"{st['browse']:g} s (every fourth click changes the segment filter), arriving {st['ramp']:g} s apart.",
        "*Page time* is measured on the wire from the rerun request to Streamlit's `script_finished`; CPU",
        "(cores used) and memory (resident, summed over the app processes) are the server's, read from /proc;",
        "*server CPU* is the CPU time the app processes used while the people were there (loads included);",
        "*memory per person* is (peak - base) / people.",
        "The baseline (one process, as `make run`) and the team set-up run one after the other in the same",
        f"run, on the same {'workspace' if shared else 'uploads'}. *After* is measured "
        f"{st['settle']:g} s after everyone left (sessions kept {st['session_ttl']} s for a reconnect).",
        "",
        f"- Date: {m['date']}; commit {m['commit']}; command: `{report['command']}`",
        f"- Machine: {m['cpu']}, {m['memory_gb']} GB, {m['os']}, Python {m['python']}; load average at start: "
        f"{m['load_average']}",
    ]
    if st.get("note"):
        lines.append(f"- Conditions: {st['note']}")
    lines += [
        "",
        f"| set-up | people | clicks | page p50 | page p95 | page max | {'open' if shared else 'load'} p50 "
        f"| {'open' if shared else 'load'} p95 | errors "
        "| server CPU | cores mean | cores peak (5 s) | memory base | memory peak | memory after | memory per person |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["results"]:
        per_person = (r["rss_peak"] - r["rss_base"]) / max(1, r["users"])
        lines.append(
            f"| {r['label']} | {r['users']} | {r['clicks']} | {_s(r['page_p50'])} | {_s(r['page_p95'])} "
            f"| {_s(r['page_max'])} | {_s(r['load_p50'])} | {_s(r['load_p95'])} | {r['errors']} "
            f"| {r['cores_mean'] * r['browse_seconds']:,.0f} s | {r['cores_mean']:.2f} | {r['cores_peak_5s']:.2f} | {_mb(r['rss_base'])} | {_mb(r['rss_peak'])} "
            f"| {_mb(r['rss_after'])} | {_mb(per_person)} |"
        )
    lines += ["", "Page p95 by page:", ""]
    pages = sorted({p for r in report["results"] for p in r["pages_p95"]})
    lines.append("| set-up | " + " | ".join(pages) + " |")
    lines.append("|---|" + "---:|" * len(pages))
    for r in report["results"]:
        lines.append(f"| {r['label']} | " + " | ".join(_s(r["pages_p95"].get(p)) for p in pages) + " |")
    examples = [e for r in report["results"] for e in r["error_examples"]]
    if examples:
        lines += ["", "First errors:", ""] + [f"- `{e}`" for e in examples[:10]]
    lines.append("")
    return "\n".join(lines)


def preserved_section(path: Path) -> str:
    """The load-test section of an existing report (for writers that rewrite the rest of the file)."""
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return ""
    return "\n" + text[text.index(START) : text.index(END) + len(END)] + "\n"


def write_section(path: Path, report: dict, *, append: bool = False) -> None:
    """Put ``report`` in the load-test section of ``path``: replacing the runs there, or (``append``) after them."""
    section = render(report)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if append and START in text and END in text:
        head, rest = text.split(END, 1)
        path.write_text(head.rstrip("\n") + "\n\n" + render_run(report) + END + rest, encoding="utf-8")
        return
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")
