"""Foundation: loading the sample, workspace lock-down, metrics against independent pandas maths."""

import pandas as pd
import pytest

from cx_core import Filters, InvalidParameterError, Workspace, load_inputs, overview, scores_by_group
from cx_core.roles import normalise_role
from cx_core.sample import generate, write_sample_files

NPS_COL = "How likely are you to recommend us to a colleague? (0-10)"


def independent_nps(scores: pd.Series) -> float:
    return round(100 * ((scores >= 9).mean() - (scores <= 6).mean()), 2)


def test_committed_sample_matches_generator(tmp_path, sample_files):
    write_sample_files(tmp_path)
    assert (tmp_path / "survey.csv").read_bytes() == sample_files[0]
    assert (tmp_path / "crm.csv").read_bytes() == sample_files[1]


def test_generator_is_deterministic():
    a, b = generate(seed=7, n_accounts=20, waves=2), generate(seed=7, n_accounts=20, waves=2)
    pd.testing.assert_frame_equal(a.survey, b.survey)
    assert generate(seed=8, n_accounts=20, waves=2).survey["Comment"].tolist() != a.survey["Comment"].tolist()


def test_sample_loads_without_losing_rows(sample_loaded, sample):
    report = sample_loaded.survey_report
    assert report.rows_read == len(sample.survey)
    assert report.rows_read == report.rows_loaded + report.rows_rejected
    assert sample_loaded.crm_report.rows_loaded == len(sample.crm)
    assert sample_loaded.survey_mapping.fields["nps"] == NPS_COL
    assert len(sample_loaded.survey_mapping.drivers) == 10


def test_overview_matches_independent_computation(ws, sample):
    ov = overview(ws)
    assert ov.nps.score == independent_nps(sample.survey[NPS_COL])
    assert ov.nps.n == len(sample.survey)
    assert ov.csat.score == pytest.approx(sample.survey["Overall satisfaction (1-5)"].mean(), abs=1e-3)


def test_filters_restrict_rows(ws, sample):
    smb_ids = set(sample.crm.loc[sample.crm["Segment"] == "SMB", "Account ID"])
    smb = sample.survey[sample.survey["Account ID"].isin(smb_ids)]
    ov = overview(ws, Filters.make(segment=["SMB"]))
    assert ov.nps.n == len(smb)
    assert ov.nps.score == independent_nps(smb[NPS_COL])


def test_planted_segment_effect(ws):
    groups = scores_by_group(ws, "segment")
    assert groups[-1].group == "SMB" and not groups[-1].small_sample


def test_small_groups_are_flagged_and_not_ranked(ws):
    groups = scores_by_group(ws, "owner", min_n=700)
    flags = [g.small_sample for g in groups]
    assert flags == sorted(flags), "small groups must come after solid ones"
    assert any(flags)


def test_unknown_dimension_is_refused(ws):
    with pytest.raises(InvalidParameterError):
        scores_by_group(ws, "nps; DROP TABLE responses")


def test_workspace_is_locked_down(ws):
    import duckdb

    with pytest.raises(duckdb.Error):
        ws.con.execute("SELECT * FROM read_csv('/etc/passwd')")
    with pytest.raises(duckdb.Error):
        ws.con.execute("COPY responses TO '/tmp/leak.csv'")
    with pytest.raises(duckdb.Error):
        ws.con.execute("SET enable_external_access = true")


def test_workspaces_are_independent(sample_loaded):
    a = Workspace.from_loaded(sample_loaded)
    small = load_inputs(b"nps,comment\n10,great\n0,bad\n", "tiny.csv")
    b = Workspace.from_loaded(small)
    assert a.response_count() != b.response_count() == 2
    a.close()
    b.close()


@pytest.mark.parametrize(
    "label,role",
    [
        ("Procurement", "procurement"),
        ("Purchasing Manager", "procurement"),
        ("購買担当", "procurement"),
        ("CEO", "executive"),
        ("経営層", "executive"),
        ("エンジニア", "engineer"),
        ("End user", "engineer"),
        ("総務", "admin"),
        ("", "other"),
        ("Astronaut", "other"),
    ],
)
def test_role_normalisation(label, role):
    assert normalise_role(label) == role


def test_weighted_account_nps_by_hand():
    from cx_core.weighting import weighted_account_nps

    survey = (
        b"response_id,account_id,role,nps\n"
        b"1,A,CEO,10\n"  # executive +100
        b"2,A,Engineer,0\n"  # engineer -100
        b"3,A,Engineer,8\n"  # engineer 0 -> engineer NPS -50
        b"4,B,Buyer,9\n"
    )
    ws = Workspace.from_loaded(load_inputs(survey, "s.csv"))
    frame = weighted_account_nps(ws, weights={"executive": 3, "engineer": 1}).set_index("account_id")
    # (3 * 100 + 1 * -50) / 4 = 62.5 ; plain NPS of A = (1 - 1) / 3 = 0
    assert frame.loc["A", "weighted_nps"] == pytest.approx(62.5)
    assert frame.loc["A", "plain_nps"] == pytest.approx(0)
    assert frame.loc["A", "roles_responded"] == ["engineer", "executive"]
    assert frame.loc["B", "weighted_nps"] == pytest.approx(100)
    ws.close()
