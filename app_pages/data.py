"""Data: what is loaded, the mapping, rejected rows, and uploading your own survey and CRM files."""

import hashlib
import json

import pandas as pd
import streamlit as st

from cx_core import Mapping, t
from cx_core.drivers import apply_catalogue
from cx_core.ingest import list_sheets, load_mapping_file, rejected_rows_csv
from cx_core.ingest.dimensions import readable_name
from cx_core.schema import CRM_FIELDS, SURVEY_FIELDS, make_driver
from cx_core.summary import join_report
from ui import state
from ui.cases import render_cases_upload
from ui.catalogue import session_catalogue
from ui.export import workspace_file_widgets
from ui.input_notices import localise_rejections, render_input_notices
from ui.render import guard
from ui.session import dataset_name, get_workspace, language, load_data, preview_for_upload, set_workspace
from ui.sidebar import render_sidebar
from ui.workspaces import workspaces_panel

render_sidebar()
lang = language()
st.title(t("data.title", lang))

UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "xlsm"]


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mapping_editor(kind: str, preview, suggested: Mapping) -> Mapping:
    """Selectboxes to confirm or override the suggested mapping (question text shown when it helps)."""
    none = t("data.not_mapped", lang)
    columns = preview.columns
    options = [none, *columns]

    def label(column: str) -> str:
        question = preview.questions.get(column, "")
        if column == none or not question or _short(question) == _short(column):
            return _short(column)
        return f"{_short(column, 40)} · {_short(question, 70)}"

    fields = {}
    names = SURVEY_FIELDS if kind == "survey" else CRM_FIELDS
    cols = st.columns(3)
    for i, name in enumerate(names):
        current = suggested.fields.get(name)
        with cols[i % 3]:
            choice = st.selectbox(
                t(f"field.{name}", lang),
                options,
                index=options.index(current) if current in columns else 0,
                format_func=label,
                key=f"data_map_{kind}_{name}",
            )
        fields[name] = None if choice == none else choice
    drivers = []
    if kind == "survey":
        used = {c for c in fields.values() if c}
        candidates = [c for c in columns if c not in used]
        suggested_labels = {d["column"]: d for d in suggested.drivers}
        default = [c for c in suggested_labels if c in candidates]
        chosen = st.multiselect(
            t("data.driver_columns", lang),
            candidates,
            default=default,
            format_func=label,
            key="data_map_survey_drivers",
        )
        for column in chosen:
            # the label and need of an uploaded (or suggested) mapping stay; new columns get suggestions
            known = suggested_labels.get(column, {})
            driver_label = known.get("label") or column
            driver = make_driver(driver_label, preview.questions.get(column, ""), need=known.get("need"))
            drivers.append({"column": column, "label": driver_label, "need": driver.need, "category": driver.category})
    used = {c for c in fields.values() if c} | {d["column"] for d in drivers}
    free = [c for c in columns if c not in used]
    suggested_dimensions = {d["column"]: d for d in suggested.dimensions}
    chosen_dimensions = st.multiselect(
        t("data.dimension_columns", lang),
        free,
        default=[c for c in suggested_dimensions if c in free],
        format_func=label,
        help=t("data.dimension_help", lang),
        key=f"data_map_{kind}_dimensions",
    )
    dimensions = [
        {"column": c, "name": suggested_dimensions.get(c, {}).get("name") or readable_name(c)}
        for c in chosen_dimensions
    ]
    return Mapping(kind=kind, fields=fields, drivers=drivers, dimensions=dimensions)


def sheet_choice(data: bytes, name: str, kind: str) -> str | None:
    """A sheet selectbox for Excel workbooks (first sheet by default); None for text files."""
    if not name.lower().endswith((".xlsx", ".xlsm")) and not data.startswith(b"PK\x03\x04"):
        return None
    sheets = list_sheets(data)
    if len(sheets) <= 1:
        return sheets[0] if sheets else None
    return st.selectbox(t(f"data.sheet_{kind}", lang), sheets, key=f"data_sheet_{kind}")


