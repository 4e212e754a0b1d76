"""The Account view's themes and next best actions, its report sections, and LLM phrasing against a
small OpenAI-compatible server on 127.0.0.1 (real openai client, real HTTP)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from cx_core import Workspace
from cx_core.accounts import (
    account_health,
    account_view,
    action_messages,
    dataset_themes,
    phrase_actions,
    theme_need,
)
from cx_core.report import account_sections
from cx_core.sample import AS_OF
from cx_core.schema import NEEDS
from cx_core.themes import LLMConfig, Redactor, crm_names
from tests.core.test_llm_themes import TEST_TIMEOUT_S, FakeServer


class ActionServer(FakeServer):
    """Answers with next best actions built from the facts it was sent (or with an invented need)."""

    def answer(self, body) -> str:
        if "rule_based_actions" not in body["messages"][1]["content"]:
            return '{"ok": true}'  # an endpoint probe
        facts = json.loads(body["messages"][1]["content"])
        needs = list(dict.fromkeys(a["need"] for a in facts["rule_based_actions"])) or ["other"]
        if self.mode == "invented":
            needs = ["feeling_valued"]  # not in the facts: the answer cannot be defended
        actions = [{"need": n, "action": f"Meet the buyer this week about {n}.", "why": f"weak {n}"} for n in needs]
        return json.dumps({"actions": actions[:3]})


@pytest.fixture(scope="module")
def module_ws(sample_loaded):
    ws = Workspace.from_loaded(sample_loaded)
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def themes(module_ws):
    return dataset_themes(module_ws)


@pytest.fixture(scope="module")
def health(module_ws):
    return account_health(module_ws, AS_OF)


def view_of(ws, health, themes, position=0, as_of=AS_OF):
    key = health["account_key"].iloc[position]
    return account_view(ws, key, as_of, health=health, themes=themes, lang="en")


@pytest.fixture()
def server():
    fake = ActionServer()
    yield fake
    fake.close()


def config(server, **kw) -> LLMConfig:
    values = {"timeout": TEST_TIMEOUT_S, "max_retries": 1, "backoff": 0.01, "model": "fake-model"}
    values.update(kw)
    return LLMConfig(api_key="sk-test-secret", base_url=server.base_url, **values)


def test_theme_need_prefers_the_llm_need_then_complaint_words_then_driver_words():
    assert theme_need("Anything at all", ["x"], need="trust") == "trust"
    assert theme_need("納期が遅い / Orders come late", ["納期", "late"]) == "fulfilment"
    assert (
        theme_need("請求書に予期しない費用が含まれていた / Invoices contain unexpected charges", ["請求書"]) == "price"
    )
    assert theme_need("マニュアルが分かりにくい / The documentation is outdated", ["手順", "マニュアル"]) == "effort"
    assert theme_need("Support answered quickly", ["support"]) == "reassurance"  # praise: driver words only
    assert theme_need("[name]様から連絡をお願いします / Please call me at [phone]", ["連絡", "call"]) == "other"


def test_riskiest_account_themes_come_from_the_data_set_themes(module_ws, health, themes):
    view = view_of(module_ws, health, themes)
    assert view.health["risk"] == "high"
    assert not view.themes.empty
    texts = dict(zip(view.verbatims["response_id"], view.verbatims["comment"], strict=True))
    for row in view.themes.itertuples():
        theme = themes.theme(row.key)
        # the account's count is its comments assigned to that theme of the whole data set
        assert row.count == sum(rid in set(theme.response_ids) for rid in view.verbatims["response_id"])
        assert row.quote_id in theme.response_ids and texts[row.quote_id] == row.quote
        assert row.need in NEEDS and row.label == theme.label
        assert row.complaint == (theme.nps < 0)
        assert row.recent_complaints <= row.non_promoters <= row.count
    # every verbatim carries the data set's assignment of its response id
    for rid, keys in zip(view.verbatims["response_id"], view.verbatims["themes"], strict=True):
        assert keys == themes.assignments.get(rid, [])


def test_actions_come_from_weak_drivers_and_recent_complaint_themes(module_ws, health, themes):
    view = view_of(module_ws, health, themes)
    weak = set(view.drivers.loc[view.drivers["gap"] <= -0.25, "need"])
    complaints = set(view.themes.loc[view.themes["recent_complaints"] > 0, "need"])
    assert complaints, "the riskiest sample account has recent complaints"
    assert set(view.actions["need"]) <= weak | complaints
    assert any("theme" in s for s in view.actions["source"])
    assert len(view.actions) == len(set(view.actions["need"])) <= 4
    for row in view.actions.itertuples():
        assert "driver" not in row.source or row.need in weak
        assert "theme" not in row.source or row.need in complaints
    # an older as-of date sees other recent complaints
    earlier = view_of(module_ws, health, themes, as_of=dt.date(2026, 7, 1))
    assert set(earlier.themes.loc[earlier.themes["recent_complaints"] > 0, "key"]) != set(
        view.themes.loc[view.themes["recent_complaints"] > 0, "key"]
    )


def test_a_need_named_by_the_llm_engine_drives_the_action(module_ws, health, themes):
    view = view_of(module_ws, health, themes)
    top = view.themes.loc[view.themes["recent_complaints"] > 0].iloc[0]
    renamed = dataclasses.replace(
        themes, themes=[dataclasses.replace(th, need="trust") if th.key == top["key"] else th for th in themes.themes]
    )
    again = view_of(module_ws, health, renamed)
    assert again.themes.set_index("key").loc[top["key"], "need"] == "trust"
    assert "trust" in set(again.actions["need"])


def test_sections_state_finding_n_and_scope(module_ws, health, themes):
    view = view_of(module_ws, health, themes)
    sections = {s.key: s for s in account_sections(view, AS_OF, "en")}
    assert list(sections) == ["actions", "themes", "timeline", "verbatims", "drivers"]
    name = f"{view.health['account_name']} ({view.health['account_id']})"
    for section in sections.values():
        assert name in section.title and f"n = {section.n:,}" in section.title
        assert section.table is not None and not section.table.empty
    assert sections["timeline"].n == int(view.timeline["answers"].sum())
    chart = sections["timeline"].chart
    # the finding (wrapped to the chart's width), then n and the account on a subtitle line
    title = chart["title"]
    assert " ".join(title["text"]).startswith("Every answer over time") and name in " ".join(title["subtitle"])
    assert len(chart["data"]["values"]) == len(view.timeline)  # aggregated rows, not raw answers
    assert len(sections["themes"].table) == len(view.themes)
    assert list(sections["actions"].table["Action"]) == list(view.actions["action"])
    ja = account_sections(view, AS_OF, "ja")
    assert "アクション" in ja[0].table.columns


def test_llm_phrases_three_actions_from_redacted_facts_only(module_ws, health, themes, server):
    # As of 1 Jul 2026 the account's recent complaints include a comment with a name, an e-mail address
    view = view_of(module_ws, health, themes, as_of=dt.date(2026, 7, 1))
    name = str(view.health["account_name"])
    pii = view.themes.loc[view.themes["quote"].str.contains("@") & (view.themes["recent_complaints"] > 0), "quote"]
    assert len(pii), "the sample plants PII in this account's comments"
    # and a comment that names the account itself
    view = dataclasses.replace(view, themes=view.themes.assign(quote=view.themes["quote"] + f" {name} is late."))
    redactor = Redactor(crm_names(module_ws))
    result = phrase_actions(view, config(server), redactor=redactor, lang="en")
    assert result.source == "llm" and result.message is None
    assert 1 <= len(result.actions) <= 3
    assert set(result.actions["need"]) <= set(view.actions["need"])
    assert result.actions["action"].str.startswith("Meet the buyer").all()
    sent = json.dumps([r["body"] for r in server.requests], ensure_ascii=False)
    assert server.requests and server.requests[0]["body"]["messages"] == action_messages(view, redactor, "en")
    for secret in (name, str(view.health["account_id"]), str(view.health["owner"]), "田中", "taro.yamada", "sk-test"):
        assert secret not in sent, secret
    assert "[company]" in sent and "[email]" in sent


@pytest.mark.parametrize(
    ("mode", "reason"), [("429", "rate_limit"), ("malformed", "invalid"), ("invented", "invalid"), ("slow", "timeout")]
)
def test_llm_failures_fall_back_to_the_rule_based_actions(module_ws, health, themes, server, mode, reason):
    server.mode = mode
    view = view_of(module_ws, health, themes)
    limit = {"timeout": 0.3} if mode == "slow" else {}  # the slow server answers after 1.5 s
    result = phrase_actions(view, config(server, **limit), redactor=Redactor(crm_names(module_ws)), lang="en")
    assert result.source == "rules" and result.actions.equals(view.actions)
    assert result.message == {"code": "account_page.llm_failed", "reason": reason}
    assert server.requests  # it did try


def test_no_llm_configured_keeps_the_rule_based_actions(module_ws, health, themes):
    view = view_of(module_ws, health, themes)
    result = phrase_actions(view, None, lang="en")
    assert result.source == "rules" and result.actions.equals(view.actions)
    assert result.message == {"code": "account_page.llm_no_key"}


def test_llm_phrasing_uses_the_discovered_format(module_ws, health, themes, server):
    # llama.cpp's server answers HTTP 500 to json_schema: discovered once, then json_object (with the schema) only
    from cx_core.themes import discover_capabilities, make_client  # noqa: PLC0415

    server.mode = "schema500"
    caps, reason, probes = discover_capabilities(make_client(config(server)), config(server, concurrency=1))
    assert reason == "" and caps.output_format == "json_object_schema" and probes == 2
    server.requests.clear()
    view = view_of(module_ws, health, themes)
    result = phrase_actions(view, config(server), redactor=Redactor(crm_names(module_ws)), capabilities=caps, lang="en")
    assert result.source == "llm" and result.requests == 1
    assert [r["body"]["response_format"]["type"] for r in server.requests] == ["json_object"]
