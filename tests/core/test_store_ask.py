"""Recent questions per workspace in the store (migration 0002): kept, newest first, deleted with it."""

from cx_core.store import Store, StoreConfig


def test_recent_questions_are_kept_per_workspace_and_go_with_it(tmp_path, sample_loaded):
    config = StoreConfig.build(tmp_path / "data")
    store = Store(config)
    first = store.create_workspace("Q3", sample_loaded)
    other = store.create_workspace("Q4", sample_loaded)
    for question in ("NPS by segment", "前四半期のNPS", "NPS by segment", "x" * 900):
        store.add_question(first.id, question, "en")
    store.add_question(other.id, "CSAT by role", "en")
    restarted = Store(config)  # nothing in memory: read back from the database
    assert restarted.recent_questions(first.id) == ["x" * 500, "NPS by segment", "前四半期のNPS"]
    assert restarted.recent_questions(other.id) == ["CSAT by role"]
    restarted.delete_workspace(first.id)
    assert restarted.recent_questions(other.id) == ["CSAT by role"]
    store.close()
    restarted.close()
