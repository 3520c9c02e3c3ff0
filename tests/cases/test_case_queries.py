"""The case query behind the alert queue's case table, on SQLite and PostgreSQL.

The world gets 260 cases (more than two pages of the web table) in every status, three assignees
(one of them nobody), due dates either side of one fixed moment (on it, a microsecond before and
after it) and some closed. What :func:`count_cases` and :func:`list_cases` give with each filter is
checked against a Python filter over every case, and the overdue filter against the ``overdue``
flag :func:`ageing` sets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa

from raqib.auth import Forbidden
from raqib.cases import CaseStatus
from raqib.cases.cases import ageing, cases_by_id, count_cases, list_cases
from raqib.db.tables import case_file
from tests.cases.conftest import World

CASES = 260
NOW = datetime.now(UTC).replace(microsecond=500_000)
STATUSES = [s.value for s in CaseStatus]
ASSIGNEES = ["alice", "amir", None]
# due dates around NOW: on it (not overdue: ageing wants now > due), a microsecond either side,
# hours and days either side
DUE_OFFSETS = [
    timedelta(0),
    timedelta(microseconds=-1),
    timedelta(microseconds=1),
    timedelta(hours=-3),
    timedelta(hours=3),
    timedelta(days=-40),
    timedelta(days=2),
]


def _row(i: int) -> dict[str, Any]:
    status = STATUSES[i % len(STATUSES)]
    created = NOW - timedelta(days=60) + timedelta(minutes=i)
    closed = status == CaseStatus.APPROVED or i % 11 == 0  # closed, and a few closed otherwise
    return {
        "title": f"case {i}",
        "status": status,
        "assignee": ASSIGNEES[(i // 5) % len(ASSIGNEES)],
        "created_by": "user:alice",
        "created_at": created,
        "updated_at": created,
        # several cases share a due date, so the id decides their order
        "due_at": NOW + DUE_OFFSETS[(i // 2) % len(DUE_OFFSETS)],
        "closed_at": NOW - timedelta(hours=1) if closed else None,
        "version": 1,
    }


@pytest.fixture
def many(world: World) -> World:
    with world.engine.begin() as conn:
        conn.execute(case_file.insert(), [_row(i) for i in range(CASES)])
    return world


def _every(world: World) -> list[dict[str, Any]]:
    with world.engine.connect() as conn:
        every = list_cases(conn, limit=10_000, now=NOW)
    assert len(every) == CASES
    return every


def _wanted(case: dict[str, Any], filters: dict[str, Any]) -> bool:
    overdue = filters.get("overdue")
    return (
        ("status" not in filters or case["status"] == filters["status"])
        and ("exclude_status" not in filters or case["status"] != filters["exclude_status"])
        and ("assignee" not in filters or case["assignee"] == filters["assignee"])
        and (overdue is None or case["overdue"] is overdue)
    )


FILTERS = [
    {},
    {"exclude_status": "approved"},  # the web queue's default
    *({"status": s} for s in STATUSES),
    {"assignee": "alice"},
    {"assignee": "nobody"},
    {"overdue": True},
    {"overdue": False},
    {"exclude_status": "approved", "overdue": True},
    {"exclude_status": "approved", "assignee": "amir", "overdue": True},
    {"status": "proposed", "assignee": "alice"},
    {"status": "approved", "overdue": True},  # approved cases are closed: never overdue
    {"status": "new", "exclude_status": "new"},  # contradictory: nothing
]


@pytest.mark.parametrize("filters", FILTERS)
def test_filters_count_and_page_in_sql(many: World, filters: dict[str, Any]) -> None:
    expected = [c for c in _every(many) if _wanted(c, filters)]
    with many.engine.connect() as conn:
        assert count_cases(conn, **filters, now=NOW) == len(expected)
        pages = [list_cases(conn, **filters, limit=100, offset=start, now=NOW) for start in (0, 100, 200)]
        assert list_cases(conn, **filters, limit=100, offset=300, now=NOW) == []
    assert [c for page in pages for c in page] == expected


def test_the_fixture_spreads_the_cases(many: World) -> None:
    every = _every(many)
    with many.engine.connect() as conn:
        not_approved = count_cases(conn, exclude_status="approved", now=NOW)
        overdue = count_cases(conn, overdue=True, now=NOW)
    assert not_approved == CASES - CASES // len(STATUSES) > 200  # more than two pages of the web table
    assert 0 < overdue < not_approved
    assert [(c["due_at"], c["id"]) for c in every] == sorted((c["due_at"], c["id"]) for c in every)


def test_overdue_is_the_flag_ageing_sets(many: World) -> None:
    every = _every(many)
    with many.engine.connect() as conn:
        rows = conn.execute(sa.select(case_file)).all()
        overdue_ids = {c["id"] for c in list_cases(conn, overdue=True, limit=10_000, now=NOW)}
        on_time_ids = {c["id"] for c in list_cases(conn, overdue=False, limit=10_000, now=NOW)}
    flagged = {row.id for row in rows if ageing(row, NOW)["overdue"]}
    assert overdue_ids == flagged == {c["id"] for c in every if c["overdue"]}
    assert on_time_ids == {row.id for row in rows} - flagged
    due = {row.id: row.due_at for row in rows}
    open_ids = {row.id for row in rows if row.closed_at is None}
    # the edges: due at NOW is not overdue, a microsecond earlier is
    assert any(due[i].replace(tzinfo=UTC) == NOW for i in open_ids - overdue_ids)
    assert any(due[i].replace(tzinfo=UTC) == NOW - timedelta(microseconds=1) for i in overdue_ids)
    # a closed case is never overdue, however late
    assert any(row.closed_at is not None and row.due_at.replace(tzinfo=UTC) < NOW for row in rows)
    assert overdue_ids <= open_ids


def test_the_default_now_is_the_current_time(many: World) -> None:
    # without ``now`` the filter and the flags use the current time, which is after NOW
    with many.engine.connect() as conn:
        later = list_cases(conn, overdue=True, limit=10_000)
        assert count_cases(conn, overdue=True) == len(later)
    assert all(c["overdue"] for c in later)
    current = datetime.now(UTC)
    expected = {
        c["id"]
        for c in _every(many)
        if c["closed_at"] is None and datetime.fromisoformat(c["due_at"]) < current
    }
    assert {c["id"] for c in later} == expected


@pytest.mark.parametrize("zone", ["Asia/Riyadh", "America/Los_Angeles"])
def test_overdue_is_the_same_whatever_the_session_time_zone(many: World, zone: str) -> None:
    expected = [c["id"] for c in _every(many) if c["overdue"]]
    # the same moment in another offset, and naive (taken as UTC, as stored values are)
    moments = [NOW, NOW.astimezone(timezone(timedelta(hours=3))), NOW.replace(tzinfo=None)]
    with many.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text(f"SET TIME ZONE '{zone}'"))  # rows come back in this zone
        for now in moments:
            assert count_cases(conn, overdue=True, now=now) == len(expected)
            shown = list_cases(conn, overdue=True, limit=10_000, now=now)
            assert [c["id"] for c in shown] == expected
            assert all(c["overdue"] for c in shown)
            flags = list_cases(conn, limit=10_000, now=now)
            assert [c["id"] for c in flags if c["overdue"]] == expected


def test_a_due_date_given_with_an_offset_is_stored_as_its_utc_instant(world: World) -> None:
    alice, bob = world.people["alice"], world.people["bob"]
    case = world.cases.create(alice, "offset", world.alert_ids[:1])
    # 03:00 in Riyadh is midnight UTC: an hour ago, whatever the database keeps
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).astimezone(timezone(timedelta(hours=3)))
    case = world.cases.set_due(bob, case["id"], an_hour_ago, "moved")
    assert datetime.fromisoformat(case["due_at"]) == an_hour_ago
    assert case["overdue"] is True
    assert [c["id"] for c in world.cases.list_cases(alice, overdue=True)] == [case["id"]]
    assert world.cases.count_cases(alice, overdue=True) == 1


def test_defaults_and_shape_are_unchanged(many: World) -> None:
    bob = many.people["bob"]
    default = many.cases.list_cases(bob)
    assert len(default) == 100  # the default limit stays 100
    assert [c["id"] for c in default] == [c["id"] for c in _every(many)[:100]]
    assert many.cases.count_cases(bob) == CASES
    assert many.cases.list_cases(bob, limit=5, offset=-3) == many.cases.list_cases(bob, limit=5)


def test_cases_by_id_reads_only_the_cases_asked_for(many: World) -> None:
    every = {c["id"]: c for c in _every(many)}
    wanted = [min(every), max(every), sorted(every)[7], sorted(every)[7]]
    with many.engine.connect() as conn:
        got = cases_by_id(conn, [*wanted, 999_999], now=NOW)
        assert cases_by_id(conn, []) == {}
    assert got == {i: every[i] for i in wanted}
    assert set(many.cases.cases_by_id(many.people["aud"], wanted)) == set(wanted)


def test_counting_and_looking_up_need_the_same_permission_as_reading(many: World) -> None:
    bot = many.people["bot"]
    for call in (
        lambda: many.cases.count_cases(bot),
        lambda: many.cases.list_cases(bot, exclude_status="approved", offset=100),
        lambda: many.cases.cases_by_id(bot, [1]),
    ):
        with pytest.raises(Forbidden):
            call()
