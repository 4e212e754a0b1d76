"""Presenter mode and shareable links.

- :func:`init_from_url` (called once by ``app.py`` before anything is drawn) reads ``?present=1``
  and ``?lang=ja`` from the link, and otherwise defaults the language to the browser's.
- :func:`render_presenter_switch` draws the switch in the sidebar and keeps the link in sync.
- :func:`render_sections` shows report sections: all of them with their exports normally, one
  insight per screen with previous/next in presenter mode. A page adopts presenter mode with it::

      sections = build_sections(ReportContext(ws, filters, lang), ["by_segment", "by_role"])
      render_sections(sections, "segments", lang)

- :func:`controls` wraps a page's widgets so presenter mode hides them (their values are kept).

The only HTML written here is the constant CSS below: never any user text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from cx_core import t
from cx_core.i18n_format import title_detail
from cx_core.messages import LANGUAGES
from cx_core.report import Section
from cx_core.report.charts import wrap_text
from cx_core.report.sections import section_cells

from ..sync import state
from .export import section_downloads
from .glossary import glossary_expander
from .render import md_escape, show_section_table
from .slide_charts import readable_axes, slide_chart

__all__ = [
    "caption_px",
    "controls",
    "init_from_url",
    "md_escape",
    "on_first_slide",
    "presenter_active",
    "render_presenter_switch",
    "render_sections",
]

PRESENTER_KEY = state.PRESENTER
LANGUAGE_KEY = state.LANGUAGE
_URL_READ_KEY = state.URL_READ

# Constant CSS (no user text): hide the sidebar, header and controls; enlarge text and figures.
_PRESENTER_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="collapsedControl"],
header[data-testid="stHeader"], [data-testid="stToolbar"], div[class*="st-key-ctl_"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { max-width: 100% !important; padding: 1rem 3rem !important; }
[data-testid="stMarkdownContainer"] p { font-size: 1.45rem !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1.2rem !important; }
h1 { font-size: 2rem !important; padding: 0 !important; } h2 { font-size: 2.1rem !important; padding: 0 !important; }
h3 { font-size: 1.8rem !important; }
div.st-key-presenter_exit { position: fixed !important; top: 0.6rem; right: 1rem; z-index: 1000; width: auto !important; }
[data-testid="stMetricValue"] { font-size: 2.4rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
div.st-key-big_numbers [data-testid="stMetricValue"] { font-size: 6rem !important; }
div.st-key-big_numbers [data-testid="stMetricLabel"] p { font-size: 1.8rem !important; }
[data-testid="stDataFrame"] { font-size: 1.3rem !important; }
</style>
"""


def _browser_language() -> str | None:
    try:
        locale = st.context.locale
    except Exception:  # noqa: BLE001 - older Streamlit or no browser (tests): no preference
        return None
    if isinstance(locale, str) and locale.lower().startswith("ja"):
        return "ja"
    if isinstance(locale, str) and locale:
        return "en"
    return None


def init_from_url() -> None:
    """On a session's first run: presenter mode and language from the link, else the browser's language."""
    if st.session_state.get(_URL_READ_KEY):
        return
    st.session_state[_URL_READ_KEY] = True
    params = st.query_params
    if params.get("present") in ("1", "true", "yes"):
        st.session_state[PRESENTER_KEY] = True
    wanted = params.get("lang")
    if wanted in LANGUAGES:
        st.session_state[LANGUAGE_KEY] = wanted
    elif LANGUAGE_KEY not in st.session_state:
        browser = _browser_language()
        if browser in LANGUAGES:
            st.session_state[LANGUAGE_KEY] = browser


def presenter_active() -> bool:
    return bool(st.session_state.get(PRESENTER_KEY, False))


def _set_param(name: str, value: str | None) -> None:
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def _exit_presenter() -> None:
    st.session_state[PRESENTER_KEY] = False


