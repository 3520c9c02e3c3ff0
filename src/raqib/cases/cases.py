"""Reading cases: the case with its alerts, each alert with its customer and listed entity.

A case answers what a regulator (and the goAML report, for ``file_str``) needs: which alerts it
groups, who each party is (customer register row), which listed entity each matched (the list
record at the version that raised the alert), who proposed what, who decided, when, and its ageing.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from raqib.db.tables import (
    alert,
    case_alert,
    case_comment,
    case_evidence,
    case_file,
    customer,
    list_entity,
)
from raqib.errors import InvalidInput, NotFound


class CaseStatus(StrEnum):
    NEW = "new"
    IN_REVIEW = "in_review"
    PROPOSED = "proposed"  # a disposition waits for a second person
    RETURNED = "returned"  # the reviewer sent the proposal back
    APPROVED = "approved"  # final: the disposition stands


class Disposition(StrEnum):
    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"  # once approved, each (customer, entity) pair joins the allow-list
    ESCALATE = "escalate"
    FILE_STR = "file_str"  # a suspicious transaction report to the FIU (goAML)


ALERT_STATS_MAX_DAYS = 366  # the per-day CASE expression has one branch a day; keep it bounded

OPEN_STATUSES = frozenset({CaseStatus.NEW, CaseStatus.IN_REVIEW, CaseStatus.PROPOSED, CaseStatus.RETURNED})


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything Raqib stores is UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _iso(value: datetime | None) -> str | None:
    value = utc(value)
    return value.isoformat() if value is not None else None


def ageing(row: Any, now: datetime | None = None) -> dict[str, Any]:
    """Days open (until closed, or until now) and whether an open case is past its due date."""
    now = now or datetime.now(UTC)
    created, due, closed = utc(row.created_at), utc(row.due_at), utc(row.closed_at)
    end = closed or now
    return {
        "age_days": round((end - created).total_seconds() / 86400, 2),  # type: ignore[operator]
        "overdue": closed is None and due is not None and now > due,
    }


def case_summary(row: Any, now: datetime | None = None) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "status": row.status,
        "disposition": row.disposition,
        "reason": row.reason,
        "assignee": row.assignee,
        "created_by": row.created_by,
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
        "due_at": _iso(row.due_at),
        "proposed_by": row.proposed_by,
        "proposed_at": _iso(row.proposed_at),
        "decided_by": row.decided_by,
        "decided_at": _iso(row.decided_at),
        "decision_note": row.decision_note,
        "closed_at": _iso(row.closed_at),
        "version": row.version,
        **ageing(row, now),
    }


def load_case_row(conn: sa.Connection, case_id: int) -> Any:
    row = conn.execute(sa.select(case_file).where(case_file.c.id == case_id)).first()
    if row is None:
        raise NotFound(f"no case {case_id}")
    return row


def alert_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "customer_id": row.customer_id,
        "entity_id": row.entity_id,
        "list_id": row.list_id,
        "list_version_id": row.list_version_id,
        "source": row.source,
        "status": row.status,
        "score": row.score,
        "matched_name": row.matched_name,
        "explanation": row.explanation,
        "algorithm": row.algorithm,
        "job_id": row.job_id,
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
    }


def case_alerts(conn: sa.Connection, case_id: int) -> list[dict[str, Any]]:
    """The case's alerts, each with its customer (register row) and entity (list record)."""
    query = (
        sa.select(
            alert,
            customer.c.name.label("customer_name"),
            customer.c.dob.label("customer_dob"),
            customer.c.country.label("customer_country"),
            customer.c.type.label("customer_type"),
            list_entity.c.caption.label("entity_caption"),
            list_entity.c.type.label("entity_type"),
            list_entity.c.data.label("entity_data"),
        )
        .join(case_alert, case_alert.c.alert_id == alert.c.id)
        .outerjoin(customer, customer.c.id == alert.c.customer_id)
        .outerjoin(
            list_entity,
            sa.and_(
                list_entity.c.version_id == alert.c.list_version_id,
                list_entity.c.entity_id == alert.c.entity_id,
            ),
        )
        .where(case_alert.c.case_id == case_id)
        .order_by(alert.c.id)
    )
    result = []
    for row in conn.execute(query).all():
        item = alert_dict(row)
        item["customer"] = (
            {
                "id": row.customer_id,
                "name": row.customer_name,
                "dob": row.customer_dob,
                "country": row.customer_country,
                "type": row.customer_type,
            }
            if row.customer_name is not None
            else None
        )
        item["entity"] = (
            {
                "id": row.entity_id,
                "caption": row.entity_caption,
                "type": row.entity_type,
                "record": json.loads(row.entity_data),
            }
            if row.entity_data is not None
            else None
        )
        result.append(item)
    return result


