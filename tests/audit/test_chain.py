"""The audit chain: append, verify, and every kind of tampering named at the first bad record.

Tampering needs the append-only triggers out of the way first, as an attacker who owns the
database would do: on SQLite drop them, on PostgreSQL disable them (as the superuser in tests).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from raqib import audit
from raqib.db import open_engine
from raqib.errors import InvalidInput


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = open_engine(store_url)
    yield engine
    engine.dispose()


def _fill(engine: Engine, count: int = 5) -> None:
    for number in range(1, count + 1):
        with engine.begin() as conn:
            audit.append(conn, "user:alice", "case.comment", f"case:{number}", {"body": f"نص {number}"})


def _without_triggers(engine: Engine, *statements: str) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        else:
            conn.execute(sa.text("DROP TRIGGER audit_log_no_update"))
            conn.execute(sa.text("DROP TRIGGER audit_log_no_delete"))
        for statement in statements:
            conn.execute(sa.text(statement))
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("ALTER TABLE audit_log ENABLE TRIGGER USER"))


def test_empty_and_intact_chains_verify(engine: Engine) -> None:
    assert audit.verify(engine) is None
    _fill(engine)
    assert audit.verify(engine) is None
    seq, digest = audit.head(engine)
    assert seq == 5
    records = audit.records(engine)
    assert [r.seq for r in records] == [1, 2, 3, 4, 5]
    assert records[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(records))
    assert records[-1].hash == digest
    assert records[2].to_dict()["details"] == {"body": "نص 3"}
    assert audit.verify(engine, anchor=(3, records[2].hash)) is None


def test_hash_is_sha256_of_previous_hash_and_canonical_record() -> None:
    digest = audit.record_hash("0" * 64, 1, "2026-01-01T00:00:00.000000+00:00", "a", "b", "c", "{}")
    assert len(digest) == 64
    assert digest != audit.record_hash("0" * 64, 1, "2026-01-01T00:00:00.000000+00:00", "a", "bc", "", "{}")
    assert audit.canonical_json({"b": 1, "a": "ع"}) == '{"a":"ع","b":1}'


def test_the_database_refuses_update_and_delete(engine: Engine) -> None:
    _fill(engine, 1)
    for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text(statement))
    if engine.dialect.name == "postgresql":
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text("TRUNCATE audit_log"))
    assert audit.verify(engine) is None


def test_edit_is_detected_at_the_edited_record(engine: Engine) -> None:
    _fill(engine)
    _without_triggers(engine, 'UPDATE audit_log SET details = \'{"body":"forged"}\' WHERE seq = 3')
    broken = audit.verify(engine)
    assert broken is not None
    assert broken.seq == 3
    assert broken.reason.startswith("edited")


def test_deletion_in_the_middle_is_a_gap(engine: Engine) -> None:
    _fill(engine)
    _without_triggers(engine, "DELETE FROM audit_log WHERE seq = 2")
    broken = audit.verify(engine)
    assert broken is not None
    assert (broken.seq, broken.reason.split(":")[0]) == (3, "gap")


def test_deleting_the_tail_is_caught_by_the_head(engine: Engine) -> None:
    _fill(engine)
    _without_triggers(engine, "DELETE FROM audit_log WHERE seq = 5")
    broken = audit.verify(engine)
    assert broken is not None
    assert (broken.seq, broken.reason.split(":")[0]) == (5, "truncated")


def test_reordering_breaks_the_link(engine: Engine) -> None:
    _fill(engine)
    # Swap records 2 and 3 (seq is the order), each keeping its own content and hashes.
    _without_triggers(
        engine,
        "UPDATE audit_log SET seq = -2 WHERE seq = 2",
        "UPDATE audit_log SET seq = 2 WHERE seq = 3",
        "UPDATE audit_log SET seq = 3 WHERE seq = -2",
    )
    broken = audit.verify(engine)
    assert broken is not None
    assert broken.seq == 2
    assert broken.reason.startswith("broken link")


def test_a_full_rewrite_is_caught_by_an_external_anchor(engine: Engine) -> None:
    _fill(engine, 3)
    anchor = audit.head(engine)
    # Rewrite everything consistently: new content, recomputed hashes, new head.
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT seq, ts, actor, action, subject FROM audit_log ORDER BY seq")
        ).all()
    prev = "0" * 64
    statements = []
    for row in rows:
        digest = audit.record_hash(prev, row.seq, row.ts, "user:mallory", row.action, row.subject, "{}")
        statements.append(
            f"UPDATE audit_log SET actor = 'user:mallory', details = '{{}}', prev_hash = '{prev}', "
            f"hash = '{digest}' WHERE seq = {row.seq}"
        )
        prev = digest
    _without_triggers(engine, *statements, f"UPDATE audit_head SET hash = '{prev}'")
    assert audit.verify(engine) is None  # the chain alone is consistent again ...
    broken = audit.verify(engine, anchor=anchor)  # ... but not with what was written down
    assert broken is not None
    assert broken.seq == 3
    assert broken.reason.startswith("rewritten")


def test_rolled_back_change_leaves_no_record(engine: Engine) -> None:
    def failing_change() -> None:
        with engine.begin() as conn:
            audit.append(conn, "user:alice", "case.create", "case:1", {})
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert audit.head(engine) == (0, "0" * 64)
    assert audit.verify(engine) is None


def test_append_needs_actor_action_subject(engine: Engine) -> None:
    with pytest.raises(InvalidInput), engine.begin() as conn:
        audit.append(conn, "", "x", "y")


def test_concurrent_appends_never_fork_the_chain(engine: Engine) -> None:
    start = threading.Barrier(4)

    def work(worker: int) -> None:
        start.wait()
        for number in range(10):
            with engine.begin() as conn:
                audit.append(conn, f"user:w{worker}", "test.append", f"thing:{worker}", {"n": number})

    with ThreadPoolExecutor(4) as pool:
        for future in [pool.submit(work, w) for w in range(4)]:
            future.result(timeout=60)
    assert audit.head(engine)[0] == 40
    assert audit.verify(engine) is None
