"""The customer register: streaming import, updates, and bad rows that change nothing."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy.engine import Engine

from raqib.errors import InvalidInput
from raqib.screening import CustomerRegister


def test_import_update_replace(engine: Engine, customers_csv: Path, tmp_path: Path) -> None:
    register = CustomerRegister(engine)
    first = register.import_file(customers_csv)
    assert (first.rows, first.inserted, first.updated, first.unchanged) == (10, 10, 0, 0)
    again = register.import_file(customers_csv)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 10)
    smaller = tmp_path / "smaller.csv"
    smaller.write_text("id,name\nc01,قاسم محمد مهدي الريمي\nc99,New Customer\n", encoding="utf-8")
    result = register.import_file(smaller, replace=True)
    assert (result.inserted, result.updated, result.deactivated) == (1, 1, 9)
    assert register.count() == 2


def test_parquet(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "customers.parquet"
    pq.write_table(
        pa.table({"id": ["a", "b"], "name": ["Ali Hassan", "علي حسن"], "dob": [None, "1980"]}), path
    )
    assert CustomerRegister(engine).import_file(path).inserted == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ident,name\n1,x\n", "missing column"),
        ("id,name\n1,Ali\n,Omar\n", "line 3: empty id"),
        ("id,name\n1,Ali\n1,Omar\n", "line 3: duplicate id"),
        ("id,name\n1,Ali\n2,\n", "line 3"),
        ("id,name,country\n1,Ali,Atlantis\n", "unknown country"),
        ("id,name,type\n1,Ali,ship\n", "unknown type"),
        ("", "empty"),
    ],
)
def test_bad_rows_change_nothing(
    engine: Engine, customers_csv: Path, tmp_path: Path, content: str, message: str
) -> None:
    register = CustomerRegister(engine)
    register.import_file(customers_csv)
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        register.import_file(bad, replace=True)
    assert register.count() == 10


def test_not_utf8(engine: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes("id,name\n1,علي\n".encode("utf-16"))
    with pytest.raises(InvalidInput):
        CustomerRegister(engine).import_file(bad)
