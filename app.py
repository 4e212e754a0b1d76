"""Router and picture frame: page config and the explicit page list.

Adding a page is one line in PAGES. Each page draws the shared sidebar first with
``ui.widgets.sidebar.render_sidebar()`` (drawn from the page rather than here because Streamlit's AppTest
drops elements drawn outside ``page.run()`` on reruns, and every page must be testable).
"""

import streamlit as st

from cx_core import t
from ui.runtime.guard import run_page
from ui.sync.session import language
from ui.widgets.presenter import init_from_url

st.set_page_config(page_title="CX Insight Explorer", page_icon=":bar_chart:", layout="wide")

init_from_url()  # ?present=1 and ?lang=ja from a shared link; else the browser's language
lang = language()
PAGES = [
    st.Page(
        "app_pages/overview.py",
        title=t("nav.overview", lang),
        icon=":material/speed:",
        url_path="home",  # the default page is served at "/"; "home" only names it internally
        default=True,
    ),
    # The same page under its own name, so a shared ``/overview`` link opens it (Streamlit serves
    # the default page only at "/", and would answer "Page not found"). Hidden: one menu item.
    st.Page("app_pages/overview.py", title=t("nav.overview", lang), url_path="overview", visibility="hidden"),
    st.Page("app_pages/ask.py", title=t("nav.ask", lang), icon=":material/question_answer:", url_path="ask"),
    st.Page("app_pages/segments.py", title=t("nav.segments", lang), icon=":material/groups:", url_path="segments"),
    st.Page("app_pages/drivers.py", title=t("nav.drivers", lang), icon=":material/tune:", url_path="drivers"),
    st.Page("app_pages/moments.py", title=t("nav.moments", lang), icon=":material/route:", url_path="moments"),
    st.Page("app_pages/themes.py", title=t("nav.themes", lang), icon=":material/forum:", url_path="themes"),
    st.Page("app_pages/accounts.py", title=t("nav.accounts", lang), icon=":material/domain:", url_path="accounts"),
    st.Page(
        "app_pages/account.py", title=t("nav.account", lang), icon=":material/business_center:", url_path="account"
    ),
    st.Page("app_pages/follow_up.py", title=t("nav.follow_up", lang), icon=":material/call:", url_path="follow_up"),
    st.Page("app_pages/data.py", title=t("nav.data", lang), icon=":material/upload_file:", url_path="data"),
]

run_page(st.navigation(PAGES))  # a page that fails shows a plain message and ways back
