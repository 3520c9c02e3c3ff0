"""The alert queue's case table pages through every case, on SQLite and PostgreSQL.

A store of its own per database: 300 cases (60 approved, so the default "every status but
approved" shows 240, three pages) in every status, with two assignees (one with more than a page) and nobody, due days or hours
either side of now, some closed; and 300 alerts, the first 250 each in its own case. What every case
page shows is checked against the filter the page used to run in Python over every case.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from raqib.api import create_app
from raqib.auth import Principal, Role, UserStore
from raqib.cases import CaseStatus, CaseWorkflow, NewAlert, add_alerts
from raqib.config import Settings
from raqib.db import open_engine
from raqib.db.tables import alert, case_alert, case_file
from raqib.web.routes import CASE_PAGE_SIZE
from tests.web.conftest import CHEAP, PASSWORD, Web

CASES = 300
ALERTS = 300
IN_CASES = 250
STATUSES = [s.value for s in CaseStatus]
ASSIGNEES = ["ana", "ana", "amir", None]  # ana has more than a page of cases
# at least hours from now, so the test's own Python filter (run a moment earlier) agrees on each
DUE = [timedelta(days=-40), timedelta(hours=-3), timedelta(hours=3), timedelta(days=2)]
CASE_ROW = re.compile(r'<tr class="[^"]*" data-testid="case-row">\s*<td><a href="/cases/(\d+)">')
ALERT_ROW = re.compile(r'<tr data-testid="alert-row">.*?<a href="/alerts/(\d+)">', re.S)
CASE_LINK = re.compile(r'<a href="(/alerts\?[^"]*)" rel="(prev|next)" data-pager="cases">')
ALERT_LINK = re.compile(r'<a href="(/alerts\?[^"]*)" rel="(prev|next)">')


def _case_row(i: int, now: datetime) -> dict[str, Any]:
    status = STATUSES[i % len(STATUSES)]
    created = now - timedelta(days=50, minutes=i)
    return {
        "title": f"case {i}",
        "status": status,
        "assignee": ASSIGNEES[(i // 5) % len(ASSIGNEES)],
        "created_by": "user:ana",
        "created_at": created,
        "updated_at": created,
        "due_at": now + DUE[(i // 3) % len(DUE)],
        "closed_at": now if status == CaseStatus.APPROVED or i % 13 == 0 else None,
        "version": 1,
    }


@pytest.fixture
def queue(store_url: str, tmp_path: Path) -> Iterator[Web]:
    engine = open_engine(store_url)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        add_alerts(
            conn,
            [
                NewAlert(f"k{i:03d}", "un_sc:QDi.006", "un_sc", 1, 0.8, "x", "explained", {}, "raqib-v1")
                for i in range(ALERTS)
            ],
            source="payment",
        )
        conn.execute(case_file.insert(), [_case_row(i, now) for i in range(CASES)])
        alert_ids = list(conn.execute(sa.select(alert.c.id).order_by(alert.c.id)).scalars())
        case_ids = list(conn.execute(sa.select(case_file.c.id).order_by(case_file.c.id)).scalars())
        conn.execute(
            case_alert.insert(),
            [
                {"alert_id": a, "case_id": c, "added_by": "user:ana", "added_at": now}
                for a, c in zip(alert_ids[:IN_CASES], case_ids, strict=False)
            ],
        )
    users = UserStore(engine, hasher=CHEAP)
    for username, role in [("ana", Role.ANALYST), ("amir", Role.ANALYST), ("bot", Role.API_CLIENT)]:
        users.create(username, PASSWORD, role, Principal.system("test"))
    app = create_app(Settings(home=tmp_path, db=store_url), engine, warm=False)
    app.state.raqib_users = users
    yield Web(app, engine, users)
    engine.dispose()


def _old_filter(web: Web, case_status: str = "", assignee: str = "", overdue: str = "") -> list[int]:
    """The case table as the page used to build it: every case (up to 10,000), filtered in Python."""
    all_cases = CaseWorkflow(web.engine).list_cases(Principal.system("t"), limit=10_000)
    assert len(all_cases) == CASES
    wanted_status = case_status if case_status in {s.value for s in CaseStatus} else None
    return [
        c["id"]
        for c in all_cases
        if ((wanted_status is None and c["status"] != CaseStatus.APPROVED) or c["status"] == wanted_status)
        and (not assignee or c["assignee"] == assignee)
        and (overdue != "1" or c["overdue"])
    ]


def case_ids(page_html: str) -> list[int]:
    return [int(i) for i in CASE_ROW.findall(page_html)]


def links(pattern: re.Pattern[str], page_html: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for url, rel in pattern.findall(page_html):
        found.setdefault(rel, html.unescape(url))
    return found


def case_total(page_html: str) -> int:
    match = re.search(r'data-testid="case-total">(\d+)<', page_html)
    assert match is not None
    return int(match.group(1))


def _walk_cases(client: Any, params: dict[str, str]) -> tuple[list[int], int, list[str]]:
    """Every case the table shows for ``params``, following its next links; the total and pages."""
    response = client.get("/alerts", params=params)
    assert response.status_code == 200
    shown, pages = case_ids(response.text), [response.text]
    while "next" in links(CASE_LINK, pages[-1]):
        response = client.get(links(CASE_LINK, pages[-1])["next"])
        assert response.status_code == 200
        pages.append(response.text)
        shown += case_ids(response.text)
    return shown, case_total(pages[0]), pages


FILTERS = [
    {},
    {"case_status": "new"},
    {"case_status": "approved"},
    {"case_status": "nonsense"},  # an unknown status is the default: every status but approved
    {"assignee": "ana"},
    {"assignee": "nobody"},
    {"overdue": "1"},
    {"overdue": "yes"},  # only "1" filters, as before
    {"assignee": "amir", "overdue": "1"},
    {"case_status": "in_review", "assignee": "ana", "overdue": "1"},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_every_case_page_shows_what_the_python_filter_over_every_case_showed(
    queue: Web, filters: dict[str, str]
) -> None:
    client = queue.client("ana")
    client.cookies.set("raqib_lang", "en")
    expected = _old_filter(queue, **filters)
    shown, total, pages = _walk_cases(client, filters)
    assert shown == expected
    assert total == len(expected)
    assert len(pages) == max(1, -(-len(expected) // CASE_PAGE_SIZE))
    if not expected:
        assert 'data-testid="case-pager"' not in pages[0]
        assert "No cases match." in pages[0]


def test_the_default_table_has_more_than_a_page_and_the_true_total(queue: Web) -> None:
    client = queue.client("ana")
    client.cookies.set("raqib_lang", "en")
    expected = _old_filter(queue)
    assert CASE_PAGE_SIZE == 100
    assert len(expected) == CASES - CASES // len(STATUSES) == 240
    first = client.get("/alerts").text
    assert case_ids(first) == expected[:100]
    assert case_total(first) == 240
    assert "Showing 1–100 of 240" in first
    assert "Page 1 of 3" in first
    assert set(links(CASE_LINK, first)) == {"next"}
    second = client.get(links(CASE_LINK, first)["next"]).text
    assert case_ids(second) == expected[100:200]
    assert "Showing 101–200 of 240" in second
    last = client.get(links(CASE_LINK, second)["next"]).text
    assert case_ids(last) == expected[200:]
    assert "Showing 201–240 of 240" in last
    assert set(links(CASE_LINK, last)) == {"prev"}
    back = client.get(links(CASE_LINK, last)["prev"]).text
    assert case_ids(back) == expected[100:200]


def test_paging_the_cases_keeps_the_alert_page_and_every_filter(queue: Web) -> None:
    client = queue.client("ana")
    client.cookies.set("raqib_lang", "en")
    params = {"status": "open", "source": "payment", "min_score": "0.5", "assignee": "ana", "page": "2"}
    expected_cases = _old_filter(queue, assignee="ana")
    assert len(expected_cases) > 100
    first = client.get("/alerts", params=params).text
    alerts_on_page_two = [int(i) for i in ALERT_ROW.findall(first)]
    assert len(alerts_on_page_two) == 100
    assert "Showing 101–200 of 300" in first  # the alerts' range
    case_next = links(CASE_LINK, first)["next"]
    for name, value in [*params.items(), ("case_page", "2")]:
        assert f"{name}={value}" in case_next
    second = client.get(case_next).text
    assert case_ids(second) == expected_cases[100:200]
    assert [int(i) for i in ALERT_ROW.findall(second)] == alerts_on_page_two  # the alerts stay
    # and paging the alerts keeps the case page and the case filters
    alert_prev = links(ALERT_LINK, second)["prev"]
    for name, value in [("assignee", "ana"), ("case_page", "2"), ("page", "1"), ("source", "payment")]:
        assert f"{name}={value}" in alert_prev
    back = client.get(alert_prev).text
    assert case_ids(back) == expected_cases[100:200]
    assert "Showing 1–100 of 300" in back


def test_each_filter_form_carries_the_other_tables_filters_and_page(queue: Web) -> None:
    client = queue.client("ana")
    page = client.get(
        "/alerts",
        params={"source": "payment", "page": "3", "case_page": "2", "case_status": "x", "assignee": "ana"},
    ).text
    case_form, alert_form = re.findall(
        r'<form method="get" action="/alerts" class="filters">(.*?)</form>', page, re.S
    )
    assert '<input type="hidden" name="page" value="3">' in case_form
    assert '<input type="hidden" name="source" value="payment">' in case_form
    assert 'name="case_page"' not in case_form  # a new case filter starts at the first case page
    assert '<input type="hidden" name="case_page" value="2">' in alert_form
    assert '<input type="hidden" name="case_status" value="x">' in alert_form
    assert '<input type="hidden" name="assignee" value="ana">' in alert_form
    assert 'name="overdue"' not in alert_form  # empty filters are left out
    assert 'name="page"' not in alert_form


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("0", 1), ("-1", 1), ("2", 2), ("999", 3)])
def test_a_bad_or_out_of_range_case_page_shows_the_first_or_last(queue: Web, asked: str, shown: int) -> None:
    client = queue.client("ana")
    client.cookies.set("raqib_lang", "en")
    response = client.get("/alerts", params={"case_page": asked})
    assert response.status_code == 200
    assert case_ids(response.text) == _old_filter(queue)[(shown - 1) * 100 : shown * 100]
    assert f"Page {shown} of 3" in response.text


def test_alert_rows_show_the_status_of_their_own_case(queue: Web) -> None:
    client = queue.client("ana")
    workflow = CaseWorkflow(queue.engine)
    every_alert = workflow.alerts(Principal.system("t"), limit=10_000)
    every_case = {c["id"]: c for c in workflow.list_cases(Principal.system("t"), limit=10_000)}
    for page_number, start in [(1, 0), (3, 200)]:
        page = client.get("/alerts", params={"page": str(page_number), "status": "all"}).text
        shown = every_alert[start : start + 100]
        assert [int(i) for i in ALERT_ROW.findall(page)] == [a["id"] for a in shown]
        cells = re.findall(r'<td><a href="/cases/(\d+)">#\d+</a> <span class="status status-(\w+)">', page)
        grouped = [a for a in shown if a["case_id"] is not None]
        assert [int(case_id) for case_id, _ in cells] == [a["case_id"] for a in grouped]
        assert [status for _, status in cells] == [every_case[a["case_id"]]["status"] for a in grouped]
    assert 0 < len([a for a in every_alert[200:300] if a["case_id"]]) < 100  # page 3 mixes both


def test_cases_in_arabic_use_the_alert_pager_labels(queue: Web) -> None:
    client = queue.client("ana")
    client.cookies.set("raqib_lang", "ar")
    page = client.get("/alerts", params={"case_page": "2"}).text
    assert "عرض 101–200 من 240" in page
    assert 'aria-label="صفحات الحالات"' in page
    assert 'aria-label="صفحات التنبيهات"' in page
    assert set(links(CASE_LINK, page)) == {"prev", "next"}
    assert "Previous" not in page


def test_cases_past_ten_thousand_are_counted_and_reachable(queue: Web) -> None:
    # the page used to read at most 10,000 cases; the ones due last were never shown
    now = datetime.now(UTC)
    with queue.engine.begin() as conn:
        rows = [{**_case_row(i, now), "status": "new", "closed_at": None} for i in range(10_000)]
        for row in rows:
            row["due_at"] = now + timedelta(days=30)  # due after every other case: the last pages
        conn.execute(case_file.insert(), rows)
        last_ids = list(
            conn.execute(
                sa.select(case_file.c.id).order_by(case_file.c.due_at.desc(), case_file.c.id.desc()).limit(40)
            ).scalars()
        )
    client = queue.client("ana")
    client.cookies.set("raqib_lang", "en")
    total = 240 + 10_000
    page = client.get("/alerts", params={"case_page": "999999"}).text
    assert case_total(page) == total
    assert f"Showing {total - 39}–{total} of {total}" in page
    assert f"Page {total // 100 + 1} of {total // 100 + 1}" in page
    assert case_ids(page) == last_ids[::-1]
