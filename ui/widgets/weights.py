"""The Overview's weights control: none, each account once, by ARR, or raked to population margins.

The choice lives in session state as :meth:`cx_core.weighting.ScoreWeights.to_dict` and is saved
with the workspace (``ui.sync.workspaces``), so a refresh or a colleague opening the workspace's link
sees the same weighted scores.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cx_core import CXError, t
from cx_core.errors import error_text
from cx_core.messages import dimension_label
from cx_core.raking import margin_columns, margins_from_records
from cx_core.segments import available_dimensions
from cx_core.weighting import ScoreWeights, WeightedScores, current_shares

from ..sync.state import SCORE_WEIGHTS, SCORE_WEIGHTS_WIDGETS
from .render import md_escape

BY_KEY, EDITOR_KEY, _EDITOR_FOR_KEY = SCORE_WEIGHTS_WIDGETS  # the last: the margins the editor's rows started from
APPLY_KEY = "overview_weights_apply"


def saved_weights() -> ScoreWeights:
    """The session's weights (those of its workspace once opened or chosen)."""
    return ScoreWeights.from_dict(st.session_state.get(SCORE_WEIGHTS))


def _keep(weights: ScoreWeights, ws) -> None:
    """Put the choice in the session and save it with the workspace at once (the sample is saved
    as the team's shared sample, an upload as its draft, as a follow-up note is)."""
    from ..sync.workspaces import ensure_saved, sync

    try:
        ensure_saved(ws)  # linked first: the link remembers the settings it saw, and sync saves the change
    except CXError:  # the store is not available: the choice still holds in this session
        pass
    st.session_state[SCORE_WEIGHTS] = weights.to_dict()
    try:
        sync(ws)
    except CXError:
        pass


def weights_control(ws, lang: str) -> ScoreWeights:
    """Draw the control; return the weights to apply now."""
    saved = saved_weights()
    options = ["none", "account"] + (["arr"] if ws.has_crm else []) + ["margins"]
    title = t("weights.title", lang)
    if saved.by != "none":
        title = t("weights.title_active", lang, how=t(f"weights.{saved.by}", lang))
    with st.expander(title, expanded=saved.by != "none", icon=":material/balance:"):
        by = st.radio(
            t("weights.by", lang),
            options,
            index=options.index(saved.by) if saved.by in options else 0,
            format_func=lambda o: t(f"weights.{o}", lang),
            horizontal=True,
            help=t("weights.by_help", lang),
            key=BY_KEY,
        )
        if by != "margins":
            if by != saved.by:
                _keep(ScoreWeights(by, saved.margins), ws)
            return ScoreWeights(by, saved.margins)
        chosen = _margins_editor(ws, lang, saved)
        if chosen is not None and (saved.by != "margins" or chosen.margins != saved.margins):
            _keep(chosen, ws)
            st.rerun()  # the table is drawn again from the margins now in use
        if saved.by != "margins":  # the weights in use stay until the margins are applied
            st.caption(t("weights.not_applied", lang, current=t(f"weights.{saved.by}", lang)))
        return saved


def _margins_editor(ws, lang: str, saved: ScoreWeights) -> ScoreWeights | None:
    """The editable table of margins; the margins it holds when the person applies them."""
    dims = available_dimensions(ws)
    if saved.margins:
        rows = [
            {"column": m.columns[0], "value": values[0], "share": share}
            for m in saved.margins
            if len(m.columns) == 1
            for values, share in m.shares
        ]
    else:
        start = "segment" if "segment" in dims else (dims[0] if dims else None)
        rows = current_shares(ws, start) if start else []
    columns = sorted({*dims, *margin_columns(saved.margins)})
    table = pd.DataFrame(rows or [{"column": None, "value": None, "share": None}], columns=["column", "value", "share"])
    edited = st.data_editor(
        table,
        num_rows="dynamic",
        hide_index=True,
        key=EDITOR_KEY,
        column_config={
            "column": st.column_config.SelectboxColumn(
                t("weights.column", lang),
                options=columns,
                required=True,
                # a column header from the file: shown as text (the label's words are ours)
            ),
            "value": st.column_config.TextColumn(t("weights.value", lang), required=True),
            "share": st.column_config.NumberColumn(
                t("weights.share", lang), min_value=0.0, max_value=1.0, step=0.001, format="%.3f", required=True
            ),
        },
    )
    st.caption(t("weights.margins_help", lang))
    st.caption(
        " · ".join(md_escape(f"{c} = {dimension_label(c, lang)}") for c in columns if dimension_label(c, lang) != c)
    )
    if not st.button(t("weights.apply", lang), key=APPLY_KEY):
        return None
    try:
        return ScoreWeights("margins", margins_from_records(edited.to_dict("records")))
    except CXError as exc:
        st.error(md_escape(error_text(exc, lang)))
        return None


def weights_note(scored: WeightedScores | None, lang: str) -> str | None:
    """The note beside weighted scores: how they are weighted, Kish's effective n, what is not."""
    if scored is None:
        return None
    if scored.by == "account":
        how = t("weights.note_account", lang, accounts=f"{scored.accounts:,}")
    elif scored.by == "arr":
        how = t("weights.note_arr", lang, accounts=f"{scored.accounts:,}", without=f"{scored.answers_without_weight:,}")
    else:
        names = ", ".join(dimension_label(c, lang) for c in margin_columns(scored.margins))
        how = t(
            "weights.note_margins",
            lang,
            columns=md_escape(names),
            iterations=scored.iterations,
            without=f"{scored.answers_without_weight:,}",
        )
    lead = scored.nps if scored.nps.n else (scored.csat or scored.ces)
    kish = f"{lead.effective_n:,.0f}" if lead is not None and lead.effective_n is not None else "—"
    return how + " " + t("weights.note_scope", lang, kish=kish)
