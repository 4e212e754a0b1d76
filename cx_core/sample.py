"""A seeded generator of realistic B2B survey and CRM exports with planted, documented effects.

``python -m cx_core.sample`` rewrites ``sample_data/`` (committed). Tests regenerate the same data
in memory with :func:`generate` and check that the analyses recover the planted effects; the
effects are documented in ``sample_data/README.md``.

Planted effects (the truth the analyses must find):

1. Procurement's NPS is driven mostly by *Price transparency*; engineers' by *Product quality*;
   executives' by *Account manager* (trust); admins' by *Ease of doing business* (effort).
2. *On-time delivery* drives NPS for every role, so it is the top driver overall; SMB accounts
   rate it about 1.2 points lower (late deliveries), so SMB NPS is lowest and "late delivery"
   is SMB's most common comment theme.
3. The touchpoint "Order delivery" is the worst moment of truth for SMB; "Support case" is a
   positive one (responsive support praised).
4. Twelve accounts are planted at risk (``truth["at_risk_accounts"]``): their executive and
   procurement respondents are detractors in the latest wave and their renewal falls within
   90 days of :data:`AS_OF`.
5. Comments carry themes (late delivery, unclear pricing, product quality issues, responsive
   support, trusted account manager, documentation), in English and Japanese, some mixing two
   themes, plus non-answers ("No comment", "特になし") and a few with personal data to redact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20261122
AS_OF = dt.date(2026, 10, 1)
"""The 'today' of the sample story: renewals and risk rules are relative to it."""

DRIVERS: tuple[tuple[str, str], ...] = (
    ("Product quality", "product"),
    ("Product range", "product"),
    ("Price transparency", "price"),
    ("Total cost", "price"),
    ("On-time delivery", "fulfilment"),
    ("Order accuracy", "fulfilment"),
    ("Support responsiveness", "reassurance"),
    ("Recognises our contribution", "feeling_valued"),
    ("Account manager understands our business", "trust"),
    ("Ease of doing business", "effort"),
)

# Weight of each driver's z-score in each role's NPS latent.
_ROLE_WEIGHTS: dict[str, dict[str, float]] = {
    "executive": {"Account manager understands our business": 0.95, "Recognises our contribution": 0.25},
    "procurement": {"Price transparency": 0.95, "Total cost": 0.2},
    "engineer": {"Product quality": 0.95, "Support responsiveness": 0.25},
    "admin": {"Ease of doing business": 0.95, "Order accuracy": 0.2},
}
_COMMON_WEIGHTS = {"On-time delivery": 0.6}

ROLE_LABELS_RAW: dict[str, tuple[str, ...]] = {
    "executive": ("CEO", "VP Operations", "Director", "経営層", "取締役", "事業部長"),
    "procurement": ("Procurement", "Purchasing Manager", "Buyer", "購買担当", "調達部"),
    "engineer": ("Engineer", "End user", "Plant Engineer", "エンジニア", "現場ユーザー", "技術部"),
    "admin": ("Admin", "Office coordinator", "総務", "管理者"),
}

SEGMENTS = (("Enterprise", 0.2), ("Mid-market", 0.35), ("SMB", 0.45))
INDUSTRIES = ("Manufacturing", "Automotive", "Electronics", "Chemicals", "Logistics", "Healthcare")
REGIONS_JP = ("Kanto", "Kansai", "Chubu", "Kyushu")
REGIONS_GLOBAL = ("North America", "Europe", "APAC")
OWNERS_JP = ("Sato Kenji", "Suzuki Yui", "Takahashi Ren", "Tanaka Aoi", "Ito Haruto")
OWNERS_GLOBAL = ("Emily Clark", "Daniel Moore", "Sofia Rossi")

TOUCHPOINTS: tuple[tuple[str, str], ...] = (
    ("evaluation", "Product demo"),
    ("purchase", "Quote and contract"),
    ("onboarding", "Onboarding training"),
    ("use", "Order delivery"),
    ("use", "Documentation"),
    ("support", "Support case"),
    ("renewal", "Quarterly business review"),
)

THEMES: dict[str, dict[str, tuple[str, ...]]] = {
    "late_delivery": {
        "en": (
            "Deliveries arrived late again this quarter.",
            "Late delivery delayed our production line.",
            "Shipments keep missing the promised date.",
            "Orders come late and the lead time is too long.",
        ),
        "ja": (
            "納期が遅い。",
            "納品がいつも遅れて生産ラインに影響が出ています。",
            "約束の納期が守られないことが多い。",
            "配送の遅延が続いています。",
        ),
    },
    "unclear_pricing": {
        "en": (
            "Pricing is hard to understand; the quote changed without explanation.",
            "We need a clearer price breakdown in quotes.",
            "Invoices contain unexpected charges.",
        ),
        "ja": (
            "価格体系が分かりにくい。",
            "見積もりの内訳をもっと明確にしてほしい。",
            "請求書に予期しない費用が含まれていた。",
        ),
    },
    "product_quality": {
        "en": (
            "Product quality has dropped; we found defects in the last batch.",
            "Firmware bugs keep causing downtime.",
            "Too many defective units in recent shipments.",
        ),
        "ja": (
            "製品の品質が低下している。",
            "不良品が多い。",
            "ファームウェアの不具合で設備が停止した。",
        ),
    },
    "responsive_support": {
        "en": (
            "Support answered quickly and solved the issue.",
            "Your support team is very responsive.",
            "Fast, helpful answers from the help desk.",
        ),
        "ja": (
            "サポートの対応が早くて助かりました。",
            "問い合わせへの回答が迅速です。",
            "ヘルプデスクの対応がとても丁寧でした。",
        ),
    },
    "trusted_account_manager": {
        "en": (
            "Our account manager really understands our business.",
            "Great relationship with our account manager, very professional.",
        ),
        "ja": (
            "担当営業が当社のビジネスをよく理解してくれている。",
            "営業担当の方がとても誠実で信頼できます。",
        ),
    },
    "documentation": {
        "en": (
            "The documentation is outdated and hard to follow.",
            "Manuals are missing key steps.",
        ),
        "ja": (
            "マニュアルが分かりにくい。",
            "取扱説明書が古く、手順が不足している。",
        ),
    },
}
NON_ANSWERS = {"en": ("No comment", "N/A", "nothing", "None"), "ja": ("特になし", "なし", "特にありません")}
PII_SNIPPETS = {
    "en": ("Please call me at 090-1234-5678.", "Contact Mr. Smith at j.smith@example.com."),
    "ja": ("田中様から連絡をお願いします。taro.yamada@example.co.jp", "03-1234-5678までご連絡ください。〒100-0001"),
}

_NAME_PARTS_JP = ("Sakura", "Fuji", "Nippon", "Tokai", "Kansai", "Hokuto", "Mizuho", "Asahi", "Yamato", "Shinsei")
_NAME_PARTS_EN = (
    "Seiki",
    "Kogyo",
    "Electronics",
    "Chemical",
    "Logistics",
    "Systems",
    "Motors",
    "Medical",
    "Industries",
)
_NAME_PARTS_GLOBAL = ("Acme", "Northwind", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell", "Cyberdyne")


@dataclass
class SampleData:
    """The generated survey and CRM exports plus the planted truth."""

    survey: pd.DataFrame
    crm: pd.DataFrame
    truth: dict


def _nps_from_latent(latent: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(8.1 + 1.7 * latent), 0, 10).astype(int)


def _rating(z: np.ndarray, low: int = 1, high: int = 5) -> np.ndarray:
    mid = (low + high) / 2
    return np.clip(np.rint(mid + 0.45 + (high - low) / 4 * z), low, high).astype(int)


def generate(seed: int = SEED, n_accounts: int = 300, waves: int = 6) -> SampleData:
    """Generate the sample story. Same seed and sizes -> identical frames."""
    rng = np.random.default_rng(seed)
    seg_names = [s for s, _ in SEGMENTS]
    segments = rng.choice(seg_names, size=n_accounts, p=[p for _, p in SEGMENTS])
    japanese = rng.random(n_accounts) < 0.6
    accounts = []
    for i in range(n_accounts):
        seg = segments[i]
        if japanese[i]:
            name = f"{rng.choice(_NAME_PARTS_JP)} {rng.choice(_NAME_PARTS_EN)} {i + 1}"
            region, owner = rng.choice(REGIONS_JP), rng.choice(OWNERS_JP)
        else:
            name = f"{rng.choice(_NAME_PARTS_GLOBAL)} {rng.choice(_NAME_PARTS_EN)} {i + 1}"
            region, owner = rng.choice(REGIONS_GLOBAL), rng.choice(OWNERS_GLOBAL)
        base = {"Enterprise": 600_000, "Mid-market": 120_000, "SMB": 18_000}[seg]
        arr = float(round(base * rng.lognormal(0, 0.45), -2))
        renewal = AS_OF + dt.timedelta(days=int(rng.integers(91, 540)))
        accounts.append(
            {
                "account_id": f"ACC-{i + 1:04d}",
                "account_name": name,
                "segment": seg,
                "industry": rng.choice(INDUSTRIES),
                "region": region,
                "arr": arr,
                "renewal_date": renewal,
                "owner": owner,
                "japanese": bool(japanese[i]),
                "health": float(rng.normal(0, 0.6)),
            }
        )
    # Planted at-risk accounts: decision makers detract in the latest wave, renewal within 90 days.
    candidates = [i for i, a in enumerate(accounts) if a["segment"] != "SMB"]
    at_risk = sorted(rng.choice(candidates, size=min(12, len(candidates)), replace=False).tolist())
    for i in at_risk:
        accounts[i]["renewal_date"] = AS_OF + dt.timedelta(days=int(rng.integers(10, 85)))
        accounts[i]["health"] = min(accounts[i]["health"], -0.3)

    wave_dates = [AS_OF - dt.timedelta(days=int(d)) for d in np.linspace(21 + 91 * (waves - 1), 21, waves)]
    driver_names = [d for d, _ in DRIVERS]
    rows = []
    truth_themes: dict[str, list[str]] = {}
    rid = 100000
    for i, acc in enumerate(accounts):
        seg = acc["segment"]
        roles = ["executive", "procurement", "engineer", "engineer", "admin"]
        size = {"Enterprise": 4, "Mid-market": 3, "SMB": 2}[seg]
        for w, wave_date in enumerate(wave_dates):
            k = int(np.clip(size + rng.integers(-1, 2), 1, 5))
            wave_roles = list(rng.choice(roles, size=k, replace=False))
            if i in at_risk and w == waves - 1:
                wave_roles = sorted(set(wave_roles) | {"executive", "procurement"})
            for role in wave_roles:
                lang = "ja" if acc["japanese"] else "en"
                z = {d: rng.normal(acc["health"] * 0.8, 1.0) for d in driver_names}
                if seg == "SMB":
                    z["On-time delivery"] -= 1.4
                if seg == "Enterprise":
                    z["Account manager understands our business"] += 0.3
                transactional = rng.random() < 0.45
                if transactional:
                    stage, touchpoint = TOUCHPOINTS[int(rng.integers(len(TOUCHPOINTS)))]
                    survey_type = "transactional"
                else:
                    stage, touchpoint, survey_type = "relationship", "Relationship survey", "relationship"
                if touchpoint == "Order delivery":
                    z["On-time delivery"] -= 0.8 if seg == "SMB" else 0.2
                if touchpoint == "Support case":
                    z["Support responsiveness"] += 0.9
                weights = dict(_COMMON_WEIGHTS)
                for d, wgt in _ROLE_WEIGHTS[role].items():
                    weights[d] = weights.get(d, 0) + wgt
                latent = sum(wgt * z[d] for d, wgt in weights.items()) / 1.6 + rng.normal(0, 0.35)
                if i in at_risk and w == waves - 1 and role in ("executive", "procurement"):
                    latent = min(latent, -1.6 - rng.random())
                nps = int(_nps_from_latent(np.array([latent]))[0])
                ratings = {d: int(_rating(np.array([z[d]]))[0]) for d in driver_names}
                csat = int(np.clip(np.rint(3.6 + 0.8 * latent + rng.normal(0, 0.5)), 1, 5))
                ces = int(np.clip(np.rint(5 + 1.0 * z["Ease of doing business"] + rng.normal(0, 0.6)), 1, 7))
                rid += 1
                response_id = f"R{rid}"
                comment, themes = _comment(rng, lang, z, nps)
                truth_themes[response_id] = themes
                day = wave_date + dt.timedelta(days=int(rng.integers(0, 14)))
                rows.append(
                    {
                        "Response ID": response_id,
                        "Account ID": acc["account_id"],
                        "Role": rng.choice(ROLE_LABELS_RAW[role]),
                        "Submitted": f"{day.isoformat()} {int(rng.integers(8, 19)):02d}:{int(rng.integers(0, 60)):02d}",
                        "How likely are you to recommend us to a colleague? (0-10)": nps,
                        "Overall satisfaction (1-5)": csat,
                        "Easy to deal with (1-7)": ces,
                        **{d: ratings[d] for d in driver_names},
                        "Comment": comment,
                        "Journey stage": stage,
                        "Touchpoint": touchpoint,
                        "Survey type": survey_type,
                        "_role": role,
                    }
                )
    survey = pd.DataFrame(rows)
    churn_p = []
    acc_nps = survey.assign(p=(survey.iloc[:, 4] >= 9).astype(int) - (survey.iloc[:, 4] <= 6).astype(int))
    mean_p = acc_nps.groupby("Account ID")["p"].mean()
    for acc in accounts:
        churn_p.append(float(np.clip(0.04 - 0.12 * mean_p.get(acc["account_id"], 0), 0.01, 0.5)))
    churned = rng.random(n_accounts) < np.array(churn_p)
    for i in at_risk:
        churned[i] = False
    crm = pd.DataFrame(
        {
            "Account ID": [a["account_id"] for a in accounts],
            "Account Name": [a["account_name"] for a in accounts],
            "Segment": [a["segment"] for a in accounts],
            "Industry": [a["industry"] for a in accounts],
            "Region": [a["region"] for a in accounts],
            "ARR": [a["arr"] for a in accounts],
            "Renewal Date": [a["renewal_date"].isoformat() for a in accounts],
            "Churned": ["Yes" if c else "No" for c in churned],
            "Account Owner": [a["owner"] for a in accounts],
        }
    )
    truth = {
        "as_of": AS_OF.isoformat(),
        "at_risk_accounts": [accounts[i]["account_id"] for i in at_risk],
        "top_driver_overall": "On-time delivery",
        "top_driver_by_role": {
            "procurement": "Price transparency",
            "engineer": "Product quality",
            "executive": "Account manager understands our business",
            "admin": "Ease of doing business",
        },
        "lowest_segment": "SMB",
        "worst_touchpoint_smb": "Order delivery",
        "themes": truth_themes,
        "roles": dict(zip(survey["Response ID"], survey["_role"], strict=False)),
    }
    survey = survey.drop(columns=["_role"])
    return SampleData(survey, crm, truth)


def _comment(rng: np.random.Generator, lang: str, z: dict[str, float], nps: int) -> tuple[str, list[str]]:
    """Pick a comment from the weakest/strongest drivers; some responses leave none."""
    roll = rng.random()
    if roll < 0.25:
        return "", []
    if roll < 0.33:
        return str(rng.choice(NON_ANSWERS[lang])), []
    themes: list[str] = []
    negatives = [
        ("late_delivery", z["On-time delivery"]),
        ("unclear_pricing", z["Price transparency"]),
        ("product_quality", z["Product quality"]),
        ("documentation", z["Ease of doing business"] + 0.4),
    ]
    positives = [
        ("responsive_support", z["Support responsiveness"]),
        ("trusted_account_manager", z["Account manager understands our business"]),
    ]
    worst, worst_z = min(negatives, key=lambda t: t[1])
    best, best_z = max(positives, key=lambda t: t[1])
    if nps <= 8 and worst_z < -0.3:
        themes.append(worst)
        others = [t for t in negatives if t[0] != worst and t[1] < -0.8]
        if others and rng.random() < 0.3:
            themes.append(others[0][0])
    elif best_z > 0.3:
        themes.append(best)
    else:
        themes.append(worst if nps <= 8 else best)
    sentences = [str(rng.choice(THEMES[t][lang])) for t in themes]
    if rng.random() < 0.03:
        sentences.append(str(rng.choice(PII_SNIPPETS[lang])))
    joiner = "" if lang == "ja" else " "
    return joiner.join(sentences), themes


def write_sample_files(directory: Path, data: SampleData | None = None) -> None:
    """Write ``survey.csv`` and ``crm.csv`` (UTF-8) into ``directory``."""
    data = data or generate()
    directory.mkdir(parents=True, exist_ok=True)
    data.survey.to_csv(directory / "survey.csv", index=False, lineterminator="\n")
    data.crm.to_csv(directory / "crm.csv", index=False, lineterminator="\n")


SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"


def sample_bytes() -> tuple[bytes, bytes]:
    """The committed sample survey and CRM files as bytes."""
    return (SAMPLE_DIR / "survey.csv").read_bytes(), (SAMPLE_DIR / "crm.csv").read_bytes()


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    write_sample_files(SAMPLE_DIR)
    print(f"wrote {SAMPLE_DIR / 'survey.csv'} and {SAMPLE_DIR / 'crm.csv'}")
