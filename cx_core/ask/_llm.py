"""An LLM reads a question the offline parser could not: it fills the same typed spec, nothing else.

What is sent: the question (personal data masked first) and the workspace's names (measures,
dimensions, the values of the category dimensions (segment, industry, region, role, stage,
touchpoint, survey type; never account owners, and for other mapped columns only their name),
driver labels, the first and last answer day).
Never a row, never a score. The answer must be one JSON object of :func:`spec_schema`; it is never
SQL or code, and every name in it is validated against the vocabulary (an unknown name gets a
"did you mean" and the question is not answered).
"""

from __future__ import annotations

import json
from typing import Any

from ..themes import ask_json, mask_pii
from ..themes._endpoint import extract_json_text
from ._parse import validate
from ._spec import Compare, Period, QuerySpec, Reading, normal_filters
from ._vocab import Vocabulary

#: dimensions whose values are people's names: their values are never sent
PERSONAL_DIMENSIONS = frozenset({"owner"})
#: the canonical dimensions whose values are categories (sent so the model can name them); the values
#: of other mapped columns may be anything a person typed (names, e-mails): only their column name goes
CATEGORY_DIMENSIONS = frozenset(
    {"segment", "industry", "region", "respondent_role", "journey_stage", "touchpoint", "survey_type"}
)
_MAX_VALUES = 60


def _sent_values(vocab: Vocabulary) -> dict[str, list[str]]:
    return {
        d: [mask_pii(v) for v in values[:_MAX_VALUES]] if d in CATEGORY_DIMENSIONS else []
        for d, values in vocab.values
        if d not in PERSONAL_DIMENSIONS
    }


def spec_schema(vocab: Vocabulary) -> dict:
    """The JSON schema the model fills: every enum is a name of this workspace (no values of rows)."""
    groups = list(vocab.dimensions) + ["month", "quarter"]
    date = {"type": ["string", "null"], "description": "YYYY-MM-DD or null"}
    period = {
        "type": ["object", "null"],
        "properties": {"start": date, "end": date},
        "required": ["start", "end"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "measure": {"type": "string", "enum": vocab.measure_names() or ["nps"]},
            "group_by": {"type": "array", "items": {"type": "string", "enum": groups}, "maxItems": 2},
            "filters": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "dimension": {"type": "string", "enum": list(vocab.dimensions) or ["segment"]},
                        "values": {"type": "array", "items": {"type": "string"}, "maxItems": 20},
                    },
                    "required": ["dimension", "values"],
                    "additionalProperties": False,
                },
                "maxItems": 5,
            },
            "period": period,
            "compare_dimension": {"type": ["string", "null"]},
            "compare_values": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
            "compare_periods": {"type": "array", "items": period, "maxItems": 2},
            "order": {"type": ["string", "null"], "enum": ["asc", "desc", None]},
            "top": {"type": ["integer", "null"], "minimum": 1, "maximum": 100},
        },
        "required": ["measure", "group_by", "filters", "period", "order", "top"],
        "additionalProperties": False,
    }


def _instructions(vocab: Vocabulary) -> str:
    names = {
        "measures": vocab.measure_names(),
        "drivers": {key: label for key, label in vocab.drivers},
        "dimensions": _sent_values(vocab),
        "dimensions_without_listed_values": sorted(set(vocab.dimensions) - CATEGORY_DIMENSIONS),
        "today": vocab.anchor().isoformat(),
        "first_answer": vocab.first_date.isoformat() if vocab.first_date else None,
        "last_answer": vocab.last_date.isoformat() if vocab.last_date else None,
    }
    return (
        "You turn a question about customer-experience survey data into one JSON object of the given schema. "
        "Use only the names listed below; never write SQL or code. measure: nps, csat, ces, driver:<key> for one "
        "driver rating, or drivers for every driver. group_by: dimensions (or month/quarter) to show one row per "
        "group. filters: dimension and exact values. period: start/end days. compare_dimension + compare_values "
        "for two groups side by side; compare_periods for two periods. order: asc (lowest first) or desc. "
        "Names of this data:\n" + json.dumps(names, ensure_ascii=False)
    )


def _period(data: Any) -> Period | None:
    if not isinstance(data, dict) or not (data.get("start") or data.get("end")):
        return None
    return Period.from_dict({"label": "llm", **data})


def spec_from_answer(data: dict) -> QuerySpec:
    """The model's JSON object as a spec (shape only; names are validated separately)."""
    filters: dict[str, list[str]] = {}
    for item in data.get("filters") or []:
        if isinstance(item, dict) and item.get("dimension"):
            filters.setdefault(str(item["dimension"]), []).extend(str(v) for v in item.get("values") or [])
    compare = None
    periods = tuple(p for p in (_period(x) for x in data.get("compare_periods") or []) if p is not None)
    if len(periods) >= 2:
        compare = Compare(periods=periods)
    elif data.get("compare_dimension") and len(data.get("compare_values") or []) >= 2:
        compare = Compare(
            dimension=str(data["compare_dimension"]), values=tuple(str(v) for v in data["compare_values"])
        )
    top = data.get("top")
    return QuerySpec(
        measure=str(data.get("measure") or "nps"),
        group_by=tuple(str(g) for g in data.get("group_by") or ())[:2],
        filters=normal_filters(filters),
        period=_period(data.get("period")),
        compare=compare,
        order=data.get("order") if data.get("order") in ("asc", "desc") else None,
        top=int(top) if isinstance(top, int) and not isinstance(top, bool) else None,
    )


def _parse_answer(content: str | None) -> dict | None:
    text = extract_json_text(content)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) and "measure" in data else None


def parse_with_llm(question: str, vocab: Vocabulary, client, config, lang: str) -> tuple[Reading | None, str]:
    """``(reading, "")`` from the model, validated against ``vocab``; ``(None, reason)`` when it failed.

    ``client`` is an OpenAI-compatible client and ``config`` a :class:`cx_core.themes.LLMConfig`.
    """
    messages = [
        {"role": "system", "content": _instructions(vocab)},
        {"role": "user", "content": mask_pii(str(question)[:500])},
    ]
    data, reason, _sent = ask_json(
        client,
        config,
        messages,
        schema_name="query_spec",
        schema=spec_schema(vocab),
        parse=_parse_answer,
        correction="Answer with one JSON object of the schema, using only the listed names.",
        max_tokens=300,
    )
    if data is None:
        return None, reason or "invalid"
    try:
        spec = spec_from_answer(data)
    except (TypeError, ValueError):
        return None, "invalid"
    return validate(Reading(question, True, spec, source="llm"), vocab, lang), ""
