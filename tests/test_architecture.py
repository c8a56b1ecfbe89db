"""The architecture, checked: layer contracts (import-linter) and room sizes.

The contracts live in pyproject.toml (``[tool.importlinter]``): core imports no Qt; render imports no
``reluviz.ui`` (and, checked here by AST, no ``PySide6.QtWidgets``); the CLI imports ui only to start
the app. The size rule — no module over ~500 lines without a reason at its
top, no function over ~60 lines — holds for every module, with no exceptions.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "reluviz"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
REASON_MARK = "why this is long:"
"""Written (any case) in the module docstring of a module allowed over :data:`MAX_MODULE_LINES`."""


def run_import_linter(config: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on ``config`` in a fresh interpreter that imports this checkout's reluviz."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    code = (
        "import sys\n"
        "from importlinter.cli import lint_imports\n"
        f"sys.exit(lint_imports(config_filename={str(config)!r}, no_cache=True, no_logo=True))\n"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_layer_contracts_are_kept():
    result = run_import_linter(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout and "BROKEN" not in result.stdout


def test_a_broken_contract_fails(tmp_path):
    """The check can fail: a contract that today's code breaks (ui imports Qt) is reported."""
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "reluviz"\ninclude_external_packages = true\n\n'
        '[[tool.importlinter.contracts]]\nname = "ui without Qt (false on purpose)"\ntype = "forbidden"\n'
        'source_modules = ["reluviz.ui"]\nforbidden_modules = ["PySide6"]\n',
        encoding="utf-8",
    )
    result = run_import_linter(config)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and "reluviz.ui" in result.stdout


def widget_imports(source: str, path: str) -> list[str]:
    """Every import of ``PySide6.QtWidgets`` (or of all PySide6 at once) in one module's ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [f"{path}:{node.lineno} imports {name}" for name in names
                  if name.startswith("PySide6.QtWidgets") or name in {"PySide6", "PySide6.*"}]
    return found


def test_widget_import_check_finds_qtwidgets():
    assert widget_imports("from PySide6.QtWidgets import QWidget\n", "m.py") == [
        "m.py:1 imports PySide6.QtWidgets.QWidget"]
    assert widget_imports("import PySide6.QtWidgets as w\n", "m.py") == ["m.py:1 imports PySide6.QtWidgets"]
    assert widget_imports("from PySide6.QtGui import QImage\nfrom PySide6.QtCore import Qt\n", "m.py") == []


def test_render_imports_no_widgets():
    """render/ paints on any QPainter device: QtGui and QtCore only (its other half is in pyproject)."""
    offenders = []
    for path in sorted((PACKAGE / "render").rglob("*.py")):
        offenders += widget_imports(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert offenders == [], "\n" + "\n".join(offenders)


# -- room sizes --------------------------------------------------------------------------------


def oversized(source: str, path: str) -> list[str]:
    """The size-rule offenders in one module's ``source``, as readable lines."""
    tree = ast.parse(source)
    found = []
    lines = len(source.splitlines())
    docstring = ast.get_docstring(tree) or ""
    if lines > MAX_MODULE_LINES and REASON_MARK not in docstring.lower():
        found.append(f"{path}: {lines} lines and no '{REASON_MARK}' note in its docstring")
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{path}:{node.lineno} {node.name}() is {length} lines")
    return found


def test_size_check_finds_long_modules_and_functions_and_accepts_a_reason():
    long_function = "def f():\n" + "    x = 1\n" * MAX_FUNCTION_LINES
    assert oversized(long_function, "m.py") == [f"m.py:1 f() is {MAX_FUNCTION_LINES + 1} lines"]
    assert oversized("def f():\n" + "    x = 1\n" * (MAX_FUNCTION_LINES - 1), "m.py") == []
    body = "x = 1\n" * MAX_MODULE_LINES
    assert oversized('"""A module."""\n' + body, "m.py") == [
        f"m.py: {MAX_MODULE_LINES + 1} lines and no '{REASON_MARK}' note in its docstring"
    ]
    assert oversized('"""A module.\n\nWhy this is long: one table."""\n' + body, "m.py") == []


def test_no_module_over_500_lines_without_a_reason_and_no_function_over_60_lines():
    """Strict for every module of the package (the last exceptions were split on 2026-12-02)."""
    offenders = [line for path in sorted(PACKAGE.rglob("*.py"))
                 for line in oversized(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())]
    assert offenders == [], "\n" + "\n".join(offenders)
