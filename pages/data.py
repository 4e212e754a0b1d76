"""Data: what is loaded, the mapping, rejected rows, and uploading your own survey and CRM files."""

import json

import pandas as pd
import streamlit as st

from cx_core import Mapping, t
from cx_core.drivers import apply_catalogue
from cx_core.schema import CRM_FIELDS, SURVEY_FIELDS, make_driver
from cx_core.sql import run
from cx_core.summary import join_report
from ui.catalogue import session_catalogue
from ui.export import table_downloads, workspace_file_widgets
from ui.render import guard
from ui.session import dataset_name, get_workspace, language, load_data, set_workspace, suggest_for_upload
from ui.sidebar import render_sidebar

render_sidebar()
lang = language()
st.title(t("data.title", lang))


def mapping_editor(kind: str, columns: list[str], suggested: Mapping) -> Mapping:
    """Selectboxes to confirm or override the suggested mapping."""
    none = t("data.not_mapped", lang)
    options = [none, *columns]
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
                key=f"data_map_{kind}_{name}",
            )
        fields[name] = None if choice == none else choice
    drivers = []
    if kind == "survey":
        used = {c for c in fields.values() if c}
        candidates = [c for c in columns if c not in used]
        default = [d["column"] for d in suggested.drivers if d["column"] in candidates]
        chosen = st.multiselect(
            t("data.driver_columns", lang), candidates, default=default, key="data_map_survey_drivers"
        )
        for column in chosen:
            driver = make_driver(column)
            drivers.append({"column": column, "label": column, "need": driver.need, "category": driver.category})
    return Mapping(kind=kind, fields=fields, drivers=drivers)


with guard(lang):
    st.subheader(t("data.upload", lang))
    st.caption(t("data.upload_help", lang))
    up1, up2 = st.columns(2)
    survey_file = up1.file_uploader(t("data.upload_survey", lang), type=["csv", "tsv", "txt"], key="data_upload_survey")
    crm_file = up2.file_uploader(t("data.upload_crm", lang), type=["csv", "tsv", "txt"], key="data_upload_crm")
    if survey_file is not None:
        survey_bytes = survey_file.getvalue()
        crm_bytes = crm_file.getvalue() if crm_file is not None else None
        with st.expander(t("data.confirm_mapping", lang), expanded=True):
            columns, suggested = suggest_for_upload(survey_bytes, survey_file.name, "survey")
            survey_mapping = mapping_editor("survey", columns, suggested)
            crm_mapping = None
            if crm_bytes is not None:
                st.divider()
                crm_columns, crm_suggested = suggest_for_upload(crm_bytes, crm_file.name, "crm")
                crm_mapping = mapping_editor("crm", crm_columns, crm_suggested)
        if st.button(t("data.load_button", lang), type="primary", key="data_load_button"):
            loaded = load_data(
                survey_bytes,
                survey_file.name,
                crm_bytes,
                crm_file.name if crm_file is not None else None,
                survey_mapping=survey_mapping,
                crm_mapping=crm_mapping,
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
    if dataset_name() != "sample" and st.button(t("data.back_to_sample", lang), key="data_back_to_sample"):
        st.session_state.pop("cx_workspace", None)
        st.rerun()

with guard(lang):
    workspace_file_widgets(lang)

with guard(lang):
    ws = get_workspace()
    st.subheader(t("data.loaded", lang))
    st.dataframe(
        pd.DataFrame(
            {
                t("data.file", lang): [r.path for r in ws.reports],
                t("data.kind", lang): [r.kind for r in ws.reports],
                t("data.format", lang): [r.format for r in ws.reports],
                t("data.encoding", lang): [r.encoding for r in ws.reports],
                t("data.rows_read", lang): [r.rows_read for r in ws.reports],
                t("data.rows_loaded", lang): [r.rows_loaded for r in ws.reports],
                t("data.rows_rejected", lang): [r.rows_rejected for r in ws.reports],
            }
        ),
        hide_index=True,
        key="data_table_reports",
    )
    notes = [note for r in ws.reports for note in r.notes]
    if notes:
        st.info("\n".join(f"- {note}" for note in notes))
    join = join_report(ws)
    if join:
        st.write(t("data.join", lang, **{k: join[k] for k in ("responses", "matched", "unmatched")}))
        if join["unmatched_account_ids"]:
            with st.expander(t("data.unmatched_ids", lang)):
                st.dataframe(pd.DataFrame({"account_id": join["unmatched_account_ids"]}), hide_index=True)

    st.subheader(t("data.rejected_title", lang))
    rejected = run(ws.con, "SELECT file_kind, row, reason FROM rejected ORDER BY file_kind, row")
    if rejected.empty:
        st.caption(t("data.rejected_none", lang))
    else:
        shown = rejected.rename(
            columns={"file_kind": t("data.kind", lang), "row": t("data.row", lang), "reason": t("data.reason", lang)}
        )
        st.dataframe(shown, hide_index=True, key="data_table_rejected")
        table_downloads(shown, "rejected_rows", "data_download_rejected", lang)

    st.subheader(t("data.mapping", lang))
    loaded = ws.loaded
    rows = [(f"survey · {t(f'field.{k}', lang)}", v or "—") for k, v in loaded.survey_mapping.fields.items()]
    if loaded.crm_mapping:
        rows += [(f"crm · {t(f'field.{k}', lang)}", v or "—") for k, v in loaded.crm_mapping.fields.items()]
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
    st.dataframe(
        run(ws.con, "SELECT * EXCLUDE (account_key) FROM responses LIMIT 20"), hide_index=True, key="data_table_preview"
    )
