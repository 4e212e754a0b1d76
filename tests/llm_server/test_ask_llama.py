"""Ask with a real local model (``make test-llm-server``: llama-cpp-python serving Gemma 3 270M).

The tiny model's specs are usually poor; what must hold is that whatever it answers is validated
against the workspace's names (never run unchecked, never SQL) and that nothing but the question
and the names reached the server: every request the client sent is recorded and searched for rows.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from test_llama_server import llama_server  # noqa: F401 - the module's server fixture

from cx_core import Workspace
from cx_core.ask import answer, parse_with_llm, validate, vocabulary
from cx_core.themes import FAILURE_REASONS, LLMConfig

pytestmark = pytest.mark.llm_server


class RecordingClient:
    """An ``openai.OpenAI`` client that keeps every request's arguments."""

    def __init__(self, config: LLMConfig):
        from openai import OpenAI  # noqa: PLC0415

        self.requests: list[dict] = []
        real = OpenAI(api_key=config.api_key, base_url=config.base_url, timeout=config.timeout, max_retries=0)
        outer = self

        class Completions:
            def create(self, **kwargs):
                outer.requests.append({k: v for k, v in kwargs.items() if k != "timeout"})
                return real.chat.completions.create(**kwargs)

        class Chat:
            completions = Completions()

        self.chat = Chat()


def test_a_real_model_fills_a_validated_spec_from_names_only(llama_server, sample_loaded):  # noqa: F811
    base, _log = llama_server
    ws = Workspace.from_loaded(sample_loaded)
    try:
        vocab = vocabulary(ws, today=dt.date(2026, 10, 1))
        config = LLMConfig(api_key="local", base_url=base, model="gemma", timeout=180, max_retries=0)
        client = RecordingClient(config)
        question = "How do our biggest customers feel about delivery promises lately? Mail j.smith@example.com"
        reading, reason = parse_with_llm(question, vocab, client, config, lang="en")
        understood = reading.understood if reading else None
        print(
            f"\nask via the local model: reason={reason!r} understood={understood} notes={reading.notes if reading else ()}"
        )
        print(f"reading={reading.to_dict() if reading else None}")
        if reading is None:
            assert reason in FAILURE_REASONS
        else:
            assert reading.source == "llm"
            assert validate(reading, vocab, lang="en") == reading  # what came back was checked already
            if reading.understood:  # a spec is answered only when every name it holds is the data's own
                for dimension, values in reading.spec.filters:
                    assert set(values) <= set(vocab.values_of(dimension))
            result = answer(ws, reading, lang="en")
            assert all(s.split()[0].upper() in ("SELECT", "WITH", "DESCRIBE") for s in result.sql)
        assert client.requests
        sent = json.dumps(client.requests, ensure_ascii=False, default=str)
        rows = ws.con.execute(
            "SELECT response_id, account_id, account_name, owner, comment FROM facts LIMIT 300"
        ).fetchall()
        for response_id, account_id, account_name, owner, comment in rows:
            assert response_id not in sent and account_id not in sent
            assert account_name not in sent and owner not in sent
            if comment and len(comment) > 12:
                assert comment not in sent
        assert "j.smith@example.com" not in sent
    finally:
        ws.close()
