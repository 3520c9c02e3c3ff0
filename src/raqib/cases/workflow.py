"""The case workflow: new → in review → proposed → approved or returned, four-eyes on the server.

Every change is one transaction holding a conditional UPDATE on the case row (its status, and the
version the caller saw when given) and an audit record. Two reviewers approving at once both run
``UPDATE ... WHERE status = 'proposed'``; the database lets one through and the other updates no
row, which becomes :class:`~raqib.errors.Conflict` (HTTP 409). The proposer's actor id is kept on
the case and the approving UPDATE also requires ``proposed_by <> approver``: the user who proposes
cannot approve, whatever the user interface does.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from raqib import audit
from raqib.auth import Forbidden, Principal, Role, authorize
from raqib.cases.alerts import AlertStatus
from raqib.cases.cases import (
    CaseStatus,
    Disposition,
    alert_stats,
    case_detail,
    cases_by_id,
    count_alerts,
    count_cases,
    get_alert,
    list_alerts,
    list_cases,
    load_case_row,
    open_case_stats,
    utc,
)
from raqib.cases.evidence import Evidence, clean_media_type, content_hash, sanitise_filename
from raqib.db.tables import alert, app_user, case_alert, case_comment, case_evidence, case_file
from raqib.errors import Conflict, IntegrityError, InvalidInput, NotFound

_WORK_ROLES = {Role.ANALYST.value, Role.REVIEWER.value, Role.ADMIN.value}
_EDITABLE = (CaseStatus.NEW, CaseStatus.IN_REVIEW, CaseStatus.RETURNED)


def _subject(case_id: int) -> str:
    return f"case:{case_id}"


def _text(value: str, field: str, limit: int = 20_000) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(f"{field} must not be empty", details={"field": field})
    if len(value) > limit:
        raise InvalidInput(f"{field} is longer than {limit} characters", details={"field": field})
    return value


class CaseWorkflow:
    """Cases over one database. Each method checks the caller's role before touching anything."""

    def __init__(self, engine: Engine, *, sla_days: float = 5, evidence_max_bytes: int = 5_000_000):
        self.engine = engine
        self.sla = timedelta(days=sla_days)
        self.evidence_max_bytes = evidence_max_bytes

    # --- reading ---

    def get(self, who: Principal, case_id: int) -> dict[str, Any]:
        authorize(who, "case.read")
        with self.engine.connect() as conn:
            return case_detail(conn, case_id)

    def list_cases(self, who: Principal, **filters: Any) -> list[dict[str, Any]]:
        """Cases by due date; filters and paging as :func:`raqib.cases.cases.list_cases` takes them."""
        authorize(who, "case.read")
        with self.engine.connect() as conn:
            return list_cases(conn, **filters)

    def count_cases(self, who: Principal, **filters: Any) -> int:
        """How many cases :meth:`list_cases` pages through with the same filters (``limit``/``offset`` aside)."""
        authorize(who, "case.read")
        with self.engine.connect() as conn:
            return count_cases(conn, **filters)

    def cases_by_id(self, who: Principal, case_ids: Collection[int]) -> dict[int, dict[str, Any]]:
        """The summaries of these cases keyed by id, in one query (ids with no case are left out)."""
        authorize(who, "case.read")
        with self.engine.connect() as conn:
            return cases_by_id(conn, case_ids)

    def alerts(self, who: Principal, **filters: Any) -> list[dict[str, Any]]:
        """Alerts in id order; filters and paging as :func:`raqib.cases.cases.list_alerts` takes them."""
        authorize(who, "alert.read")
        with self.engine.connect() as conn:
            return list_alerts(conn, **filters)

    def count_alerts(self, who: Principal, **filters: Any) -> int:
        """How many alerts :meth:`alerts` pages through with the same filters (``limit``/``offset`` aside)."""
        authorize(who, "alert.read")
        with self.engine.connect() as conn:
            return count_alerts(conn, **filters)

    def alert_stats(self, who: Principal, *, since: date, until: date) -> dict[str, Any]:
        """Alert counts for the dashboard, as :func:`raqib.cases.cases.alert_stats` gives them."""
        authorize(who, "alert.read")
        with self.engine.connect() as conn:
            return alert_stats(conn, since=since, until=until)

    def open_case_stats(
        self, who: Principal, age_buckets: Sequence[tuple[float, float | None]]
    ) -> dict[str, Any]:
        """Open-case counts for the dashboard, as :func:`raqib.cases.cases.open_case_stats` gives them."""
        authorize(who, "case.read")
        with self.engine.connect() as conn:
            return open_case_stats(conn, age_buckets=age_buckets)

    def alert(self, who: Principal, alert_id: int) -> dict[str, Any]:
        authorize(who, "alert.read")
        with self.engine.connect() as conn:
            return get_alert(conn, alert_id)

    def history(self, who: Principal, case_id: int) -> list[dict[str, Any]]:
        """The case's audit records, oldest first."""
        authorize(who, "case.read")
        with self.engine.connect() as conn:
            load_case_row(conn, case_id)
        return [r.to_dict() for r in audit.records(self.engine, subject=_subject(case_id), limit=10_000)]

    # --- changing ---

    def _change(
        self,
        conn: sa.Connection,
        who: Principal,
        case_id: int,
        allowed: Collection[CaseStatus],
        values: dict[str, Any],
        version: int | None,
        four_eyes: bool = False,
    ) -> Any:
        """Conditional UPDATE of the case row; returns the updated row or raises why it did not apply."""
        conditions = [case_file.c.id == case_id, case_file.c.status.in_([s.value for s in allowed])]
        if version is not None:
            conditions.append(case_file.c.version == version)
        if four_eyes:
            conditions.append(case_file.c.proposed_by != who.actor)
        now = datetime.now(UTC)
        updated = conn.execute(
            case_file.update()
            .where(*conditions)
            .values(**values, updated_at=now, version=case_file.c.version + 1)
            .returning(case_file.c.id)
        ).first()
        row = load_case_row(conn, case_id)
        if updated is not None:
            return row
        if row.status not in {s.value for s in allowed}:
            by = f" by {row.decided_by}" if row.decided_by else ""
            raise Conflict(
                f"case {case_id} is {row.status}{by}; this needs it to be {' or '.join(sorted(allowed))}",
                details={"status": row.status, "version": row.version},
            )
        if version is not None and row.version != version:
            raise Conflict(
                f"case {case_id} changed since version {version} (now {row.version}); reload it",
                details={"status": row.status, "version": row.version},
            )
        if four_eyes and row.proposed_by == who.actor:
            raise Forbidden(
                f"four-eyes: {who.actor} proposed this disposition and cannot also decide it",
                code="four_eyes",
                details={"proposed_by": row.proposed_by},
            )
        raise Conflict(f"case {case_id} could not be changed; reload it")  # pragma: no cover

    def create(
        self, who: Principal, title: str, alert_ids: Sequence[int], assignee: str | None = None
    ) -> dict[str, Any]:
        """Group alerts into a new case (due after the SLA). An alert can be in one case only."""
        authorize(who, "case.work")
        title = _text(title, "title", 500)
        if not alert_ids:
            raise InvalidInput("a case groups at least one alert", details={"field": "alert_ids"})
        now = datetime.now(UTC)
        due = now + self.sla
        with self.engine.begin() as conn:
            if assignee is not None:
                assignee = self._check_assignee(conn, assignee)
            case_id = conn.execute(
                case_file.insert()
                .values(
                    title=title,
                    status=CaseStatus.NEW.value,
                    assignee=assignee,
                    created_by=who.actor,
                    created_at=now,
                    updated_at=now,
                    due_at=due,
                    version=1,
                )
                .returning(case_file.c.id)
            ).scalar_one()
            ids = self._attach_alerts(conn, who, case_id, alert_ids, now)
            audit.append(
                conn,
                who.actor,
                "case.create",
                _subject(case_id),
                {"title": title, "alert_ids": ids, "assignee": assignee, "due_at": due.isoformat()},
            )
            return case_detail(conn, case_id)

    def _attach_alerts(
        self, conn: sa.Connection, who: Principal, case_id: int, alert_ids: Sequence[int], now: datetime
    ) -> list[int]:
        ids = sorted(set(alert_ids))
        found = {
            r.id: r.status
            for r in conn.execute(sa.select(alert.c.id, alert.c.status).where(alert.c.id.in_(ids)))
        }
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFound(f"no alert {missing[0]}", details={"alert_ids": missing})
        closed = [i for i in ids if found[i] == AlertStatus.CLOSED]
        if closed:
            raise Conflict(f"alert {closed[0]} is closed already", details={"alert_ids": closed})
        taken = conn.execute(
            sa.select(case_alert.c.alert_id, case_alert.c.case_id).where(case_alert.c.alert_id.in_(ids))
        ).all()
        if taken:
            raise Conflict(
                f"alert {taken[0].alert_id} is already in case {taken[0].case_id}",
                details={"alert_ids": [t.alert_id for t in taken]},
            )
        try:
            conn.execute(
                case_alert.insert(),
                [{"alert_id": i, "case_id": case_id, "added_by": who.actor, "added_at": now} for i in ids],
            )
        except sa.exc.IntegrityError as err:  # a concurrent case took one of them first
            raise Conflict("one of these alerts was just added to another case; reload") from err
        return ids

    def add_alerts(
        self, who: Principal, case_id: int, alert_ids: Sequence[int], version: int | None = None
    ) -> dict[str, Any]:
        authorize(who, "case.work")
        if not alert_ids:
            raise InvalidInput("give at least one alert", details={"field": "alert_ids"})
        with self.engine.begin() as conn:
            self._change(conn, who, case_id, _EDITABLE, {}, version)
            ids = self._attach_alerts(conn, who, case_id, alert_ids, datetime.now(UTC))
            audit.append(conn, who.actor, "case.alerts_add", _subject(case_id), {"alert_ids": ids})
            return case_detail(conn, case_id)

    def _check_assignee(self, conn: sa.Connection, username: str) -> str:
        row = conn.execute(
            sa.select(app_user.c.role, app_user.c.disabled_at).where(app_user.c.username == username.lower())
        ).first()
        if row is None or row.disabled_at is not None:
            raise NotFound(f"no active user {username!r}", details={"field": "assignee"})
        if row.role not in _WORK_ROLES:
            raise InvalidInput(
                f"{username!r} has the role {row.role!r}, which does not work cases",
                details={"field": "assignee"},
            )
        return username.lower()

    def assign(
        self, who: Principal, case_id: int, assignee: str | None, version: int | None = None
    ) -> dict[str, Any]:
        """Give the case to a user (None: unassign)."""
        authorize(who, "case.work")
        with self.engine.begin() as conn:
            if assignee is not None:
                assignee = self._check_assignee(conn, assignee)
            before = load_case_row(conn, case_id).assignee
            self._change(conn, who, case_id, _EDITABLE, {"assignee": assignee}, version)
            audit.append(conn, who.actor, "case.assign", _subject(case_id), {"from": before, "to": assignee})
            return case_detail(conn, case_id)

    def set_due(
        self, who: Principal, case_id: int, due_at: datetime, reason: str, version: int | None = None
    ) -> dict[str, Any]:
        """Move the due date (with a reason: the SLA is what regulators measure)."""
        authorize(who, "case.work")
        reason = _text(reason, "reason", 2000)
        # stored as the UTC instant: SQLite keeps a datetime's wall-clock text and drops its offset
        due_at = utc(due_at).astimezone(UTC)  # type: ignore[union-attr]
        allowed = (*_EDITABLE, CaseStatus.PROPOSED)
        with self.engine.begin() as conn:
            before = utc(load_case_row(conn, case_id).due_at)
            self._change(conn, who, case_id, allowed, {"due_at": due_at}, version)
            audit.append(
                conn,
                who.actor,
                "case.due",
                _subject(case_id),
                {"from": before.isoformat() if before else None, "to": due_at.isoformat(), "reason": reason},
            )
            return case_detail(conn, case_id)

    def start_review(self, who: Principal, case_id: int, version: int | None = None) -> dict[str, Any]:
        """new or returned → in_review; an unassigned case goes to the reviewing user."""
        authorize(who, "case.work")
        with self.engine.begin() as conn:
            row = load_case_row(conn, case_id)
            values: dict[str, Any] = {"status": CaseStatus.IN_REVIEW.value}
            if row.assignee is None and who.kind == "user":
                values["assignee"] = who.actor.removeprefix("user:")
            allowed = (CaseStatus.NEW, CaseStatus.RETURNED)
            self._change(conn, who, case_id, allowed, values, version)
            audit.append(conn, who.actor, "case.review", _subject(case_id), {"from": row.status})
            return case_detail(conn, case_id)

    def comment(self, who: Principal, case_id: int, body: str) -> dict[str, Any]:
        """Add a comment (allowed in every state, approved included: notes may follow a decision)."""
        authorize(who, "case.work")
        body = _text(body, "body")
        with self.engine.begin() as conn:
            load_case_row(conn, case_id)
            comment_id = conn.execute(
                case_comment.insert()
                .values(case_id=case_id, author=who.actor, body=body, created_at=datetime.now(UTC))
                .returning(case_comment.c.id)
            ).scalar_one()
            audit.append(
                conn, who.actor, "case.comment", _subject(case_id), {"comment_id": comment_id, "body": body}
            )
            return case_detail(conn, case_id)

    def attach(
        self, who: Principal, case_id: int, filename: str, content: bytes, media_type: str | None = None
    ) -> dict[str, Any]:
        """Attach evidence; its SHA-256 goes on the evidence row and into the audit trail."""
        authorize(who, "case.work")
        if not content:
            raise InvalidInput("the evidence file is empty", details={"field": "content"})
        if len(content) > self.evidence_max_bytes:
            raise InvalidInput(
                f"the evidence file is {len(content)} bytes; the limit is {self.evidence_max_bytes}",
                code="too_large",
                details={"field": "content", "max": self.evidence_max_bytes},
            )
        name, kind, digest = sanitise_filename(filename), clean_media_type(media_type), content_hash(content)
        with self.engine.begin() as conn:
            self._change(conn, who, case_id, _EDITABLE, {}, None)
            evidence_id = conn.execute(
                case_evidence.insert()
                .values(
                    case_id=case_id,
                    filename=name,
                    media_type=kind,
                    size=len(content),
                    sha256=digest,
                    content=content,
                    uploaded_by=who.actor,
                    uploaded_at=datetime.now(UTC),
                )
                .returning(case_evidence.c.id)
            ).scalar_one()
            audit.append(
                conn,
                who.actor,
                "case.evidence",
                _subject(case_id),
                {"evidence_id": evidence_id, "filename": name, "size": len(content), "sha256": digest},
            )
            return case_detail(conn, case_id)

    def evidence(self, who: Principal, case_id: int, evidence_id: int) -> Evidence:
        """One evidence file, its hash checked again: a changed file raises IntegrityError."""
        authorize(who, "case.read")
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(case_evidence).where(
                    case_evidence.c.id == evidence_id, case_evidence.c.case_id == case_id
                )
            ).first()
        if row is None:
            raise NotFound(f"no evidence {evidence_id} on case {case_id}")
        content = bytes(row.content)
        if content_hash(content) != row.sha256:
            raise IntegrityError(
                f"evidence {evidence_id} of case {case_id} no longer matches its recorded SHA-256",
                details={"sha256": row.sha256},
            )
        return Evidence(
            row.id, row.case_id, row.filename, row.media_type, row.size, row.sha256, content, row.uploaded_by
        )

    def propose(
        self,
        who: Principal,
        case_id: int,
        disposition: Disposition | str,
        reason: str,
        version: int | None = None,
    ) -> dict[str, Any]:
        """Propose a disposition; a second person with a deciding role must approve it."""
        authorize(who, "case.work")
        try:
            disposition = Disposition(disposition)
        except ValueError as err:
            raise InvalidInput(
                f"unknown disposition {disposition!r}: use one of {', '.join(d.value for d in Disposition)}",
                details={"field": "disposition"},
            ) from err
        reason = _text(reason, "reason")
        values = {
            "status": CaseStatus.PROPOSED.value,
            "disposition": disposition.value,
            "reason": reason,
            "proposed_by": who.actor,
            "proposed_at": datetime.now(UTC),
        }
        with self.engine.begin() as conn:
            allowed = (CaseStatus.IN_REVIEW, CaseStatus.RETURNED)
            row = self._change(conn, who, case_id, allowed, values, version)
            audit.append(
                conn,
                who.actor,
                "case.propose",
                _subject(case_id),
                {"disposition": disposition.value, "reason": reason, "version": row.version},
            )
            return case_detail(conn, case_id)

    def approve(
        self, who: Principal, case_id: int, note: str | None = None, version: int | None = None
    ) -> dict[str, Any]:
        """Approve the proposed disposition: four-eyes, exactly one concurrent approver wins.

        The case closes and so do its alerts. An approved false positive puts each (customer,
        entity) pair on the allow-list afterwards; pairs that cannot be added (customer not in the
        register, entity no longer listed) are recorded in the audit trail as skipped.
        """
        authorize(who, "case.decide")
        now = datetime.now(UTC)
        values = {
            "status": CaseStatus.APPROVED.value,
            "decided_by": who.actor,
            "decided_at": now,
            "decision_note": (note or "").strip() or None,
            "closed_at": now,
        }
        with self.engine.begin() as conn:
            # The conditional UPDATE comes first, so on SQLite the write lock is taken before any read.
            row = self._change(conn, who, case_id, (CaseStatus.PROPOSED,), values, version, four_eyes=True)
            alert_ids = [
                r.alert_id
                for r in conn.execute(sa.select(case_alert.c.alert_id).where(case_alert.c.case_id == case_id))
            ]
            conn.execute(
                alert.update()
                .where(alert.c.id.in_(alert_ids))
                .values(status=AlertStatus.CLOSED, updated_at=now)
            )
            audit.append(
                conn,
                who.actor,
                "case.approve",
                _subject(case_id),
                {
                    "disposition": row.disposition,
                    "proposed_by": row.proposed_by,
                    "note": values["decision_note"],
                    "alert_ids": alert_ids,
                    "version": row.version,
                },
            )
        if row.disposition == Disposition.FALSE_POSITIVE:
            self._allow_list(who, row)
        with self.engine.connect() as conn:
            return case_detail(conn, case_id)

    def _allow_list(self, who: Principal, row: Any) -> None:
        # Imported here: raqib.screening imports raqib.cases (alerts), so a top-level import would cycle.
        from raqib.screening.allowlist import AllowList

        allow = AllowList(self.engine)
        with self.engine.connect() as conn:
            pairs = conn.execute(
                sa.select(alert.c.customer_id, alert.c.entity_id)
                .join(case_alert, case_alert.c.alert_id == alert.c.id)
                .where(case_alert.c.case_id == row.id)
                .order_by(alert.c.id)
            ).all()
        reason = f"case {row.id}: false positive proposed by {row.proposed_by}, approved by {who.actor}"
        for pair in pairs:
            details: dict[str, Any] = {
                "case_id": row.id,
                "customer_id": pair.customer_id,
                "entity_id": pair.entity_id,
            }
            try:
                # AllowList.add appends its own "allowlist.add" record in the same transaction.
                allow.add(pair.customer_id, pair.entity_id, f"{reason}: {row.reason}", who.actor)
            except (NotFound, InvalidInput) as err:
                details["skipped"] = err.message
                with self.engine.begin() as conn:
                    audit.append(conn, who.actor, "allowlist.skip", f"customer:{pair.customer_id}", details)

    def return_case(
        self, who: Principal, case_id: int, reason: str, version: int | None = None
    ) -> dict[str, Any]:
        """Send a proposal back to the analyst (also four-eyes: the proposer cannot return it)."""
        authorize(who, "case.decide")
        reason = _text(reason, "reason")
        now = datetime.now(UTC)
        values = {
            "status": CaseStatus.RETURNED.value,
            "decided_by": who.actor,
            "decided_at": now,
            "decision_note": reason,
        }
        with self.engine.begin() as conn:
            row = self._change(conn, who, case_id, (CaseStatus.PROPOSED,), values, version, four_eyes=True)
            audit.append(
                conn,
                who.actor,
                "case.return",
                _subject(case_id),
                {
                    "disposition": row.disposition,
                    "proposed_by": row.proposed_by,
                    "reason": reason,
                    "version": row.version,
                },
            )
            return case_detail(conn, case_id)


__all__ = ["CaseWorkflow"]
