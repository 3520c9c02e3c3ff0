"""The customer register: the parties a bank screens every day.

A register file (CSV with a header, or Parquet) has the columns ``id,name`` and optionally
``dob,country,type``. Import is one transaction: a bad row stops it with the file and line named
and the register stays as it was. Each customer keeps a hash of its screened fields, so an
allow-list decision lapses when the customer's data changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from raqib.db.tables import customer
from raqib.errors import InvalidInput, RaqibError
from raqib.screening.screener import make_query

if TYPE_CHECKING:
    import pyarrow as pa

COLUMNS = ("id", "name", "dob", "country", "type")
REQUIRED = ("id", "name")
_BATCH_ROWS = 5000


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    name: str
    dob: str | None = None
    country: str | None = None
    type: str | None = None

    @property
    def record_hash(self) -> str:
        return record_hash(self.name, self.dob, self.country, self.type)


@dataclass(frozen=True, slots=True)
class RegisterImport:
    rows: int
    inserted: int
    updated: int
    unchanged: int
    deactivated: int


def record_hash(name: str, dob: str | None, country: str | None, type: str | None) -> str:
    text = "\x1f".join(v or "" for v in (name, dob, country, type))
    return hashlib.sha256(text.encode()).hexdigest()


def _batches(path: Path) -> Iterator[pa.RecordBatch]:
    # pyarrow is imported here, not with the module: it adds ~40 MB to every process that imports
    # raqib.screening (each API worker, each screening job) and only register imports read files.
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise InvalidInput(f"{path}: the file is empty")
    try:
        if path.suffix.lower() == ".parquet":
            parquet = pq.ParquetFile(path)
            yield from parquet.iter_batches(batch_size=_BATCH_ROWS)
            return
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=4 << 20),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in COLUMNS}, strings_can_be_null=True
            ),
        )
        yield from reader
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError) as err:
        raise InvalidInput(f"{path}: cannot read the customer file: {err}") from err


def read_customers(path: Path) -> Iterator[list[Customer]]:
    """Stream customers from a CSV or Parquet file in batches, validating every row."""
    line = 1  # the header
    seen: set[str] = set()
    for batch in _batches(path):
        names = batch.schema.names
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise InvalidInput(
                f"{path}: missing column(s) {', '.join(missing)}; found: {', '.join(names)}",
                details={"field": missing[0]},
            )
        columns = {c: batch.column(c).to_pylist() if c in names else [None] * batch.num_rows for c in COLUMNS}
        out = []
        for i in range(batch.num_rows):
            line += 1
            values = {c: (str(columns[c][i]).strip() if columns[c][i] is not None else None) for c in COLUMNS}
            cid, name = values["id"], values["name"]
            if not cid:
                raise InvalidInput(f"{path}, line {line}: empty id", details={"line": line, "field": "id"})
            if cid in seen:
                raise InvalidInput(
                    f"{path}, line {line}: duplicate id {cid!r}", details={"line": line, "field": "id"}
                )
            seen.add(cid)
            try:
                make_query(
                    name or "",
                    dob=values["dob"] or None,
                    country=values["country"] or None,
                    type=values["type"] or None,
                )
            except RaqibError as err:
                raise InvalidInput(
                    f"{path}, line {line}: {err.message}", details={"line": line, **err.details}
                ) from err
            out.append(
                Customer(
                    cid, name or "", values["dob"] or None, values["country"] or None, values["type"] or None
                )
            )
        yield out


class CustomerRegister:
    def __init__(self, engine: Engine):
        self.engine = engine

    def import_file(self, path: Path, replace: bool = False) -> RegisterImport:
        """Add or update the file's customers in one transaction; ``replace`` deactivates the rest."""
        now = datetime.now(UTC)
        inserted = updated = unchanged = rows = 0
        with self.engine.begin() as conn:
            existing = dict(conn.execute(sa.select(customer.c.id, customer.c.record_hash)).all())
            active = {r[0] for r in conn.execute(sa.select(customer.c.id).where(customer.c.active)).all()}
            seen: set[str] = set()
            for batch in read_customers(path):
                new_rows, changed_rows = [], []
                for item in batch:
                    rows += 1
                    seen.add(item.id)
                    row = {
                        "id": item.id,
                        "name": item.name,
                        "dob": item.dob,
                        "country": item.country,
                        "type": item.type,
                        "record_hash": item.record_hash,
                        "active": True,
                        "updated_at": now,
                    }
                    previous = existing.get(item.id)
                    if previous is None:
                        new_rows.append(row)
                    elif previous != item.record_hash or item.id not in active:
                        changed_rows.append({**row, "key": item.id})
                    else:
                        unchanged += 1
                if new_rows:
                    conn.execute(customer.insert(), new_rows)
                    inserted += len(new_rows)
                if changed_rows:
                    conn.execute(
                        customer.update()
                        .where(customer.c.id == sa.bindparam("key"))
                        .values(
                            name=sa.bindparam("name"),
                            dob=sa.bindparam("dob"),
                            country=sa.bindparam("country"),
                            type=sa.bindparam("type"),
                            record_hash=sa.bindparam("record_hash"),
                            active=sa.bindparam("active"),
                            updated_at=sa.bindparam("updated_at"),
                        ),
                        changed_rows,
                    )
                    updated += len(changed_rows)
            if rows == 0:
                raise InvalidInput(f"{path}: the file holds no customers")
            deactivated = 0
            if replace:
                gone = sorted(active - seen)
                for start in range(0, len(gone), 500):
                    chunk = gone[start : start + 500]
                    conn.execute(
                        customer.update().where(customer.c.id.in_(chunk)).values(active=False, updated_at=now)
                    )
                deactivated = len(gone)
        return RegisterImport(rows, inserted, updated, unchanged, deactivated)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count()).select_from(customer).where(customer.c.active)
                ).scalar_one()
            )

    def iter_after(self, cursor: str | None, batch: int = _BATCH_ROWS) -> Iterator[list[Customer]]:
        """Active customers in id order after ``cursor``, in batches (the resumable job's walk)."""
        last = cursor
        while True:
            query = sa.select(
                customer.c.id, customer.c.name, customer.c.dob, customer.c.country, customer.c.type
            ).where(customer.c.active)
            if last is not None:
                query = query.where(customer.c.id > last)
            with self.engine.connect() as conn:
                rows = conn.execute(query.order_by(customer.c.id).limit(batch)).all()
            if not rows:
                return
            yield [Customer(*row) for row in rows]
            last = rows[-1][0]

    def hashes(self, ids: Sequence[str]) -> dict[str, str]:
        result: dict[str, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                result.update(
                    conn.execute(
                        sa.select(customer.c.id, customer.c.record_hash).where(customer.c.id.in_(chunk))
                    ).all()
                )
        return result


__all__ = ["Customer", "CustomerRegister", "RegisterImport", "read_customers", "record_hash"]
