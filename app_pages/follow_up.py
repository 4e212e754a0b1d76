"""Follow-up: the closed loop - every detractor and every high-risk account, whom to call, why and
about what; mark items done, add notes, download the list."""

import streamlit as st

from cx_core import t
from cx_core.accounts import DEFAULT_RULES, account_health, find_follow_ups, follow_up_list, follow_up_totals
from cx_core.export import to_csv_bytes, to_xlsx_bytes
from cx_core.report import accounts_section, follow_up_section
from ui.sync.session import memo_view
from ui.widgets.accounts import as_of_input, role_weights
from ui.widgets.export import report_downloads
from ui.widgets.follow_up_form import follow_up_form, follow_up_grid, list_scope, shared_follow_up
from ui.widgets.presenter import controls, presenter_active, render_sections
from ui.widgets.render import guard, md_escape
from ui.widgets.sidebar import render_sidebar

EDITOR_KEY = "follow_up_editor"

page = render_sidebar()
filters, lang, min_n = page.filters, page.lang, page.min_n
st.title(t("follow_up.title", lang))


with guard(lang):
    ws = page.ws
    with controls("follow_up_as_of"):
        as_of = as_of_input(lang, key="follow_up_as_of")
    rules = DEFAULT_RULES
    weights = role_weights()
    health = (  # the same slot as the account pages': one computation for all three
        memo_view(
            "account_health",
            ws,
            (as_of, filters, weights),
            lambda: account_health(ws, as_of, filters, weights, rules),
        )
        if ws.has_crm
        else None
    )
    data_items = follow_up_list(ws, as_of, lang=lang, filters=filters, weights=weights, rules=rules, health=health)
    items = shared_follow_up(ws, data_items)  # done, notes, owners and due dates as saved by the team
    totals = follow_up_totals(items)
    ctx = page.report(as_of=as_of, role_weights=weights)
    sections = [
        s
        for s in (
            accounts_section(ctx, health, as_of) if health is not None else None,
            follow_up_section(ctx, items, as_of),
        )
        if s is not None
    ]
    if presenter_active():
        render_sections(sections, "follow_up", lang)
        st.stop()
    (latest_from, _latest_to), _previous = rules.periods(as_of)
    st.caption(
        t(
            "follow_up.caption",
            lang,
            latest_from=md_escape(latest_from.isoformat()),
            as_of=md_escape(as_of.isoformat()),
            detractor_days=int(rules.detractor_due_business_days),
            account_days=int(rules.account_due_days),
        )
    )
    if not ws.has_crm:
        st.info(t("accounts.no_crm", lang))
    st.markdown(
        t(
            "follow_up.totals",
            lang,
            items=f"{totals['items']:,}",
            open=f"{totals['open']:,}",
            accounts=int(totals["accounts_at_risk"]),
            arr=f"{totals['arr_at_risk']:,.0f}",
        )
    )
    list_scope(lang)
    if items.empty:
        st.info(t("follow_up.empty", lang))
        st.stop()

    with controls("follow_up_filters"):
        f0, f1, f2 = st.columns([3, 2, 2])
        query = f0.text_input(
            t("follow_up.search", lang), key="follow_up_search", placeholder=t("follow_up.search_hint", lang)
        )
        owners = sorted(str(o) for o in items["owner"].dropna().unique())
        picked_owners = f1.multiselect(
            t("follow_up.owner_filter", lang), owners, key="follow_up_owner", placeholder=t("display.choose", lang)
        )
        show_done = f2.toggle(t("follow_up.show_done", lang), value=True, key="follow_up_show_done")
    view = find_follow_ups(items, query=query, owners=tuple(picked_owners), include_done=show_done)
    st.caption(t("follow_up.shown", lang, shown=f"{len(view):,}", total=f"{len(items):,}"))
    shown = view.assign(
        kind=view["kind"].map(lambda k: t(f"follow_up.kind.{k}", lang)),
        risk=view["risk"].map(lambda r: t(f"accounts.risk.{r}", lang) if isinstance(r, str) else None),
        note=view["note"].astype(object).where(view["note"].notna(), None),
    )
    labels = {c: t(f"follow_up.col.{c}", lang) for c in shown.columns}
    # Read-only: items change through the form below (a grid edit could be lost to a rerun). A row
    # clicked here is the item the form opens; the whole comment is shown there, not cut in a cell.
    grid = follow_up_grid(shown, labels, lang)
    selected = st.dataframe(shown, key=EDITOR_KEY, on_select="rerun", selection_mode="single-row", **grid)
    rows = selected.selection.rows if selected is not None else []
    picked = str(view.loc[rows[0], "item_id"]) if rows and rows[0] < len(view) else None
    follow_up_form(view, data_items, lang, picked=picked)

    export = shown.rename(columns=labels)
    d1, d2, _ = st.columns([1, 1, 4])
    # the files are made when a button is clicked, not on every run (the workbook of every item of a
    # million-response workspace took 5 s of CPU)
    d1.download_button(
        t("follow_up.download_csv", lang),
        data=lambda: to_csv_bytes(export),
        file_name=f"follow_up_{as_of}.csv",
        mime="text/csv",
        key="follow_up_download_csv",
        on_click="ignore",
    )
    d2.download_button(
        t("follow_up.download_xlsx", lang),
        data=lambda: to_xlsx_bytes(export, "follow-up"),
        file_name=f"follow_up_{as_of}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="follow_up_download_xlsx",
        on_click="ignore",
    )
    report_downloads(ws, filters, sections, "follow_up", lang, name=f"cx_follow_up_{as_of}")
