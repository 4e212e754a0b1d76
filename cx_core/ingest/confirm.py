"""The rules of confirming a suggested mapping: what the Data page offers and what it keeps.

The Data page draws one control per decision; every rule about those decisions lives here, so the
page only draws and a test can check the rules without a browser:

- :func:`nps_choice`: the NPS options (the candidates first) and whether to ask the person;
- :func:`driver_candidates`, :func:`driver_entries`: columns that may be drivers, and the entries
  kept for the chosen ones (a suggested driver keeps its label, need and scale);
- :func:`open_question_columns`, :func:`suggested_questions`, :func:`question_entries`;
- :func:`outcome_options`: the key-driver outcome ("" = automatic, a score, or a driver);
- :func:`dimension_candidates`, :func:`dimension_entries`;
- :func:`confirmed_mapping`: the mapping the person confirmed, with the evidence of every field
  they kept and "chosen by you" for the ones they picked themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Mapping as AnyMapping
from dataclasses import dataclass

from ..schema import driver_key, make_driver
from .dimensions import readable_name
from .mapping import Mapping
from .recognise import why

#: The "No NPS in this file" choice (never a column name: headers have no NUL).
NO_NPS = "\x00no-nps"


@dataclass(frozen=True)
class NpsChoice:
    """The NPS control: ``options`` (``NO_NPS`` first, then the 0-10 candidates, then the other columns),
    the preselected ``index`` (``None`` = nothing chosen yet) and whether the person must be ``ask``-ed
    (no column says it is NPS, but 0-10 candidates exist)."""

    options: tuple[str, ...]
    index: int | None
    ask: bool

    def declined(self, choice: str | None, suggested: Mapping) -> bool:
        """Whether ``choice`` says "No NPS in this file" as an answer (not merely the default)."""
        return choice == NO_NPS and (self.ask or suggested.nps_declined)


def nps_choice(suggested: Mapping, columns: Sequence[str]) -> NpsChoice:
    """The NPS options of a survey file, with the suggestion preselected or the question left open."""
    candidates = [c["column"] for c in suggested.candidates.get("nps", []) if c["column"] in columns]
    ask = not suggested.fields.get("nps") and bool(candidates)
    options = (NO_NPS, *candidates, *[c for c in columns if c not in candidates])
    current = suggested.fields.get("nps")
    if current in columns:
        index: int | None = options.index(current)
    elif ask and not suggested.nps_declined:
        index = None
    else:
        index = 0
    return NpsChoice(options, index, ask)


def field_value(choice: str | None) -> str | None:
    """The column a field control's choice names (``None`` for "not mapped" and "No NPS")."""
    return None if choice in (None, NO_NPS) else choice


def guessed_fields(suggested: Mapping) -> list[tuple[str, str]]:
    """``(field, column)`` of every suggested field that is only a guess and is still suggested."""
    return [
        (name, info["column"])
        for name, info in suggested.evidence.items()
        if info.get("guessed") and suggested.fields.get(name) == info.get("column")
    ]


def _used(fields: AnyMapping[str, str | None], *groups: Iterable[dict]) -> set[str]:
    used = {c for c in fields.values() if c}
    for group in groups:
        used |= {entry["column"] for entry in group}
    return used


def driver_candidates(columns: Sequence[str], fields: AnyMapping[str, str | None]) -> list[str]:
    """Columns that may be drivers: every column no field took."""
    used = _used(fields)
    return [c for c in columns if c not in used]


def suggested_drivers(suggested: Mapping, candidates: Sequence[str]) -> list[str]:
    """The suggested drivers still available, in the suggestion's order."""
    return [d["column"] for d in suggested.drivers if d["column"] in candidates]


def driver_entries(chosen: Iterable[str], suggested: Mapping, column_questions: AnyMapping[str, str]) -> list[dict]:
    """The driver entries of the chosen columns: a suggested (or uploaded) driver keeps its label, need
    and scale; a new column gets a label from its header and a need suggested from its question."""
    known_drivers = {d["column"]: d for d in suggested.drivers}
    entries = []
    for column in chosen:
        known = known_drivers.get(column, {})
        label = known.get("label") or column
        driver = make_driver(label, column_questions.get(column, ""), need=known.get("need"))
        entry = {"column": column, "label": label, "need": driver.need, "category": driver.category}
        if column in suggested.scales:
            entry["scale"] = list(suggested.scales[column])
        entries.append(entry)
    return entries


