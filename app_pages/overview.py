"""Overview: NPS, CSAT, CES with n and 95% intervals, the NPS split, and scores by group.

The charts and tables are report sections (cx_core.report), so the page, its exports, the HTML/PPTX
report and presenter mode all show the same numbers.
"""

import streamlit as st

from cx_core import CXError, t
from cx_core.coverage import score_cards
from cx_core.errors import error_text
from cx_core.i18n_format import describe_filters, format_date, format_number
from cx_core.report import OVERVIEW_SECTIONS, build_sections
from cx_core.report.periods import period_scores_section
from cx_core.segments import compare_periods
from cx_core.stats import NpsResult
from cx_core.weighting import ScoreWeights, weighted_overview
from ui.sync.session import memo_view
from ui.widgets.ask import ask_box, pinned_sections
from ui.widgets.coverage import coverage_notes
from ui.widgets.export import report_downloads
from ui.widgets.periods import period_picker
from ui.widgets.presenter import caption_px, presenter_active, render_sections
from ui.widgets.render import guard, md_escape, mean_card, no_data_message, nps_card
from ui.widgets.sidebar import render_sidebar
from ui.widgets.weights import weights_control, weights_note


def overview_caption(ov, filters, lang: str) -> str:
    """How many answers, from how many accounts, over which days: only what the data has.

    A survey without accounts or dates read "13,953 responses from 0 accounts · ? to ?".
    """
    responses = format_number(ov.responses, lang)
    if ov.accounts and ov.first_date and ov.last_date:
        return t(
            "overview.caption",
            lang,
            responses=responses,
            accounts=format_number(ov.accounts, lang),
            first=format_date(ov.first_date, lang),
            last=format_date(ov.last_date, lang),
            filters=md_escape(describe_filters(filters, lang)),
        )
    parts = [
        t("overview.caption_accounts", lang, responses=responses, accounts=format_number(ov.accounts, lang))
        if ov.accounts
        else t("overview.caption_responses", lang, responses=responses)
    ]
    if ov.first_date and ov.last_date:
        parts.append(
            t(
                "overview.caption_days",
                lang,
                first=format_date(ov.first_date, lang),
                last=format_date(ov.last_date, lang),
            )
        )
    else:
        parts.append(t("overview.caption_no_dates", lang))
    parts.append(t("overview.caption_filters", lang, filters=md_escape(describe_filters(filters, lang))))
    return " · ".join(parts)


page = render_sidebar()
filters, lang, min_n = page.filters, page.lang, page.min_n
st.title(t("overview.title", lang))

with guard(lang):
    ws = page.ws
    weights = weights_control(ws, lang) if not presenter_active() else ScoreWeights()

    def _view(weights: ScoreWeights):
        weighted = weighted_overview(ws, filters, weights)
        return weighted, build_sections(page.report(), OVERVIEW_SECTIONS)

    # one view per (data, filters, language, min n, session extras): a rerun that changed none of them
    # (a click in presenter mode, a page switch and back) does not query again
    try:
        (ov, scored), sections = memo_view(
            "overview", ws, (filters, lang, min_n, page.extras, weights), lambda: _view(weights)
        )
    except CXError as exc:  # margins that do not fit this selection: said, and the plain scores shown
        if weights.by == "none":
            raise
        st.warning(t("weights.failed", lang, reason=md_escape(error_text(exc, lang))))
        (ov, scored), sections = memo_view(
            "overview", ws, (filters, lang, min_n, page.extras, ScoreWeights()), lambda: _view(ScoreWeights())
        )
    if ov.responses == 0:
        st.warning(no_data_message(lang))
        st.stop()
    caption = overview_caption(ov, filters, lang)
    st.caption(caption)
    pinned = pinned_sections(page)  # answers pinned on the Ask page join the deck and the report
    if presenter_active():
        render_sections(sections + pinned, "overview", lang, above=caption_px(caption))
    else:
        coverage_notes(ws, lang)  # every metric is optional: say what is missing and how to add it
        cards = score_cards(ws, ov)  # NPS only when the data has it; CSAT and CES on their own scales
        for column, card in zip(st.columns(len(cards)), cards, strict=True):
            with column:
                if card.metric == "nps":
                    nps_card(ov.nps, lang, key="overview_card_nps")
                else:
                    assert not isinstance(card.result, NpsResult)  # CSAT and CES cards hold means
                    mean_card(
                        card.metric, card.result, lang, key=f"overview_card_{card.metric}", scale=f"{card.scale[1]:g}"
                    )
        note = weights_note(scored, lang)
        if note:
            st.info(note, icon=":material/balance:")  # its values are numbers and escaped column names
        shown = [s for s in sections if s.key != "headline"]
        render_sections(shown, "overview", lang, columns=2)
        if not ws.has_crm:
            st.info(t("overview.no_crm", lang))
        with st.expander(t("periods.title", lang), icon=":material/compare_arrows:"):
            periods = period_picker(ws, lang, "overview_periods")
            if periods is not None:
                first, second = periods
                compared = memo_view(
                    "overview_periods",
                    ws,
                    (filters, min_n, periods),
                    lambda: compare_periods(ws, first, second, filters, min_n=min_n),
                )
                render_sections([period_scores_section(page.report(), compared)], "overview_periods", lang)
        with st.expander(t("ask.title", lang), icon=":material/question_answer:"):
            ask_box(page, "overview_ask")
        report_downloads(ws, filters, sections + pinned, "overview", lang, name="cx_overview")
