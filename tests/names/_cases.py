"""Load the name cases kept as data (tests/names/cases/*.csv, columns query,candidate,expected,why)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"


def load_cases(filename: str, folder: Path = CASES) -> list[object]:
    with (folder / filename).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [pytest.param(row["query"], row["candidate"], row["expected"], id=row["why"]) for row in rows]
