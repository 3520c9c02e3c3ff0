from __future__ import annotations

from pathlib import Path

import pytest

from raqib.errors import InvalidInput, ListParseError
from raqib.monitoring import DuckDBEngine, load_table
from raqib.monitoring.formats import detect_layout

from .conftest import DATA

OWN_HEADER = "id,timestamp,from_account,to_account,amount,currency\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_amlsim_layouts_are_detected_and_steps_become_days() -> None:
    engine = DuckDBEngine()
    assert load_table(engine, DATA / "amlsim_cycle200" / "transactions.csv", "transactions") == "amlsim"
    assert load_table(engine, DATA / "amlsim_cycle200" / "nodes.csv", "accounts") == "amlsim"
    first = engine.query("SELECT * FROM transactions LIMIT 1").to_pylist()[0]
    assert first["id"] == "1"
    assert first["from_account"] == "280"
    assert first["amount"] == pytest.approx(147.8)
    assert str(first["ts"]) == "2017-01-02 00:00:00"  # step 1 = one day after AMLSim's base date


def test_own_layout_with_offsets_and_optional_columns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "t.csv",
        OWN_HEADER.replace("\n", ",to_country\n") + "t1,2024-03-01T10:00:00+02:00,A,B,12.5,USD,sy\n",
    )
    engine = DuckDBEngine()
    assert load_table(engine, path, "transactions") == "raqib"
    row = engine.query("SELECT * FROM transactions").to_pylist()[0]
    assert str(row["ts"]) == "2024-03-01 08:00:00"
    assert row["to_country"] == "sy"
    assert row["channel"] is None


def test_accounts_type_must_be_known(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.csv",
        "account_id,customer_id,type,country,opened_at\nA,C,npo,AE,2020-01-01\nB,C,charity,AE,2020-01-01\n",
    )
    with pytest.raises(ListParseError) as caught:
        load_table(DuckDBEngine(), path, "accounts")
    assert caught.value.line == 3
    assert caught.value.field == "type"


@pytest.mark.parametrize(
    ("text", "line", "field", "fragment"),
    [
        (
            OWN_HEADER + "t1,2024-01-01,A,B,10,USD\nt2,2024-01-02,A,B,ten,USD\n",
            3,
            "amount",
            "bad amount 'ten'",
        ),
        (OWN_HEADER + "t1,yesterday,A,B,10,USD\n", 2, "timestamp", "bad timestamp"),
        (OWN_HEADER + "t1,2024-01-01,,B,10,USD\n", 2, "from_account", "empty value"),
        (
            'id,timestamp,from_account,to_account,amount,currency\n"t\n1",2024-01-01,A,B,x,USD\n',
            3,
            "amount",
            "bad",
        ),
    ],
)
def test_bad_values_name_file_line_and_column(
    tmp_path: Path, text: str, line: int, field: str, fragment: str
) -> None:
    path = write(tmp_path, "t.csv", text)
    with pytest.raises(ListParseError) as caught:
        load_table(DuckDBEngine(), path, "transactions")
    assert caught.value.line == line
    assert caught.value.field == field
    assert fragment in caught.value.message
    assert str(path) in caught.value.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        (OWN_HEADER, "no data rows"),
        (
            "id,timestamp,from_account,to_account,currency\nt1,2024-01-01,A,B,USD\n",
            r"missing column\(s\) amount",
        ),
        ("name,city\nx,y\n", "unknown transactions format"),
        ("sourceNodeId,targetNodeId,time\n1,2,3\n", r"missing column\(s\) value"),
    ],
)
def test_unusable_files_raise_invalid_input(tmp_path: Path, text: str, fragment: str) -> None:
    path = write(tmp_path, "t.csv", text)
    with pytest.raises(InvalidInput, match=fragment):
        load_table(DuckDBEngine(), path, "transactions")


def test_missing_file_and_bad_parquet(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        detect_layout(tmp_path / "nope.csv", "transactions")
    with pytest.raises(InvalidInput, match="Parquet"):
        detect_layout(write(tmp_path, "t.parquet", "not parquet"), "transactions")


def test_parquet_is_read_with_its_types(generated: dict[str, Path], tmp_path: Path) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pacsv.read_csv(generated["transactions"])
    pq.write_table(table, tmp_path / "t.parquet")
    engine = DuckDBEngine()
    assert load_table(engine, tmp_path / "t.parquet", "transactions") == "raqib"
    assert engine.query("SELECT count(*) AS n FROM transactions").column("n")[0].as_py() == table.num_rows
