"""Surveys whose answers cluster within accounts, with a known intraclass correlation.

Each account k has a latent mood a_k ~ N(0, sd_account); each respondent's latent score is
a_k + e_i with e_i ~ N(0, sd_person); the 0-10 answer is the latent score shifted and rounded.
The intraclass correlation of the latent score is sd_account^2 / (sd_account^2 + sd_person^2).

``python -m bench.clustered`` prints the app's NPS interval on a 150 accounts x 20 respondents
survey next to the interval from resampling whole accounts (the figures in the commits).
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

NPS_COLUMN = "How likely are you to recommend us to a colleague? (0-10)"


def clustered_frames(
    accounts: int = 150,
    per_account: int = 20,
    icc: float = 0.3,
    seed: int = 1,
    segments: tuple[str, ...] = ("Enterprise", "Mid-market", "SMB"),
    segment_shift: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(survey, crm) frames: ``accounts`` accounts of ``per_account`` respondents each, latent ICC
    ``icc``; segments drawn at random per account, shifted by ``segment_shift`` (default none)."""
    rng = np.random.default_rng(seed)
    sd_total = 2.6
    sd_account, sd_person = sd_total * np.sqrt(icc), sd_total * np.sqrt(1 - icc)
    ids = np.array([f"ACC-{i:05d}" for i in range(1, accounts + 1)])
    seg = rng.choice(list(segments), size=accounts)
    mood = rng.normal(0, sd_account, size=accounts)
    shift = np.array([(segment_shift or {}).get(s, 0.0) for s in seg])
    account_of = np.repeat(np.arange(accounts), per_account)
    latent = 7.6 + shift[account_of] + mood[account_of] + rng.normal(0, sd_person, size=accounts * per_account)
    score = np.clip(np.rint(latent), 0, 10).astype(int)
    roles = rng.choice(["Engineer", "Purchasing Manager", "VP Operations", "End user"], size=len(score))
    survey = pd.DataFrame(
        {
            "Response ID": [f"R{i:07d}" for i in range(1, len(score) + 1)],
            "Account ID": ids[account_of],
            "Role": roles,
            "Submitted": pd.Timestamp("2026-01-05") + pd.to_timedelta(rng.integers(0, 180, size=len(score)), unit="D"),
            NPS_COLUMN: score,
        }
    )
    survey["Submitted"] = survey["Submitted"].dt.strftime("%Y-%m-%d")
    crm = pd.DataFrame(
        {
            "Account ID": ids,
            "Account Name": [f"Company {i}" for i in range(1, accounts + 1)],
            "Segment": seg,
            "ARR": np.round(rng.lognormal(11, 1, size=accounts), -2),
        }
    )
    return survey, crm


def to_csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def account_bootstrap_nps_halfwidth(survey: pd.DataFrame, draws: int = 2000, seed: int = 7) -> float:
    """Half the width of the 95% percentile interval of NPS when whole accounts are resampled."""
    rng = np.random.default_rng(seed)
    score = survey[NPS_COLUMN].to_numpy()
    y = np.where(score >= 9, 1.0, np.where(score <= 6, -1.0, 0.0))
    codes, _ = pd.factorize(survey["Account ID"])
    k = codes.max() + 1
    sums = np.bincount(codes, weights=y, minlength=k)
    sizes = np.bincount(codes, minlength=k).astype(float)
    picks = rng.integers(0, k, size=(draws, k))
    nps = 100 * sums[picks].sum(axis=1) / sizes[picks].sum(axis=1)
    low, high = np.percentile(nps, [2.5, 97.5])
    return float((high - low) / 2)


def main() -> None:
    from cx_core.ingest import load_inputs
    from cx_core.metrics import overview
    from cx_core.workspace import Workspace

    for icc in (0.3, 0.6):
        survey, crm = clustered_frames(icc=icc)
        ws = Workspace.from_loaded(load_inputs(to_csv(survey), "survey.csv", to_csv(crm), "crm.csv"))
        try:
            nps = overview(ws).nps
        finally:
            ws.close()
        assert nps.ci95 is not None and nps.score is not None
        half = (nps.ci95[1] - nps.ci95[0]) / 2
        print(
            f"150 accounts x 20 respondents, latent ICC {icc}: NPS {nps.score:.1f}, app interval +-{half:.1f} "
            f"(design effect {getattr(nps, 'design_effect', 1.0):.2f}, "
            f"effective n {getattr(nps, 'effective_n', nps.n)} of {nps.n}); "
            f"resampling accounts +-{account_bootstrap_nps_halfwidth(survey):.1f}"
        )


if __name__ == "__main__":
    main()
