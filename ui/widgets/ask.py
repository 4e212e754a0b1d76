"""The Ask box, its answer card and "how I read your question" as editable chips (Ask and Overview pages).

A question is read by the core (offline, or by the LLM when configured and the person allows it),
answered by the core's views, and drawn here. Every text from the person or the data is shown as
text (``md_escape``, ``st.code``, ``st.text``); the SQL comes from the core, never from here.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from cx_core import t
from cx_core.ask import (
    ALL_DRIVERS,
    TIME_GROUPS,
    Answer,
    Compare,
    Period,
    QuerySpec,
    Reading,
    ThemeMembers,
    answer,
    group_text,
    measure_label,
    parse,
    parse_with_llm,
    preset_periods,
    spec_filters,
    suggestions,
    vocabulary,
)
from cx_core.errors import CXError
from cx_core.i18n_format import format_number
from cx_core.messages import dimension_label
from cx_core.report import ReportContext, Section, answer_section
from cx_core.themes import comments_from_workspace

from ..sync import state
from ..sync.session import memo_view
from ..sync.state import PageContext
from .codebook import themes_for
from .llm import cached_offline_themes, configured_llm, offline_themes
from .presenter import render_section
from .render import fmt_ci, md_escape

_STATE = "_cx_ask_state"  # {"question", "reading", "gen"}: the question on screen (per session)
_RECENT = "_cx_ask_recent"  # recent questions of a session without a saved workspace
_VOCAB = "_cx_ask_vocab"  # (workspace, version, vocabulary)
PINNED = state.ASK_PINNED
MAX_PINNED = 12


def _themes(page: PageContext) -> tuple[ThemeMembers, str]:
    """The themes the Themes page shows with no filter and every open question (the session's offline
    themes, coded by the workspace's saved codebook), and a tag naming the codebook version."""
    ws = page.ws
    comments = memo_view("ask_comments", ws, None, lambda: comments_from_workspace(ws))
    if not comments:
        return ThemeMembers(()), "none"
    engine = cached_offline_themes(comments)
    if engine is None:
        with st.spinner(t("ask.reading_themes", page.lang)):
            engine = offline_themes(comments)
    result, tag = themes_for(ws, comments, engine)
    return ThemeMembers.of(result), tag


def _vocab(page: PageContext):
    members, tag = _themes(page)
    cached = st.session_state.get(_VOCAB)
    if cached is not None and cached[0] is page.ws and cached[1] == (page.ws.version, tag, members.labels):
        return cached[2]
    vocab = vocabulary(page.ws, themes=members.labels, theme_words=members.words)
    st.session_state[_VOCAB] = (page.ws, (page.ws.version, tag, members.labels), vocab)
    return vocab


# --- recent questions (the store when this session's workspace is saved, else the session) -------------


def _remember(page: PageContext, question: str) -> None:
    from ..sync.identity import may_use_store, store_user
    from ..sync.workspaces import current, get_store

    recent = st.session_state.setdefault(_RECENT, [])
    if question in recent:
        recent.remove(question)
    recent.insert(0, question)
    del recent[10:]
    entry, store = current(), get_store()
    if entry is not None and store is not None and may_use_store():
        try:
            store.add_question(entry["id"], question, page.lang, user=store_user())
        except CXError:
            pass  # the session's list still has it; the store's absence is said on the Data page


def _recent(page: PageContext) -> list[str]:
    from ..sync.identity import may_use_store, store_user
    from ..sync.workspaces import current, get_store

    entry, store = current(), get_store()
    if entry is not None and store is not None and may_use_store():
        try:
            return store.recent_questions(entry["id"], 8, user=store_user())
        except CXError:
            pass
    return list(st.session_state.get(_RECENT, []))[:8]


# --- reading a question ------------------------------------------------------------------------------


def _read(page: PageContext, question: str, use_llm: bool) -> Reading:
    vocab = _vocab(page)
    reading = parse(question, vocab, page.lang)
    if not reading.understood and use_llm:
        config = configured_llm(page.lang)
        if config is not None:
            from cx_core.themes import Redactor, crm_names, make_client

            redactor = Redactor(crm_names(page.ws))
            read, _reason = parse_with_llm(question, vocab, make_client(config), config, page.lang, redactor)
            if read is not None:
                reading = read
    if not reading.understood:
        from dataclasses import replace

        reading = replace(reading, suggestions=tuple(suggestions(vocab, page.lang)))
    return reading


def _submit(page: PageContext, key: str, question: str | None = None) -> None:
    question = (question if question is not None else st.session_state.get(f"{key}_box", "")) or ""
    question = question.strip()[:500]
    if not question:
        return
    use_llm = bool(st.session_state.get(f"{key}_use_llm", False))
    previous = st.session_state.get(_STATE) or {}
    reading = _read(page, question, use_llm)
    st.session_state[_STATE] = {"question": question, "reading": reading, "gen": int(previous.get("gen", 0)) + 1}
    _remember(page, question)


# --- chips ---------------------------------------------------------------------------------------------


def _chips(page: PageContext, spec: QuerySpec, gen: int) -> QuerySpec:
    """The reading as widgets; what the person changes becomes the spec that is answered."""
    lang, vocab = page.lang, _vocab(page)
    key = f"ask_chip_{gen}"
    drivers = dict(vocab.drivers)
    measures = vocab.measure_names()
    measure = (
        st.pills(
            t("ask.chip_measure", lang),
            measures,
            default=spec.measure if spec.measure in measures else None,
            format_func=lambda m: md_escape(measure_label(m, lang, drivers)),  # pills read Markdown
            key=f"{key}_measure",
        )
        or spec.measure
    )
    groups_options = list(vocab.dimensions) + list(TIME_GROUPS)
    group_by: list[str] = []
    if measure != ALL_DRIVERS:
        group_by = list(
            st.pills(
                t("ask.chip_groups", lang),
                groups_options,
                selection_mode="multi",
                default=[g for g in spec.group_by if g in groups_options],
                format_func=lambda d: (
                    t(f"ask.grain_{d}", lang) if d in TIME_GROUPS else md_escape(dimension_label(d, lang))
                ),
                key=f"{key}_groups",
            )
            or []
        )[:2]
    filters: dict[str, list[str]] = {}
    shown = [d for d, _ in spec.filters if d in vocab.dimensions]
    filter_column, period_column, compare_column, order_column = st.columns(4)
    with filter_column:
        added = st.selectbox(
            t("ask.chip_add_filter", lang),
            [""] + [d for d in vocab.dimensions if d not in shown],
            format_func=lambda d: "—" if not d else dimension_label(d, lang),
            key=f"{key}_add_filter",
        )
        for dimension in shown + ([added] if added else []):
            values = vocab.values_of(dimension)
            picked = st.multiselect(
                md_escape(
                    t("ask.chip_filter", lang, dimension=dimension_label(dimension, lang))
                ),  # labels read Markdown
                list(values),
                default=[v for v in spec.filter_dict().get(dimension, []) if v in values],
                format_func=partial(group_text, dimension, lang=lang),
                key=f"{key}_filter_{dimension}",
            )
            if picked:
                filters[dimension] = picked
    presets = preset_periods(vocab)
    options: list[Period | None] = [
        None,
        *([spec.period] if spec.period and spec.period not in presets else []),
        *presets,
    ]
    with period_column:
        period = st.selectbox(
            t("ask.chip_period", lang),
            options,
            index=options.index(spec.period) if spec.period in options else 0,
            format_func=lambda p: t("ask.period_all", lang) if p is None else _period_label(p),
            key=f"{key}_period",
        )
    with compare_column:
        compare = _compare_chip(page, spec, key)
    themes: list[str] = []
    if vocab.themes:
        theme_labels = dict(vocab.themes)
        themes = st.multiselect(
            md_escape(t("ask.chip_themes", lang)),
            list(theme_labels),
            default=[i for i in spec.themes if i in theme_labels],
            format_func=lambda i: theme_labels.get(i, i),  # options are shown as text
            key=f"{key}_themes",
        )
    with order_column:
        order = st.pills(
            t("ask.chip_order", lang),
            ["asc", "desc"],
            default=spec.order,
            format_func=lambda o: t(f"ask.order_{o}", lang),
            key=f"{key}_order",
        )
    return QuerySpec(
        measure=measure,
        group_by=tuple(group_by),
        filters=tuple((d, tuple(v)) for d, v in sorted(filters.items())),
        period=period if not (compare and compare.periods) else None,
        compare=compare,
        order=order,
        top=spec.top,
        themes=tuple(themes),
    )


def _period_label(period: Period) -> str:
    first = period.start.isoformat() if period.start else "…"
    last = period.end.isoformat() if period.end else "…"
    return f"{first} – {last}"


def _compare_chip(page: PageContext, spec: QuerySpec, key: str) -> Compare | None:
    lang, vocab = page.lang, _vocab(page)
    current = spec.compare
    if current is not None and current.periods:
        keep = st.toggle(
            t("ask.chip_compare", lang) + ": " + md_escape(" vs ".join(_period_label(p) for p in current.periods)),
            value=True,
            key=f"{key}_compare_periods",
        )
        return current if keep else None
    dims = [""] + list(vocab.dimensions)
    chosen = st.selectbox(
        t("ask.chip_compare", lang),
        dims,
        index=dims.index(current.dimension) if current is not None and current.dimension in dims else 0,
        format_func=lambda d: t("ask.compare_none", lang) if not d else dimension_label(d, lang),
        key=f"{key}_compare_dimension",
    )
    if not chosen:
        return None
    values = vocab.values_of(chosen)
    default = [
        v for v in (current.values if current is not None and current.dimension == chosen else ()) if v in values
    ]
    picked = st.multiselect(
        md_escape(t("ask.chip_compare", lang) + ": " + dimension_label(chosen, lang)),
        list(values),
        default=default or list(values[:2]),
        format_func=lambda v: group_text(chosen, v, lang),
        key=f"{key}_compare_values_{chosen}",
    )
    return Compare(dimension=chosen, values=tuple(picked)) if len(picked) >= 2 else None


# --- the answer card -----------------------------------------------------------------------------------


def answer_for(page: PageContext, question: str, spec: QuerySpec, guesses: tuple[str, ...] = ()) -> Answer:
    """The answer to ``spec``; ``guesses`` are what reading the question assumed (shown with it)."""
    themes = _themes(page)[0] if spec.themes else None
    reading = Reading(question, True, spec, guesses)
    return answer(page.ws, reading, lang=page.lang, min_n=page.min_n, themes=themes)


def section_of(page: PageContext, result: Answer, key: str = "ask") -> Section | None:
    vocab = _vocab(page)
    themes = _themes(page)[0] if result.spec.themes else None
    ctx = ReportContext(page.ws, spec_filters(result.spec, themes, page.ws), page.lang, page.min_n)
    return answer_section(ctx, result, measure_label(result.spec.measure, page.lang, dict(vocab.drivers)), key)


def _card(page: PageContext, result: Answer, key: str) -> None:
    lang = page.lang
    with st.container(border=True, key=f"{key}_answer"):
        if not result.understood:
            st.warning(md_escape(result.message))
            if result.reading.suggestions:
                st.caption(t("ask.suggestions", lang))
                for i, suggestion in enumerate(result.reading.suggestions):
                    st.button(
                        md_escape(suggestion),
                        key=f"{key}_suggestion_{i}",
                        on_click=_submit,
                        args=(page, key, suggestion),
                    )
            return
        st.subheader(md_escape(result.message), anchor=False)
        if len(result.rows) == 1:  # one figure: said big, with its n and interval under it
            row = result.rows[0]
            name = measure_label(result.spec.measure, lang, dict(_vocab(page).drivers))
            digits = 0 if result.spec.measure == "nps" else 2
            st.metric(md_escape(name), format_number(row.value, lang, digits=digits, sign=digits == 0))
            st.caption(t("metric.n", lang, n=f"{row.n:,}") + " · " + fmt_ci(row.ci95, lang, digits=digits))
        if result.difference is not None and result.difference.tested:
            st.caption(t("ask.clear" if result.difference.clear else "ask.unclear", lang))
        if result.reading.guesses:
            st.caption(md_escape(t("ask.guesses", lang) + ": " + "; ".join(result.reading.guesses)))
        section = section_of(page, result, key=f"{key}_section")
        if section is not None:
            render_section(section, key, lang, exports=False)
        with st.expander(t("ask.show_sql", lang)):
            st.caption(t("ask.sql_help", lang))
            for statement in result.sql:
                st.code(statement, language="sql")


def _pin(question: str, spec: QuerySpec) -> None:
    pinned = st.session_state.setdefault(PINNED, [])
    item = (question, spec.to_dict())
    if item not in pinned:
        pinned.append(item)
        del pinned[:-MAX_PINNED]


def _unpin(index: int) -> None:
    pinned = st.session_state.get(PINNED, [])
    if 0 <= index < len(pinned):
        pinned.pop(index)


def pinned_sections(page: PageContext) -> list[Section]:
    """The pinned answers as report sections, recomputed on this session's data (presenter mode, reports)."""
    sections = []
    for i, (question, spec) in enumerate(st.session_state.get(PINNED, [])):
        try:
            result = answer_for(page, question, QuerySpec.from_dict(spec))
        except CXError:
            continue  # a pin about data that is no longer loaded
        section = section_of(page, result, key=f"ask_pinned_{i}")
        if section is not None:
            sections.append(section)
    return sections


def ask_box(page: PageContext, key: str = "ask", *, chips: bool = True) -> None:
    """The question box, the answer card and the editable reading (``key`` keeps two boxes apart)."""
    lang = page.lang
    with st.form(f"{key}_form", border=False):
        left, right = st.columns([5, 1], vertical_alignment="bottom")
        left.text_input(t("ask.box", lang), key=f"{key}_box", placeholder=t("ask.box_placeholder", lang), max_chars=500)
        right.form_submit_button(t("ask.submit", lang), on_click=_submit, args=(page, key), width="stretch")
    if configured_llm(lang) is not None:
        st.toggle(t("ask.use_llm", lang), key=f"{key}_use_llm")
    current = st.session_state.get(_STATE)
    if not current:
        return
    reading: Reading = current["reading"]
    spec = reading.spec
    card = st.container()  # the answer first, the reading under it (filled once the chips are read)
    if reading.understood and chips:
        with st.expander(t("ask.reading", lang), expanded=True):
            st.caption(t("ask.reading_help", lang))
            if reading.source == "llm":
                st.caption(t("ask.llm_used", lang))
            spec = _chips(page, spec, current["gen"])
    if reading.understood:  # what the reading assumed stays said while the chips it made are kept
        result = answer_for(page, current["question"], spec, reading.guesses if spec == reading.spec else ())
    else:
        result = answer(page.ws, reading, lang=lang)
    with card:
        _card(page, result, key)
    if result.understood and result.rows:
        card.button(
            t("ask.pin", lang),
            key=f"{key}_pin",
            icon=":material/push_pin:",
            on_click=_pin,
            args=(current["question"], spec),
        )


def recent_list(page: PageContext, key: str = "ask") -> None:
    lang = page.lang
    st.subheader(t("ask.recent", lang), anchor=False)
    recent = _recent(page)
    if not recent:
        st.caption(t("ask.recent_none", lang))
    for i, question in enumerate(recent):
        st.button(md_escape(question), key=f"{key}_recent_{i}", on_click=_submit, args=(page, key, question))


def pinned_list(page: PageContext) -> None:
    lang = page.lang
    pinned = st.session_state.get(PINNED, [])
    if not pinned:
        return
    st.subheader(t("ask.pinned_heading", lang), anchor=False)
    for i, (question, _spec) in enumerate(pinned):
        left, right = st.columns([6, 1], vertical_alignment="center")
        left.text(question)
        right.button(t("ask.unpin", lang), key=f"ask_unpin_{i}", on_click=_unpin, args=(i,))
