"""Download widgets: every chart as PNG/SVG, every table as CSV/XLSX, the current view as a report.

Files are made only when the button is clicked (Streamlit runs the callable then), so pages stay
fast. The callables only use data passed in (no session state, no database connection), so they
are safe to run on Streamlit's download thread.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from cx_core import Filters, Workspace, t
from cx_core.export import to_csv_bytes, to_xlsx_bytes
from cx_core.report import Section, build_report, chart_png, chart_svg, render_html, render_pptx

from ..sync import state
from .render import md_escape

_UNSAFE_NAME = re.compile(r"[^\w.-]+")


def safe_file_name(name: str) -> str:
    """A file name from a label: letters, digits, ``_``, ``.``, ``-`` only."""
    return _UNSAFE_NAME.sub("_", str(name)).strip("._")[:80] or "export"


def table_downloads(df: pd.DataFrame, name: str, key: str, lang: str) -> None:
    """CSV and XLSX buttons for ``df`` (formula injection neutralised); keys ``{key}_csv``, ``{key}_xlsx``."""
    frame = df.copy()
    base = safe_file_name(name)
    st.download_button(
        t("present.download_csv", lang),
        lambda: to_csv_bytes(frame),
        file_name=f"{base}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/table:",
        width="stretch",
    )
    st.download_button(
        t("present.download_xlsx", lang),
        lambda: to_xlsx_bytes(frame, base),
        file_name=f"{base}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
        icon=":material/table:",
        width="stretch",
    )


def chart_downloads(spec: dict, name: str, key: str, lang: str) -> None:
    """PNG and SVG buttons for a Vega-Lite ``spec``, rendered on the server with a Japanese font."""
    base = safe_file_name(name)
    st.download_button(
        t("present.download_png", lang),
        lambda: chart_png(spec),
        file_name=f"{base}.png",
        mime="image/png",
        key=f"{key}_png",
        on_click="ignore",
        icon=":material/image:",
        width="stretch",
    )
    st.download_button(
        t("present.download_svg", lang),
        lambda: chart_svg(spec).encode("utf-8"),
        file_name=f"{base}.svg",
        mime="image/svg+xml",
        key=f"{key}_svg",
        on_click="ignore",
        icon=":material/image:",
        width="stretch",
    )


def section_downloads(
    chart: dict | None, table: pd.DataFrame | None, name: str, key: str, section: str, lang: str
) -> None:
    """One download menu for a section: PNG/SVG of its chart and CSV/XLSX of its table.

    Widget keys are ``{key}_dl_chart_{section}_png`` ... ``{key}_dl_table_{section}_xlsx``.
    """
    if chart is None and (table is None or table.empty):
        return
    with st.popover(t("display.download", lang), icon=":material/download:", key=f"{key}_dl_menu_{section}"):
        if chart is not None:
            chart_downloads(chart, name, f"{key}_dl_chart_{section}", lang)
        if table is not None and not table.empty:
            table_downloads(table, name, f"{key}_dl_table_{section}", lang)


def report_downloads(
    ws: Workspace, filters: Filters, sections: list[Section], key: str, lang: str, name: str = "cx_report"
) -> None:
    """One-click HTML and PPTX reports of ``sections`` (the current view), filters/date/n on each slide."""
    report = build_report(ws, filters, lang=lang, prebuilt=sections)  # numbers computed now, files on click
    base = safe_file_name(name)
    st.subheader(t("present.report_heading", lang), anchor=False)
    st.caption(t("present.report_help", lang) + " " + t("present.link_help", lang))
    left, right = st.columns(2)
    left.download_button(
        t("present.report_html", lang),
        lambda: render_html(report),
        file_name=f"{base}.html",
        mime="text/html",
        key=f"{key}_report_html",
        on_click="ignore",
        type="primary",
    )
    right.download_button(
        t("present.report_pptx", lang),
        lambda: render_pptx(report),
        file_name=f"{base}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        key=f"{key}_report_pptx",
        on_click="ignore",
    )


ROLE_WEIGHTS_KEY = state.ROLE_WEIGHTS
DRIVER_CATALOGUE_KEY = state.DRIVER_CATALOGUE


def workspace_file_widgets(lang: str) -> None:
    """Save this session's workspace as one file, or open a saved one (for the Data page)."""
    import dataclasses

    from cx_core.workspace_file import FILE_SUFFIX, FOLLOW_UP_TABLE, attach_table, open_workspace_file
    from cx_core.workspace_file import save_workspace_file as save

    from ..sync.session import dataset_name, set_workspace
    from ..sync.workspaces import get_workspace

    ws = get_workspace()
    role_weights = st.session_state.get(ROLE_WEIGHTS_KEY)
    catalogue = st.session_state.get(DRIVER_CATALOGUE_KEY)
    name = dataset_name()

    def saved_bytes() -> bytes:
        # Runs on Streamlit's download thread: use a cursor of our own, not the page's connection.
        cursor = ws.con.cursor()
        try:
            return save(
                dataclasses.replace(ws, con=cursor), dataset=name, role_weights=role_weights, driver_catalogue=catalogue
            )
        finally:
            cursor.close()

    st.subheader(t("present.ws_heading", lang), anchor=False)
    st.caption(t("present.ws_help", lang))
    st.download_button(
        t("present.ws_download", lang),
        saved_bytes,
        file_name=f"cx_workspace{FILE_SUFFIX}",
        mime="application/zip",
        key="data_workspace_download",
        on_click="ignore",
    )
    upload = st.file_uploader(t("present.ws_upload", lang), type=["cxw", "zip"], key="data_workspace_upload")
    if upload is not None and st.button(t("present.ws_open_button", lang), key="data_workspace_open"):
        saved = open_workspace_file(upload.getvalue(), filename=upload.name)
        restored = set_workspace(saved.loaded, "workspace")
        if saved.follow_up_notes is not None:
            attach_table(restored, FOLLOW_UP_TABLE, saved.follow_up_notes)
        for key, value in ((ROLE_WEIGHTS_KEY, saved.role_weights), (DRIVER_CATALOGUE_KEY, saved.driver_catalogue)):
            if value is not None:
                st.session_state[key] = value
            else:
                st.session_state.pop(key, None)
        st.success(
            t(
                "present.ws_opened",
                lang,
                responses=f"{restored.response_count():,}",
                saved=md_escape(format_saved(saved.saved_at, lang)),
            )
        )


def format_saved(saved_at: str, lang: str) -> str:
    from cx_core.i18n_format import format_date

    return format_date(saved_at[:10], lang) if saved_at else "—"


def page_downloads(figures: list[tuple[str, str, dict | None, pd.DataFrame | None]], key: str, lang: str) -> None:
    """Every chart (PNG, SVG) and table (CSV, XLSX) of a page, in one download menu.

    ``figures`` are ``(name, label, Vega-Lite spec or None, table or None)``; widget keys are
    ``{key}_dl_chart_{name}_png`` ... ``{key}_dl_table_{name}_xlsx``.
    """
    shown = [f for f in figures if f[2] is not None or (f[3] is not None and not f[3].empty)]
    if not shown:
        return
    with st.popover(t("rsec.downloads_heading", lang), icon=":material/download:", key=f"{key}_dl_menu_page"):
        for name, label, chart, table in shown:
            st.markdown(f"**{md_escape(label)}**")
            base = f"{key}_{name}"
            if chart is not None:
                chart_downloads(chart, base, f"{key}_dl_chart_{name}", lang)
            if table is not None and not table.empty:
                table_downloads(table, base, f"{key}_dl_table_{name}", lang)
