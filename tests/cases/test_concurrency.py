"""Two reviewers approve the same case at once, on real concurrent connections: exactly one wins.

A third connection first takes the case row's lock (PostgreSQL ``SELECT ... FOR UPDATE``; on
SQLite ``BEGIN IMMEDIATE``, the database write lock), so both approvers are provably waiting at
the same time; releasing it lets them race. The loser must get Conflict, never a second approval,
and the audit chain must hold exactly one approval and stay intact.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa

from raqib import audit
from raqib.cases import CaseStatus, Disposition
from raqib.db.tables import allow_entry
from raqib.errors import Conflict
from tests.cases.conftest import World


def _propose(world: World) -> int:
    alice = world.people["alice"]
    case = world.cases.create(alice, "race", world.alert_ids[:2])
    world.cases.start_review(alice, case["id"])
    world.cases.propose(alice, case["id"], Disposition.FALSE_POSITIVE, "different people")
    return int(case["id"])


def _waiting_on_locks(world: World) -> int:
    with world.engine.connect() as conn:
        return int(
            conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            ).scalar_one()
        )


def _approve(world: World, who: str, case_id: int, start: threading.Barrier) -> Any:
    start.wait()
    try:
        return world.cases.approve(world.people[who], case_id)
    except Conflict as err:
        return err


def test_two_concurrent_approvals_exactly_one_wins(world: World) -> None:
    case_id = _propose(world)
    postgres = world.engine.dialect.name == "postgresql"
    blocker = world.engine.raw_connection()
    try:
        cursor = blocker.cursor()
        if postgres:
            cursor.execute("SELECT id FROM case_file WHERE id = %s FOR UPDATE", (case_id,))
        else:
            cursor.execute("BEGIN IMMEDIATE")
        start = threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(_approve, world, who, case_id, start) for who in ("bob", "carol")]
            deadline = time.monotonic() + 10
            if postgres:  # both approvers must be blocked on the row lock before it is released
                while _waiting_on_locks(world) < 2 and time.monotonic() < deadline:
                    time.sleep(0.02)
                assert _waiting_on_locks(world) >= 2
            else:
                time.sleep(0.3)
            blocker.rollback()
            outcomes = [f.result(timeout=30) for f in futures]
    finally:
        blocker.close()
    winners = [o for o in outcomes if isinstance(o, dict)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(winners) == 1
    assert len(losers) == 1
    assert winners[0]["status"] == CaseStatus.APPROVED
    assert "approved by" in losers[0].message
    approvals = audit.records(world.engine, action="case.approve")
    assert len(approvals) == 1
    assert approvals[0].actor == winners[0]["decided_by"]
    with world.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(allow_entry)).scalar_one() == 2
    assert audit.verify(world.engine) is None


def test_free_racing_approvals_never_double(world: World) -> None:
    """Without the blocker: several rounds of two threads released by a barrier."""
    for _ in range(3):
        with world.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM case_alert"))
            conn.execute(sa.text("UPDATE alert SET status = 'open'"))
        case_id = _propose(world)
        start = threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            outcomes = [
                f.result(timeout=30)
                for f in [pool.submit(_approve, world, who, case_id, start) for who in ("bob", "carol")]
            ]
        assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "dict"]
    assert len(audit.records(world.engine, action="case.approve")) == 3
    assert audit.verify(world.engine) is None
