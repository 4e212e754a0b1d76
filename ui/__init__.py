"""Streamlit-side helpers shared by the pages (session state, sidebar, rendering helpers).

Only this package and ``app_pages/`` import streamlit; ``cx_core`` never does.
"""