def forget_old_mapping_widgets(*parts: bytes | None) -> None:
    """New files: drop the previous files' mapping choices so suggestions for the new ones show."""
    digest = hashlib.sha256(b"".join(hashlib.sha256(p or b"").digest() for p in parts)).hexdigest()
    if st.session_state.get("data_upload_digest") != digest:
        for key in [k for k in st.session_state if str(k).startswith("data_map_")]:
            del st.session_state[key]
        st.session_state["data_upload_digest"] = digest


with guard(lang):
    st.subheader(t("data.upload", lang))
    st.caption(t("data.upload_help", lang))
    up1, up2 = st.columns(2)
    survey_file = up1.file_uploader(t("data.upload_survey", lang), type=UPLOAD_TYPES, key="data_upload_survey")
    crm_file = up2.file_uploader(t("data.upload_crm", lang), type=UPLOAD_TYPES, key="data_upload_crm")
    mapping_file = st.file_uploader(t("data.upload_mapping", lang), type=["json"], key="data_upload_mapping")
    if survey_file is not None:
        survey_bytes = survey_file.getvalue()
        crm_bytes = crm_file.getvalue() if crm_file is not None else None
        crm_name = crm_file.name if crm_file is not None else None
        mapping_bytes = mapping_file.getvalue() if mapping_file is not None else None
        forget_old_mapping_widgets(survey_bytes, crm_bytes, mapping_bytes)
        survey_sheet = sheet_choice(survey_bytes, survey_file.name, "survey")
        crm_sheet = sheet_choice(crm_bytes, crm_name, "crm") if crm_bytes is not None else None
        survey_preview, crm_preview = preview_for_upload(
            survey_bytes, survey_file.name, crm_bytes, crm_name, survey_sheet, crm_sheet
        )
        saved = load_mapping_file(mapping_bytes.decode("utf-8", errors="replace")) if mapping_bytes else {}
        survey_suggested = saved.get("survey") or survey_preview.mapping
        survey_suggested.check_against(survey_preview.columns)
        crm_suggested = None
        if crm_preview is not None:
            crm_suggested = saved.get("crm") or crm_preview.mapping
            crm_suggested.check_against(crm_preview.columns)
        if saved:
            st.info(t("data.mapping_applied", lang))
        with st.expander(t("data.confirm_mapping", lang), expanded=True):
            st.caption(
                t(
                    "data.detected",
                    lang,
                    format=survey_preview.format,
                    encoding=survey_preview.encoding,
                    rows=survey_preview.rows_read,
                )
            )
            survey_mapping = mapping_editor("survey", survey_preview, survey_suggested)
            crm_mapping = None
            if crm_preview is not None:
                st.divider()
                st.caption(
                    t(
                        "data.detected",
                        lang,
                        format=crm_preview.format,
                        encoding=crm_preview.encoding,
                        rows=crm_preview.rows_read,
                    )
                )
                crm_mapping = mapping_editor("crm", crm_preview, crm_suggested)
        if st.button(t("data.load_button", lang), type="primary", key="data_load_button"):
            loaded = load_data(
                survey_bytes,
                survey_file.name,
                crm_bytes,
                crm_name,
                survey_mapping=survey_mapping,
                crm_mapping=crm_mapping,
                survey_sheet=survey_sheet,
                crm_sheet=crm_sheet,
            )
            set_workspace(loaded, "upload")
            report = loaded.survey_report
            st.success(
                t(
                    "data.loaded_ok",
                    lang,
                    loaded=report.rows_loaded,
                    read=report.rows_read,
                    rejected=report.rows_rejected,
                )
            )
            st.page_link("app_pages/overview.py", label=t("data.open_overview", lang), icon=":material/speed:")
    if dataset_name() != "sample" and st.button(t("data.back_to_sample", lang), key="data_back_to_sample"):
        st.session_state.pop(state.WORKSPACE, None)
        st.rerun()

with guard(lang):
    workspace_file_widgets(lang)

with guard(lang):
    workspaces_panel(lang)  # saved workspaces: save as, open, delete (ui/workspaces.py)

with guard(lang):
    render_cases_upload(get_workspace(), lang)