def open_question_columns(
    columns: Sequence[str], fields: AnyMapping[str, str | None], drivers: Sequence[dict]
) -> list[str]:
    """Columns that may be open questions: those no field or driver took, and the comment field's."""
    used = _used(fields, drivers)
    return [c for c in columns if c not in used or c == fields.get("comment")]


def suggested_questions(
    suggested: Mapping, open_columns: Sequence[str], fields: AnyMapping[str, str | None]
) -> list[str]:
    """The suggested open questions still available; the comment field's column always first among them."""
    chosen = [q["column"] for q in suggested.questions if q["column"] in open_columns]
    comment = fields.get("comment")
    if comment and comment not in chosen:
        chosen.insert(0, comment)
    return chosen


def question_entries(chosen: Iterable[str], suggested: Mapping, column_questions: AnyMapping[str, str]) -> list[dict]:
    """The open questions kept: each with its question text (the suggestion's, else the file's, else the
    header), on one line and at most 200 characters."""
    labels = {q["column"]: q.get("question") for q in suggested.questions}
    return [
        {"column": c, "question": labels.get(c) or " ".join(str(column_questions.get(c) or c).split())[:200]}
        for c in chosen
    ]


def outcome_options(fields: AnyMapping[str, str | None], drivers: Sequence[dict]) -> list[str]:
    """The key-driver outcomes: ``""`` (automatic), each mapped score, then each driver's key."""
    return ["", *[n for n in ("nps", "csat", "ces") if fields.get(n)], *[driver_key(d["label"]) for d in drivers]]


def suggested_outcome(suggested: Mapping, options: Sequence[str]) -> str:
    """The suggested outcome when it is still an option, else automatic (``""``)."""
    return suggested.outcome if suggested.outcome and suggested.outcome in options else ""


def dimension_candidates(
    columns: Sequence[str],
    fields: AnyMapping[str, str | None],
    drivers: Sequence[dict],
    questions: Sequence[dict],
) -> list[str]:
    """Columns that may be groupings: those no field, driver or open question took."""
    used = _used(fields, drivers, questions)
    return [c for c in columns if c not in used]


def suggested_dimensions(suggested: Mapping, candidates: Sequence[str]) -> list[str]:
    """The suggested groupings still available (rating items are never suggested: see ``recognise``)."""
    return [d["column"] for d in suggested.dimensions if d["column"] in candidates]


def dimension_entries(chosen: Iterable[str], suggested: Mapping) -> list[dict]:
    """The groupings kept, each named as suggested or readably from its header."""
    known = {d["column"]: d for d in suggested.dimensions}
    return [{"column": c, "name": known.get(c, {}).get("name") or readable_name(c)} for c in chosen]


def confirmed_mapping(
    kind: str,
    suggested: Mapping,
    columns: Sequence[str],
    fields: AnyMapping[str, str | None],
    *,
    drivers: Sequence[dict] = (),
    dimensions: Sequence[dict] = (),
    questions: Sequence[dict] = (),
    outcome: str | None = None,
    nps_declined: bool = False,
) -> Mapping:
    """The mapping the person confirmed.

    A field's evidence stays only while the person keeps its column; a field they picked themselves is
    "chosen by you" (certain, not a guess). Scales of the file's columns stay, and the NPS column is 0-10.
    """
    fields = dict(fields)
    if kind != "survey":
        return Mapping(kind=kind, fields=fields, drivers=list(drivers), dimensions=list(dimensions))
    evidence = {k: dict(v) for k, v in suggested.evidence.items() if fields.get(k) == v.get("column")}
    for name, column in fields.items():
        if column and name not in evidence:
            evidence[name] = {"column": column, **why("chosen_by_you").entry(), "confidence": 1.0, "guessed": False}
    scales = {c: list(v) for c, v in suggested.scales.items() if c in columns}
    nps_column = fields.get("nps")
    if nps_column:
        scales[nps_column] = [0, 10]
    return Mapping(
        kind=kind,
        fields=fields,
        drivers=list(drivers),
        dimensions=list(dimensions),
        evidence=evidence,
        candidates={k: [dict(c) for c in v] for k, v in suggested.candidates.items()},
        scales=scales,
        questions=list(questions),
        outcome=outcome or None,
        nps_declined=nps_declined and not fields.get("nps"),
    )
