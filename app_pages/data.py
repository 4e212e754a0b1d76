"""Data: what is loaded, the mapping, rejected rows, and uploading your own survey and CRM files."""

import hashlib
import json

import pandas as pd
import streamlit as st

from cx_core import Mapping, t
from cx_core.accounts import need_label
from cx_core.coverage import coverage
from cx_core.drivers import apply_catalogue
from cx_core.ingest import confirm, list_sheets, load_mapping_file, rejected_rows_csv
from cx_core.ingest.recognise import evidence_words, mapping_warnings
from cx_core.messages import dimension_label, has_message
from cx_core.roles import role_label
from cx_core.schema import CRM_FIELDS, SURVEY_FIELDS, driver_key
from cx_core.summary import join_report, questions_summary
from ui.sync import state
from ui.sync.catalogue import session_catalogue
from ui.sync.session import dataset_name, language, load_data, preview_for_upload, set_workspace
from ui.sync.workspaces import get_workspace, workspaces_panel
from ui.widgets.cases import render_cases_upload
from ui.widgets.export import workspace_file_widgets
from ui.widgets.input_notices import localise_rejections, render_input_notices
from ui.widgets.render import bold_label, guard, md_escape, show_table
from ui.widgets.sidebar import render_sidebar
from ui.widgets.uploads import upload_limit_mb

render_sidebar()
lang = language()
st.title(t("data.title", lang))

UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "xlsm"]


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kind_label(kind: str, lang: str) -> str:
    """ "survey" / "crm" / "cases" as words (they were shown as the code)."""
    key = f"data.kind_{kind}"
    return t(key, lang) if has_message(key) else kind