def _keep_across_pages() -> None:
    # Streamlit forgets a widget's value when another page draws "the same" widget; writing the
    # value back under its key before the widget is drawn carries it over (the documented trick).
    for key in (LANGUAGE_KEY, PRESENTER_KEY):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def render_presenter_switch() -> bool:
    """The presenter-mode switch (first thing in the sidebar); keeps ``present`` and ``lang`` in the link.

    Also keeps the language and presenter mode when moving between pages.
    """
    _keep_across_pages()
    lang = st.session_state.get(LANGUAGE_KEY, "en")
    st.sidebar.toggle(t("present.switch", lang), key=PRESENTER_KEY, help=t("present.switch_help", lang))
    active = presenter_active()
    _set_param("present", "1" if active else None)
    _set_param("lang", lang if lang in LANGUAGES else None)
    if active:
        # The sidebar is hidden in presenter mode, and every page needs a visible way out: the exit
        # control goes to the main area, so call this outside any ``with st.sidebar:`` block
        # (inside one, even ``st._main`` draws into the sidebar).
        st.html(_PRESENTER_CSS)
        st.button(t("present.exit", lang), key="presenter_exit", on_click=_exit_presenter, icon=":material/close:")
    return active


@contextmanager
def controls(key: str) -> Iterator[None]:
    """A container for a page's widgets that presenter mode hides (values are kept)."""
    with st.container(key=f"ctl_{key}"):
        yield


def _detail(section: Section, lang: str) -> str:
    return title_detail(section.n, section.filters_text, lang)


def render_section(
    section: Section, key: str, lang: str, *, big: bool = False, exports: bool = True, reserve: int = 0
) -> None:
    """One section: a one-line heading, its chart, its notes and one download menu.

    Normally the chart's title states the finding, n and filters, and the numbers behind it wait in
    an expander (the chart says it all); a section without a chart shows its finding as a heading
    and its table. In presenter mode (``big``): one headline, one big chart (or the table), one sentence.
    """
    has_table = section.table is not None and not section.table.empty
    table_key = f"{key}_table_{section.key}"
    if big:
        st.header(md_escape(section.finding), anchor=False)
        st.caption(md_escape(_detail(section, lang)))
        if section.chart:
            screen, room = readable_axes(section.chart), _chart_room(section, reserve)
            drawn = slide_chart(screen, room)
            if drawn.left_out:  # the caption saying so takes room too
                drawn = slide_chart(screen, room - _MORE_ROWS_PX)
            spec = drawn.spec
            st.vega_lite_chart(spec, width="stretch", height=spec["height"], key=f"{key}_chart_{section.key}")
            if drawn.left_out:
                st.caption(
                    t(
                        "present.more_rows",
                        lang,
                        shown=int(drawn.shown),
                        total=int(drawn.total),
                        more=int(drawn.left_out),
                    )
                )
        elif section.key == "headline" and has_table:
            _big_numbers(section, lang)
        elif has_table:  # rows past the screen scroll inside the table, not the slide
            show_section_table(section, table_key, lang, height=_chart_room(section, reserve))
        if section.notes and _note_lines(section) > _NOTE_LINES:
            with st.expander(t("present.note", lang)):  # a long method note would take the chart's room
                st.markdown(md_escape(section.notes[0]))
        elif section.notes:
            st.markdown(md_escape(section.notes[0]))
        return
    if section.chart:
        spec = readable_axes(section.chart)
        st.vega_lite_chart(spec, width="stretch", key=f"{key}_chart_{section.key}")
        if has_table:
            with st.expander(t("display.show_table", lang)):
                show_section_table(section, table_key, lang)
    else:
        st.subheader(md_escape(section.finding), anchor=False)
        st.caption(md_escape(_detail(section, lang)))
        if has_table:
            show_section_table(section, table_key, lang)
    for note in section.notes:
        st.caption(md_escape(note))
    glossary_expander(section, lang)
    if exports:
        section_downloads(
            section.chart, section.table if has_table else None, f"{key}_{section.key}", key, section.key, lang
        )


#: What a 1280x720 window spends on a slide besides its headline, chart and note (px): the page's
#: title, the slide's n line, previous/next, paddings and the gaps between them.
_SLIDE_CHROME = 270
_SLIDE_WIDTH = 1180  # the main column at 1280 px with presenter mode's paddings
_HEADLINE_PX, _NOTE_PX = 34, 23  # h2 and paragraph sizes of the presenter CSS
_MORE_ROWS_PX = 40
_CAPTION_PX = 19  # captions in presenter mode (1.2rem)
_NOTE_LINES = 2  # a longer note waits in an expander under the chart
_NOTE_EXPANDER_PX = 56  # the caption saying how many rows a chart left out


