"""`--weights FILE`: NPS raked to population margins, checked against a hand computation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bench.clustered import NPS_COLUMN, clustered_frames
from cx_core.cli import main

SEGMENT_SHARES = {"Enterprise": 0.2, "Mid-market": 0.5, "SMB": 0.3}
REGION_SHARES = {"Japan": 0.6, "US": 0.4}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    survey, crm = clustered_frames(accounts=60, per_account=10, icc=0.3, seed=11, segment_shift={"SMB": -1.5})
    rng = np.random.default_rng(3)
    crm["Region"] = rng.choice(["Japan", "US"], size=len(crm), p=[0.3, 0.7])
    # unequal accounts so the sample's segment shares are not the population's
    enterprise = survey["Account ID"].isin(crm.loc[crm["Segment"] == "Enterprise", "Account ID"])
    survey = survey[~enterprise | (survey.groupby("Account ID").cumcount() < 3)].reset_index(drop=True)
    folder = tmp_path_factory.mktemp("margins")
    survey.to_csv(folder / "survey.csv", index=False)
    crm.to_csv(folder / "crm.csv", index=False)
    answers = survey.merge(crm[["Account ID", "Segment", "Region"]], on="Account ID")
    answers["y"] = np.where(answers[NPS_COLUMN] >= 9, 100.0, np.where(answers[NPS_COLUMN] <= 6, -100.0, 0.0))
    return folder, answers


def _run(folder, capsys, margins_name: str, text: str) -> tuple[int, dict | None, str]:
    (folder / margins_name).write_text(text, encoding="utf-8")
    code = main(
        [
            "summarize",
            "--survey",
            str(folder / "survey.csv"),
            "--crm",
            str(folder / "crm.csv"),
            "--weights",
            str(folder / margins_name),
        ]
    )
    captured = capsys.readouterr()
    return code, (json.loads(captured.out)["metrics"] if code == 0 else None), captured.err


def _long_csv(*margins: tuple[str, dict[str, float]]) -> str:
    lines = ["column,value,share"] + [
        f"{col},{value},{share}" for col, shares in margins for value, share in shares.items()
    ]
    return "\n".join(lines) + "\n"


def _hand_interval(answers: pd.DataFrame, w: np.ndarray, score: float) -> float:
    """Half-width of the 95% interval: ratio-estimator variance over accounts, by hand."""
    frame = pd.DataFrame({"k": answers["Account ID"], "W": w, "Y": w * answers["y"]}).groupby("k").sum()
    k, total = len(frame), float(frame["W"].sum())
    variance = k / (k - 1) * float(((frame["Y"] - score * frame["W"]) ** 2).sum()) / total**2
    return 1.959964 * variance**0.5


def test_one_margin_is_post_stratification(files, capsys):
    folder, answers = files
    code, metrics, _err = _run(folder, capsys, "segment.csv", _long_csv(("segment", SEGMENT_SHARES)))
    assert code == 0
    nps = metrics["nps"]
    # by hand: each segment's NPS times its population share; each answer weighs share * N / n_g
    by_segment = answers.groupby("Segment")["y"].agg(["mean", "size"])
    expected = sum(SEGMENT_SHARES[s] * by_segment.loc[s, "mean"] for s in SEGMENT_SHARES)
    assert nps["weighted"] is True and nps["score"] == pytest.approx(expected, abs=0.01)
    w = answers["Segment"].map(lambda s: SEGMENT_SHARES[s] * len(answers) / by_segment.loc[s, "size"]).to_numpy()
    assert nps["effective_n"] == pytest.approx(w.sum() ** 2 / (w * w).sum(), abs=0.1)
    half = _hand_interval(answers, w, expected)
    low, high = nps["ci95"]
    assert (high - low) / 2 == pytest.approx(half, abs=0.02)
    plain = answers["y"].mean()
    assert abs(plain - expected) > 1  # the planted data is off the population: the weights matter
    assert metrics["weighting"]["by"] == "margins" and metrics["weighting"]["answers_without_weight"] == 0


def test_two_margins_rake_to_both(files, capsys):
    folder, answers = files
    code, metrics, _err = _run(
        folder, capsys, "two.csv", _long_csv(("segment", SEGMENT_SHARES), ("region", REGION_SHARES))
    )
    assert code == 0
    # by hand: alternate the two post-stratifications until both shares hold
    w = np.ones(len(answers))
    for _ in range(200):
        before = w.copy()
        for column, shares in (("Segment", SEGMENT_SHARES), ("Region", REGION_SHARES)):
            current = pd.Series(w).groupby(answers[column].to_numpy()).sum()
            target = {v: shares[v] * len(answers) / current[v] for v in current.index}
            w = w * answers[column].map(target).to_numpy()
        if np.abs(w - before).max() < 1e-12:
            break
    for column, shares in (("Segment", SEGMENT_SHARES), ("Region", REGION_SHARES)):
        got = pd.Series(w).groupby(answers[column].to_numpy()).sum() / w.sum()
        assert got.to_dict() == pytest.approx(shares, abs=1e-6)
    expected = float((w * answers["y"]).sum() / w.sum())
    nps = metrics["nps"]
    assert nps["score"] == pytest.approx(expected, abs=0.01)
    assert nps["effective_n"] == pytest.approx(w.sum() ** 2 / (w * w).sum(), abs=0.1)
    low, high = nps["ci95"]
    assert (high - low) / 2 == pytest.approx(_hand_interval(answers, w, expected), abs=0.02)
    assert metrics["weighting"]["iterations"] >= 2


def test_joint_margin_and_json(files, capsys):
    folder, answers = files
    joint = {(s, r): SEGMENT_SHARES[s] * REGION_SHARES[r] for s in SEGMENT_SHARES for r in REGION_SHARES}
    text = "segment,region,share\n" + "".join(f"{s},{r},{v}\n" for (s, r), v in joint.items())
    code, metrics, _err = _run(folder, capsys, "joint.csv", text)
    assert code == 0
    cells = answers.groupby(["Segment", "Region"])["y"].mean()
    expected = sum(v * cells.loc[key] for key, v in joint.items())
    assert metrics["nps"]["score"] == pytest.approx(expected, abs=0.01)
    code, from_json, _err = _run(folder, capsys, "m.json", json.dumps({"segment": SEGMENT_SHARES}))
    code_csv, from_csv, _err = _run(folder, capsys, "segment.csv", _long_csv(("segment", SEGMENT_SHARES)))
    assert code == code_csv == 0 and from_json["nps"] == from_csv["nps"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (_long_csv(("segment", {"Enterprise": 0.2, "Mid-market": 0.5, "SMB": 0.2})), "add up to 0.9, not 1"),
        (
            _long_csv(("segment", {"Enterprise": 0.2, "Mid-market": 0.5, "SMB": 0.2, "Public sector": 0.1})),
            "segment = 'Public sector', but the selected answers have none",
        ),
        (
            _long_csv(("segment", {"Enterprise": 0.5, "Mid-market": 0.5})),
            "segment = 'SMB', which the margins give no share",
        ),
        (_long_csv(("plan", {"Gold": 1.0})), "'plan' is not a column"),
        ("column,value,share\nsegment,SMB,lots\n", "'lots' is not a share"),
        ("segment;share\nSMB;1\n", "not in a shape we read"),
    ],
)
def test_bad_margins_are_refused_with_one_line(files, capsys, text, words):
    folder, _answers = files
    code, _metrics, err = _run(folder, capsys, "bad.csv", text)
    assert code == 2 and words in err and err.count("\n") == 1


def test_contradicting_margins_do_not_converge(files, capsys):
    folder, _answers = files
    joint = "segment,region,share\n" + "".join(
        f"{s},{r},{SEGMENT_SHARES[s] * REGION_SHARES[r]}\n" for s in SEGMENT_SHARES for r in REGION_SHARES
    )
    # the same columns once more, with segment shares the joint margin contradicts
    data = {
        "margins": [
            {
                "columns": ["segment", "region"],
                "shares": [
                    dict(zip(["segment", "region", "share"], line.split(","), strict=True))
                    for line in joint.strip().splitlines()[1:]
                ],
            },
            {"columns": ["segment"], "shares": {"Enterprise": 0.6, "Mid-market": 0.2, "SMB": 0.2}},
        ]
    }
    code, _metrics, err = _run(folder, capsys, "clash.json", json.dumps(data))
    assert code == 2 and "cannot all hold at once" in err


def test_weights_and_weight_by_together_are_refused(files, capsys):
    folder, _answers = files
    (folder / "s.csv").write_text(_long_csv(("segment", SEGMENT_SHARES)), encoding="utf-8")
    code = main(
        [
            "summarize",
            "--survey",
            str(folder / "survey.csv"),
            "--weights",
            str(folder / "s.csv"),
            "--weight-by",
            "account",
        ]
    )
    assert code == 2 and "either --weight-by or --weights" in capsys.readouterr().err
