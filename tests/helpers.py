"""Small helpers shared by test modules (independent of the code under test)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@cache
def sample_response_count() -> int:
    """Rows of the committed sample survey, counted with the csv module (not our loader)."""
    with (ROOT / "sample_data" / "survey.csv").open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1
