"""The dashboard's alert counts, made by the database, on SQLite and PostgreSQL.

The world's three batch alerts get 300 more over forty days (some on a UTC midnight, some a
microsecond before one, a few dated tomorrow), three sources, two lists and four statuses. Every
count :func:`alert_stats` gives is checked against the same count made in Python over every alert.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from raqib.auth import Forbidden
from raqib.cases import NewAlert
from raqib.cases.alerts import alert_rows
from raqib.cases.cases import ALERT_STATS_MAX_DAYS, alert_stats, list_alerts
from raqib.db.tables import alert, case_file
from raqib.errors import InvalidInput
from tests.cases.conftest import World

EXTRA = 300
SOURCES = ("payment", "text", "monitoring")
STATUSES = ("open", "closed", "suppressed", "entity_removed")
TODAY = datetime.now(UTC).date()
SINCE = TODAY - timedelta(days=29)


def _created_at(i: int) -> datetime:
    day = TODAY - timedelta(days=(i * 7) % 40 - 2)  # from two days ahead to 37 days back
    midnight = datetime.combine(day, time(), tzinfo=UTC)
    if i % 11 == 0:
        return midnight  # the first instant of its day
    if i % 13 == 0:
        return midnight - timedelta(microseconds=1)  # the last instant of the day before
    return midnight + timedelta(minutes=(i * 37) % 1440)


@pytest.fixture
def spread(world: World) -> World:
    rows = []
    for i in range(EXTRA):
        new = NewAlert(
            f"s{i:03d}",
            "un_sc:QDi.057",
            "un_sc" if i % 4 else "ofac_sdn",
            1,
            round(0.5 + (i % 50) / 100, 2),
            "name",
            "explained",
            {"features": []},
            "raqib-v1",
        )
        row = alert_rows([new], SOURCES[i % 3], None, _created_at(i))[0]
        rows.append({**row, "status": STATUSES[(i // 3) % 4]})
    with world.engine.begin() as conn:
        conn.execute(alert.insert(), rows)
    return world


def _by_hand(world: World, since: date, until: date) -> dict[str, Any]:
    with world.engine.connect() as conn:
        every = list_alerts(conn, limit=10_000)
    assert len(every) == 3 + EXTRA
    days = {(since + timedelta(days=n)).isoformat() for n in range((until - since).days + 1)}
    per_day: dict[str, Counter[str]] = {}
    for item in every:
        day = item["created_at"][:10]
        if day in days:
            per_day.setdefault(item["source"], Counter())[day] += 1
    return {
        "total": len(every),
        "by_status": dict(Counter(a["status"] for a in every)),
        "by_source": dict(Counter(a["source"] for a in every)),
        "by_list": dict(Counter(a["list_id"] for a in every)),
        "per_day": {source: dict(counts) for source, counts in per_day.items()},
    }


def test_counts_equal_a_python_count_over_every_alert(spread: World) -> None:
    expected = _by_hand(spread, SINCE, TODAY)
    got = spread.cases.alert_stats(spread.people["aud"], since=SINCE, until=TODAY)
    assert got == expected
    assert set(got["by_status"]) == set(STATUSES)
    assert set(got["by_source"]) == {"batch", *SOURCES}
    assert set(got["per_day"]) == {"batch", *SOURCES}  # the batch alerts (today) are counted too
    in_window = sum(n for counts in got["per_day"].values() for n in counts.values())
    assert 0 < in_window < got["total"]  # some alerts fall before and after the window


def test_one_day_and_a_year(spread: World) -> None:
    with spread.engine.connect() as conn:
        for since, until in [(TODAY, TODAY), (TODAY - timedelta(days=ALERT_STATS_MAX_DAYS - 1), TODAY)]:
            assert alert_stats(conn, since=since, until=until) == _by_hand(spread, since, until)


def test_days_are_utc_whatever_the_session_time_zone(spread: World) -> None:
    expected = _by_hand(spread, SINCE, TODAY)
    with spread.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SET TIME ZONE 'Asia/Riyadh'"))
        assert alert_stats(conn, since=SINCE, until=TODAY) == expected


def test_an_empty_store_counts_nothing(world: World) -> None:
    with world.engine.begin() as conn:
        conn.execute(alert.delete())
        stats = alert_stats(conn, since=SINCE, until=TODAY)
    assert stats == {"total": 0, "by_status": {}, "by_source": {}, "by_list": {}, "per_day": {}}


@pytest.mark.parametrize(
    ("since", "until"),
    [(TODAY, TODAY - timedelta(days=1)), (TODAY - timedelta(days=ALERT_STATS_MAX_DAYS), TODAY)],
)
def test_a_bad_day_range_is_refused(world: World, since: date, until: date) -> None:
    with world.engine.connect() as conn, pytest.raises(InvalidInput):
        alert_stats(conn, since=since, until=until)


def test_counting_needs_the_same_permission_as_reading(world: World) -> None:
    with pytest.raises(Forbidden):
        world.cases.alert_stats(world.people["bot"], since=SINCE, until=TODAY)


# --- open cases: counted by the database, as ageing() would count them one by one ---

AGE_BUCKETS = [(0, 1), (1, 3), (3, 5), (5, 10), (10, None)]


def test_open_case_counts_equal_a_python_count_over_every_case(spread: World) -> None:
    alice, bob = spread.people["alice"], spread.people["bob"]
    with spread.engine.connect() as conn:
        query = sa.select(alert.c.id).where(alert.c.status == "open").order_by(alert.c.id).limit(40)
        ids = list(conn.execute(query).scalars())
    case_ids = [spread.cases.create(alice, f"case {n}", [alert_id])["id"] for n, alert_id in enumerate(ids)]
    now = datetime.now(UTC)
    with spread.engine.begin() as conn:
        for n, case_id in enumerate(case_ids):
            # ages on and either side of every bucket edge, some overdue, some proposed, some closed
            age = timedelta(days=[0, 1, 3, 5, 10, 12][n % 6]) + timedelta(hours=[-2, 0, 2][(n // 6) % 3])
            values: dict[str, Any] = {"created_at": now - age, "due_at": now + timedelta(days=(n % 5) - 2)}
            if n % 4 == 0:
                values.update(status="proposed", proposed_by=alice.actor, proposed_at=now)
            if n % 7 == 0:
                values.update(closed_at=now)
            conn.execute(case_file.update().where(case_file.c.id == case_id).values(**values))
    every = spread.cases.list_cases(bob, limit=10_000)
    open_cases = [c for c in every if c["closed_at"] is None]
    expected = {
        "open": len(open_cases),
        "overdue": sum(1 for c in open_cases if c["overdue"]),
        "proposed": sum(1 for c in open_cases if c["status"] == "proposed"),
        "by_age": [
            sum(1 for c in open_cases if c["age_days"] >= low and (high is None or c["age_days"] < high))
            for low, high in AGE_BUCKETS
        ],
    }
    got = spread.cases.open_case_stats(bob, AGE_BUCKETS)
    assert got == expected
    assert 0 < got["open"] < len(every)
    assert all(got["by_age"])
    assert 0 < got["overdue"] < got["open"]
    assert 0 < got["proposed"] < got["open"]
    with pytest.raises(Forbidden):
        spread.cases.open_case_stats(spread.people["bot"], AGE_BUCKETS)
