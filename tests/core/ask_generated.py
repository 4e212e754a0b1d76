"""A second, generated data set for the Ask questions: Japanese values, an extra mapped column
("Product line"), no CES, two drivers and one small region (沖縄, under the minimum n)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np

SEGMENTS = (("大企業", 0.3), ("中堅企業", 0.3), ("中小企業", 0.4))
REGIONS = (("関東", 0.45), ("関西", 0.35), ("東北", 0.18), ("沖縄", 0.02))
INDUSTRIES = ("製造業", "小売", "IT")
ROLES = ("経営層", "購買担当", "現場ユーザー", "総務")
PRODUCT_LINES = ("Cloud", "On-prem", "Hardware")


def generated_files(seed: int = 7, accounts: int = 90) -> tuple[bytes, bytes]:
    """(survey CSV, CRM CSV) as bytes, the same for the same seed."""
    rng = np.random.default_rng(seed)
    crm = io.StringIO()
    writer = csv.writer(crm)
    writer.writerow(["Account ID", "Account Name", "Segment", "Industry", "Region", "ARR"])
    account_rows = []
    for i in range(1, accounts + 1):
        segment = rng.choice([s for s, _ in SEGMENTS], p=[p for _, p in SEGMENTS])
        region = rng.choice([r for r, _ in REGIONS], p=[p for _, p in REGIONS])
        industry = rng.choice(INDUSTRIES)
        account_rows.append((f"G-{i:03d}", segment, region))
        writer.writerow([f"G-{i:03d}", f"Company {i}", segment, industry, region, int(rng.integers(10, 500)) * 1000])
    survey = io.StringIO()
    writer = csv.writer(survey)
    writer.writerow(
        [
            "Response ID",
            "Account ID",
            "Role",
            "Submitted",
            "How likely are you to recommend us? (0-10)",
            "Overall satisfaction (1-5)",
            "Delivery speed",
            "Price clarity",
            "Product line",
            "Comment",
        ]
    )
    start = dt.date(2025, 1, 10)
    rid = 0
    for account, segment, _region in account_rows:
        for _ in range(int(rng.integers(6, 14))):
            rid += 1
            day = start + dt.timedelta(days=int(rng.integers(0, 620)))
            base = {"大企業": 8.0, "中堅企業": 7.4, "中小企業": 6.6}[str(segment)]
            nps = int(np.clip(round(rng.normal(base, 2.0)), 0, 10))
            csat = int(np.clip(round(rng.normal(nps / 2.5, 0.8)), 1, 5))
            writer.writerow(
                [
                    f"GR{rid:05d}",
                    account,
                    rng.choice(ROLES),
                    f"{day.isoformat()} 10:00",
                    nps,
                    csat,
                    int(np.clip(round(rng.normal(3.4, 1)), 1, 5)),
                    int(np.clip(round(rng.normal(3.0, 1)), 1, 5)),
                    rng.choice(PRODUCT_LINES),
                    "",
                ]
            )
    return survey.getvalue().encode("utf-8"), crm.getvalue().encode("utf-8")
