"""Fixtures for matching tests: a real extract of the UN list (tests/data/matching/PROVENANCE.md)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from raqib.matching import Candidate

CASES = Path(__file__).parent / "cases"
UN_EXTRACT = Path(__file__).parent.parent / "data" / "matching" / "un_individuals_2026_extract.csv"


def read_un_extract() -> list[dict[str, str]]:
    with UN_EXTRACT.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def un_rows() -> list[dict[str, str]]:
    return read_un_extract()


@pytest.fixture(scope="session")
def un_candidates(un_rows: list[dict[str, str]]) -> list[Candidate]:
    """Latin names only, as OFAC publishes them: queries in Arabic must cross scripts."""
    return [
        Candidate(
            id=row["reference"],
            names=tuple(row["latin_names"].split("|")),
            type="person",
            birth_dates=tuple(date for date in row["birth_dates"].split("|") if date),
        )
        for row in un_rows
    ]
