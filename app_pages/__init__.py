"""The app's pages (run by ``app.py`` through ``st.navigation``); a package so import rules can name it."""