def case_detail(conn: sa.Connection, case_id: int) -> dict[str, Any]:
    """Everything about one case: summary, alerts with parties, comments, evidence metadata."""
    row = load_case_row(conn, case_id)
    comments = conn.execute(
        sa.select(case_comment).where(case_comment.c.case_id == case_id).order_by(case_comment.c.id)
    ).all()
    evidence = conn.execute(
        sa.select(
            case_evidence.c.id,
            case_evidence.c.filename,
            case_evidence.c.media_type,
            case_evidence.c.size,
            case_evidence.c.sha256,
            case_evidence.c.uploaded_by,
            case_evidence.c.uploaded_at,
        )
        .where(case_evidence.c.case_id == case_id)
        .order_by(case_evidence.c.id)
    ).all()
    return {
        **case_summary(row),
        "alerts": case_alerts(conn, case_id),
        "comments": [
            {"id": c.id, "author": c.author, "body": c.body, "created_at": _iso(c.created_at)}
            for c in comments
        ],
        "evidence": [
            {
                "id": e.id,
                "filename": e.filename,
                "media_type": e.media_type,
                "size": e.size,
                "sha256": e.sha256,
                "uploaded_by": e.uploaded_by,
                "uploaded_at": _iso(e.uploaded_at),
            }
            for e in evidence
        ],
    }


def _instant(now: datetime | None) -> datetime:
    """``now`` in UTC (default: the current time; a naive one is taken as UTC, as :func:`utc` does)."""
    # SQLite compares the text of a bound datetime, which keeps the wall clock and drops the offset:
    # only a UTC moment compares right with the UTC that Raqib stores.
    return utc(now).astimezone(UTC) if now is not None else datetime.now(UTC)  # type: ignore[union-attr]


def _case_conditions(
    *,
    status: str | None,
    exclude_status: str | None,
    assignee: str | None,
    overdue: bool | None,
    now: datetime,
) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses shared by :func:`list_cases` and :func:`count_cases`.

    ``overdue`` is the flag :func:`ageing` sets, asked of the database: not closed and ``now`` past
    the due date (``due_at`` is never NULL). ``now`` is an aware UTC datetime bound as a parameter,
    so PostgreSQL compares instants whatever the session's time zone, and SQLite compares the same
    UTC text it stores.
    """
    conditions: list[sa.ColumnElement[bool]] = []
    if status is not None:
        conditions.append(case_file.c.status == status)
    if exclude_status is not None:
        conditions.append(case_file.c.status != exclude_status)
    if assignee is not None:
        conditions.append(case_file.c.assignee == assignee)
    if overdue is True:
        conditions.append(sa.and_(case_file.c.closed_at.is_(None), case_file.c.due_at < now))
    elif overdue is False:
        conditions.append(sa.or_(case_file.c.closed_at.is_not(None), case_file.c.due_at >= now))
    return conditions


def list_cases(
    conn: sa.Connection,
    *,
    status: str | None = None,
    assignee: str | None = None,
    overdue: bool | None = None,
    limit: int = 100,
    exclude_status: str | None = None,
    offset: int = 0,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Cases, oldest due date first (what needs doing next comes first).

    Args:
        conn: An open connection.
        status: Only cases in this status.
        assignee: Only cases given to this user.
        overdue: True: only open cases past their due date; False: only the others.
        limit: At most this many (clamped to 1..10,000).
        exclude_status: Only cases in any status but this one (the queue hides ``approved``).
        offset: Skip this many of the matching cases first (for paging; negative counts as 0).
        now: The moment due dates are measured against (default: now), for the filter and the
            ``overdue`` flag alike.

    Returns:
        Case summaries ordered by due date, then id, so successive offsets page through them stably.
    """
    now = _instant(now)
    conditions = _case_conditions(
        status=status, exclude_status=exclude_status, assignee=assignee, overdue=overdue, now=now
    )
    query = sa.select(case_file).where(*conditions).order_by(case_file.c.due_at, case_file.c.id)
    query = query.limit(max(1, min(limit, 10_000))).offset(max(0, offset))
    rows = conn.execute(query).all()
    return [case_summary(row, now) for row in rows]


def count_cases(
    conn: sa.Connection,
    *,
    status: str | None = None,
    assignee: str | None = None,
    overdue: bool | None = None,
    exclude_status: str | None = None,
    now: datetime | None = None,
) -> int:
    """How many cases :func:`list_cases` would page through with the same filters (no limit)."""
    conditions = _case_conditions(
        status=status,
        exclude_status=exclude_status,
        assignee=assignee,
        overdue=overdue,
        now=_instant(now),
    )
    return int(conn.execute(sa.select(sa.func.count(case_file.c.id)).where(*conditions)).scalar_one())


