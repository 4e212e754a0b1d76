"""The reader's language is always passed, and every error the core raises is a message key.

Both are read from the source, so a new ``raise CXError("An English sentence")`` or a new
``lang: str = "en"`` fails here before it reaches a Japanese page as English.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import cx_core
from cx_core.errors import CXError, InputFileError, Phrase, error_text
from cx_core.ingest.notices import WarningError
from cx_core.messages import LANGUAGES, catalogue, has_message

ROOT = Path(__file__).resolve().parents[2]


def _core_error_classes() -> dict[str, type]:
    classes: dict[str, type] = {}
    for info in pkgutil.walk_packages(cx_core.__path__, "cx_core."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, CXError):
                classes[name] = obj
    return classes


def _python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def test_every_core_error_is_raised_with_a_message_key():
    classes = _core_error_classes()
    assert {"CXError", "InputFileError", "StoreError", "NotASurveyError"} <= set(classes)
    sentences = []
    for path in _python_files("cx_core"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            cls = classes.get(name)
            if cls is None or issubclass(cls, WarningError):  # worded from the warning's code and values
                continue
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and has_message(first.value):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            sentences.append(f"{where}: {name}({ast.unparse(first) if first is not None else ''})")
    assert sentences == [], "errors raised with a sentence instead of a message key:\n" + "\n".join(sentences)


def test_no_language_parameter_has_a_default():
    defaults = []
    for path in _python_files("cx_core", "ui", "app_pages"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args
                positional = [*args.posonlyargs, *args.args]
                with_defaults = list(
                    zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
                )
                with_defaults += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d]
                defaults += [
                    f"{path.relative_to(ROOT)}:{node.lineno} {node.name}" for a, _ in with_defaults if a.arg == "lang"
                ]
            elif isinstance(node, ast.ClassDef):  # dataclass fields: ``lang: str = "en"``
                for item in node.body:
                    if (
                        isinstance(item, ast.AnnAssign)
                        and isinstance(item.target, ast.Name)
                        and item.target.id == "lang"
                        and isinstance(item.value, ast.Constant)
                    ):
                        defaults.append(f"{path.relative_to(ROOT)}:{item.lineno} {node.name}.lang")
    assert defaults == [], "a forgotten language would silently be English:\n" + "\n".join(defaults)


def test_a_keyed_error_reads_the_same_in_english_and_is_worded_in_japanese():
    error = InputFileError("error.nothing_loaded", rows="12", what=Phrase("error.kind_crm"), reason="")
    assert str(error) == "None of the 12 rows of the CRM file could be loaded. Check the column mapping."
    assert error.key == "error.nothing_loaded" and error.code == "input_file"
    japanese = error_text(error, "ja")
    assert "12" in japanese and "CRM" in japanese and "Check" not in japanese


def test_every_new_error_key_has_both_languages():
    keys = [k for k in catalogue() if k.startswith("error.")]
    assert len(keys) > 60
    for key in keys:
        texts = catalogue()[key]
        assert all(texts.get(lang) for lang in LANGUAGES), key
        if key.startswith(("error.cli_", "error.store_", "error.file_", "error.xlsx_", "error.mapping_")):
            assert texts["ja"] != texts["en"], key
