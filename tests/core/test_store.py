"""The workspace store, against the embedded default (SQLite + folder) and a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import inspect

from cx_core import Workspace, load_inputs
from cx_core.accounts import default_as_of
from cx_core.errors import FollowUpConflictError, InvalidParameterError, WorkspaceExistsError, WorkspaceNotFoundError
from cx_core.store import Store, StoreConfig, apply_records
from cx_core.summary import build_summary, questions_summary
from tests.helpers import fresh_postgres_database, postgres_admin_url

AS_OF = default_as_of(True)  # the sample story's today


@pytest.fixture(params=["embedded", "postgresql"])
def store_config(request, tmp_path) -> StoreConfig:
    """A store configuration on an empty database: embedded (SQLite) or PostgreSQL."""
    if request.param == "embedded":
        yield StoreConfig.build(tmp_path / "data")
        return
    url, drop = fresh_postgres_database(postgres_admin_url())
    yield StoreConfig.build(tmp_path / "data", database_url=url)
    drop()


@pytest.fixture()
def store(store_config):
    opened = Store(store_config)
    yield opened
    opened.close()


def _summary(loaded) -> str:
    ws = Workspace.from_loaded(loaded)
    try:
        return json.dumps(build_summary(ws, as_of=AS_OF), default=str, sort_keys=True)
    finally:
        ws.close()


def _dataset_files(config: StoreConfig) -> list[Path]:
    return sorted(p for p in Path(config.datasets_url).rglob("*") if p.is_file())


def test_a_workspace_survives_a_restart_with_its_data_and_settings(store_config, sample_loaded):
    first = Store(store_config)
    weights = {"decision_maker": 2.0, "user": 1.0}
    catalogue = [{"key": "support", "need": "support"}]
    info = first.create_workspace(
        "Q3 survey", sample_loaded, dataset="sample", by="Aiko", role_weights=weights, driver_catalogue=catalogue
    )
    first.close()

    restarted = Store(store_config)  # a new process would do the same: nothing is cached in memory
    listed = restarted.list_workspaces()
    assert [w.name for w in listed] == ["Q3 survey"]
    assert listed[0].id == info.id and listed[0].responses == len(sample_loaded.survey.responses)
    opened = restarted.open_workspace(info.id)
    assert opened.info.dataset == "sample" and opened.info.created_by == "Aiko"
    assert opened.role_weights == weights and opened.driver_catalogue == catalogue
    assert _summary(opened.loaded) == _summary(sample_loaded)
    assert opened.loaded.survey_mapping.to_dict() == sample_loaded.survey_mapping.to_dict()
    assert [r.to_dict() for r in opened.loaded.reports] == [r.to_dict() for r in sample_loaded.reports]
    restarted.save_settings("Q3 survey", role_weights={"user": 3.0})
    assert Store(store_config).settings(info.id)["role_weights"] == {"user": 3.0}
    assert Store(store_config).settings(info.id)["driver_catalogue"] == catalogue


def test_names_are_unique_and_unknown_workspaces_are_reported(store, sample_loaded):
    store.create_workspace("Team", sample_loaded)
    with pytest.raises(WorkspaceExistsError):
        store.create_workspace("Team", sample_loaded)
    with pytest.raises(WorkspaceNotFoundError):
        store.open_workspace("nope")
    with pytest.raises(InvalidParameterError):
        store.create_workspace("   ", sample_loaded)
    assert len(store.list_workspaces()) == 1
    # the refused duplicate left no data set behind
    assert len({p.parent.parent for p in _dataset_files(store.config)}) == 1


def test_follow_up_edits_are_versioned_and_a_stale_edit_is_a_conflict(store, sample_loaded):
    info = store.create_workspace("Loop", sample_loaded)
    item = "response:R0001"
    first = store.update_follow_up(info.id, item, expected_version=0, by="Aiko", done=True, note="Called Tuesday")
    assert (first.version, first.done, first.note, first.updated_by) == (1, True, "Called Tuesday", "Aiko")

    # Ben opened the item at version 1 as well; Aiko saves again first
    store.update_follow_up(info.id, item, expected_version=1, by="Aiko", note="Called Tuesday, renewal risk")
    with pytest.raises(FollowUpConflictError) as conflict:
        store.update_follow_up(info.id, item, expected_version=1, by="Ben", note="Sent the discount offer")
    assert conflict.value.mine == {"note": "Sent the discount offer"}
    assert conflict.value.theirs.note == "Called Tuesday, renewal risk" and conflict.value.theirs.version == 2
    assert store.follow_up(info.id)[item].note == "Called Tuesday, renewal risk"  # nothing overwritten

    # Ben keeps his note on top of the version he has now seen
    resolved = store.update_follow_up(info.id, item, expected_version=2, by="Ben", note="Sent the discount offer")
    assert resolved.version == 3
    history = store.follow_up_history(info.id, item)
    assert [(h.version, h.by) for h in history] == [(1, "Aiko"), (2, "Aiko"), (3, "Ben")]
    assert history[0].changes == {"done": [False, True], "note": [None, "Called Tuesday"]}
    assert history[2].changes["note"] == ["Called Tuesday, renewal risk", "Sent the discount offer"]

    # two first edits of a never-saved item: the second is a conflict as well
    store.update_follow_up(info.id, "account:A1", expected_version=0, by="Aiko", owner="Chika")
    with pytest.raises(FollowUpConflictError):
        store.update_follow_up(info.id, "account:A1", expected_version=0, by="Ben", owner="Daiki")


def test_owner_and_due_date_can_be_changed_and_unchanged_saves_add_no_history(store, sample_loaded):
    info = store.create_workspace("Loop", sample_loaded)
    due = dt.date(2025, 2, 3)
    saved = store.update_follow_up(info.id, "account:A7", expected_version=0, by="Aiko", owner=" Chika ", due_date=due)
    assert (saved.owner, saved.due_date) == ("Chika", due)
    again = store.update_follow_up(info.id, "account:A7", expected_version=1, by="Aiko", owner="Chika")
    assert again.version == 1
    assert len(store.follow_up_history(info.id)) == 1
    assert store.follow_up_history(info.id)[0].changes == {"owner": [None, "Chika"], "due_date": [None, "2025-02-03"]}
    with pytest.raises(InvalidParameterError):
        store.update_follow_up(info.id, "account:A7", expected_version=1, by="Aiko", done="yes")


def test_script_edits_without_a_version_apply_on_top_of_the_latest(store, sample_loaded):
    info = store.create_workspace("Loop", sample_loaded)
    store.update_follow_up(info.id, "response:R9", expected_version=0, by="Aiko", note="Keep this")
    record = store.update_follow_up(info.id, "response:R9", expected_version=None, by="crm-sync", done=True)
    assert (record.done, record.note, record.version) == (True, "Keep this", 2)


def test_items_stay_attached_to_their_response_when_the_data_is_reloaded(store, sample_loaded, ws):
    from cx_core.accounts import follow_up_list

    info = store.create_workspace("Loop", sample_loaded)
    items = follow_up_list(ws, AS_OF, lang="en")
    detractor = items[(items["kind"] == "detractor") & items["comment"].notna()].iloc[0]
    account = items[items["kind"] == "account"].iloc[0]
    store.update_follow_up(info.id, detractor["item_id"], expected_version=0, by="Aiko", done=True, note="Called")
    store.update_follow_up(info.id, account["item_id"], expected_version=0, by="Aiko", owner="Chika")

    # the same export again, rows in another order: a new data set for the same workspace
    survey = sample_loaded.survey
    reordered = load_inputs(*_shuffled_sample_files(), "crm.csv")
    assert not reordered.survey.responses["response_id"].equals(survey.responses["response_id"])
    store.replace_dataset(info.id, reordered)
    assert len({p.parent for p in _dataset_files(store.config)}) == 1  # the old data set is gone

    reopened = Workspace.from_loaded(store.open_workspace(info.id).loaded)
    try:
        merged = apply_records(follow_up_list(reopened, AS_OF, lang="en"), store.follow_up(info.id)).set_index(
            "item_id"
        )
    finally:
        reopened.close()
    assert merged.loc[detractor["item_id"], "done"]
    assert merged.loc[detractor["item_id"], "note"] == "Called"
    assert merged.loc[detractor["item_id"], "comment"] == detractor["comment"]
    assert merged.loc[detractor["item_id"], "reason"] == detractor["reason"]
    assert merged.loc[account["item_id"], "owner"] == "Chika"
    assert merged.loc[account["item_id"], "account_name"] == account["account_name"]
    assert int(merged["done"].sum()) == 1


def _shuffled_sample_files() -> tuple[bytes, str, bytes]:
    import io

    from cx_core.sample import sample_bytes

    survey, crm = sample_bytes()
    frame = pd.read_csv(io.BytesIO(survey), dtype=str, keep_default_na=False)
    shuffled = frame.sample(frac=1.0, random_state=7).to_csv(index=False).encode("utf-8")
    return shuffled, "survey.csv", crm


def test_deleting_a_workspace_deletes_its_data_everywhere(store, sample_loaded):
    keep = store.create_workspace("Keep", sample_loaded)
    gone = store.create_workspace("Gone", sample_loaded)
    store.update_follow_up(gone.id, "response:R1", expected_version=0, by="Aiko", note="secret")
    assert any(gone.id in str(p) for p in _dataset_files(store.config))
    store.delete_workspace("Gone")
    assert not any(gone.id in str(p) for p in _dataset_files(store.config))
    assert any(keep.id in str(p) for p in _dataset_files(store.config))
    with store.engine.connect() as con:
        for table in ("cx_workspaces", "cx_follow_up_items", "cx_follow_up_history"):
            rows = con.exec_driver_sql(f"SELECT * FROM {table}").all()  # noqa: S608 - constant names
            assert not any(gone.id in map(str, row) for row in rows), table
    assert [w.name for w in store.list_workspaces()] == ["Keep"]


def test_signed_in_people_see_only_workspaces_shared_with_them(store, sample_loaded):
    store.create_workspace("Aiko's", sample_loaded, owner="aiko@example.com", shared_with=["Ben@Example.com"])
    store.create_workspace("Chika's", sample_loaded, owner="chika@example.com")
    store.create_workspace("Team", sample_loaded)  # no owner: every signed-in person

    def names(user):
        return sorted(w.name for w in store.list_workspaces(user))

    assert names("aiko@example.com") == ["Aiko's", "Team"]
    assert names("ben@example.com") == ["Aiko's", "Team"]
    assert names("dan@example.com") == ["Team"]
    assert names(None) == ["Aiko's", "Chika's", "Team"]  # no sign-in configured: one person's laptop
    with pytest.raises(WorkspaceNotFoundError):
        store.open_workspace("Chika's", user="aiko@example.com")
    with pytest.raises(WorkspaceNotFoundError):
        store.update_follow_up("Chika's", "response:R1", expected_version=0, by="x", done=True, user="dan@example.com")
    with pytest.raises(InvalidParameterError):
        store.delete_workspace("Aiko's", user="ben@example.com")  # shared with Ben, but not his
    store.share("Aiko's", ["dan@example.com"], user="aiko@example.com")
    assert names("dan@example.com") == ["Aiko's", "Team"]
    assert names("ben@example.com") == ["Team"]


def test_notes_of_a_workspace_file_become_the_first_version(store, sample_loaded):
    notes = pd.DataFrame({"item_id": ["response:R1", "account:A2"], "done": [True, False], "note": ["From file", None]})
    info = store.create_workspace("Imported", sample_loaded, follow_up_notes=notes, by="Aiko")
    records = store.follow_up(info.id)
    assert records["response:R1"].done and records["response:R1"].note == "From file"
    assert records["account:A2"].version == 1
    assert store.follow_up_history(info.id, "response:R1")[0].changes == {"imported": True}


def test_threads_updating_different_items_at_once_all_succeed(store, sample_loaded):
    info = store.create_workspace("Busy", sample_loaded)
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(10):
                store.update_follow_up(info.id, f"response:T{n}-{i}", expected_version=0, by=f"p{n}", done=True)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.follow_up(info.id)) == 40


def test_the_schema_is_created_by_migrations(store):
    from cx_core.store._migrate import current_revision

    assert current_revision(store.engine) == "0003_codebook"
    tables = set(inspect(store.engine).get_table_names())
    assert {"cx_workspaces", "cx_follow_up_items", "cx_follow_up_history", "alembic_version"} <= tables
    assert "cx_codebook_versions" in tables
    assert "cx_ask_questions" in tables


def test_an_unreachable_database_is_one_plain_error(tmp_path):
    from cx_core.errors import StoreError

    config = StoreConfig.build(tmp_path, database_url="postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(StoreError) as error:
        Store(config)
    assert "cannot be reached" in str(error.value)


def test_configuration_comes_from_the_environment(tmp_path):
    config = StoreConfig.from_env({"CX_DATA_DIR": str(tmp_path)})
    assert config.embedded and config.database_url.endswith("state.sqlite3")
    assert config.datasets_url == str(tmp_path / "datasets")
    remote = StoreConfig.from_env(
        {
            "CX_DATA_DIR": str(tmp_path),
            "CX_DATABASE_URL": "postgresql://cx:secret@db/cx",
            "CX_DATASETS_URL": "s3://bucket/cx/",
            "CX_DATASETS_OPTIONS": '{"endpoint_url": "http://127.0.0.1:9000"}',
        }
    )
    assert remote.database_url == "postgresql+psycopg://cx:secret@db/cx" and not remote.embedded
    assert remote.datasets_url == "s3://bucket/cx"
    assert "secret" not in json.dumps(remote.describe())


def test_drafts_open_by_id_only_until_named(store, sample_loaded):
    draft = store.create_workspace("upload 12:00", sample_loaded, listed=False)
    assert store.list_workspaces() == [] and [w.id for w in store.list_workspaces(drafts=True)] == [draft.id]
    assert store.open_workspace(draft.id).info.listed is False
    named = store.rename(draft.id, "Q3 survey")
    assert named.listed and [w.name for w in store.list_workspaces()] == ["Q3 survey"]
    store.create_workspace("old draft", sample_loaded, listed=False)
    assert store.delete_drafts(dt.timedelta(days=1)) == 0  # nothing is a day old yet
    assert store.delete_drafts(dt.timedelta(seconds=-5)) == 1  # named workspaces are never purged
    assert [w.name for w in store.list_workspaces(drafts=True)] == ["Q3 survey"]


def test_rejected_rows_keep_their_original_cells(store):
    from cx_core.ingest import rejected_rows_csv
    from cx_core.sample import sample_bytes

    survey, crm = sample_bytes()
    lines = survey.decode("utf-8").splitlines()
    header = lines[0].split(",")
    nps = next(i for i, name in enumerate(header) if "recommend" in name.lower())
    broken = lines[1].split(",")
    broken[nps] = "eleven"
    loaded = load_inputs("\n".join([lines[0], ",".join(broken), *lines[2:]]).encode(), "survey.csv", crm, "crm.csv")
    assert loaded.survey_report.rows_rejected == 1
    info = store.create_workspace("With a bad row", loaded)
    reopened = store.open_workspace(info.id).loaded
    assert rejected_rows_csv(reopened.reports) == rejected_rows_csv(loaded.reports)
    assert b"eleven" in rejected_rows_csv(reopened.reports)


def test_one_store_per_process_and_a_down_server_is_not_retried_at_once(tmp_path):
    from cx_core.errors import StoreError

    config = StoreConfig.build(tmp_path / "one")
    first, opened = Store.for_process(config)
    again, opened_again = Store.for_process(StoreConfig.build(tmp_path / "one"))
    assert opened and not opened_again and again is first
    down = StoreConfig.build(tmp_path, database_url="postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(StoreError) as first_try:
        Store.for_process(down)
    with pytest.raises(StoreError) as second_try:
        Store.for_process(down)
    assert second_try.value is first_try.value  # remembered for a while: no new connection attempt


def test_every_open_question_survives_the_store(store):
    """Saved and reopened, a workspace keeps every answer to every open question (not only the comment)."""
    path = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "map_formbricks_nps.csv"
    loaded = load_inputs(path.read_bytes(), path.name)
    assert loaded.survey.answers["column"].nunique() >= 2  # the fixture has several open questions
    info = store.create_workspace("Open questions", loaded, dataset="upload", by="Aiko")
    opened = store.open_workspace(info.id)
    columns = list(loaded.survey.answers.columns)
    saved = loaded.survey.answers.astype(str).sort_values(columns).reset_index(drop=True)
    reopened = opened.loaded.survey.answers[columns].astype(str).sort_values(columns).reset_index(drop=True)
    pd.testing.assert_frame_equal(reopened, saved)
    assert opened.loaded.survey_mapping.to_dict()["questions"] == loaded.survey_mapping.to_dict()["questions"]
    ws = Workspace.from_loaded(opened.loaded)
    try:
        assert questions_summary(ws) == questions_summary(Workspace.from_loaded(loaded))
    finally:
        ws.close()


def test_support_cases_survive_a_restart(store_config):
    from tests.core.test_ingest_cases import assert_same_case_health, loaded_with_cases

    loaded = loaded_with_cases()
    info = Store(store_config).create_workspace("With cases", loaded, dataset="s.csv")
    opened = Store(store_config).open_workspace(info.id).loaded  # a new process: nothing cached
    assert opened.cases is not None and opened.cases_report is not None
    assert opened.cases.mapping.fields == loaded.cases.mapping.fields
    assert opened.cases_report.to_dict() == loaded.cases_report.to_dict()
    before, after = Workspace.from_loaded(loaded), Workspace.from_loaded(opened)
    try:
        assert_same_case_health(before, after)
    finally:
        before.close()
        after.close()


def test_save_as_keeps_the_follow_up_history(store, sample_loaded):
    first = store.create_workspace("Loop", sample_loaded, owner="aiko@example.com")
    store.update_follow_up(first.id, "response:R0001", expected_version=0, by="Aiko", done=True, note="Called")
    store.update_follow_up(first.id, "response:R0001", expected_version=1, by="Ben", note="Called, renewal risk")
    copy = store.create_workspace("Loop (copy)", sample_loaded, owner="aiko@example.com", history_from=first.id)
    record = store.follow_up(copy.id)["response:R0001"]
    assert (record.version, record.done, record.note) == (2, True, "Called, renewal risk")
    history = store.follow_up_history(copy.id, "response:R0001")
    assert [(h.version, h.by) for h in history] == [(1, "Aiko"), (2, "Ben")]
    # the copy goes on from there, and the original is untouched by it
    store.update_follow_up(copy.id, "response:R0001", expected_version=2, by="Chika", note="Renewed")
    assert store.follow_up(first.id)["response:R0001"].note == "Called, renewal risk"
    # a workspace the person may not open gives nothing away
    with pytest.raises(WorkspaceNotFoundError):
        store.create_workspace("Theirs", sample_loaded, owner="ben@example.com", history_from=first.id)
