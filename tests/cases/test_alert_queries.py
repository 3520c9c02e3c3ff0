"""The alert query behind the queue, on SQLite and PostgreSQL: filters, paging and the true count.

The world's three batch alerts get 250 more (payment and text, scores spread 0.50-0.99, thirty of
them grouped into a case), more than two pages of the web queue, so paging and counting are
checked against what a Python filter over every alert says.
"""

from __future__ import annotations

from typing import Any

import pytest

from raqib.auth import Forbidden
from raqib.cases import NewAlert, add_alerts
from tests.cases.conftest import World

EXTRA = 250
GROUPED = 30


@pytest.fixture
def crowded(world: World) -> World:
    version_id = 1
    extra = [
        NewAlert(
            f"p{i:03d}",
            "un_sc:QDi.057",
            "un_sc",
            version_id,
            round(0.5 + (i % 50) / 100, 2),
            "name",
            "explained",
            {"features": []},
            "raqib-v1",
        )
        for i in range(EXTRA)
    ]
    with world.engine.begin() as conn:
        add_alerts(conn, [a for i, a in enumerate(extra) if i % 5], source="payment")
        add_alerts(conn, [a for i, a in enumerate(extra) if i % 5 == 0], source="text")
    everything = world.cases.alerts(world.people["aud"], limit=10_000)
    payment_ids = [a["id"] for a in everything if a["source"] == "payment"]
    world.cases.create(world.people["alice"], "crowded", payment_ids[:GROUPED])
    return world


def _all(world: World) -> list[dict[str, Any]]:
    return world.cases.alerts(world.people["aud"], limit=10_000)


def test_defaults_and_shape_are_unchanged(crowded: World) -> None:
    everything = _all(crowded)
    assert len(everything) == 3 + EXTRA
    default = crowded.cases.alerts(crowded.people["aud"])
    assert len(default) == 100  # the default limit stays 100
    assert default == everything[:100]
    assert set(default[0]) == {
        "id",
        "customer_id",
        "entity_id",
        "list_id",
        "list_version_id",
        "source",
        "status",
        "score",
        "matched_name",
        "explanation",
        "algorithm",
        "job_id",
        "created_at",
        "updated_at",
        "case_id",
    }
    assert [a["id"] for a in everything] == sorted(a["id"] for a in everything)


def test_offset_pages_through_every_alert_once(crowded: World) -> None:
    aud = crowded.people["aud"]
    everything = _all(crowded)
    pages = [crowded.cases.alerts(aud, limit=100, offset=start) for start in range(0, 300, 100)]
    assert [len(p) for p in pages] == [100, 100, 53]
    assert [a["id"] for p in pages for a in p] == [a["id"] for a in everything]
    assert crowded.cases.alerts(aud, limit=100, offset=1000) == []
    assert crowded.cases.alerts(aud, limit=5, offset=-7) == everything[:5]  # negative counts as 0
    assert crowded.cases.count_alerts(aud) == len(everything) == 3 + EXTRA


@pytest.mark.parametrize(
    "filters",
    [
        {"source": "payment"},
        {"source": "text"},
        {"source": "nowhere"},
        {"grouped": True},
        {"unassigned": True},
        {"min_score": 0.9},
        {"min_score": 0.75, "source": "payment"},
        {"min_score": 0.75, "source": "payment", "grouped": True},
        {"status": "open", "unassigned": True, "source": "payment"},
        {"status": "closed"},
        {"customer_id": "p001", "source": "payment"},
        {"grouped": True, "unassigned": True},  # contradictory: nothing
    ],
)
def test_filters_count_and_page_in_sql(crowded: World, filters: dict[str, Any]) -> None:
    aud = crowded.people["aud"]

    def wanted(a: dict[str, Any]) -> bool:
        return (
            ("source" not in filters or a["source"] == filters["source"])
            and (not filters.get("grouped") or a["case_id"] is not None)
            and (not filters.get("unassigned") or a["case_id"] is None)
            and ("min_score" not in filters or a["score"] >= filters["min_score"])
            and ("status" not in filters or a["status"] == filters["status"])
            and ("customer_id" not in filters or a["customer_id"] == filters["customer_id"])
        )

    expected = [a for a in _all(crowded) if wanted(a)]
    assert crowded.cases.count_alerts(aud, **filters) == len(expected)
    first = crowded.cases.alerts(aud, **filters, limit=40)
    second = crowded.cases.alerts(aud, **filters, limit=40, offset=40)
    assert first + second == expected[:80]


def test_filters_match_the_expected_numbers(crowded: World) -> None:
    aud = crowded.people["aud"]
    assert crowded.cases.count_alerts(aud, source="payment") == EXTRA - EXTRA // 5
    assert crowded.cases.count_alerts(aud, source="text") == EXTRA // 5
    assert crowded.cases.count_alerts(aud, grouped=True) == GROUPED
    assert crowded.cases.count_alerts(aud, unassigned=True) == 3 + EXTRA - GROUPED
    # scores 0.50 + (i % 50) / 100: five of every fifty reach 0.95; plus the three 0.91 batch alerts
    assert crowded.cases.count_alerts(aud, min_score=0.95) == EXTRA // 50 * 5
    assert crowded.cases.count_alerts(aud, min_score=0.9) == EXTRA // 50 * 10 + 3


def test_counting_needs_the_same_permission_as_reading(crowded: World) -> None:
    with pytest.raises(Forbidden):
        crowded.cases.count_alerts(crowded.people["bot"])
    with pytest.raises(Forbidden):
        crowded.cases.alerts(crowded.people["bot"], source="payment")
