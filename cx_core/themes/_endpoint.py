"""One OpenAI-compatible endpoint: what it can do (discovered once) and one structured call loop.

Endpoints differ: OpenAI accepts ``response_format: json_schema``; llama.cpp-based servers answer
HTTP 500 to it but accept ``json_object``; others accept neither and must be asked for plain text
(the JSON is then extracted from the answer). Local servers on a CPU often answer one request at a
time, so four requests in flight make three of them wait past the timeout. :func:`discover_capabilities`
finds both out with a few tiny requests, once; :func:`ask_json` then uses what it found.

Answers are streamed, and the stream is closed as soon as the answer is complete, visibly wrong
(``watch``), past its timeout or past the run's deadline: llama.cpp-based servers stop generating
when the client hangs up on a stream, whereas a plain request is generated to ``max_tokens`` after
the client gave up (measured with Gemma 3 270M: 399 tokens, 130 s of a one-at-a-time server, for
an answer nobody read). A client that returns a whole completion instead of a stream is read as it is.

Failure reasons (``FAILURE_REASONS``) are the real ones, so the person can act on them: timeout
(raise ``CX_LLM_TIMEOUT`` or lower ``CX_LLM_CONCURRENCY``), format (the endpoint refused every
answer format), invalid (not JSON of the right shape), rate_limit, auth, model_not_found,
connection, server (a 5xx that is not a refused format), rejected (another 4xx), unsupported /
generic / contradicts (a name that its quotes do not support, see ``_checks``), link / contact /
instruction (a label, description or action with a URL or domain, an e-mail address or phone
number, or an instruction to the reader: refused, never shown), client (settings
that do not build a client), budget (the run's time budget, ``CX_LLM_BUDGET``, ran out first),
unusable (not sent: the model's answers for the first themes all failed the checks).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

T = TypeVar("T")

FORMATS = ("json_schema", "json_object_schema", "json_object", "plain")
"""Ways to ask for JSON, best first: OpenAI's structured output (``json_schema``); JSON mode with a
schema (``{"type": "json_object", "schema": ...}``, which llama.cpp-based servers turn into a grammar
that forces the keys, types and enums); any JSON object; plain text with the JSON extracted."""

_MAX_STRING = 200
"""Bound on strings in a grammar-enforced schema: a small model otherwise rambles to max_tokens
(one token every 0.15-2 s on a loaded 2-core CPU, measured with Gemma 3 270M)."""
_MAX_ITEMS = 5
_LOGGED_CHARS = 120
"""Characters of each answer kept in the request log (what the model said, for the person)."""

FAILURE_REASONS = (
    "timeout",
    "format",
    "invalid",
    "unsupported",
    "generic",
    "contradicts",
    "link",
    "contact",
    "instruction",
    "rate_limit",
    "auth",
    "model_not_found",
    "connection",
    "server",
    "rejected",
    "client",
    "budget",
    "unusable",
)
FATAL_REASONS = frozenset({"auth", "model_not_found", "connection", "format", "client", "budget"})
"""Reasons that will not change for the next request: the run stops sending after the first one."""

AUTO_CONCURRENCY = 4
"""Requests in flight when discovery finds an endpoint that serves requests in parallel."""

_SERIAL_RATIO = 1.6
"""Two whole (unstreamed) answers sent together that take this many times one alone: the server
queues them (the fallback when the answers do not stream in several chunks, see ``_serves_one_at_a_time``)."""
_QUEUED_LAG = 0.5
"""A second stream whose first chunk comes this many times a request's own time to first chunk
after the first stream's first chunk, and after its last: it waited for the first answer."""


@dataclass(frozen=True)
class EndpointCapabilities:
    """What an endpoint was found to handle (or was configured to)."""

    output_format: str
    """One of :data:`FORMATS`."""
    concurrency: int
    """Requests sent at a time."""
    latency: float | None = None
    """Seconds one small request took alone (None when not measured)."""
    probes: int = 0
    """Requests discovery sent."""
    discovered: bool = True
    """False when the configuration fixed both settings and nothing was probed."""

    def to_dict(self) -> dict:
        return {
            "output_format": self.output_format,
            "concurrency": self.concurrency,
            "latency": self.latency,
            "probes": self.probes,
            "discovered": self.discovered,
        }