def _note_lines(section: Section) -> int:
    return len(wrap_text(section.notes[0], _SLIDE_WIDTH, _NOTE_PX)) if section.notes else 0


def caption_px(*texts: str) -> int:
    """Pixels that captions of ``texts`` take above a slide (presenter mode's caption size), for
    :func:`render_sections`' ``above``."""
    return sum(len(wrap_text(text, _SLIDE_WIDTH, _CAPTION_PX)) * round(_CAPTION_PX * 1.6) + 16 for text in texts)


def _chart_room(section: Section, reserve: int = 0) -> int:
    """The chart height that leaves the headline, its note and previous/next on a 1280x720 screen
    (and ``reserve`` px for what the page shows above the slide)."""
    headline = len(wrap_text(section.finding, _SLIDE_WIDTH, _HEADLINE_PX))
    note = _note_lines(section)
    note_px = _NOTE_EXPANDER_PX if note > _NOTE_LINES else round(note * _NOTE_PX * 1.6)
    room = 720 - _SLIDE_CHROME - round(headline * _HEADLINE_PX * 1.3) - note_px
    return max(120, room - reserve)


def _big_numbers(section: Section, lang: str) -> None:
    """The headline slide: each score as one big number (its interval and n are in the sentence above)."""
    columns, rows = section_cells(section, lang)  # each score written as on every other edge
    score = [c.header for c in columns].index(t("present.col_score", lang))
    cells = st.container(key="big_numbers").columns(len(rows))
    for cell, row in zip(cells, rows, strict=True):
        cell.metric(md_escape(row[0]), row[score])


def on_first_slide(key: str) -> bool:
    """Whether presenter mode shows the first of the ``key`` sections (a page may show its header
    there only, so the later slides keep the whole screen)."""
    if f"{key}_slide" in st.session_state:
        return int(st.session_state[f"{key}_slide"]) <= 0
    return st.query_params.get("slide", "1") == "1"  # a link to a slide, before its first run


def _slide_index(key: str, total: int) -> int:
    state_key = f"{key}_slide"
    if state_key not in st.session_state:
        try:
            st.session_state[state_key] = int(st.query_params.get("slide", "1")) - 1
        except ValueError:
            st.session_state[state_key] = 0
    index = min(max(int(st.session_state[state_key]), 0), max(total - 1, 0))
    st.session_state[state_key] = index
    return index


def _step(key: str, delta: int, total: int) -> None:
    state_key = f"{key}_slide"
    st.session_state[state_key] = min(max(st.session_state.get(state_key, 0) + delta, 0), total - 1)


def render_sections(
    sections: list[Section], key: str, lang: str, *, columns: int = 1, reserve: int = 0, above: int = 0
) -> None:
    """All sections with exports; in presenter mode one section per screen with previous/next
    (``reserve``: px the page shows above the first slide, ``above``: above every slide (see
    :func:`caption_px`); the slide's chart or table leaves them free)."""
    if not sections:
        return
    if not presenter_active():
        _set_param("slide", None)
        for start in range(0, len(sections), columns):
            row = sections[start : start + columns]
            cells = st.columns(len(row)) if len(row) > 1 else [st.container()]
            for cell, section in zip(cells, row, strict=True):
                with cell:
                    render_section(section, key, lang)
        return
    total = len(sections)
    index = _slide_index(key, total)
    _set_param("slide", str(index + 1))
    render_section(sections[index], key, lang, big=True, reserve=above + (reserve if index == 0 else 0))
    back, position, forward = st.columns([1, 2, 1])
    back.button(
        t("present.previous", lang),
        key=f"{key}_previous",
        on_click=_step,
        args=(key, -1, total),
        disabled=index == 0,
        width="stretch",
    )
    position.markdown(t("present.position", lang, current=int(index + 1), total=int(total)))
    forward.button(
        t("present.next", lang),
        key=f"{key}_next",
        on_click=_step,
        args=(key, 1, total),
        disabled=index >= total - 1,
        width="stretch",
    )
