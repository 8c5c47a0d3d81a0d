"""The core stays pure: no I/O imports, no adapters, no clock; mypy strict covers it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

CORE = ROOT / "src" / "hotwash" / "core"
FORBIDDEN_MODULES = {
    "os",
    "pathlib",
    "shutil",
    "subprocess",
    "socket",
    "sqlite3",
    "tempfile",
    "io",
    "click",
    "rich",
    "httpx",
    "requests",
    "urllib",
    "logging",
    "time",
    "hotwash.cli",
    "hotwash.commands",
    "hotwash.files",
    "hotwash.show",
    "hotwash.archives",
    "hotwash.interview",
    "zipfile",
}
FORBIDDEN_CALLS = {"open", "print", "input", "exec", "eval"}


def core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: p.name)
def test_core_module_does_no_io(path: Path) -> None:
    tree = ast.parse(path.read_text())
    problems = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module if node.level == 0 else f"hotwash.{node.module}"
            names = [base]
        for name in names:
            if name in FORBIDDEN_MODULES or name.split(".")[0] in FORBIDDEN_MODULES:
                problems.append(f"line {node.lineno}: imports {name}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in FORBIDDEN_CALLS
        ):
            problems.append(f"line {node.lineno}: calls {node.func.id}()")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("now", "today", "utcnow")
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("datetime", "date")
        ):
            problems.append(f"line {node.lineno}: reads the clock (.{node.func.attr}())")
    assert problems == []


def test_core_has_its_rules_written_beside_it() -> None:
    assert "pure" in (CORE / "README.md").read_text()


def test_mypy_is_strict_on_the_core() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert 'module = ["hotwash.core.*"]\nstrict = true' in text