class AnswerRejectedError(Exception):
    """Raised by a ``parse`` function of :func:`ask_json`: the answer is well-formed but wrong.

    ``reason`` is a failure reason code; ``correction`` is what the model is told on its retry.
    """

    def __init__(self, reason: str, correction: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.correction = correction
        self.chunks = 0
        self.text = ""


def _bounded(schema):
    """``schema`` with every free string given a ``maxLength`` and every array a ``maxItems``
    (for grammar-based JSON modes; a schema's own, tighter bounds are kept)."""
    if isinstance(schema, dict):
        out = {k: _bounded(v) for k, v in schema.items()}
        if out.get("type") == "string" and "enum" not in out:
            out.setdefault("maxLength", _MAX_STRING)
        if out.get("type") == "array":
            out.setdefault("maxItems", _MAX_ITEMS)
        return out
    if isinstance(schema, list):
        return [_bounded(v) for v in schema]
    return schema


def _strict(schema):
    """``schema`` without length bounds, which OpenAI's strict structured output does not accept."""
    if isinstance(schema, dict):
        return {k: _strict(v) for k, v in schema.items() if k not in ("maxLength", "maxItems")}
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


def response_format(mode: str, schema_name: str, schema: dict) -> dict | None:
    """The ``response_format`` argument for ``mode`` (None: plain text, nothing sent)."""
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": schema_name, "strict": True, "schema": _strict(schema)}}
    if mode == "json_object_schema":
        return {"type": "json_object", "schema": _bounded(schema)}
    if mode == "json_object":
        return {"type": "json_object"}
    return None


def _refuses_format(exc: Exception) -> bool:
    """An answer that means "I do not support this response_format" (400, 422 or a plain 500)."""
    import openai  # noqa: PLC0415

    if isinstance(exc, openai.BadRequestError | openai.UnprocessableEntityError):
        return True
    return isinstance(exc, openai.InternalServerError) and getattr(exc, "status_code", 500) == 500


def classify_error(exc: Exception) -> str:
    """The failure reason code of an exception raised by the openai client."""
    import openai  # noqa: PLC0415

    if isinstance(exc, _CutError):
        return exc.reason
    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection"
    if isinstance(exc, openai.RateLimitError):
        return "rate_limit"
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return "auth"
    if isinstance(exc, openai.NotFoundError):
        return "model_not_found"
    if isinstance(exc, openai.InternalServerError):
        return "server"
    if isinstance(exc, openai.APIStatusError):
        return "rejected"
    return "invalid"


_PROBE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["ok"],
    "properties": {"ok": {"type": "boolean"}},
}
_PROBE_MESSAGES = [
    {"role": "system", "content": "Reply with one JSON object and nothing else."},
    {"role": "user", "content": 'Reply with {"ok": true}'},
]
_PROBE_TOKENS = 12


@dataclass
class _Probe:
    client: Any  # an openai.OpenAI (or a test double)
    config: Any  # an LLMConfig
    deadline: float | None = None
    """``time.monotonic()`` after which no probe is sent or waited for (reason "budget")."""
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, mode: str, stream: bool = False) -> _Timed:
        """When one probe was sent and answered, and the pieces of text it got (streamed: chunks);
        raises the client's exception."""
        kwargs = {
            "model": self.config.model,
            "messages": _PROBE_MESSAGES,
            "temperature": 0,
            "max_tokens": _PROBE_TOKENS,
        }
        if stream:
            kwargs["stream"] = True
        fmt = response_format(mode, "probe", _PROBE_SCHEMA)
        if fmt is not None:
            kwargs["response_format"] = fmt
        for attempt in range(int(self.config.max_retries) + 1):
            timeout, limited = float(self.config.timeout), False
            if self.deadline is not None and self.deadline - time.monotonic() < timeout:
                timeout, limited = self.deadline - time.monotonic(), True
                if timeout <= 0:
                    raise _CutError("budget")
            with self.lock:
                self.sent += 1
            start = time.monotonic()
            stamps: list[float] = []
            try:
                response = self.client.chat.completions.create(**kwargs, timeout=timeout)
                answer = _stream_answer(response, limit=float("inf"), limit_reason="timeout", watch=None, stamps=stamps)
            except Exception as exc:
                if limited and classify_error(exc) == "timeout":
                    raise _CutError("budget") from exc
                if classify_error(exc) not in ("rate_limit", "connection") or attempt >= self.config.max_retries:
                    raise
                time.sleep(self.config.backoff * 2**attempt)
                continue
            end = time.monotonic()
            first, last = (stamps[0], stamps[-1]) if stamps else (end, end)
            return _Timed(start, first, last, end, answer.chunks)
        raise AssertionError("unreachable")  # the loop returns or raises


