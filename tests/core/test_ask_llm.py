"""Ask with an LLM: the model fills the same spec (never SQL), validated against the workspace's names;
only the question (masked) and the names are sent, never a row (the fake server logs every request)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from ask_scoring import vocab, workspace  # noqa: E402
from test_llm_themes import FakeServer  # noqa: E402

from cx_core.ask import answer, ask, parse, parse_with_llm  # noqa: E402
from cx_core.themes import LLMConfig, make_client  # noqa: E402

QUESTION = "How do our biggest customers feel about delivery promises lately? Reply to j.smith@example.com"


class SpecServer(FakeServer):
    """Answers like a good model would: one JSON object of the schema, from the question alone."""

    def __init__(self):
        super().__init__()
        self.spec: dict = {}

    def answer(self, body) -> str:
        if "query_spec" not in json.dumps(body) and "JSON object of the given schema" not in json.dumps(body):
            return '{"ok": true}'  # a capability probe
        spec = dict(self.spec)
        label = re.fullmatch(r"driver:<(.+)>", str(spec.get("measure")))
        if label:  # a driver is named by the number it was sent with, found by its label
            names = json.loads(body["messages"][0]["content"].split("Names of this data:\n", 1)[1])
            spec["measure"] = "driver:" + next(k for k, v in names["drivers"].items() if v == label.group(1))
        return json.dumps(spec)


@pytest.fixture()
def spec_server():
    fake = SpecServer()
    yield fake
    fake.close()


def _config(server) -> LLMConfig:
    return LLMConfig(
        api_key="sk-test", base_url=server.base_url, timeout=10, max_retries=0, output_format="json_schema"
    )


GOOD = {
    "measure": "driver:<On-time delivery>",
    "group_by": [],
    "filters": [{"dimension": "segment", "values": ["Enterprise"]}],
    "period": {"start": "2026-07-01", "end": "2026-09-30"},
    "order": None,
    "top": None,
}


def test_the_llm_fills_the_spec_and_the_answer_equals_the_offline_one(spec_server):
    spec_server.spec = GOOD
    v = vocab("sample")
    assert not parse(QUESTION, v, lang="en").understood  # the offline parser cannot read it: the LLM's turn
    reading, reason = parse_with_llm(QUESTION, v, make_client(_config(spec_server)), _config(spec_server), lang="en")
    assert reason == "" and reading is not None
    assert reading.understood and reading.source == "llm"
    offline = ask(workspace("sample"), "on-time delivery for enterprise last quarter", vocab=v, lang="en")
    assert reading.spec == offline.spec.with_(period=reading.spec.period)
    from_llm = answer(workspace("sample"), reading, lang="en")
    assert [(r.value, r.n) for r in from_llm.rows] == [(r.value, r.n) for r in offline.rows]


def test_only_the_question_and_the_names_are_sent(spec_server):
    spec_server.spec = GOOD
    parse_with_llm(QUESTION, vocab("sample"), make_client(_config(spec_server)), _config(spec_server), lang="en")
    assert spec_server.requests
    sent = json.dumps([r["body"] for r in spec_server.requests], ensure_ascii=False)
    ws = workspace("sample")
    rows = ws.con.execute(
        "SELECT response_id, account_id, account_name, owner, comment FROM facts WHERE comment IS NOT NULL LIMIT 200"
    ).fetchall()
    for response_id, account_id, account_name, owner, comment in rows:
        assert response_id not in sent and account_id not in sent
        assert account_name not in sent and owner not in sent  # account owners are people: not even as names
        if comment and len(comment) > 12:
            assert comment not in sent
    assert "j.smith@example.com" not in sent  # personal data in the question is masked first
    assert "Enterprise" in sent and "On-time delivery" in sent  # the schema's names are what is sent


def test_unknown_names_from_the_model_get_a_did_you_mean(spec_server):
    spec_server.spec = {
        "measure": "nps",
        "group_by": ["regoin"],
        "filters": [{"dimension": "segment", "values": ["Enterprize"]}],
        "period": None,
        "order": None,
        "top": None,
    }
    reading, _ = parse_with_llm(
        "nps by the regional split", vocab("sample"), make_client(_config(spec_server)), _config(spec_server), lang="en"
    )
    assert reading is not None and not reading.understood
    text = " ".join(reading.notes)
    assert "“region”" in text and "“Enterprise”" in text
    result = answer(workspace("sample"), reading, lang="en")
    assert result.rows == () and result.sql == ()  # nothing runs on an invalid spec


def test_sql_or_code_from_the_model_is_never_run(spec_server):
    spec_server.spec = {
        "measure": "nps; DROP TABLE responses",
        "group_by": [],
        "filters": [],
        "period": None,
        "order": None,
        "top": None,
    }
    reading, _ = parse_with_llm(
        "anything", vocab("sample"), make_client(_config(spec_server)), _config(spec_server), lang="en"
    )
    assert reading is not None and not reading.understood
    assert workspace("sample").response_count() > 0


def test_values_of_other_mapped_columns_are_not_sent(spec_server):
    spec_server.spec = GOOD
    v = vocab("generated")  # its "Product line" is a mapped column of the person's own
    parse_with_llm(
        "anything about our product lines", v, make_client(_config(spec_server)), _config(spec_server), lang="en"
    )
    sent = json.dumps([r["body"] for r in spec_server.requests], ensure_ascii=False)
    assert "Product line" in sent and "On-prem" not in sent and "Hardware" not in sent
    assert "大企業" in sent  # a segment: a category name, sent so the model can name it


def test_a_spec_repeating_one_unknown_value_is_refused_with_one_message():
    """The real Gemma 270M answered survey_type = ["s.o.p."] twenty times: one "did you mean", not twenty."""
    import datetime as dt

    from cx_core import Workspace, load_inputs
    from cx_core.ask import Reading, validate, vocabulary
    from cx_core.ask._spec import QuerySpec
    from cx_core.sample import sample_bytes

    survey, crm = sample_bytes()
    ws = Workspace.from_loaded(load_inputs(survey, "survey.csv", crm, "crm.csv"))
    try:
        vocab = vocabulary(ws, today=dt.date(2026, 10, 1))
        spec = QuerySpec(measure="nps", filters=(("survey_type", ("s.o.p.",) * 20),))
        checked = validate(Reading("q", True, spec, source="llm"), vocab, lang="en")
        assert not checked.understood and len(checked.notes) == 1 and "s.o.p." in checked.notes[0]
    finally:
        ws.close()
