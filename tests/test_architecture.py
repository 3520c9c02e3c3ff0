"""The core is pure: raqib.names and raqib.matching import no I/O, database, web or settings code.

Walks every module of the two packages with ``ast``. The one allowed file access is
``raqib/names/_resources.py``, which loads the packaged language data through ``importlib.resources``
once per process (``functools.cache``); it is listed below and nothing else may read files.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "raqib"
CORE = ("names", "matching")
FORBIDDEN_IMPORTS = (
    "duckdb",
    "sqlalchemy",
    "fastapi",
    "httpx",
    "requests",
    "urllib",
    "socket",
    "sqlite3",
    "psycopg",
    "raqib.config",
    "raqib.lists",
    "raqib.screening",
    "raqib.api",
    "raqib.cli",
    "raqib.cases",
    "pathlib",
    "subprocess",
    "shutil",
    "tempfile",
)
FORBIDDEN_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "getenv"}
DATA_LOADER = SRC / "names" / "_resources.py"


def _core_modules() -> list[Path]:
    return sorted(path for package in CORE for path in (SRC / package).rglob("*.py"))


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.add(node.module)
    return names


def _calls(tree: ast.AST) -> set[str]:
    called: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name):
                called.add(function.id)
            elif isinstance(function, ast.Attribute):
                called.add(function.attr)
    return called


@pytest.mark.parametrize("path", _core_modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_core_imports_no_io(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for name in _imports(tree):
        assert not any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_IMPORTS), name


@pytest.mark.parametrize("path", _core_modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_core_reads_no_files(path: Path) -> None:
    called = _calls(ast.parse(path.read_text(encoding="utf-8")))
    if path == DATA_LOADER:
        assert called & FORBIDDEN_CALLS <= {"read_text"}  # importlib.resources, once per file (cached)
    else:
        assert not called & FORBIDDEN_CALLS, path


def test_core_packages_exist() -> None:
    assert len(_core_modules()) >= 10
