"""The core never imports the UI (proved in a fresh interpreter)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_cx_core_does_not_import_streamlit():
    code = (
        "import sys, pkgutil, importlib, cx_core\n"
        "for m in pkgutil.walk_packages(cx_core.__path__, 'cx_core.'):\n"
        "    if m.name != 'cx_core.__main__': importlib.import_module(m.name)\n"
        "assert 'streamlit' not in sys.modules, 'cx_core imported streamlit'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