@dataclass(frozen=True)
class _Timed:
    """One probe's answer: ``time.monotonic()`` when it was sent, its first and last chunk of text
    arrived (a whole answer: both when it ended) and it ended; chunks of text received."""

    start: float
    first: float
    last: float
    end: float
    chunks: int

    @property
    def seconds(self) -> float:
        return self.end - self.start

    @property
    def to_first(self) -> float:
        """Seconds to the first chunk: the server's own latency when nothing was queued ahead."""
        return self.first - self.start


def _serves_one_at_a_time(alone: _Timed, pair: list[_Timed], latency: float | None) -> bool:
    """Whether two probes sent together (``pair``) were served one after the other.

    Ordering first, because it does not depend on how loaded the machine is: on a server that
    serves one request at a time, the second answer's first chunk only comes after the first
    answer's last chunk, and (that request's own latency) later than the first answer's first
    chunk; on a parallel server the two streams overlap. A server that cuts a stream short when
    another request waits (llama-cpp-python's) is one at a time too. Answers that are not
    streamed in several chunks carry no ordering: then two together taking ``_SERIAL_RATIO``
    times one alone (the quicker of the two alone measurements) means queued.
    """
    if alone.chunks > 0 and min(p.chunks for p in pair) < alone.chunks:
        return True  # llama-cpp-python: the waiting request made the server end the running stream
    early, late = sorted(pair, key=lambda p: p.first)
    if early.chunks >= 2 and late.chunks >= 1:
        if late.first < early.last:
            return False  # the two streams overlapped: served together
        own_latency = min(alone.to_first if alone.chunks else float("inf"), early.to_first)
        return late.first - early.first >= _QUEUED_LAG * own_latency
    together = max(p.end for p in pair) - min(p.start for p in pair)
    return together >= _SERIAL_RATIO * min(latency or float("inf"), alone.seconds)


def discover_capabilities(
    client, config, deadline: float | None = None
) -> tuple[EndpointCapabilities | None, str, int]:
    """``(capabilities, "", probes)``, or ``(None, reason, probes)`` when the endpoint is unusable.

    Settings that ``config`` fixes are not probed: ``output_format`` other than "auto" and
    ``concurrency`` above 0. Otherwise: one tiny request per format, best first, stepping down on
    an answer that refuses the format (400, 422, 500); then, for concurrency, one streamed request
    alone and two together. The server serves one at a time (concurrency 1, else
    :data:`AUTO_CONCURRENCY`) when one of the two answers comes back shorter than the one alone
    (llama-cpp-python's server cuts a stream short when another request waits, so the pair looks as
    fast as one), or when the two streams did not overlap: the second one's first chunk came after
    the first one's last chunk, and later than the first one's first chunk by at least half a
    request's own time to first chunk (so short streams of a parallel server that merely start a
    little apart are not taken for a queue). Streams that overlap mean parallel. Only answers that
    do not stream in several chunks are judged by timing (the pair taking ``_SERIAL_RATIO`` times
    one alone). The pair is compared with itself, not with an earlier request: comparing the
    pair's duration with one request alone misjudged a one-at-a-time server as parallel on a loaded
    machine whenever the request alone happened to be slowed down (measured: 4 at a time, then
    every streamed answer came back empty). ``latency`` is the quicker of the format probe and the
    streamed request alone. No probe is sent or waited for after ``deadline``.
    """
    probe = _Probe(client, config, deadline)
    fixed_format = config.output_format if config.output_format in FORMATS else None
    fixed_concurrency = int(config.concurrency) if int(config.concurrency or 0) > 0 else None
    if fixed_format and fixed_concurrency:
        return EndpointCapabilities(fixed_format, fixed_concurrency, None, 0, False), "", 0
    mode, latency = fixed_format, None
    try:
        if mode is not None:
            try:
                latency = probe.send(mode).seconds
            except Exception as exc:  # noqa: BLE001 - classified below
                if mode != "plain" and _refuses_format(exc):
                    return None, "format", probe.sent  # the configured format is refused
                raise
        else:
            for candidate in FORMATS:
                try:
                    latency = probe.send(candidate).seconds
                except Exception as exc:  # noqa: BLE001 - classified below
                    if candidate != "plain" and _refuses_format(exc):
                        continue  # step down: ask more simply
                    raise
                mode = candidate
                break
        if mode is None:  # unreachable: the last format, "plain", never steps down
            raise RuntimeError("no answer format")
        concurrency = fixed_concurrency
        if concurrency is None:
            alone = probe.send(mode, stream=True)
            with ThreadPoolExecutor(max_workers=2) as pool:
                pair = list(pool.map(lambda _i: probe.send(mode, stream=True), range(2)))
            concurrency = 1 if _serves_one_at_a_time(alone, pair, latency) else AUTO_CONCURRENCY
            latency = min(latency or float("inf"), alone.seconds)
    except Exception as exc:  # noqa: BLE001 - any client failure is a reason, never a crash
        return None, classify_error(exc), probe.sent
    return EndpointCapabilities(mode, concurrency, latency, probe.sent, True), "", probe.sent


