"""Every AppTest has a workspace store of its own.

Without sign-in, the built-in sample's follow-up list is one shared store workspace for the team, made
by the first save on it. With one store for the whole run, a test that saved on the sample changed
what every later test saw (the shared workspace linked in the URL, named on the Data page), so results
depended on the order tests ran in. Tests that share a store between sessions do so inside one test.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DATA_DIR", str(tmp_path / "cx-data"))
