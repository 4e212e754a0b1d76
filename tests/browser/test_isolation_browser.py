"""Two people on the same server at the same time never see each other's data, even after reloads.

Each browser context is a separate Streamlit session. Beyond what is visible, the test checks every
byte the server sent to each tab over its websocket: the other session's distinctive account ids
and column names must never be among them (and the tab's own must be, so the check can fail).
"""

import json

import pytest

pytestmark = pytest.mark.browser
# The quotes grid's own column, matched whole: the theme table's "Quotes (response ID in brackets)"
# header contains the same words, and a substring match found whichever grid was drawn first.


def _load(session, upload) -> None:
    session.go_to("data")
    session.upload("data_upload_survey", upload.survey_name, upload.survey)
    session.upload("data_upload_crm", upload.crm_name, upload.crm)


def _assert_never_received(session, *markers: str) -> None:
    received = session.received_bytes()
    for marker in markers:
        assert marker.encode("utf-8") not in received, f"{session.name} received {marker!r} from another session"


def _sample_nps_text(**selected) -> str:
    """The built-in sample's NPS as the Overview card shows it, under the given filters."""
    from cx_core import Filters, Workspace, load_inputs, overview
    from cx_core.sample import sample_bytes

    survey, crm = sample_bytes()
    ws = Workspace.from_loaded(load_inputs(survey, "survey.csv", crm, "crm.csv"))
    try:
        return f"{overview(ws, Filters.make(**selected)).nps.score:+.0f}"
    finally:
        ws.close()


def test_two_sessions_never_see_each_other(open_session, make_upload):
    alpha = make_upload("ALPHA", n_responses=300, n_accounts=30, seed=11)
    bravo = make_upload(
        "BRAVO", n_responses=500, n_accounts=45, seed=12, nps_column="Likelihood to recommend BRAVO (0-10)", bad_rows=3
    )
    assert alpha.nps_text() != bravo.nps_text(), "the two data sets must be distinguishable by NPS"

    ann = open_session("ann")
    bob = open_session("bob")
    sample_nps = ann.metric("overview_card_nps")
    assert sample_nps == _sample_nps_text()
    assert bob.metric("overview_card_nps") == sample_nps
    assert sample_nps not in (alpha.nps_text(), bravo.nps_text())

    # interleaved uploads, then both loads requested before either finishes
    _load(ann, alpha)
    _load(bob, bravo)
    ann.click("data_load_button", wait=False)
    bob.click("data_load_button", wait=False)
    ann.wait_idle()
    bob.wait_idle()
    assert f"Loaded {alpha.responses:,} of {alpha.rows:,}" in ann.text()
    assert f"Loaded {bravo.responses:,} of {bravo.rows:,}" in bob.text()
    ann.shot("data-loaded")
    bob.shot("data-loaded")

    # each sees its own numbers
    for session, upload in ((ann, alpha), (bob, bravo)):
        session.go_to("overview")
        assert session.metric("overview_card_nps") == upload.nps_text()
        assert f"{upload.responses:,} responses from {upload.accounts:,} accounts" in session.text()
        session.shot("overview-own-data")

    # each one's mapping and rejected rows are its own
    ann.go_to("data")
    bob.go_to("data")
    ann_mapping = ann.download("data_download_mapping").decode("utf-8")
    bob_mapping = bob.download("data_download_mapping").decode("utf-8")
    assert json.loads(ann_mapping)["survey"]["fields"]["nps"] == alpha.nps_column
    assert json.loads(bob_mapping)["survey"]["fields"]["nps"] == bravo.nps_column
    assert "BRAVO" not in ann_mapping
    assert "No row was rejected." in ann.text()
    bob_rejected = bob.download("data_download_rejected").decode("utf-8-sig")
    assert sum("eleven" in line for line in bob_rejected.splitlines()) == bravo.bad_rows, bob_rejected

    # a filter in one session does not touch the other
    ann.go_to("overview")
    ann.choose("sidebar_segment", "SMB")
    assert ann.metric("overview_card_nps") == alpha.nps_text("SMB")
    bob.go_to("overview")
    assert bob.metric("overview_card_nps") == bravo.nps_text()

    # nothing of the other's data ever reached either browser, while their own did
    assert b"ALPHA-0000" in ann.received_bytes() and b"BRAVO-0000" in bob.received_bytes()
    _assert_never_received(ann, "BRAVO-0000", bravo.nps_column, bravo.survey_name)
    _assert_never_received(bob, "ALPHA-0000", alpha.survey_name)

    # a reload is a new session: one's own upload comes back (kept as a draft workspace that only
    # this tab's link names), never the other's
    ann.reload()
    # the app may keep filters in the link (shareable state), so the data may come back filtered
    expected = alpha.nps_text("SMB") if "segment: smb" in ann.text().lower() else alpha.nps_text()
    assert ann.metric("overview_card_nps") == expected
    assert "built-in sample" not in ann.text()
    ann.shot("after-reload")
    assert bob.metric("overview_card_nps") == bravo.nps_text(), "a reload elsewhere changed this session"
    bob.reload()
    assert bob.metric("overview_card_nps") == bravo.nps_text()
    bob.go_to("data")
    bob_rejected = bob.download("data_download_rejected").decode("utf-8-sig")
    assert sum("eleven" in line for line in bob_rejected.splitlines()) == bravo.bad_rows, bob_rejected
    bob.shot("after-reload-data")
    # a fresh tab (no link) starts on the sample, and the drafts are in nobody's list
    carol = open_session("carol")
    assert carol.metric("overview_card_nps") == sample_nps
    carol.go_to("data")
    # nothing is listed but, once anyone saved a follow-up on it, the team's shared sample workspace
    listed = carol.text()
    assert "No saved workspace yet." in listed or "Sample data" in listed, listed[-1500:]
    _assert_never_received(carol, "ALPHA-0000", "BRAVO-0000", alpha.survey_name, bravo.survey_name)
    _assert_never_received(ann, "BRAVO-0000", bravo.nps_column)
    _assert_never_received(bob, "ALPHA-0000", alpha.survey_name)


