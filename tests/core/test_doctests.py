"""Every module of the core imports on its own, and the examples in its docstrings hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import cx_core

# __main__ runs the command line when imported
MODULES = sorted(m.name for m in pkgutil.walk_packages(cx_core.__path__, "cx_core.") if not m.name.endswith("__main__"))


def test_the_modules_are_found():
    assert {"cx_core.report.segments", "cx_core.metrics", "cx_core.errors"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_module_imports_and_its_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed (run python -m doctest -v)"


def test_the_examples_are_run():
    from cx_core import errors

    assert doctest.testmod(errors).attempted >= 3
