"""Shared fixtures: the sample data, generated in code from the fixed seed, and a workspace on it."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The workspace store never writes into a person's home folder during tests: the app, the CLI and
# the browser tests' server (which inherits this environment) use a throw-away data folder.
# Under pytest-xdist each worker gets a folder of its own (workers inherit the controller's environment).
if not os.environ.get("CX_DATA_DIR") or os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["CX_DATA_DIR"] = tempfile.mkdtemp(prefix=f"cx-test-data-{os.environ.get('PYTEST_XDIST_WORKER', '')}")

# A page that fails is an exception in tests, not ui.runtime.guard's plain message (its own tests turn this off).
os.environ.setdefault("CX_PAGE_FAILURES", "raise")
# The background warm-up of shared views (ui/sync/warm.py) is off unless a test turns it on and waits for it.
os.environ.pop("CX_WARM_SHARED_VIEWS", None)

from hypothesis import settings  # noqa: E402

# Speed lives in bench/, never in tests: on a shared, loaded machine Hypothesis' per-example
# deadline (200 ms) fails property tests at random ("unreliable test timings").
settings.register_profile("cx", deadline=None)
settings.load_profile("cx")

from cx_core import Workspace, load_inputs  # noqa: E402
from cx_core.sample import generate, sample_bytes  # noqa: E402


@pytest.fixture(scope="session")
def sample():
    """The generated sample story (frames + planted truth)."""
    return generate()


@pytest.fixture(scope="session")
def sample_files() -> tuple[bytes, bytes]:
    return sample_bytes()


@pytest.fixture(scope="session")
def sample_loaded(sample_files):
    survey, crm = sample_files
    return load_inputs(survey, "survey.csv", crm, "crm.csv")


@pytest.fixture()
def ws(sample_loaded):
    workspace = Workspace.from_loaded(sample_loaded)
    yield workspace
    workspace.close()