with guard(lang):
    ws = get_workspace()
    st.subheader(t("data.loaded", lang))
    st.dataframe(
        pd.DataFrame(
            {
                t("data.file", lang): [r.path for r in ws.reports],
                t("data.kind", lang): [r.kind for r in ws.reports],
                t("data.format", lang): [r.format for r in ws.reports],
                t("data.sheet", lang): [r.sheet or "" for r in ws.reports],
                t("data.encoding", lang): [r.encoding for r in ws.reports],
                t("data.header_rows", lang): [r.header_rows for r in ws.reports],
                t("data.rows_read", lang): [r.rows_read for r in ws.reports],
                t("data.rows_loaded", lang): [r.rows_loaded for r in ws.reports],
                t("data.rows_rejected", lang): [r.rows_rejected for r in ws.reports],
            }
        ),
        hide_index=True,
        key="data_table_reports",
    )
    render_input_notices(ws.reports, lang)
    notes = [note for r in ws.reports for note in r.notes]
    if notes:
        st.info("\n".join(f"- {note}" for note in notes))
    join = join_report(ws)
    if join:
        st.write(t("data.join", lang, **{k: join[k] for k in ("responses", "matched", "unmatched")}))
        if join["unmatched_account_ids"]:
            with st.expander(t("data.unmatched_ids", lang)):
                ids = join["unmatched_account_ids"]
                if len(ids) >= 200:
                    st.caption(t("data.unmatched_more", lang, shown=len(ids)))
                st.dataframe(
                    pd.DataFrame({t("field.account_id", lang): ids}), hide_index=True, key="data_table_unmatched"
                )

    st.subheader(t("data.rejected_title", lang))
    rejected = ws.rejected_rows()
    rejected = localise_rejections(rejected, ws.reports, lang)
    if rejected.empty:
        st.caption(t("data.rejected_none", lang))
    else:
        shown = rejected.rename(
            columns={"file_kind": t("data.kind", lang), "row": t("data.row", lang), "reason": t("data.reason", lang)}
        )
        st.dataframe(shown, hide_index=True, key="data_table_rejected")
        st.download_button(
            t("data.rejected_download", lang),
            rejected_rows_csv(ws.reports),
            file_name="rejected_rows.csv",
            mime="text/csv",
            key="data_download_rejected",
        )

    st.subheader(t("data.mapping", lang))
    loaded = ws.loaded
    rows = [(f"survey · {t(f'field.{k}', lang)}", v or "—") for k, v in loaded.survey_mapping.fields.items()]
    if loaded.crm_mapping:
        rows += [(f"crm · {t(f'field.{k}', lang)}", v or "—") for k, v in loaded.crm_mapping.fields.items()]
    # extra grouping columns, under the name the filters and the Segments page show
    extra = [("survey", loaded.survey.dimensions)] + ([("crm", loaded.crm.dimensions)] if loaded.crm else [])
    rows += [
        (f"{kind} · {t('data.dimension', lang, name=name)}", column)
        for kind, dimensions in extra
        for name, column in dimensions.items()
    ]
    st.dataframe(
        pd.DataFrame(rows, columns=[t("data.field", lang), t("data.column", lang)]),
        hide_index=True,
        key="data_table_mapping",
    )
    if loaded.survey_mapping.drivers:
        st.markdown(f"**{t('data.drivers', lang)}**")
        st.dataframe(
            pd.DataFrame(loaded.survey_mapping.drivers).rename(
                columns={
                    "column": t("data.column", lang),
                    "need": t("data.need", lang),
                    "category": t("data.category", lang),
                }
            ),
            hide_index=True,
            key="data_table_drivers",
        )
    # the survey mapping carries the needs as edited on the Needs & drivers page
    mapping_doc = {"survey": apply_catalogue(loaded.survey_mapping, session_catalogue(ws)).to_dict()}
    if loaded.crm_mapping:
        mapping_doc["crm"] = loaded.crm_mapping.to_dict()

    st.download_button(
        t("data.mapping_download", lang),
        json.dumps(mapping_doc, ensure_ascii=False, indent=2).encode("utf-8"),
        file_name="mapping.json",
        mime="application/json",
        key="data_download_mapping",
    )
    st.subheader(t("data.preview", lang))
    st.dataframe(ws.preview(20), hide_index=True, key="data_table_preview")