def drivers_in_words(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The driver table with its need and category as words, not ``feeling_valued`` / ``rational``."""
    out = frame.copy()
    if "need" in out:
        out["need"] = [need_label(n, lang) for n in out["need"]]
    if "category" in out:
        out["category"] = [
            t(f"drivers.category.{c}", lang) if has_message(f"drivers.category.{c}") else c for c in out["category"]
        ]
    return out


def preview_in_words(frame: pd.DataFrame, lang: str, *, mapped_role: bool) -> pd.DataFrame:
    """The loaded responses under the names the person knows (not ``response_id``), roles as words."""
    out = frame.copy()
    if not mapped_role:  # every answer would read "Other": the file has no role
        out = out.drop(columns=["respondent_role", "role_label"], errors="ignore")
    if "respondent_role" in out:
        out["respondent_role"] = [role_label(r, lang) if isinstance(r, str) else r for r in out["respondent_role"]]
    out = out.dropna(axis="columns", how="all")  # fields the file does not have: no column of "None"

    def name(column: str) -> str:
        return t(f"field.{column}", lang) if has_message(f"field.{column}") else dimension_label(column, lang)

    names = [name(str(c)) for c in out.columns]
    # two columns may word the same: keep them apart
    out.columns = [n if names.count(n) == 1 else f"{n} ({c})" for n, c in zip(names, out.columns, strict=True)]
    return out


def mapping_editor(kind: str, preview, suggested: Mapping) -> Mapping:
    """Selectboxes to confirm or override the suggested mapping (question text shown when it helps).

    Guesses are shown as guesses with their evidence; when no column says it is NPS but 0-10
    candidates exist, the person is asked to choose one or "No NPS in this file". The rules of what
    is offered and kept are ``cx_core.ingest.confirm``'s; this only draws them.
    """
    none = t("data.not_mapped", lang)
    columns = preview.columns
    options = [none, *columns]

    def label(column: str) -> str:
        if column == confirm.NO_NPS:
            return t("map.nps_none", lang)
        question = preview.questions.get(column, "")
        if column == none or not question or _short(question) == _short(column):
            return _short(column)
        return f"{_short(column, 40)} · {_short(question, 70)}"

    nps = confirm.nps_choice(suggested, columns)
    if kind == "survey" and nps.ask:
        st.warning(t("map.nps_ask", lang))
        candidate_table(suggested.candidates["nps"], key="data_table_nps_candidates")
    if kind == "survey":
        guessed = [
            f"{t(f'field.{name}', lang)} = {_short(column, 40)}" for name, column in confirm.guessed_fields(suggested)
        ]
        if guessed:
            st.warning(t("map.guessed_warning", lang, fields=md_escape("; ".join(guessed))))

    fields: dict[str, str | None] = {}
    names = SURVEY_FIELDS if kind == "survey" else CRM_FIELDS
    cols = st.columns(3)
    nps_declined = suggested.nps_declined
    for i, name in enumerate(names):
        current = suggested.fields.get(name)
        with cols[i % 3]:
            if kind == "survey" and name == "nps":
                choice = st.selectbox(
                    t("field.nps", lang),
                    nps.options,
                    index=nps.index,
                    format_func=label,
                    placeholder=t("map.nps_placeholder", lang),
                    key=f"data_map_{kind}_{name}",
                )
                nps_declined = nps.declined(choice, suggested)
                fields[name] = confirm.field_value(choice)
                continue
            choice = st.selectbox(
                t(f"field.{name}", lang),
                options,
                index=options.index(current) if current in columns else 0,
                format_func=label,
                key=f"data_map_{kind}_{name}",
            )
        fields[name] = None if choice == none else choice
    drivers: list[dict] = []
    questions: list[dict] = []
    outcome = None
    if kind == "survey":
        candidates = confirm.driver_candidates(columns, fields)
        chosen = st.multiselect(
            t("data.driver_columns", lang),
            candidates,
            default=confirm.suggested_drivers(suggested, candidates),
            format_func=label,
            key="data_map_survey_drivers",
        )
        drivers = confirm.driver_entries(chosen, suggested, preview.questions)
        questions, outcome = questions_and_outcome(preview, suggested, fields, drivers, label)
    free = confirm.dimension_candidates(columns, fields, drivers, questions)
    chosen_dimensions = st.multiselect(
        t("data.dimension_columns", lang),
        free,
        default=confirm.suggested_dimensions(suggested, free),
        format_func=label,
        help=t("data.dimension_help", lang),
        key=f"data_map_{kind}_dimensions",
    )
    mapping = confirm.confirmed_mapping(
        kind,
        suggested,
        columns,
        fields,
        drivers=drivers,
        dimensions=confirm.dimension_entries(chosen_dimensions, suggested),
        questions=questions,
        outcome=outcome,
        nps_declined=nps_declined,
    )
    if kind == "survey":
        with st.expander(t("map.evidence_title", lang)):
            evidence_table(mapping.evidence)
    return mapping


def candidate_table(candidates: list[dict], *, key: str) -> None:
    """The candidate columns of a field with the evidence for each (never rendered as HTML)."""
    st.dataframe(
        pd.DataFrame(
            {
                t("map.candidate", lang): [c["column"] for c in candidates],
                t("map.question", lang): [c.get("question") or "" for c in candidates],
                t("map.evidence", lang): [evidence_words(c, lang) for c in candidates],
                t("map.confidence", lang): [c["confidence"] for c in candidates],
            }
        ),
        hide_index=True,
        key=key,
    )


def evidence_table(evidence: dict) -> None:
    """Each mapped field with its column, the evidence and whether it is only a guess."""
    rows = [
        (
            t(f"field.{name}", lang),
            info["column"],
            evidence_words(info, lang),
            info["confidence"],
            t("map.guess", lang) if info.get("guessed") else t("map.recognised", lang),
        )
        for name, info in evidence.items()
    ]
    st.dataframe(
        pd.DataFrame(
            rows,
            columns=[
                t("data.field", lang),
                t("data.column", lang),
                t("map.evidence", lang),
                t("map.confidence", lang),
                "",
            ],
        ),
        hide_index=True,
        key="data_table_evidence",
    )


def questions_and_outcome(preview, suggested: Mapping, fields: dict, drivers: list[dict], label):
    """The open-text questions to keep, and the key-driver outcome (automatic, a score or a rating)."""
    open_columns = confirm.open_question_columns(preview.columns, fields, drivers)
    chosen = st.multiselect(
        t("map.questions", lang),
        open_columns,
        default=confirm.suggested_questions(suggested, open_columns, fields),
        format_func=label,
        help=t("map.questions_help", lang),
        key="data_map_survey_questions",
    )
    questions = confirm.question_entries(chosen, suggested, preview.questions)
    outcomes = confirm.outcome_options(fields, drivers)
    names = {"": t("map.outcome_auto", lang)} | {n: t(f"metric.{n}", lang) for n in ("nps", "csat", "ces")}
    names |= {driver_key(d["label"]): _short(d["label"], 60) for d in drivers}
    outcome = st.selectbox(
        t("map.outcome", lang),
        outcomes,
        index=outcomes.index(confirm.suggested_outcome(suggested, outcomes)),
        format_func=lambda o: names.get(o, o),
        help=t("map.outcome_help", lang),
        key="data_map_survey_outcome",
    )
    return questions, outcome or None


def loaded_mapping_notes(ws) -> None:
    """What the loaded mapping misses or guessed, and every open question with its answers."""
    for warning in mapping_warnings(ws.loaded.survey_mapping):
        columns = ", ".join(_short(c, 40) for c in warning["columns"])
        code = warning["code"]
        if code == "nps_not_found" and not warning["columns"]:
            code = "nps_not_found_none"
        st.warning(t(f"map.warn.{code}", lang, columns=md_escape(columns)))
    for key in coverage(ws).notes():
        if key != "coverage.no_nps":  # said just above, with the candidate columns
            st.info(t(key, lang))
    questions = questions_summary(ws)
    if questions:
        bold_label(t("map.questions", lang))
        st.dataframe(
            pd.DataFrame(
                {
                    t("data.column", lang): [q["column"] for q in questions],
                    t("map.question", lang): [q["question"] for q in questions],
                    t("map.answers", lang): [q["answers"] for q in questions],
                }
            ),
            hide_index=True,
            key="data_table_questions",
        )


def sheet_choice(data: bytes, name: str, kind: str) -> str | None:
    """A sheet selectbox for Excel workbooks (first sheet by default); None for text files."""
    if not name.lower().endswith((".xlsx", ".xlsm")) and not data.startswith(b"PK\x03\x04"):
        return None
    sheets = list_sheets(data, name)  # a refusal names the person's file, not "upload.xlsx"
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
    upload_mb = upload_limit_mb()  # the machine's limit (cx_core.ingest.limits), said by the widget
    survey_file = up1.file_uploader(
        t("data.upload_survey", lang), type=UPLOAD_TYPES, key="data_upload_survey", max_upload_size=upload_mb
    )
    crm_file = up2.file_uploader(
        t("data.upload_crm", lang), type=UPLOAD_TYPES, key="data_upload_crm", max_upload_size=upload_mb
    )
    mapping_file = st.file_uploader(t("data.upload_mapping", lang), type=["json"], key="data_upload_mapping")
    if survey_file is not None:
        survey_bytes = survey_file.getvalue()
        crm_bytes = crm_file.getvalue() if crm_file is not None else None
        crm_name = crm_file.name if crm_file is not None else None
        mapping_bytes = mapping_file.getvalue() if mapping_file is not None else None
        forget_old_mapping_widgets(survey_bytes, crm_bytes, mapping_bytes)
        survey_sheet = sheet_choice(survey_bytes, survey_file.name, "survey")
        crm_sheet = sheet_choice(crm_bytes, crm_name, "crm") if crm_bytes is not None and crm_name else None
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
                    format=md_escape(survey_preview.format),
                    encoding=md_escape(survey_preview.encoding),
                    rows=int(survey_preview.rows_read),
                )
            )
            survey_mapping = mapping_editor("survey", survey_preview, survey_suggested)
            crm_mapping = None
            if crm_preview is not None and crm_suggested is not None:
                st.divider()
                st.caption(
                    t(
                        "data.detected",
                        lang,
                        format=md_escape(crm_preview.format),
                        encoding=md_escape(crm_preview.encoding),
                        rows=int(crm_preview.rows_read),
                    )
                )
                crm_mapping = mapping_editor("crm", crm_preview, crm_suggested)
        if st.button(t("data.load_button", lang), type="primary", key="data_load_button"):
            uploaded = load_data(
                survey_bytes,
                survey_file.name,
                crm_bytes,
                crm_name,
                survey_mapping=survey_mapping,
                crm_mapping=crm_mapping,
                survey_sheet=survey_sheet,
                crm_sheet=crm_sheet,
            )
            set_workspace(uploaded, "upload")
            report = uploaded.survey_report
            st.success(
                t(
                    "data.loaded_ok",
                    lang,
                    loaded=int(report.rows_loaded),
                    read=int(report.rows_read),
                    rejected=int(report.rows_rejected),
                )
            )
            st.page_link("app_pages/overview.py", label=t("data.open_overview", lang), icon=":material/speed:")
    if dataset_name() != "sample" and st.button(t("data.back_to_sample", lang), key="data_back_to_sample"):
        st.session_state.pop(state.WORKSPACE, None)
        st.rerun()

with guard(lang):
    workspace_file_widgets(lang)

with guard(lang):
    workspaces_panel(lang)  # saved workspaces: save as, open, delete (ui/sync/workspaces.py)

with guard(lang):
    render_cases_upload(get_workspace(), lang)

with guard(lang):
    ws = get_workspace()
    st.subheader(t("data.loaded", lang))
    st.dataframe(
        pd.DataFrame(
            {
                t("data.file", lang): [r.path for r in ws.reports],
                t("data.kind", lang): [kind_label(r.kind, lang) for r in ws.reports],
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
        st.info("\n".join(f"- {md_escape(note)}" for note in notes))
    join = join_report(ws)
    if join:
        st.write(t("data.join", lang, **{k: int(join[k]) for k in ("responses", "matched", "unmatched")}))
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
    assert loaded is not None  # every workspace of the app is made from loaded files
    survey_kind, crm_kind = kind_label("survey", lang), kind_label("crm", lang)
    rows = [(f"{survey_kind} · {t(f'field.{k}', lang)}", v or "—") for k, v in loaded.survey_mapping.fields.items()]
    if loaded.crm_mapping:
        rows += [(f"{crm_kind} · {t(f'field.{k}', lang)}", v or "—") for k, v in loaded.crm_mapping.fields.items()]
    # extra grouping columns, under the name the filters and the Segments page show
    extra = [(survey_kind, loaded.survey.dimensions)] + ([(crm_kind, loaded.crm.dimensions)] if loaded.crm else [])
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
    loaded_mapping_notes(ws)
    if loaded.survey_mapping.drivers:
        bold_label(t("data.drivers", lang))
        st.dataframe(
            drivers_in_words(pd.DataFrame(loaded.survey_mapping.drivers), lang).rename(
                columns={
                    "column": t("data.column", lang),
                    "need": t("data.need", lang),
                    "category": t("data.category", lang),
                    "scale": t("map.scale", lang),
                    "label": t("data.driver_label", lang),
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
    has_role = bool(loaded.survey_mapping.fields.get("respondent_role"))
    show_table(preview_in_words(ws.preview(20), lang, mapped_role=has_role), "data_table_preview", lang)
