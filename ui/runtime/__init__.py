"""The server runtime around pages: sessions that end for real, and pages that fail without trapping the tab."""
