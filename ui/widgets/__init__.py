"""What a page draws: widgets, rendering, presenter mode, downloads (Streamlit only; no store access of its own)."""
