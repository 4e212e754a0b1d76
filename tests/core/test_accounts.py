"""Accounts and the closed loop on the sample story (as of its 'today', 2026-10-01).

The planted truth comes from the generator (``truth["at_risk_accounts"]``); "healthy" accounts and
weighted NPS are recomputed here independently from the raw generated frames with pandas.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cx_core import Workspace, load_inputs
from cx_core.accounts import (
    DEFAULT_RULES,
    NoCrmError,
    RiskRules,
    account_category,
    account_health,
    account_view,
    add_business_days,
    comment_needs,
    cx_outcomes,
    default_as_of,
    follow_up_list,
    follow_up_state,
    follow_up_totals,
    need_action,
    nps_band,
    risk_level,
    save_follow_up,
    save_follow_ups,
)
from cx_core.roles import DEFAULT_ROLE_WEIGHTS
from cx_core.sample import AS_OF

NPS_COLUMN = "How likely are you to recommend us to a colleague? (0-10)"


@pytest.fixture(scope="module")
def module_ws(sample_loaded):
    workspace = Workspace.from_loaded(sample_loaded)
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def health(module_ws):
    return account_health(module_ws, AS_OF)


@pytest.fixture(scope="module")
def items(module_ws, health):
    return follow_up_list(module_ws, AS_OF, health=health, lang="en")


@pytest.fixture(scope="module")
def raw(sample):
    """The generated survey with its true role and date, independent of the app's parsing."""
    survey = sample.survey.copy()
    survey["role"] = survey["Response ID"].map(sample.truth["roles"])
    survey["day"] = pd.to_datetime(survey["Submitted"]).dt.date
    survey["nps"] = survey[NPS_COLUMN]
    latest_from = AS_OF - dt.timedelta(days=89)
    survey["latest"] = (survey["day"] >= latest_from) & (survey["day"] <= AS_OF)
    return survey


def independent_weighted_nps(latest: pd.DataFrame) -> pd.Series:
    """Per account: weighted mean of each role's NPS, weights = the default role weights."""
    scored = latest.assign(p=100 * ((latest["nps"] >= 9).astype(int) - (latest["nps"] <= 6).astype(int)))
    by_role = scored.groupby(["Account ID", "role"])["p"].mean().reset_index()
    by_role["w"] = by_role["role"].map(DEFAULT_ROLE_WEIGHTS)
    by_role["wp"] = by_role["w"] * by_role["p"]
    sums = by_role.groupby("Account ID")[["wp", "w"]].sum()
    return sums["wp"] / sums["w"]


@pytest.fixture(scope="module")
def healthy_accounts(sample, raw) -> set[str]:
    """Weighted NPS >= 30 in the latest 90 days, no detractor executive or procurement answer in
    them, renewal more than 90 days away, and not marked churned."""
    latest = raw[raw["latest"]]
    wnps = independent_weighted_nps(latest)
    dm_detractors = set(
        latest.loc[latest["role"].isin(["executive", "procurement"]) & (latest["nps"] <= 6), "Account ID"]
    )
    crm = sample.crm.set_index("Account ID")
    renewal = pd.to_datetime(crm["Renewal Date"]).dt.date
    healthy = set()
    for account_id, score in wnps.items():
        if score < 30 or account_id in dm_detractors:
            continue
        if (renewal[account_id] - AS_OF).days <= 90 or crm.loc[account_id, "Churned"] == "Yes":
            continue
        healthy.add(account_id)
    return healthy


def test_weighted_nps_matches_an_independent_computation(health, raw):
    expected = independent_weighted_nps(raw[raw["latest"]])
    got = health.set_index("account_id")["weighted_nps"]
    assert len(expected) > 250
    for account_id, value in expected.items():
        assert got[account_id] == pytest.approx(value, abs=0.01), account_id


def test_every_planted_at_risk_account_is_high_risk_on_the_follow_up_list(sample, health, items):
    planted = set(sample.truth["at_risk_accounts"])
    assert len(planted) == 12
    high = set(health.loc[health["risk"] == "high", "account_id"])
    assert planted <= high
    listed = items[items["kind"] == "account"]
    assert planted <= set(listed["account_id"])
    assert set(listed.loc[listed["account_id"].isin(planted), "risk"]) == {"high"}
    reasons = health.set_index("account_id").loc[sorted(planted), "reasons"]
    assert all({"detractor_decision_maker", "renewal_soon"} <= set(r) for r in reasons)


def test_no_healthy_account_is_on_the_list_as_at_risk(healthy_accounts, health, items):
    assert len(healthy_accounts) >= 30  # the definition must select a real group
    listed = set(items.loc[items["kind"] == "account", "account_id"])
    assert not (healthy_accounts & listed)
    risk = health.set_index("account_id")["risk"]
    assert all(risk[a] != "high" for a in healthy_accounts)


