"""Streamlit-side code shared by the pages, in three parts by what it is:

- ``ui.widgets``: what a page draws (rendering, the sidebar, presenter mode, downloads, the Ask box,
  the codebook panel, the weights and period controls);
- ``ui.sync``: a session's state and its sync with the workspace store (shared keys and the
  ``PageContext``, the session's workspace, saved workspaces, who is acting, the driver catalogue);
- ``ui.runtime``: the server around the pages (sessions that end for real, a failing page that
  never traps the tab).

Only this package and ``app_pages/`` import streamlit; ``cx_core`` never does. No module of ``ui``
imports itself in a circle (``tools/check_import_cycles.py``, part of ``make lint``).
"""
