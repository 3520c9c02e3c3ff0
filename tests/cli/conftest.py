"""Run the real CLI entry point in process, with a private RAQIB_HOME per test."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from raqib.cli import main
from raqib.config import get_settings


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


CliRunner = Callable[..., CliResult]


def make_runner(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """Run ``raqib ARGS...`` through the real entry point; settings are re-read on every call."""

    def run(*args: str) -> CliResult:
        get_settings.cache_clear()
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["raqib", *args])
        code = 0
        try:
            main()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def raqib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> CliRunner:
    monkeypatch.setenv("RAQIB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("RAQIB_DB", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    yield make_runner(monkeypatch, capsys)
    get_settings.cache_clear()
