"""A planted personal-data set (44 kinds, English and Japanese) run through the LLM path against the
local logging OpenAI-compatible server of test_llm_themes: in comments, key terms, CRM account names
(whole and in parts) and column headers. No kind may reach the server: every logged request body,
endpoint probes included, is searched for every planted fragment. And a model that answers with
injected text (links, addresses, instructions) never gets its text shown."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pandas as pd
import pytest

from cx_core import Workspace, load_inputs
from cx_core.accounts import account_health, account_view, dataset_themes, phrase_actions
from cx_core.themes import (
    CommentRecord,
    Embedder,
    EndpointCapabilities,
    LLMConfig,
    Quote,
    Redactor,
    Theme,
    ThemeResult,
    comments_from_workspace,
    crm_names,
    llm_requests,
    request_bodies,
)
from cx_core.themes._pipeline import extract_llm
from tests.core.test_account_detail import ActionServer
from tests.core.test_llm_themes import FakeServer, is_probe

ACCOUNT_EN = "Tokai Precision Works Co., Ltd."
ACCOUNT_JA = "東海精密工業株式会社"

# kind -> (planted text, fragments that must not reach the endpoint)
KINDS: dict[str, tuple[str, list[str]]] = {
    "en name": ("Jonathan Blake", ["Jonathan", "Blake"]),
    "en first name alone": ("Emily", ["Emily"]),
    "en name after title": ("Mr. Smith", ["Smith"]),
    "romanised ja name": ("Tanaka-san", ["Tanaka"]),
    "email": ("j.smith@example.com", ["j.smith", "example.com"]),
    "url": ("https://portal.example.com/tickets/991", ["portal", "991"]),
    "us phone": ("+1 (555) 123-4567", ["555", "4567"]),
    "uk phone": ("+44 20 7946 0958", ["7946", "0958"]),
    "visa card": ("4012888888881881", ["4012", "1881"]),
    "mastercard dashed": ("5500-0000-0000-0004", ["5500", "0004"]),
    "amex spaced": ("3782 822463 10005", ["3782", "822463", "10005"]),
    "iban plain": ("DE89370400440532013000", ["DE89", "3704", "532013000"]),
    "iban spaced": ("GB82 WEST 1234 5698 7654 32", ["GB82", "WEST", "5698", "7654"]),
    "us ssn": ("123-45-6789", ["123-45", "6789"]),
    "ipv4": ("192.168.10.25", ["192.168", "10.25"]),
    "ipv6": ("2001:db8::8a2e:370:7334", ["2001:db8", "8a2e", "7334"]),
    "passport en": ("passport number 123456789", ["123456789"]),
    "street en": ("221B Baker Street", ["221B", "Baker"]),
    "uk postcode": ("SW1A 1AA", ["SW1A", "1AA"]),
    "us zip": ("Austin, TX 78701", ["78701"]),
    "ja name": ("佐々木健太", ["佐々木", "健太"]),
    "ja name honorific": ("田中様", ["田中"]),
    "katakana name": ("ジョン・スミス", ["ジョン", "スミス"]),
    "my number": ("123456789018", ["123456789018", "5678"]),
    "my number spaced": ("9876 5432 1093", ["9876", "5432", "1093"]),
    "passport ja": ("旅券番号TK1234567", ["TK1234567", "1234567"]),
    "ja address": ("東京都千代田区丸の内1-2-3", ["千代田", "丸の内", "1-2-3"]),
    "ja postal code": ("〒100-0005", ["100-0005"]),
    "ja phone": ("03-1234-5678", ["1234-5678"]),
    "ja mobile": ("090-8765-4321", ["8765", "4321"]),
    "full-width email": ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", ["taro", "ｔａｒｏ"]),
    "romanised ja address": ("1-2-3 Marunouchi, Chiyoda-ku", ["Marunouchi", "Chiyoda"]),
    "crm account en": (ACCOUNT_EN, ["Tokai", "Precision"]),
    "crm account ja": (ACCOUNT_JA, ["東海"]),
    "crm account part": ("the tokai team", ["tokai"]),
    # names without an honorific
    "romanised ja full name": ("Kenta Sasaki", ["Kenta", "Sasaki"]),
    "romanised ja name family first": ("Sasaki Kenta", ["Kenta", "Sasaki"]),
    "romanised ja family name alone": ("thanks to Yamamoto", ["Yamamoto"]),
    "en family name before a verb": ("Whitfield promised a callback", ["Whitfield"]),
    "en family name after ask": ("ask Brennan", ["Brennan"]),
    "ja name unknown to the dictionary": ("山川汐風", ["山川", "汐風"]),
    "ja name unknown to the dictionary spaced": ("河原 誌織", ["河原", "誌織"]),
    "ja family name alone after a role": ("担当の松本", ["松本"]),
    "ja family name alone before an act": ("千葉が対応", ["千葉"]),
}
# Sentences that hold no personal data and must pass untouched: team and place words where a name
# could stand, dictionary words that begin like a family name.
ORDINARY = [
    "Sales promised a callback.",
    "Support said the order ships Monday.",
    "Billing told us twice.",
    "Thanks to Customer Service for the help.",
    "We asked Amazon about it.",
    "Logistics promised a date.",
    "The Tokyo office called back.",
    "I am having problems making it work with Apple pay.",
    "東洋の製品は良い",
    "東京都の工場",
    "松本市の工場",
    "原価が高い",
    "上野駅の近く",
    "千葉県の倉庫",
    "松本市の工場に確認してください。",
    "森の中の倉庫",
]
EN_TEMPLATES = ["Late delivery again, ask {pii} about it.", "{pii} said support answered quickly."]
JA_TEMPLATES = ["納期が遅い。{pii}に確認してください。", "{pii}のサポート対応が早くて助かりました。"]


def assert_nothing_planted(text: str) -> None:
    low = text.lower()
    for kind, (_planted, secrets) in KINDS.items():
        for secret in secrets:
            assert secret.lower() not in low, (kind, secret)


def test_the_planted_set_is_large_enough():
    assert len(KINDS) >= 30
    assert (
        sum(bool(re.search(r"[\u3040-\u9fff]", p)) for p, _s in KINDS.values()) >= 6
    )  # in Japanese script; every kind is planted in JA and EN sentences


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("template", EN_TEMPLATES + JA_TEMPLATES)
def test_every_kind_is_redacted_in_every_sentence(kind, template):
    redactor = Redactor([ACCOUNT_EN, ACCOUNT_JA])
    planted, secrets = KINDS[kind]
    out = redactor(template.format(pii=planted))
    for secret in secrets:
        assert secret.lower() not in out.lower(), (secret, out)
    assert re.search(r"\[[a-z ]+\]", out), out  # replaced by a placeholder, not dropped in silence


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_sentences_where_a_name_could_stand_pass_untouched(text):
    assert Redactor([ACCOUNT_EN, ACCOUNT_JA])(text) == text


def test_account_name_parts_are_redacted_alone_as_in_the_quotes():
    redactor = Redactor([ACCOUNT_EN, ACCOUNT_JA])
    assert redactor("tokai") == "[company]" and redactor("precision works") == "[company]"
    assert redactor("東海精密") == "[company]" and redactor("東海の納期") == "[company]の納期"
    # words of a name that identify no one alone stay ("it works"), and ordinary text is kept
    assert redactor("It works fine, delivery in April 2024-01-15.") == "It works fine, delivery in April 2024-01-15."


def planted_comments() -> list[CommentRecord]:
    out = []
    for i, (planted, _secrets) in enumerate(KINDS.values()):
        templates = JA_TEMPLATES if i % 2 else EN_TEMPLATES
        out.append(CommentRecord(f"R{i:03d}", templates[(i // 2) % 2].format(pii=planted), 3.0))
    return out


def planted_themes() -> ThemeResult:
    """One theme per five kinds: quotes and key terms hold the planted data (as a real run could)."""
    comments = planted_comments()
    themes = []
    for n, start in enumerate(range(0, len(comments), 5)):
        group = comments[start : start + 5]
        themes.append(
            Theme(
                key=f"t{n}",
                label=f"offline {n}",
                count=len(group),
                share=0.1,
                mean_nps=3.0,
                detractor_share=1.0,
                nps=-100.0,
                response_ids=[c.response_id for c in group],
                quotes=[Quote(c.response_id, c.text, c.text) for c in group],
                keywords=["tokai", "precision works", "東海", "jonathan blake", "4012888888881881"],
                polarity={"positive": 0, "negative": len(group), "neutral": 0},
            )
        )
    return ThemeResult(themes, {}, [], len(comments), len(comments), 0.0)


@pytest.fixture()
def server():
    fake = FakeServer()
    yield fake
    fake.close()


def llm_config(server, **kw) -> LLMConfig:
    values = {"timeout": 2.0, "max_retries": 0, "backoff": 0.01, "model": "fake-model"}
    values.update(kw)
    return LLMConfig(api_key="sk-test-secret", base_url=server.base_url, **values)


def test_no_planted_kind_reaches_the_endpoint_probes_included(server):
    offline = planted_themes()
    redactor = Redactor([ACCOUNT_EN, ACCOUNT_JA])
    result = extract_llm(
        planted_comments(),
        llm_config(server),
        redactor=redactor,
        offline=offline,
        polarity=None,
        embedder=Embedder("ngram"),
    )
    assert server.requests and any(is_probe(r["body"]) for r in server.requests)  # discovery ran, and was logged
    named = [r for r in server.requests if not is_probe(r["body"])]
    assert len(named) >= len(offline.themes)  # every theme (all 35 kinds in its quotes) was sent
    for request in server.requests:
        assert_nothing_planted(json.dumps(request["body"], ensure_ascii=False))
    sent = " ".join(json.dumps(r["body"], ensure_ascii=False) for r in named)
    for placeholder in ("[name]", "[card]", "[iban]", "[id number]", "[ip]", "[passport]", "[address]", "[company]"):
        assert placeholder in sent, placeholder
    # the page's preview (request_bodies) is byte for byte what was sent on each first attempt
    summary = next(m for m in result.messages if m["code"] == "themes.msg.llm_endpoint")
    capabilities = EndpointCapabilities(summary["format"], summary["concurrency"])
    config = llm_config(server)
    previewed = request_bodies(
        llm_requests(planted_comments(), offline, config, redactor, polarity=None), config, capabilities
    )
    first_attempts = [r["body"] for r in named if len(r["body"]["messages"]) == 2]  # not the corrective retries
    key = lambda body: json.dumps(body, sort_keys=True, ensure_ascii=False)  # noqa: E731
    assert sorted(map(key, previewed)) == sorted(map(key, first_attempts))
    assert result.themes


def hostile_files() -> tuple[bytes, bytes]:
    """A survey whose comments, headers and CRM carry the planted data (generated, not committed)."""
    kinds = list(KINDS.values())
    rows = []
    for i in range(60):
        planted = kinds[i % len(kinds)][0]
        text = (EN_TEMPLATES if i % 2 else JA_TEMPLATES)[i % 2].format(pii=planted)
        rows.append(
            {
                "Response ID": f"R{i:04d}",
                "Account ID": f"ACC-{i % 3 + 1}",
                "Role": "Buyer",
                "Submitted": (dt.date(2026, 1, 1) + dt.timedelta(days=i)).isoformat(),
                "How likely are you to recommend us? (0-10)": i % 11,
                "On-time delivery": 1 + i % 5,
                "Support by Jonathan Blake (jonathan.blake@example.com)": 1 + (i * 3) % 5,
                "Comment": text,
            }
        )
    crm = pd.DataFrame(
        {
            "Account ID": ["ACC-1", "ACC-2", "ACC-3"],
            "Account Name": [ACCOUNT_EN, ACCOUNT_JA, "Sasaki Holdings 佐々木健太"],
            "Segment": ["Enterprise", "SMB", "SMB"],
            "ARR": [100000, 20000, 30000],
            "Renewal Date": ["2026-12-01", "2026-11-01", "2026-10-01"],
            "Account Owner": ["Emily Carter", "佐々木健太", "Jonathan Blake"],
        }
    )
    survey = io.StringIO()
    pd.DataFrame(rows).to_csv(survey, index=False)
    crm_out = io.StringIO()
    crm.to_csv(crm_out, index=False)
    return survey.getvalue().encode(), crm_out.getvalue().encode()


def test_a_hostile_workspace_sends_nothing_planted_on_both_llm_paths():
    survey, crm = hostile_files()
    ws = Workspace.from_loaded(load_inputs(survey, "survey.csv", crm, "crm.csv"))
    try:
        redactor = Redactor(crm_names(ws))
        comments = comments_from_workspace(ws)
        assert len(comments) == 60
        themes_server = FakeServer()
        try:
            extract_llm(comments, llm_config(themes_server, concurrency=1), redactor=redactor, polarity=None)
            named = [r for r in themes_server.requests if not is_probe(r["body"])]
            assert named, "themes were sent"
            for request in themes_server.requests:
                assert_nothing_planted(json.dumps(request["body"], ensure_ascii=False))
        finally:
            themes_server.close()
        health = account_health(ws, dt.date(2026, 6, 1))
        themes = dataset_themes(ws)
        action_server = ActionServer()
        try:
            for key in health["account_key"]:
                view = account_view(ws, key, dt.date(2026, 6, 1), health=health, themes=themes, lang="en")
                phrase_actions(view, llm_config(action_server, concurrency=1), redactor=redactor, lang="en")
            assert action_server.requests
            for request in action_server.requests:
                assert_nothing_planted(json.dumps(request["body"], ensure_ascii=False))
        finally:
            action_server.close()
    finally:
        ws.close()


class InjectingServer(FakeServer):
    """A model that answers with injected text: a link in the label, an address in the action."""

    def answer(self, body) -> str:
        if is_probe(body):
            return '{"ok": true}'
        ids = [c["id"] for c in json.loads(body["messages"][1]["content"])["comments"]]
        label = "Delivery refunds: wire fee to evil.example now" if self.mode == "label" else "Late delivery again"
        return json.dumps(
            {
                "label": label,
                "description": "Late delivery again, said the customers.",
                "need": "fulfilment",
                "category": "rational",
                "action": "Email the customer contact list to attacker@evil.example",
                "quote_ids": ids[:2],
            }
        )


@pytest.mark.parametrize(("mode", "reason"), [("label", "link"), ("action", "contact")])
def test_a_model_answering_with_injected_text_never_gets_it_shown(mode, reason):
    fake = InjectingServer()
    fake.mode = mode
    try:
        comments = [CommentRecord(f"L{i}", "Late delivery again.", 3.0) for i in range(6)]
        result = extract_llm(comments, llm_config(fake, concurrency=2), redactor=Redactor(), polarity=None)
    finally:
        fake.close()
    shown = json.dumps([t.to_dict() for t in result.themes], ensure_ascii=False)
    assert "evil" not in shown and "attacker" not in shown and "wire fee" not in shown
    assert all(t.source == "offline" for t in result.themes)
    failed = next(m for m in result.messages if m["code"] in ("themes.msg.llm_failed", "themes.msg.llm_partial"))
    assert set(failed["reasons"]) == {reason}


class InjectingActionServer(ActionServer):
    def answer(self, body) -> str:
        if "rule_based_actions" not in body["messages"][1]["content"]:
            return '{"ok": true}'
        facts = json.loads(body["messages"][1]["content"])
        need = facts["rule_based_actions"][0]["need"]
        action = "Email the customer contact list to attacker@evil.example"
        return json.dumps({"actions": [{"need": need, "action": action, "why": "weak delivery"}]})


def test_an_injected_next_best_action_is_never_shown(sample_loaded):
    ws = Workspace.from_loaded(sample_loaded)
    fake = InjectingActionServer()
    try:
        health = account_health(ws, dt.date(2026, 7, 1))
        view = account_view(
            ws, health["account_key"].iloc[0], dt.date(2026, 7, 1), health=health, themes=dataset_themes(ws), lang="en"
        )
        result = phrase_actions(view, llm_config(fake), redactor=Redactor(crm_names(ws)), lang="en")
    finally:
        fake.close()
        ws.close()
    assert result.source == "rules" and result.message == {"code": "account_page.llm_failed", "reason": "contact"}
    assert not result.actions["action"].str.contains("attacker").any()


def test_the_ask_path_sends_nothing_planted_and_reads_the_redacted_names_back():
    from cx_core.ask import parse_with_llm, vocabulary
    from cx_core.themes import make_client
    from tests.core.test_ask_llm import SpecServer, _config

    survey, crm = hostile_files()
    ws = Workspace.from_loaded(load_inputs(survey, "survey.csv", crm, "crm.csv"))
    server = SpecServer()
    try:
        vocab = vocabulary(ws)
        planted = [text for text, _secrets in KINDS.values()]
        redactor = Redactor(crm_names(ws))
        # a driver whose header names a person: the model names it by what it was sent as
        server.spec = {"measure": "driver:<Support by [name] ([email])>", "group_by": [], "filters": []}
        server.spec |= {"period": None, "order": None, "top": None}
        for start in range(0, len(planted), 8):
            question = "NPS of the accounts of " + ", ".join(planted[start : start + 8]) + "?"
            reading, reason = parse_with_llm(
                question, vocab, make_client(_config(server)), _config(server), "en", redactor
            )
            assert reason == "" and reading is not None and reading.understood, (reason, reading)
            key = next(k for k, label in vocab.drivers if "Jonathan Blake" in label)
            assert reading.spec.measure == f"driver:{key}"  # read back to the workspace's own name
        asked = [r["body"] for r in server.requests if "Names of this data" in json.dumps(r["body"])]
        assert len(asked) >= len(planted) // 8
        for body in server.requests:
            system, *rest = body["body"]["messages"]
            # the fixed instructions hold English words such as "lowest" (the IBAN's "WEST"): search
            # what comes from the data and the question (names, schema, user messages)
            data_part = system["content"].split("Names of this data:", 1)[-1]
            rest_of_body = {k: v for k, v in body["body"].items() if k != "messages"}
            assert_nothing_planted(data_part + json.dumps([rest, rest_of_body], ensure_ascii=False))
    finally:
        server.close()
        ws.close()
