"""Router and picture frame: page config and the explicit page list.

Adding a page is one line in PAGES. Each page draws the shared sidebar first with
``ui.sidebar.render_sidebar()`` (drawn from the page rather than here because Streamlit's AppTest
drops elements drawn outside ``page.run()`` on reruns, and every page must be testable).
"""

import streamlit as st

from cx_core import t
from ui.session import language

st.set_page_config(page_title="CX Insight Explorer", page_icon=":bar_chart:", layout="wide")

lang = language()
PAGES = [
    st.Page(
        "pages/overview.py", title=t("nav.overview", lang), icon=":material/speed:", url_path="overview", default=True
    ),
    st.Page("pages/segments.py", title=t("nav.segments", lang), icon=":material/groups:", url_path="segments"),
    st.Page("pages/data.py", title=t("nav.data", lang), icon=":material/upload_file:", url_path="data"),
]

st.navigation(PAGES).run()