def test_list_totals_reconcile_with_the_account_table(health, items):
    outcomes = cx_outcomes(health)
    totals = follow_up_totals(items)
    high = health[health["risk"] == "high"]
    assert totals["accounts_at_risk"] == len(high) == outcomes.accounts_at_risk
    assert totals["arr_at_risk"] == pytest.approx(high["arr"].sum()) == pytest.approx(outcomes.arr_at_risk)
    assert outcomes.arr_at_risk > 0


def test_every_latest_detractor_is_listed_with_owner_action_and_due_date(raw, items):
    latest_detractors = raw[raw["latest"] & (raw["nps"] <= 6)]
    listed = items[items["kind"] == "detractor"]
    assert set(listed["item_id"]) == {f"response:{r}" for r in latest_detractors["Response ID"]}
    assert listed["owner"].notna().all() and (listed["action"].str.len() > 10).all()
    # 2026-10-01 is a Thursday: two business days later is Monday 5 October
    assert set(listed["due_date"]) == {dt.date(2026, 10, 5)}
    assert set(items.loc[items["kind"] == "account", "due_date"]) == {dt.date(2026, 10, 8)}


def test_list_is_sorted_by_arr_at_stake(items):
    arr = items["arr"].fillna(-1).tolist()
    assert arr == sorted(arr, reverse=True)


def test_as_of_moves_every_date_relative_rule(module_ws, sample):
    earlier = AS_OF - dt.timedelta(days=200)
    health = account_health(module_ws, earlier)
    planted = health[health["account_id"].isin(sample.truth["at_risk_accounts"])]
    assert not any("renewal_soon" in r for r in planted["reasons"])  # their renewals are > 90 days away then
    assert set(planted["risk"]) <= {"high", "medium", "low"}
    # nothing after as_of counts
    assert (health["last_response"].dropna() <= earlier).all()


def test_change_is_latest_minus_previous_period(health):
    both = health.dropna(subset=["weighted_nps", "weighted_nps_previous"])
    assert len(both) > 200
    diff = (both["weighted_nps"] - both["weighted_nps_previous"]).round(2)
    assert (abs(diff - both["nps_change"].astype(float)) < 0.02).all()


@pytest.mark.parametrize(
    ("reasons", "level"),
    [
        ([], "low"),
        (["renewal_soon"], "low"),
        (["nps_drop"], "medium"),
        (["key_roles_silent"], "medium"),
        (["detractor_decision_maker", "negative_nps"], "medium"),
        (["renewal_soon", "key_roles_silent"], "high"),
        (["renewal_soon", "detractor_decision_maker"], "high"),
        (["churned"], "high"),
    ],
)
def test_risk_level_rules(reasons, level):
    assert risk_level(reasons) == level


def test_categories_and_bands():
    assert [account_category(v) for v in (None, -1, 0, 29.9, 30, 100)] == [
        "no_response",
        "detractor",
        "passive",
        "passive",
        "promoter",
        "promoter",
    ]
    assert nps_band(-100) == "-100 to -50" and nps_band(0) == "+0 to +20" and nps_band(100) == "+50 to +100"


def test_outcomes_add_up_and_flag_small_data(health):
    outcomes = cx_outcomes(health)
    assert outcomes.by_category["accounts"].sum() == outcomes.accounts == len(health)
    assert outcomes.by_band["accounts"].sum() == len(health)
    assert outcomes.by_category["churned"].sum() == outcomes.churned == int(health["churned"].sum())
    assert outcomes.by_category["arr"].sum() == pytest.approx(outcomes.total_arr)
    assert not outcomes.small_data  # 300 accounts, 8 churned
    tiny = cx_outcomes(health.head(10))
    assert tiny.small_data


def test_follow_up_state_persists_and_is_replaced(sample_loaded):
    ws = Workspace.from_loaded(sample_loaded)
    try:
        first = follow_up_list(ws, AS_OF, lang="en")
        item = first["item_id"].iloc[0]
        save_follow_up(ws, item, True, '=HYPERLINK("http://x"); DROP TABLE responses; --')
        again = follow_up_list(ws, AS_OF, lang="en").set_index("item_id")
        assert bool(again.loc[item, "done"]) is True
        assert again.loc[item, "note"].startswith("=HYPERLINK")
        assert save_follow_ups(ws, [(item, False, "called back")]) == 1
        state = follow_up_state(ws)
        assert len(state) == 1 and state["note"].iloc[0] == "called back" and not state["done"].iloc[0]
        assert ws.response_count() > 0  # the note was data, not SQL
        assert follow_up_totals(follow_up_list(ws, AS_OF, lang="en"))["open"] == len(first)
    finally:
        ws.close()