def test_themes_and_follow_up_notes_stay_in_their_session(open_session, make_upload):
    word = "QXZEBRA"  # only in Ann's comments
    alpha = make_upload("ALPHA", n_responses=240, n_accounts=24, seed=21)
    alpha.survey_frame.loc[alpha.survey_frame.index[:90], "Comment"] = f"The {word} gasket leaks again"
    alpha.survey = alpha.survey_frame.to_csv(index=False).encode("utf-8")
    bravo = make_upload("BRAVO", n_responses=240, n_accounts=24, seed=22)
    bravo_comments = dict(zip(bravo.survey_frame["Response ID"], bravo.survey_frame["Comment"], strict=True))

    ann = open_session("ann")
    bob = open_session("bob")
    for session, upload in ((ann, alpha), (bob, bravo)):
        _load(session, upload)
        session.click("data_load_button")
        session.go_to("themes")
        session.shot("themes")

    # Ann's themes are about her comments; Bob's quotes are his own responses' comments
    assert word.encode() in ann.received_bytes()
    cells = bob.grid_cells(bob.grid("Part about this theme"))  # the quotes table
    ids = [cell for cell in cells if cell in bravo_comments]
    assert ids, cells[:6]
    assert cells[cells.index(ids[0]) + 2] == bravo_comments[ids[0]].strip()

    # Ann writes a follow-up note; Bob never gets it, on any page
    marker = "Ann only NOTE-41c9"
    ann.go_to("follow_up")
    ann.page.locator('[class*="st-key-fu_note_"] textarea').fill(marker)
    ann.click("follow_up_save")
    ann.page.get_by_text("Saved (version 1)").first.wait_for()
    ann.wait_idle()
    ann.shot("follow-up-note")
    bob.go_to("follow_up")
    bob.shot("follow-up")
    bob.go_to("overview")
    bob.go_to("follow_up")
    assert marker not in bob.text()
    assert "ALPHA-0000" not in bob.text()
    _assert_never_received(bob, marker, word, "ALPHA-0000")
    # and Ann's note is still hers after she switches pages
    ann.go_to("overview")
    ann.go_to("follow_up")
    saved = ann.download("follow_up_download_csv").decode("utf-8-sig").splitlines()
    assert saved[1].endswith(f",{marker}"), saved[1]
