"""Reproductions of four real export layouts a first visitor brings, generated at test time.

Issue 21 was found with four exports nobody here wrote; their content cannot be copied, so these
generators reproduce their layouts and the quirks that broke the first visit (answers invented,
seeded, so every run writes the same bytes):

- :func:`qualtrics_likert`: a Qualtrics export (3 header rows) of a study with ~45 Likert and
  demographic columns, a participant-id column, a 0-10 recommend question, answered 25-26 Dec 2025.
- :func:`french_nps`: the real French garden-centre NPS survey of tests/fixtures/real (CC0): DOS
  code page 850 letters inside Windows-1252 lines, no account, no role.
- :func:`japanese_satisfaction`: a Japanese satisfaction survey saved as CP932, its date in a
  column called ``datetime``, a 職種 column whose values are no B2B role, no account.
- :func:`product_nps`: a product NPS export (score, comment, plan, created_at), no account.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

REAL = Path(__file__).resolve().parent / "fixtures" / "real"

LIKERT = ("Strongly disagree", "Somewhat disagree", "Neither agree nor disagree", "Somewhat agree", "Strongly agree")
FREQUENCY = ("Never", "Rarely", "Sometimes", "Often", "Always")
DEMOGRAPHICS = {
    "Age": ("18-24", "25-34", "35-44", "45-54", "55-64", "65+"),
    "Gender": ("Woman", "Man", "Non-binary", "Prefer not to say"),
    "Education": ("High school", "Some college", "Bachelor's degree", "Master's degree", "Doctorate"),
    "Employment": ("Full-time", "Part-time", "Self-employed", "Student", "Unemployed"),
    "Country": ("United Kingdom", "United States", "Canada", "Germany", "Netherlands"),
    "Income": ("Under 20k", "20k-40k", "40k-60k", "60k-100k", "Over 100k"),
    "Ethnicity": ("White", "Black", "Asian", "Mixed", "Other"),
}
STATEMENTS = [
    "I trust the information I see online",
    "I compare prices before buying",
    "I read reviews before buying",
    "I feel confident using new apps",
    "Advertising influences my choices",
    "I prefer brands I know",
    "I worry about my personal data",
    "I share my opinions on social media",
    "I return products I do not like",
    "I recommend products I like to friends",
]


def _csv(rows: list[list[object]], *, bom: bool = True) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" if bom else "") + out.getvalue()


def qualtrics_likert(rows: int = 47, seed: int = 21) -> bytes:
    """A Qualtrics study export: 3 header rows, 40 Likert items, 7 demographics, ``Prolific ID``."""
    rng = random.Random(seed)
    meta = [
        ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/London"}'),
        ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/London"}'),
        ("Status", "Response Type", '{"ImportId":"status"}'),
        ("Progress", "Progress", '{"ImportId":"progress"}'),
        ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
        ("Finished", "Finished", '{"ImportId":"finished"}'),
        ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/London"}'),
        ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
        ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
        ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
        ("Prolific ID", "What is your Prolific ID?", '{"ImportId":"QID1_TEXT"}'),
    ]
    likert = []
    for block, scale in ((2, LIKERT), (3, LIKERT), (4, FREQUENCY), (5, LIKERT)):
        for i, statement in enumerate(STATEMENTS, start=1):
            likert.append(
                (f"Q{block}_{i}", f"How much do you agree? - {statement}", f'{{"ImportId":"QID{block}_{i}"}}', scale)
            )
    demo = [
        (name, f"What is your {name.lower()}?", f'{{"ImportId":"QID{10 + k}"}}') for k, name in enumerate(DEMOGRAPHICS)
    ]
    nps = ("Q20", "How likely are you to recommend this study platform to a friend?", '{"ImportId":"QID20"}')
    why = ("Q21", "Why did you give that score?", '{"ImportId":"QID21_TEXT"}')
    header = [m[0] for m in meta] + [c[0] for c in likert] + [d[0] for d in demo] + [nps[0], why[0]]
    questions = [m[1] for m in meta] + [c[1] for c in likert] + [d[1] for d in demo] + [nps[1], why[1]]
    imports = [m[2] for m in meta] + [c[2] for c in likert] + [d[2] for d in demo] + [nps[2], why[2]]
    reasons = [
        "Easy to use and pays on time",
        "Too many screening questions before a study",
        "Studies are interesting but short",
        "Support answered quickly",
        "I was screened out too often",
    ]
    grid: list[list[object]] = [header, questions, imports]
    start = dt.datetime(2025, 12, 25, 9, 0)
    for r in range(rows):
        began = start + dt.timedelta(minutes=55 * r)
        ended = began + dt.timedelta(minutes=rng.randint(4, 20))
        row: list[object] = [
            f"{began:%Y-%m-%d %H:%M:%S}",
            f"{ended:%Y-%m-%d %H:%M:%S}",
            "IP Address",
            100,
            rng.randint(240, 1200),
            "True",
            f"{ended:%Y-%m-%d %H:%M:%S}",
            f"R_{rng.getrandbits(60):015x}",
            "anonymous",
            "EN",
            f"{rng.getrandbits(96):024x}",
        ]
        row += [rng.choice(c[3]) for c in likert]
        row += [rng.choice(values) for values in DEMOGRAPHICS.values()]
        row += [rng.choice([3, 5, 6, 7, 8, 8, 9, 9, 10, 10]), rng.choice(reasons)]
        grid.append(row)
    return _csv(grid).encode("utf-8")


def french_nps() -> bytes:
    """The real French NPS survey (CP1252 with DOS 850 letters; tests/fixtures/real/SOURCES.md)."""
    return (REAL / "enc_fr_nps_cp1252_cp850.csv").read_bytes()


JA_ROLES = ("会社員", "公務員", "自営業", "学生", "主婦・主夫", "パート・アルバイト")
JA_REASONS = (
    "配送が早くて助かりました",
    "商品の説明が分かりにくい",
    "価格が高いと感じる",
    "問い合わせへの対応が丁寧だった",
    "アプリが使いやすい",
    "梱包が雑だった",
)


def japanese_satisfaction(rows: int = 2_000, seed: int = 7) -> bytes:
    """A Japanese satisfaction survey in CP932 whose answer time is a column named ``datetime``."""
    rng = random.Random(seed)
    grid: list[list[object]] = [["id", "datetime", "性別", "年代", "職種", "総合満足度", "推奨度", "自由回答"]]
    start = dt.datetime(2024, 4, 1, 8, 0)
    for r in range(rows):
        at = start + dt.timedelta(minutes=37 * r)
        grid.append(
            [
                r + 1,
                f"{at:%Y/%m/%d %H:%M}",
                rng.choice(("男性", "女性")),
                rng.choice(("20代", "30代", "40代", "50代", "60代以上")),
                rng.choice(JA_ROLES),
                rng.choice((2, 3, 4, 4, 5, 5)),
                rng.choice((4, 6, 7, 8, 8, 9, 10)),
                rng.choice(JA_REASONS) if rng.random() < 0.7 else "",
            ]
        )
    return _csv(grid, bom=False).encode("cp932")


def product_nps(rows: int = 400, seed: int = 3) -> bytes:
    """A product NPS export: one row per answer, ``score`` 0-10 with a comment, plan and created_at."""
    rng = random.Random(seed)
    grid: list[list[object]] = [["id", "created_at", "score", "comment", "plan", "company_size", "platform"]]
    start = dt.datetime(2025, 3, 1, 10, 0)
    comments = (
        "Love the templates",
        "Board gets slow with many stickies",
        "Pricing went up again",
        "Great for workshops with the team",
        "Export to PDF loses the layout",
        "",
    )
    for r in range(rows):
        at = start + dt.timedelta(hours=7 * r)
        grid.append(
            [
                100_000 + r,
                f"{at:%Y-%m-%dT%H:%M:%SZ}",
                rng.choice((2, 5, 6, 7, 8, 9, 9, 10, 10)),
                rng.choice(comments),
                rng.choice(("Free", "Starter", "Business", "Enterprise")),
                rng.choice(("1-10", "11-50", "51-250", "251-1000", "1000+")),
                rng.choice(("Web", "Windows", "Mac", "iOS", "Android")),
            ]
        )
    return _csv(grid, bom=False).encode("utf-8")


LAYOUTS = {
    "qualtrics_likert.csv": qualtrics_likert,
    "nps_fr.csv": french_nps,
    "satisfaction_ja.csv": japanese_satisfaction,
    "product_nps.csv": product_nps,
}