def test_account_view_for_a_planted_account(module_ws, health, sample):
    account_id = sample.truth["at_risk_accounts"][0]
    key = health.loc[health["account_id"] == account_id, "account_key"].iloc[0]
    view = account_view(module_ws, key, AS_OF, health=health, lang="ja")
    total = module_ws.con.execute(
        "SELECT count(*) FROM responses WHERE account_key = $k AND submitted_at < $e",
        {"k": key, "e": dt.datetime(2026, 10, 2)},
    ).fetchone()[0]
    assert view.timeline["answers"].sum() == total
    assert {"executive", "procurement"} <= set(view.timeline["role"])
    assert (view.drivers["segment_n"] > view.drivers["account_n"]).all()
    assert view.health["risk"] == "high"
    assert not view.actions.empty and view.actions["action"].str.len().min() > 5
    # actions come from weak drivers (gap below the segment) or from recent complaint themes
    weak = set(view.drivers.loc[view.drivers["gap"] <= -0.25, "need"])
    complaints = set(view.themes.loc[view.themes["recent_complaints"] > 0, "need"])
    for row in view.actions.itertuples():
        assert row.source in ("driver", "theme", "driver+theme")
        assert "driver" not in row.source or row.need in weak
        assert "theme" not in row.source or row.need in complaints


def test_comment_needs_in_english_and_japanese():
    assert comment_needs("Deliveries arrived late again this quarter.") == ["fulfilment"]
    assert comment_needs("納期が遅い。") == ["fulfilment"]
    assert comment_needs("価格体系が分かりにくい。") == ["price"]
    assert comment_needs("不良品が多い。") == ["product"]
    assert comment_needs("Your support team is very responsive.") == []
    assert comment_needs(None) == []


def test_business_days_and_default_as_of():
    assert add_business_days(dt.date(2026, 10, 2), 2) == dt.date(2026, 10, 6)  # Friday -> Tuesday
    assert add_business_days(dt.date(2026, 10, 3), 2) == dt.date(2026, 10, 7)  # Saturday rolls to Monday
    assert default_as_of(True) == AS_OF
    assert default_as_of(False, today=dt.date(2030, 1, 1)) == dt.date(2030, 1, 1)


def test_periods_are_adjacent_and_90_days_long():
    (lf, lt), (pf, pt) = DEFAULT_RULES.periods(AS_OF)
    assert lt == AS_OF and (lt - lf).days == 89 and (pt - pf).days == 89 and (lf - pt).days == 1
    assert RiskRules(period_days=30).periods(AS_OF)[0][0] == AS_OF - dt.timedelta(days=29)


def test_without_crm_accounts_say_what_to_load_and_detractors_remain(sample_files):
    survey, _ = sample_files
    ws = Workspace.from_loaded(load_inputs(survey, "survey.csv"))
    try:
        with pytest.raises(NoCrmError, match="CRM"):
            account_health(ws, AS_OF)
        listed = follow_up_list(ws, AS_OF, lang="en")
        assert len(listed) > 100 and set(listed["kind"]) == {"detractor"}
    finally:
        ws.close()


def test_segment_filter_limits_accounts_and_detractors(module_ws):
    from cx_core import Filters

    smb = Filters.make(segment=["SMB"])
    health = account_health(module_ws, AS_OF, smb)
    assert set(health["segment"]) == {"SMB"}
    listed = follow_up_list(module_ws, AS_OF, filters=smb, health=health, lang="en")
    assert set(listed["account_id"]) <= set(health["account_id"])


def test_small_messy_crm():
    survey = (
        b"response_id,account_id,role,submitted,nps,comment\n"
        b"1,A,CEO,2026-09-20,3,Deliveries arrived late\n"
        b"2,A,Engineer,2026-09-21,9,\n"
        b"3,B,Buyer,2026-05-01,10,great\n"
        b"4,Z,CEO,2026-09-22,2,=cmd|' /C calc'!A0\n"
    )
    crm = (
        b"account_id,account_name,arr,renewal_date,owner,churned\n"
        b"A,=HYPERLINK(1),1000,2026-10-20,Sato,No\n"
        b"B,Beta,,,Suzuki,No\n"
        b"C,Gamma,500,2026-11-01,Ito,Yes\n"
    )
    ws = Workspace.from_loaded(load_inputs(survey, "s.csv", crm, "c.csv"))
    try:
        health = account_health(ws, AS_OF).set_index("account_id")
        assert set(health.index) == {"A", "B", "C"}  # Z is not in the CRM
        assert health.loc["A", "risk"] == "high"  # executive detractor, renewal in 19 days
        assert health.loc["A", "roles_missing"] == ["procurement"]
        assert pd.isna(health.loc["B", "weighted_nps"]) and pd.isna(health.loc["B", "days_to_renewal"])
        assert health.loc["B", "reasons"] == ["key_roles_silent"] and health.loc["B", "risk"] == "medium"
        assert health.loc["C", "respondents"] == 0 and health.loc["C", "risk"] == "high"  # churned
        outcomes = cx_outcomes(health.reset_index())
        assert outcomes.small_data and outcomes.arr_at_risk == 1500
        items = follow_up_list(ws, AS_OF, lang="en")
        detractors = items[items["kind"] == "detractor"]
        assert set(detractors["item_id"]) == {"response:1", "response:4"}  # the unmatched one too
        assert detractors.set_index("item_id").loc["response:1", "action"] == need_action("fulfilment", "en")
    finally:
        ws.close()
