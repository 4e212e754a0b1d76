"""Segmentation by customer group and role, with honest statistics.

Public API:

- :func:`available_dimensions` / :func:`dimension_values`: what can be filtered and grouped by,
  derived from the loaded data (canonical dimensions plus any other categorical column mapped);
- :func:`segmentation_view`: every figure of the segmentation page for one filter state (scores per
  group with n and 95% intervals, each group vs the rest with Holm correction, segment x role
  heatmap, a cross-tab, role-weighted account NPS distribution, and the NPS trend);
- :func:`compare_periods`: two periods (this quarter vs the last, any two date ranges) tested on
  NPS, CSAT and CES with respondents clustered in accounts;
- :func:`segment_role_summary` / :func:`trend_summary`: the same numbers for the CLI summary.
"""

from .dimensions import (
    MAX_LEVELS,
    available_dimensions,
    check_filters,
    checked_dimension,
    date_span,
    dimension_values,
    has_answers,
)
from .periods import PeriodComparison, compare_periods, latest_quarters
from .summary import segment_role_summary, trend_summary
from .view import (
    ALPHA,
    CROSSTAB_METRICS,
    GRAINS,
    NOT_SET,
    AccountDistribution,
    Comparison,
    CrossTab,
    GroupRow,
    Scores,
    SegmentationView,
    Trend,
    segmentation_view,
)

__all__ = [
    "ALPHA",
    "CROSSTAB_METRICS",
    "GRAINS",
    "NOT_SET",
    "MAX_LEVELS",
    "PeriodComparison",
    "AccountDistribution",
    "Comparison",
    "CrossTab",
    "GroupRow",
    "Scores",
    "SegmentationView",
    "Trend",
    "available_dimensions",
    "check_filters",
    "checked_dimension",
    "compare_periods",
    "latest_quarters",
    "date_span",
    "dimension_values",
    "has_answers",
    "segment_role_summary",
    "segmentation_view",
    "trend_summary",
]