def cases_by_id(
    conn: sa.Connection, case_ids: Collection[int], now: datetime | None = None
) -> dict[int, dict[str, Any]]:
    """The summaries of these cases (one query), keyed by id; ids with no case are left out.

    Args:
        conn: An open connection.
        case_ids: The cases wanted, e.g. those a page of alerts belongs to (a page's worth: the ids
            go into one ``IN`` list).
        now: The moment the ``overdue`` flags are measured against (default: now).
    """
    wanted = sorted(set(case_ids))
    if not wanted:
        return {}
    now = _instant(now)
    rows = conn.execute(sa.select(case_file).where(case_file.c.id.in_(wanted))).all()
    return {row.id: case_summary(row, now) for row in rows}


def _alert_conditions(
    *,
    status: str | None = None,
    customer_id: str | None = None,
    unassigned: bool = False,
    source: str | None = None,
    grouped: bool = False,
    min_score: float | None = None,
) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses shared by :func:`list_alerts` and :func:`count_alerts` (alert ⟕ case_alert)."""
    conditions: list[sa.ColumnElement[bool]] = []
    if status is not None:
        conditions.append(alert.c.status == status)
    if customer_id is not None:
        conditions.append(alert.c.customer_id == customer_id)
    if unassigned:
        conditions.append(case_alert.c.case_id.is_(None))
    if source is not None:
        conditions.append(alert.c.source == source)
    if grouped:
        conditions.append(case_alert.c.case_id.is_not(None))
    if min_score is not None:
        conditions.append(alert.c.score >= min_score)
    return conditions


def _with_cases(query: sa.Select[Any]) -> sa.Select[Any]:
    # case_alert's primary key is the alert id alone, so the outer join never repeats an alert
    # and a count over the join is the number of alerts.
    return query.select_from(alert).outerjoin(case_alert, case_alert.c.alert_id == alert.c.id)


def list_alerts(
    conn: sa.Connection,
    *,
    status: str | None = None,
    customer_id: str | None = None,
    unassigned: bool = False,
    limit: int = 100,
    source: str | None = None,
    grouped: bool = False,
    min_score: float | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Alerts with the case each belongs to (``case_id`` None: not yet grouped into a case).

    Args:
        conn: An open connection.
        status: Only alerts in this status.
        customer_id: Only this customer's alerts.
        unassigned: Only alerts not yet grouped into a case.
        limit: At most this many (clamped to 1..10,000).
        source: Only alerts raised by this source (``batch``, ``payment``, ...).
        grouped: Only alerts that belong to a case.
        min_score: Only alerts scoring at least this much.
        offset: Skip this many of the matching alerts first (for paging; negative counts as 0).

    Returns:
        The alerts in id order (oldest first), so successive offsets page through them stably.
    """
    conditions = _alert_conditions(
        status=status,
        customer_id=customer_id,
        unassigned=unassigned,
        source=source,
        grouped=grouped,
        min_score=min_score,
    )
    query = _with_cases(sa.select(alert, case_alert.c.case_id)).where(*conditions).order_by(alert.c.id)
    query = query.limit(max(1, min(limit, 10_000))).offset(max(0, offset))
    rows = conn.execute(query).all()
    return [{**alert_dict(row), "case_id": row.case_id} for row in rows]


def count_alerts(
    conn: sa.Connection,
    *,
    status: str | None = None,
    customer_id: str | None = None,
    unassigned: bool = False,
    source: str | None = None,
    grouped: bool = False,
    min_score: float | None = None,
) -> int:
    """How many alerts :func:`list_alerts` would page through with the same filters (no limit)."""
    conditions = _alert_conditions(
        status=status,
        customer_id=customer_id,
        unassigned=unassigned,
        source=source,
        grouped=grouped,
        min_score=min_score,
    )
    query = _with_cases(sa.select(sa.func.count(alert.c.id))).where(*conditions)
    return int(conn.execute(query).scalar_one())