def extract_json_text(content: str | None) -> str | None:
    """The first JSON object of a model's answer (code fences and chatter around it allowed)."""
    if not content:
        return None
    text = content.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.DOTALL)
    if fenced:
        text = fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    return text[start : end + 1]


def json_object_end(text: str) -> int | None:
    """The index just past the first complete JSON object in ``text`` (None while it is open)."""
    start = text.find("{")
    if start < 0:
        return None
    depth, in_string, escaped = 0, False, False
    for i in range(start, len(text)):
        ch = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


class _CutError(Exception):
    """A stream closed by the client: ``reason`` is "timeout" or "budget"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Answer:
    content: str | None
    chunks: int = 0
    stopped: str = ""
    """Why the client closed the stream: "" (the server finished), "complete" (the JSON object was
    complete), "watch" (``watch`` rejected the partial answer)."""


def _stream_answer(response, *, limit: float, limit_reason: str, watch, stamps: list[float] | None = None) -> _Answer:
    """Read a streamed completion; close it once the JSON object is complete, ``watch`` rejects
    the partial text (re-raised), or ``limit`` (monotonic) passes (:class:`_CutError`).
    ``stamps`` gets the ``time.monotonic()`` of each chunk of text as it arrives."""
    if hasattr(response, "choices"):  # a whole completion: a client that does not stream
        try:
            content = response.choices[0].message.content
        except (AttributeError, IndexError, TypeError):
            content = None
        return _Answer(content, 1 if content else 0)
    parts: list[str] = []
    chunks = 0
    try:
        for chunk in response:
            try:
                delta = chunk.choices[0].delta.content
            except (AttributeError, IndexError, TypeError):
                delta = None
            if delta:
                if stamps is not None:
                    stamps.append(time.monotonic())
                parts.append(delta)
                chunks += 1
                text = "".join(parts)
                if json_object_end(text) is not None:
                    return _Answer(text, chunks, "complete")
                if watch is not None:
                    try:
                        watch(text)
                    except AnswerRejectedError as rejected:
                        rejected.chunks, rejected.text = chunks, text  # for the request log
                        raise  # the stream is closed below
            if time.monotonic() >= limit:
                raise _CutError(limit_reason)
    finally:
        close = getattr(response, "close", None)
        if close is not None:
            close()  # hang up: a llama.cpp-based server stops generating this answer
    return _Answer("".join(parts), chunks)


def chat_request(config, messages: list[dict], *, schema_name: str, schema: dict, max_tokens: int, mode: str) -> dict:
    """The body of one chat completion request as :func:`ask_json` sends it (answer format ``mode``):
    what the page previews is built by this same function."""
    body = {
        "model": config.model,
        "messages": messages,
        "temperature": 0,
        "max_tokens": max_tokens,
        "stream": True,
    }
    fmt = response_format(mode, schema_name, schema)
    if fmt is not None:
        body["response_format"] = fmt
    return body


def ask_json(
    client,
    config,
    messages: list[dict],
    *,
    schema_name: str,
    schema: dict,
    parse: Callable[[str | None], T | None],
    correction: str,
    max_tokens: int,
    capabilities: EndpointCapabilities | None = None,
    deadline: float | None = None,
    watch: Callable[[str], None] | None = None,
    log: Callable[[dict], None] | None = None,
) -> tuple[T | None, str, int]:
    """Ask for one structured answer: ``(answer, "", requests)`` or ``(None, reason, requests)``.

    Shared by every LLM call of the core. With ``capabilities`` the discovered format is used and
    a 5xx is a server error; without, the format steps down (json_schema -> json_object -> plain)
    on an answer that refuses it. Rate limits, connection and server errors are retried with
    exponential backoff up to ``config.max_retries``; a timeout is not (a slow server only gets
    slower with more requests). ``parse`` returns the answer, None (not valid), or raises
    :class:`AnswerRejectedError` with its own reason and correction; a rejected answer gets one
    corrective retry (``correction`` or the rejection's, appended as a user message).

    The answer is streamed (see the module doc): each request ends at ``config.timeout`` or at
    ``deadline`` (``time.monotonic()``; reason "budget", and no request starts after it);
    ``watch(partial_text)`` may raise :class:`AnswerRejectedError` to hang up on an answer that
    is already wrong (e.g. a generic label) and go straight to the corrective retry. ``log`` gets
    one dict per request: seconds, chunks received, outcome.
    """
    current = list(messages)
    modes = [capabilities.output_format] if capabilities else list(FORMATS)
    sent, attempts, mode, corrected, reason = 0, 0, 0, False, "invalid"
    while attempts <= config.max_retries:
        start = time.monotonic()
        timeout, limit_reason = float(config.timeout), "timeout"
        if deadline is not None and deadline - start < timeout:
            timeout, limit_reason = deadline - start, "budget"
            if timeout <= 0:
                return None, "budget", sent
        kwargs = chat_request(
            config, current, schema_name=schema_name, schema=schema, max_tokens=max_tokens, mode=modes[mode]
        )
        fmt = kwargs.get("response_format")
        sent += 1
        entry: dict = {"format": modes[mode], "retry": corrected}
        hint = correction
        try:
            try:
                response = client.chat.completions.create(**kwargs, timeout=timeout)
                answer_text = _stream_answer(response, limit=start + timeout, limit_reason=limit_reason, watch=watch)
            finally:
                entry["seconds"] = round(time.monotonic() - start, 2)
        except AnswerRejectedError as rejected:  # ``watch`` hung up on a wrong partial answer
            entry.update(outcome=f"cut:{rejected.reason}", chunks=rejected.chunks, answer=rejected.text[:_LOGGED_CHARS])
            answer, reason = None, rejected.reason
            hint = rejected.correction or correction
        except _CutError as cut:
            entry["outcome"] = cut.reason
            if log is not None:
                log(entry)
            return None, cut.reason, sent
        except Exception as exc:  # noqa: BLE001 - classified; never raised to the page
            reason = classify_error(exc)
            if reason == "timeout" and limit_reason == "budget":
                reason = "budget"
            entry["outcome"] = reason
            if log is not None:
                log(entry)
            if capabilities is None and fmt is not None and _refuses_format(exc):
                mode += 1  # the endpoint may not support this structured output: ask more simply
                continue
            if reason in ("rate_limit", "connection", "server"):
                attempts += 1
                if attempts <= config.max_retries:
                    pause = config.backoff * 2 ** (attempts - 1)
                    if deadline is not None and time.monotonic() + pause >= deadline:
                        return None, "budget", sent
                    time.sleep(pause)
                continue
            return None, reason, sent
        else:
            entry.update(chunks=answer_text.chunks, answer=(answer_text.content or "")[:_LOGGED_CHARS])
            try:
                answer = parse(answer_text.content)
                reason = "invalid"
            except AnswerRejectedError as rejected:
                answer, reason = None, rejected.reason
                hint = rejected.correction or correction
            entry["outcome"] = "ok" if answer is not None else reason
        if log is not None:
            log(entry)
        if answer is not None:
            return answer, "", sent
        if corrected:
            return None, reason, sent
        corrected = True
        current = list(messages) + [{"role": "user", "content": hint}]
    return None, reason, sent


def with_overrides(capabilities: EndpointCapabilities, config) -> EndpointCapabilities:
    """Capabilities with the settings ``config`` fixes (a fixed concurrency wins over discovery)."""
    updates = {}
    if config.output_format in FORMATS:
        updates["output_format"] = config.output_format
    if int(config.concurrency or 0) > 0:
        updates["concurrency"] = int(config.concurrency)
    return replace(capabilities, **updates) if updates else capabilities
