"""Shared test fixtures.

Fixture policy: tests never touch the developer's ``.raqib`` directory or environment. Each test
that needs a store gets a fresh database (``store_url``): SQLite in ``tmp_path`` always, and the
PostgreSQL server at ``RAQIB_TEST_POSTGRES`` (default ``127.0.0.1:5432/test``) when it is reachable,
in a schema of its own that is dropped afterwards. Golden files live in ``tests/golden/<area>/``;
``pytest --update-golden`` rewrites them and the diff is reviewed like code.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).parent
DATA = TESTS / "data"
GOLDEN = TESTS / "golden"
POSTGRES_URL = os.environ.get("RAQIB_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files")


class Golden:
    def __init__(self, update: bool):
        self.update = update

    def check_json(self, relative: str, value: Any) -> None:
        """Compare ``value`` with ``tests/golden/<relative>`` after canonical JSON serialisation."""
        path = GOLDEN / relative
        text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n"
        if self.update or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if not self.update:
                pytest.fail(f"golden file {relative} did not exist; written, review it and re-run")
        assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), (
            f"golden mismatch: {relative}"
        )

    def check_text(self, relative: str, text: str) -> None:
        path = GOLDEN / relative
        if self.update or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if not self.update:
                pytest.fail(f"golden file {relative} did not exist; written, review it and re-run")
        assert path.read_text(encoding="utf-8") == text, f"golden mismatch: {relative}"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(bool(request.config.getoption("--update-golden")))


def _postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=2):
            return True
    except Exception:
        return False


_PG_OK: bool | None = None


def postgres_available() -> bool:
    global _PG_OK
    if _PG_OK is None:
        _PG_OK = _postgres_reachable()
    return _PG_OK


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: SQLite always, PostgreSQL when reachable."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'raqib.db'}"
        return
    if not postgres_available():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432 (database 'test')")
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()
