"""An LLM reads a question the offline parser could not: it fills the same typed spec, nothing else.

What is sent: the question and the workspace's names (measures, dimensions, the values of the
category dimensions (segment, industry, region, role, stage, touchpoint, survey type; never account
owners, and for other mapped columns only their name), driver labels, theme names, the first and last
answer day), every one through the redactor of the LLM requests (:class:`cx_core.themes.Redactor`: names,
numbers, addresses, the CRM's account names); drivers go by a number of this request, not their key
(a key is made from a column header). A name the redactor changed is sent as changed and read back
to the workspace's name in the answer.
Never a row, never a score. The answer must be one JSON object of :func:`spec_schema`; it is never
SQL or code, and every name in it is validated against the vocabulary (an unknown name gets a
"did you mean" and the question is not answered).
"""

from __future__ import annotations

import json
from typing import Any

from ..themes import Redactor, ask_json
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


class _SentNames:
    """The names as sent (redacted; drivers as d1, d2 ...) and the way back to the workspace's names."""

    def __init__(self, vocab: Vocabulary, redactor: Redactor):
        self._redactor = redactor
        self.back: dict[str, str] = {}
        self.driver_keys = {key: f"d{n}" for n, (key, _label) in enumerate(vocab.drivers, start=1)}
        self._driver_back = {alias: key for key, alias in self.driver_keys.items()}
        #: theme names as sent -> theme ids (a team's theme name may hold a person's name: redacted too)
        self.theme_ids: dict[str, str] = {}
        for theme_id, label in vocab.themes:
            sent, n = self.send(label), 1
            while sent in self.theme_ids:
                n += 1
                sent = f"{self.send(label)} ({n})"
            self.theme_ids[sent] = theme_id

    def send(self, name: str) -> str:
        sent = self._redactor(name)
        if sent == name:
            return name
        n = 1
        while sent in self.back and self.back[sent] != name:
            n += 1
            sent = f"{self._redactor(name)} ({n})"
        self.back[sent] = name
        return sent

    def measure(self, name: str) -> str:
        if name.startswith("driver:"):
            return "driver:" + self.driver_keys.get(name.removeprefix("driver:"), name.removeprefix("driver:"))
        return name

    def restore(self, data: dict) -> dict:
        """The model's answer with the workspace's names where it used the sent ones."""
        back = lambda value: self.back.get(str(value), value) if isinstance(value, str) else value  # noqa: E731
        out = dict(data)
        measure = str(out.get("measure") or "")
        if measure.startswith("driver:"):
            out["measure"] = "driver:" + self._driver_back.get(measure.removeprefix("driver:"), "?")
        out["group_by"] = [back(g) for g in out.get("group_by") or []]
        out["filters"] = [
            {**item, "dimension": back(item.get("dimension")), "values": [back(v) for v in item.get("values") or []]}
            for item in out.get("filters") or []
            if isinstance(item, dict)
        ]
        out["compare_dimension"] = back(out.get("compare_dimension"))
        out["compare_values"] = [back(v) for v in out.get("compare_values") or []]
        # a name the model made up stays as said: validation refuses it with a "did you mean"
        out["themes"] = [self.theme_ids.get(str(x), str(x)) for x in out.get("themes") or []]
        return out


def _sent_values(vocab: Vocabulary, names: _SentNames) -> dict[str, list[str]]:
    return {
        names.send(d): [names.send(v) for v in values[:_MAX_VALUES]] if d in CATEGORY_DIMENSIONS else []
        for d, values in vocab.values
        if d not in PERSONAL_DIMENSIONS
    }


def spec_schema(vocab: Vocabulary, names: _SentNames | None = None) -> dict:
    """The JSON schema the model fills: every enum is a name of this workspace (no values of rows),
    as sent (``names``: redacted, drivers by number)."""
    names = names or _SentNames(vocab, Redactor())
    dimensions = [names.send(d) for d in vocab.dimensions]
    groups = dimensions + ["month", "quarter"]
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
            "measure": {"type": "string", "enum": [names.measure(m) for m in vocab.measure_names()] or ["nps"]},
            "group_by": {"type": "array", "items": {"type": "string", "enum": groups}, "maxItems": 2},
            "filters": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "dimension": {"type": "string", "enum": dimensions or ["segment"]},
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
            "themes": {
                "type": "array",
                "items": {"type": "string", "enum": list(names.theme_ids) or [""]},
                "maxItems": 5,
            },
        },
        "required": ["measure", "group_by", "filters", "period", "order", "top"],
        "additionalProperties": False,
    }


def _instructions(vocab: Vocabulary, sent: _SentNames) -> str:
    names = {
        "measures": [sent.measure(m) for m in vocab.measure_names()],
        "drivers": {sent.driver_keys[key]: sent.send(label) for key, label in vocab.drivers},
        "dimensions": _sent_values(vocab, sent),
        "dimensions_without_listed_values": sorted(sent.send(d) for d in set(vocab.dimensions) - CATEGORY_DIMENSIONS),
        "themes": list(sent.theme_ids),
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
        "themes: theme names when the question is about the people whose comments mention them. "
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
        themes=tuple(str(x) for x in data.get("themes") or () if x)[:5],
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


def parse_with_llm(
    question: str, vocab: Vocabulary, client, config, lang: str, redactor: Redactor | None = None
) -> tuple[Reading | None, str]:
    """``(reading, "")`` from the model, validated against ``vocab``; ``(None, reason)`` when it failed.

    ``client`` is an OpenAI-compatible client and ``config`` a :class:`cx_core.themes.LLMConfig`;
    ``redactor`` is the one of the workspace's LLM requests (``Redactor(crm_names(ws))``; without
    it, everything but the CRM's account names is still redacted).
    """
    sent = _SentNames(vocab, redactor or Redactor())
    messages = [
        {"role": "system", "content": _instructions(vocab, sent)},
        {"role": "user", "content": sent.send(str(question)[:500])},
    ]
    data, reason, _sent = ask_json(
        client,
        config,
        messages,
        schema_name="query_spec",
        schema=spec_schema(vocab, sent),
        parse=_parse_answer,
        correction="Answer with one JSON object of the schema, using only the listed names.",
        max_tokens=300,
    )
    if data is None:
        return None, reason or "invalid"
    try:
        spec = spec_from_answer(sent.restore(data))
    except (TypeError, ValueError):
        return None, "invalid"
    return validate(Reading(question, True, spec, source="llm"), vocab, lang), ""