def alert_stats(conn: sa.Connection, *, since: date, until: date) -> dict[str, Any]:
    """What the dashboard shows about alerts, counted by the database (no row is fetched).

    Days are UTC calendar days. Each is bucketed with a ``CASE`` over ``created_at`` against UTC
    midnights passed as parameters, so SQLite (ISO text) and PostgreSQL (``timestamptz``) put an
    alert on the same day whatever the session's time zone.

    Args:
        conn: An open connection.
        since: The first day counted per day (inclusive).
        until: The last day counted per day (inclusive); at most 366 days after ``since``.

    Returns:
        ``total`` (every alert), ``by_status``, ``by_source`` and ``by_list`` (alert counts keyed by
        status, source and list id, over every alert, whatever its day), and ``per_day``:
        ``{source: {"YYYY-MM-DD": count}}`` for the days ``since``..``until`` (days without an
        alert are left out).

    Raises:
        InvalidInput: ``until`` is before ``since``, or the range is longer than 366 days.
    """
    span = (until - since).days + 1
    if span < 1 or span > ALERT_STATS_MAX_DAYS:
        raise InvalidInput(
            f"the day range must hold 1 to {ALERT_STATS_MAX_DAYS} days",
            details={"since": since.isoformat(), "until": until.isoformat()},
        )
    count = sa.func.count(alert.c.id).label("n")
    by_status: dict[str, int] = {}
    by_source: dict[str, int] = {}
    by_list: dict[str, int] = {}
    # (status, source, list) combinations are few, so one GROUP BY gives all three marginals.
    rows = conn.execute(
        sa.select(alert.c.status, alert.c.source, alert.c.list_id, count).group_by(
            alert.c.status, alert.c.source, alert.c.list_id
        )
    ).all()
    for row in rows:
        by_status[row.status] = by_status.get(row.status, 0) + row.n
        by_source[row.source] = by_source.get(row.source, 0) + row.n
        by_list[row.list_id] = by_list.get(row.list_id, 0) + row.n

    days = [since + timedelta(days=n) for n in range(span)]

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=UTC)

    end = midnight(until + timedelta(days=1))
    # the WHERE keeps created_at >= since, so the first midnight it is before names its day
    day_of = sa.case(
        *[(alert.c.created_at < midnight(day + timedelta(days=1)), day.isoformat()) for day in days]
    )
    windowed = (
        sa.select(alert.c.source, day_of.label("day"))
        .where(alert.c.created_at >= midnight(since), alert.c.created_at < end)
        .subquery()
    )
    # grouped outside the subquery: PostgreSQL would not match a GROUP BY holding the same CASE
    # with its own (renumbered) parameters
    per_day: dict[str, dict[str, int]] = {}
    for row in conn.execute(
        sa.select(windowed.c.source, windowed.c.day, sa.func.count().label("n")).group_by(
            windowed.c.source, windowed.c.day
        )
    ).all():
        per_day.setdefault(row.source, {})[row.day] = row.n
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_source": by_source,
        "by_list": by_list,
        "per_day": per_day,
    }


def open_case_stats(
    conn: sa.Connection,
    *,
    age_buckets: Sequence[tuple[float, float | None]],
    now: datetime | None = None,
) -> dict[str, Any]:
    """What the dashboard shows about open cases, counted by the database in one query.

    Args:
        conn: An open connection.
        age_buckets: ``(low, high)`` day ranges; a case counts in one when ``low <= age < high``
            (``high`` None: no upper end), its age as :func:`ageing` gives it (days, 2 decimals).
        now: The moment ages and due dates are measured against (default: now).

    Returns:
        ``open`` (cases not closed), ``overdue`` (open and past the due date), ``proposed`` (open,
        waiting for a second person) and ``by_age`` (open cases per bucket, in the buckets' order).
    """
    now = now or datetime.now(UTC)

    def aged_at_least(days: float) -> sa.ColumnElement[bool]:
        # ageing() rounds to 2 decimals: an age rounds up to ``days`` from ``days - 0.005`` on
        return case_file.c.created_at <= now - timedelta(days=days - 0.005)

    def how_many(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[Any]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    columns = [
        sa.func.count(case_file.c.id),
        how_many(case_file.c.due_at < now),
        how_many(case_file.c.status == CaseStatus.PROPOSED.value),
    ]
    for low, high in age_buckets:
        bucket = aged_at_least(low) if high is None else sa.and_(aged_at_least(low), ~aged_at_least(high))
        columns.append(how_many(bucket))
    row = conn.execute(sa.select(*columns).where(case_file.c.closed_at.is_(None))).one()
    counts = [int(value) for value in row]
    return {"open": counts[0], "overdue": counts[1], "proposed": counts[2], "by_age": counts[3:]}


def get_alert(conn: sa.Connection, alert_id: int) -> dict[str, Any]:
    row = conn.execute(
        sa.select(alert, case_alert.c.case_id)
        .outerjoin(case_alert, case_alert.c.alert_id == alert.c.id)
        .where(alert.c.id == alert_id)
    ).first()
    if row is None:
        raise NotFound(f"no alert {alert_id}")
    return {**alert_dict(row), "detail": json.loads(row.detail), "case_id": row.case_id}


__all__ = [
    "ALERT_STATS_MAX_DAYS",
    "OPEN_STATUSES",
    "CaseStatus",
    "Disposition",
    "ageing",
    "alert_stats",
    "case_alerts",
    "case_detail",
    "case_summary",
    "cases_by_id",
    "count_alerts",
    "count_cases",
    "get_alert",
    "list_alerts",
    "list_cases",
    "load_case_row",
    "open_case_stats",
    "utc",
]
