"""Text from a file, a person or a model never reaches a Markdown-rendering Streamlit call unescaped.

An AST scan of app.py, app_pages/ and ui/: every argument that Streamlit renders as Markdown (the body
of st.markdown/caption/info/warning/error/success/subheader/header/title/write/toast, the label and
help of widgets, metrics, expanders, tabs and radio options) must be built only from literals,
messages (``t(key, lang, ...)`` whose values are themselves safe), numbers and dates formatted by the
formatting helpers, or text passed through the one escaping helper, ``ui.widgets.render.md_escape``.

A plain variable is judged by what it was last assigned in the same function (a literal, a message,
an escaped value); a function's parameter is trusted only when the caller's argument is checked (the
helpers listed in SAFE_HELPERS take only message keys or escape what they get). Anything else fails
with file:line, so a new page cannot render a column header, an account or editor name or a model's
label as Markdown by accident.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
FILES = sorted([ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").rglob("*.py")])

BODY_CALLS = {
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
    "subheader",
    "header",
    "title",
    "toast",
    "write",
    "tabs",
}
"""Calls whose first argument is rendered as Markdown."""
LABEL_CALLS = {
    "button",
    "checkbox",
    "toggle",
    "radio",
    "selectbox",
    "multiselect",
    "select_slider",
    "slider",
    "text_input",
    "text_area",
    "number_input",
    "date_input",
    "time_input",
    "file_uploader",
    "download_button",
    "form_submit_button",
    "expander",
    "popover",
    "metric",
    "color_picker",
    "segmented_control",
    "pills",
    "link_button",
    "page_link",
}
"""Calls whose first argument (``label``) and ``help`` are rendered as Markdown."""
SAFE_NAMES = {"lang"}
"""Names that hold no data wherever they appear (the page's language code)."""
SAFE_WRAPPERS = {"money_label"}
"""Functions that add only settings to what they get: safe when their arguments are."""
SAFE_FUNCTIONS = {
    "md_escape",  # the escaping helper
    "t",  # a message: checked with its values
    "llm_notice",  # messages only, values from the engine's counts and reason codes
    "format_number",
    "format_date",
    "format_date_range",  # two formatted dates
    "format_interval",
    "format_percent",
    "fmt_ci",
    "_effective_n",  # ui/render: a message with a formatted number
    "no_data_message",  # ui/render: one of two messages, no values
    "overview_caption",  # app_pages/overview: messages of numbers, dates and the escaped filters
    "weights_note",  # ui/weights: messages of numbers and escaped column names
    "len",
    "int",
    "float",
    "round",
    "abs",
    "min",
    "max",
    "sum",
}


def _is_safe(node: ast.AST, assigned: dict[str, ast.AST], seen: frozenset = frozenset()) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(_is_safe(v, assigned, seen) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        spec = node.format_spec
        numeric = spec is not None and any(
            isinstance(v, ast.Constant) and str(v.value)[-1:] in "fd%,eg" for v in spec.values
        )
        return numeric or _is_safe(node.value, assigned, seen)
    if isinstance(node, ast.BinOp):
        return _is_safe(node.left, assigned, seen) and _is_safe(node.right, assigned, seen)
    if isinstance(node, ast.IfExp):
        return _is_safe(node.body, assigned, seen) and _is_safe(node.orelse, assigned, seen)
    if isinstance(node, ast.BoolOp):
        return all(_is_safe(v, assigned, seen) for v in node.values)
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name == "join" and isinstance(func, ast.Attribute):  # " · ".join(parts): the separator and the parts
            return _is_safe(func.value, assigned, seen) and all(_is_safe(a, assigned, seen) for a in node.args)
        if name in SAFE_WRAPPERS:
            return all(_is_safe(a, assigned, seen) for a in node.args)
        if name not in SAFE_FUNCTIONS:
            return False
        if name == "t":  # the key and the language are ours; the values are checked
            values = [kw.value for kw in node.keywords if kw.arg != "lang"]
            return all(_is_unpacked_safe(v, assigned, seen) for v in values)
        if name in ("md_escape", "llm_notice"):
            return True
        return True  # numbers and dates formatted
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Dict):  # {"en": "English", ...}[code]
        return all(_is_safe(v, assigned, seen) for v in node.value.values)
    if isinstance(node, ast.Name):
        if node.id in SAFE_NAMES:
            return True
        if node.id in seen:
            return False
        source = assigned.get(node.id)
        return source is not None and _is_safe(source, assigned, seen | {node.id})
    if isinstance(node, ast.GeneratorExp | ast.ListComp):
        return _is_safe(node.elt, assigned, seen)
    if isinstance(node, ast.List | ast.Tuple):
        return all(_is_safe(e, assigned, seen) for e in node.elts)
    return False


def _is_unpacked_safe(node: ast.AST, assigned: dict[str, ast.AST], seen: frozenset) -> bool:
    """A value given to ``t``: safe, or ``**{k: safe for k in ...}``."""
    if isinstance(node, ast.DictComp):
        return _is_safe(node.value, assigned, seen)
    return _is_safe(node, assigned, seen)


def _assignments(function: ast.AST) -> dict[str, ast.AST]:
    """The last expression assigned to each plain name in ``function`` (loops: their iterables)."""
    assigned: dict[str, ast.AST] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned[target.id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            assigned[node.target.id] = node.value
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            previous = assigned.get(node.target.id)
            assigned[node.target.id] = (
                ast.BinOp(previous, ast.Add(), node.value) if previous is not None else node.value
            )
    return assigned


def _streamlit_call(node: ast.Call) -> str | None:
    """``markdown`` of ``st.markdown(...)``, ``st.sidebar.caption``, ``col.metric`` or ``box.info``."""
    func = node.func
    if isinstance(func, ast.Attribute) and (func.attr in BODY_CALLS or func.attr in LABEL_CALLS):
        return func.attr
    return None


def _markdown_arguments(node: ast.Call, kind: str, functions: dict[str, ast.FunctionDef]) -> list[ast.AST]:
    args: list[ast.AST] = []
    if node.args and kind != "page_link":  # page_link's first argument is the page, not a label
        args.append(node.args[0])
    for kw in node.keywords:
        if kw.arg in ("body", "label", "help") or (kind == "radio" and kw.arg == "captions"):
            args.append(kw.value)
    if kind in ("radio", "pills", "segmented_control"):
        # option labels are Markdown too: format_func must escape (or the options be literals/codes)
        for kw in node.keywords:
            if kw.arg == "format_func" and not _format_func_is_safe(kw.value, functions):
                args.append(kw.value)
    return args


def _format_func_is_safe(node: ast.AST, functions: dict[str, ast.FunctionDef]) -> bool:
    """A radio's option labels: a lambda or a function of the module whose every return is safe."""
    if isinstance(node, ast.Lambda):
        return _is_safe(node.body, {})
    if isinstance(node, ast.Name) and node.id in functions:
        function = functions[node.id]
        assigned = _assignments(function)
        returns = [n.value for n in ast.walk(function) if isinstance(n, ast.Return) and n.value is not None]
        return bool(returns) and all(_is_safe(r, assigned) for r in returns)
    return False


def violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))]
    found = []
    for scope in scopes:
        assigned = _assignments(scope)
        body = (
            scope.body
            if not isinstance(scope, ast.Module)
            else [n for n in scope.body if not isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
        )
        for statement in body:
            for node in ast.walk(statement):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node is not scope:
                    continue
                if not isinstance(node, ast.Call):
                    continue
                kind = _streamlit_call(node)
                if kind is None:
                    continue
                for arg in _markdown_arguments(node, kind, functions):
                    if not _is_safe(arg, assigned):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {kind}: {ast.unparse(arg)[:90]}")
    return sorted(set(found))


def test_the_scan_sees_unescaped_data():
    """The scan itself: data is caught, literals, messages and escaped data pass."""
    code = """
def page(st, t, lang, header, md_escape, n):
    st.markdown(header)
    st.caption(f"Column {header}")
    st.warning(t("x", lang, name=header))
    st.multiselect(header, [])
    st.metric(label=header, value=1)
    st.radio("pick", ["a"], format_func=lambda c: c)
    safe = md_escape(header)
    st.markdown(safe)
    st.caption(t("x", lang, name=md_escape(header), n=f"{n:,}"))
    st.multiselect(md_escape(header), [])
    st.info("literal")
"""
    path = ROOT / "tests" / "app" / "_scan_probe.py"
    path.write_text(code, encoding="utf-8")
    try:
        lines = [v.split(" ")[0].rsplit(":", 1)[1] for v in violations(path)]
    finally:
        path.unlink()
    assert lines == ["3", "4", "5", "6", "7", "8"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_passes_data_to_markdown_unescaped(path):
    assert violations(path) == []
