"""Headlines claim a ranking or a "most" only when a test supports it (issue 23)."""

from __future__ import annotations

import pandas as pd
import pytest

from bench.clustered import clustered_frames, to_csv
from cx_core import Filters, Workspace, load_inputs
from cx_core.accounts import clear_churn_leader
from cx_core.report.accounts import outcome_sections
from cx_core.report.sections import ReportContext, group_section
from cx_core.report.segments import crosstab_section, groups_section
from cx_core.segments import segmentation_view


def _ws(shift: dict[str, float] | None, seed: int = 11) -> Workspace:
    survey, crm = clustered_frames(accounts=90, per_account=12, icc=0.3, seed=seed, segment_shift=shift)
    return Workspace.from_loaded(load_inputs(to_csv(survey), "s.csv", to_csv(crm), "c.csv"))


@pytest.fixture(scope="module")
def same_segments():
    ws = _ws(None)
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def different_segments():
    ws = _ws({"SMB": -3.0, "Enterprise": 1.5})
    yield ws
    ws.close()


def test_no_true_difference_no_ranking_headline(same_segments):
    ctx = ReportContext(same_segments, Filters(), "en", min_n=30)
    view = segmentation_view(same_segments, min_n=30)
    # the naive headline would rank the segments; their gap is inside the margin of error
    assert view.extremes() is not None and not view.extremes().significant
    section = groups_section(ctx, view)
    assert section.finding.startswith("No clear difference in NPS between groups")
    assert any("Bonferroni" in note for note in section.notes)
    assert any("effective n" in note for note in section.notes)
    ja = groups_section(ReportContext(same_segments, Filters(), "ja", min_n=30), view)
    assert ja.finding.startswith("グループ間でNPSに明確な差はありません")
    present = group_section(ctx, "by_segment", "segment", "rsec.segments_heading")
    assert present.finding.startswith("No clear gap")


def test_a_true_difference_is_named(different_segments):
    ctx = ReportContext(different_segments, Filters(), "en", min_n=30)
    view = segmentation_view(different_segments, min_n=30)
    assert view.extremes().significant
    assert groups_section(ctx, view).finding.startswith("Highest NPS: Enterprise")
    assert group_section(ctx, "by_segment", "segment", "rsec.segments_heading").finding.startswith("Enterprise leads")


def test_crosstab_cells_marked_with_benjamini_hochberg(different_segments, same_segments):
    view = segmentation_view(different_segments, crosstab=("segment", "respondent_role", "nps"), min_n=30)
    frame = view.crosstab.frame
    assert view.crosstab.correction == "benjamini_hochberg" and view.crosstab.tested_cells == int(
        (~frame["small_sample"]).sum()
    )
    assert set(frame.loc[frame["differs"] != "", "row"]) <= {"SMB", "Enterprise"}
    assert (frame.loc[frame["differs"] == "below", "row"] == "SMB").all() and (frame["differs"] == "below").any()
    section = crosstab_section(ReportContext(different_segments, Filters(), "en", min_n=30), view)
    assert "differ clearly from the rest" in section.finding and "▼" in section.table.to_string()
    assert any("Benjamini-Hochberg" in note for note in section.notes)
    flat = segmentation_view(same_segments, crosstab=("segment", "respondent_role", "nps"), min_n=30)
    assert (flat.crosstab.frame["differs"] == "").all()
    unclear = crosstab_section(ReportContext(same_segments, Filters(), "en", min_n=30), flat)
    assert unclear.finding.startswith("NPS: no cell differs clearly")
    assert "q_value" in view.crosstab.to_csv().decode("utf-8").splitlines()[0]


def _outcomes(detractor_churned: int, promoter_churned: int):
    frame = pd.DataFrame(
        {
            "group": ["detractor", "passive", "promoter"],
            "accounts": [127, 140, 120],
            "churned": [detractor_churned, 4, promoter_churned],
            "churn_rate": [
                round(100 * detractor_churned / 127, 2),
                round(100 * 4 / 140, 2),
                100 * promoter_churned / 120,
            ],
            "churn_ci_low": [0.0, 0.0, 0.0],
            "churn_ci_high": [10.0, 10.0, 10.0],
            "arr": [1.0, 1.0, 1.0],
            "churned_arr": [0.0, 0.0, 0.0],
            "arr_share": [33.3, 33.3, 33.3],
            "small_sample": [False, False, False],
        }
    )

    class Outcomes:
        by_category = frame
        by_band = frame.iloc[0:0]
        accounts = 387
        churned = detractor_churned + 4 + promoter_churned
        small_data = False

    return Outcomes()


def test_churns_most_only_when_clear(same_segments):
    # the known case: 6 of 127 detractor accounts churned against 3 of 120 promoters
    leader, tested = clear_churn_leader(_outcomes(6, 3).by_category)
    assert (leader, tested) == (None, 3)
    ctx = ReportContext(same_segments, Filters(), "en")
    finding = outcome_sections(ctx, _outcomes(6, 3))[0].finding
    assert finding.startswith("No clear difference in churn between groups") and "churns most" not in finding
    assert clear_churn_leader(_outcomes(30, 3).by_category)[0] == "detractor"
    assert "churns most" in outcome_sections(ctx, _outcomes(30, 3))[0].finding


def test_theme_mentioned_most_only_when_clear(same_segments):
    from cx_core.report.themes import theme_groups_section
    from cx_core.themes import CommentRecord, extract_themes

    def comments(late_in_smb: int) -> list[CommentRecord]:
        out = []
        for segment, late in (("SMB", late_in_smb), ("Enterprise", 10)):
            for i in range(60):
                text = "Deliveries arrive late every week" if i < late else "We use the reporting module daily"
                out.append(CommentRecord(f"{segment}{i:03d}", text, 7.0, segment=segment))
        return out

    ctx = ReportContext(same_segments, Filters(), "en", min_n=30)
    clear = comments(40)
    section = theme_groups_section(ctx, extract_themes(clear), clear, "segment")
    assert section.finding.endswith("is mentioned most by Enterprise (83%)")  # 50 of 60 against 20 of 60
    close = comments(13)  # 13 of 60 against 10 of 60: within the margin of error
    section = theme_groups_section(ctx, extract_themes(close), close, "segment")
    assert section.finding.startswith("No group mentions a theme clearly more than the others")


def test_weakest_need_only_when_clear():
    from cx_core.report.drivers import needs_by_group_section

    def frame(low_mean: float, half: float) -> pd.DataFrame:
        rows = []
        for group, mean in (("SMB", low_mean), ("Enterprise", 3.6)):
            rows.append(
                {
                    "group": group,
                    "kind": "need",
                    "item": "price",
                    "category": "rational",
                    "n": 200,
                    "mean": mean,
                    "mean_ci_low": mean - half,
                    "mean_ci_high": mean + half,
                    "top2": 50.0,
                    "top2_ci_low": 40.0,
                    "top2_ci_high": 60.0,
                    "small_sample": False,
                }
            )
        return pd.DataFrame(rows)

    ws = _ws(None)
    try:
        ctx = ReportContext(ws, Filters(), "en", min_n=30)
        assert needs_by_group_section(ctx, frame(2.6, 0.2), "segment").finding.startswith("weakest: ")
        unclear = needs_by_group_section(ctx, frame(3.4, 0.3), "segment").finding
        assert unclear.startswith("no need is clearly weaker in one group than in the others")
    finally:
        ws.close()
