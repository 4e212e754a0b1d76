"""`--weight-by account|arr`: each account once or by its ARR, checked against a hand computation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bench.clustered import NPS_COLUMN, clustered_frames
from cx_core.cli import main


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    survey, crm = clustered_frames(accounts=40, per_account=12, icc=0.3, seed=5)
    # unequal accounts: the first ten answer with 2 people only, so weighting changes the score
    small = survey["Account ID"].isin(crm["Account ID"].head(10))
    survey = survey[~small | (survey.groupby("Account ID").cumcount() < 2)].reset_index(drop=True)
    folder = tmp_path_factory.mktemp("weights")
    survey.to_csv(folder / "survey.csv", index=False)
    crm.to_csv(folder / "crm.csv", index=False)
    return folder, survey, crm


def _run(folder, capsys, *extra: str) -> dict:
    code = main(["summarize", "--survey", str(folder / "survey.csv"), "--crm", str(folder / "crm.csv"), *extra])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)["metrics"]


def _per_account(survey: pd.DataFrame) -> pd.DataFrame:
    score = survey[NPS_COLUMN]
    y = np.where(score >= 9, 100.0, np.where(score <= 6, -100.0, 0.0))
    return pd.DataFrame({"account": survey["Account ID"], "y": y}).groupby("account")["y"].agg(["mean", "size"])


def test_weight_by_account_is_the_mean_of_per_account_nps(files, capsys):
    folder, survey, _crm = files
    per_account = _per_account(survey)
    metrics = _run(folder, capsys, "--weight-by", "account")
    nps = metrics["nps"]
    assert nps["weighted"] is True and nps["score"] == pytest.approx(per_account["mean"].mean(), abs=0.01)
    kish = len(per_account) ** 2 / float((1 / per_account["size"]).sum())  # answer weights 1 / n_k
    assert nps["effective_n"] == pytest.approx(kish, abs=0.1) and nps["n"] == len(survey)
    assert metrics["weighting"] == {"by": "account", "accounts": 40, "answers_without_weight": 0}
    plain = _run(folder, capsys)
    assert plain["nps"]["weighted"] is False and plain["weighting"] is None
    assert plain["nps"]["score"] != nps["score"]


def test_weight_by_arr(files, capsys):
    folder, survey, crm = files
    per_account = _per_account(survey).join(crm.set_index("Account ID")["ARR"])
    expected = float((per_account["mean"] * per_account["ARR"]).sum() / per_account["ARR"].sum())
    nps = _run(folder, capsys, "--weight-by", "arr")["nps"]
    assert nps["score"] == pytest.approx(expected, abs=0.01)
    low, high = nps["ci95"]
    assert low < nps["score"] < high
