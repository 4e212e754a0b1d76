"""Fast, vectorised synthetic exports at any size (same columns as the committed sample).

The sample generator (cx_core.sample) tells a careful story but loops in Python; benchmarks need
10k-1M responses in seconds, so this draws whole columns with numpy from a fixed seed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cx_core.sample import DRIVERS, INDUSTRIES, ROLE_LABELS_RAW, THEMES, TOUCHPOINTS

NPS_COLUMN = "How likely are you to recommend us to a colleague? (0-10)"


def synthetic_frames(n_responses: int, n_accounts: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(survey, crm) frames with ``n_responses`` rows over ``n_accounts`` accounts."""
    rng = np.random.default_rng(seed)
    seg = rng.choice(["Enterprise", "Mid-market", "SMB"], size=n_accounts, p=[0.2, 0.35, 0.45])
    account_ids = np.array([f"ACC-{i:06d}" for i in range(1, n_accounts + 1)])
    crm = pd.DataFrame(
        {
            "Account ID": account_ids,
            "Account Name": [f"Company {i}" for i in range(1, n_accounts + 1)],
            "Segment": seg,
            "Industry": rng.choice(INDUSTRIES, size=n_accounts),
            "Region": rng.choice(["Kanto", "Kansai", "Chubu", "North America", "Europe"], size=n_accounts),
            "ARR": np.round(rng.lognormal(11, 1, size=n_accounts), -2),
            "Renewal Date": (
                pd.Timestamp("2026-10-01") + pd.to_timedelta(rng.integers(0, 540, size=n_accounts), unit="D")
            ).strftime("%Y-%m-%d"),
            "Churned": rng.choice(["Yes", "No"], size=n_accounts, p=[0.08, 0.92]),
            "Account Owner": rng.choice(["Sato Kenji", "Suzuki Yui", "Emily Clark", "Daniel Moore"], size=n_accounts),
        }
    )
    acc_idx = rng.integers(0, n_accounts, size=n_responses)
    health = rng.normal(0, 0.6, size=n_accounts)[acc_idx]
    roles = rng.choice(list(ROLE_LABELS_RAW), size=n_responses)
    role_labels = np.array([ROLE_LABELS_RAW[r][0] for r in roles])
    z = {name: rng.normal(health * 0.8, 1.0) for name, _ in DRIVERS}
    z["On-time delivery"] -= np.where(seg[acc_idx] == "SMB", 1.4, 0.0)
    latent = (0.6 * z["On-time delivery"] + 0.5 * z["Price transparency"] + 0.5 * z["Product quality"]) / 1.6
    nps = np.clip(np.rint(8.1 + 1.7 * (latent + rng.normal(0, 0.35, size=n_responses))), 0, 10).astype(int)
    tp_idx = rng.integers(0, len(TOUCHPOINTS), size=n_responses)
    theme_names = list(THEMES)
    theme_idx = rng.integers(0, len(theme_names), size=n_responses)
    lang = np.where(rng.random(n_responses) < 0.6, "ja", "en")
    variant = rng.integers(0, 2, size=n_responses)
    comments = [THEMES[theme_names[t]][lg][v] for t, lg, v in zip(theme_idx, lang, variant, strict=True)]
    comments = np.where(rng.random(n_responses) < 0.3, "", np.array(comments, dtype=object))
    days = rng.integers(0, 540, size=n_responses)
    survey = pd.DataFrame(
        {
            "Response ID": [f"R{i:08d}" for i in range(1, n_responses + 1)],
            "Account ID": account_ids[acc_idx],
            "Role": role_labels,
            "Submitted": (pd.Timestamp("2025-04-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d"),
            NPS_COLUMN: nps,
            "Overall satisfaction (1-5)": np.clip(np.rint(3.6 + 0.8 * latent), 1, 5).astype(int),
            "Easy to deal with (1-7)": np.clip(np.rint(5 + z["Ease of doing business"]), 1, 7).astype(int),
            **{name: np.clip(np.rint(3.45 + z[name]), 1, 5).astype(int) for name, _ in DRIVERS},
            "Comment": comments,
            "Journey stage": [TOUCHPOINTS[i][0] for i in tp_idx],
            "Touchpoint": [TOUCHPOINTS[i][1] for i in tp_idx],
            "Survey type": rng.choice(["relationship", "transactional"], size=n_responses),
        }
    )
    return survey, crm


def synthetic_csv_bytes(n_responses: int, n_accounts: int, seed: int = 1) -> tuple[bytes, bytes]:
    survey, crm = synthetic_frames(n_responses, n_accounts, seed)
    return survey.to_csv(index=False).encode("utf-8"), crm.to_csv(index=False).encode("utf-8")


def write_survey_csv(folder, size: int) -> tuple[Path, int]:
    """The survey export of ``size`` responses (~20 per account) written to ``folder``: its path and bytes.

    The file the ingest benchmarks read (bench_ingest, bench_big), so both measure the same data.
    """
    survey, _crm = synthetic_csv_bytes(size, max(50, size // 50))
    path = Path(folder) / f"survey_{size}.csv"
    path.write_bytes(survey)
    return path, len(survey)
