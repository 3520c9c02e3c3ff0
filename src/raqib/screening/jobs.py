"""Batch jobs over the customer register: full screening and delta re-screening, resumable.

A job walks the active customers in id order, in batches. Each batch's alerts and the job's cursor
(the last customer id done) are committed in *one* transaction, so a job killed at any moment
(even ``kill -9``) resumes after the last committed batch: nothing is lost, and the unique
(customer, entity) constraint on alerts means nothing is doubled.

Delta re-screening, after a list gets a new version, screens the whole register against only the
entities added or changed in that version and marks alerts whose entity was removed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from raqib.cases.alerts import NewAlert, add_alerts, mark_entities_removed
from raqib.db.tables import job
from raqib.lists.diff import diff_versions
from raqib.lists.store import ListStore, ListVersion
from raqib.matching import ALGORITHM, DEFAULT_THRESHOLD, Query
from raqib.screening.allowlist import AllowList
from raqib.screening.customers import Customer, CustomerRegister
from raqib.screening.screener import Screener, ScreeningHit, make_query

Progress = Callable[[int, int], None]


class JobStatus:
    RUNNING = "running"
    DONE = "done"
    ABANDONED = "abandoned"  # superseded: the lists changed before it could be resumed


@dataclass
class JobReport:
    job_id: int
    kind: str
    resumed: bool
    customers: int = 0
    new_alerts: int = 0
    suppressed: int = 0
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "kind": self.kind,
            "resumed": self.resumed,
            "customers": self.customers,
            "new_alerts": self.new_alerts,
            "suppressed": self.suppressed,
            "seconds": round(self.seconds, 3),
            **self.extra,
        }


def _query(item: Customer) -> Query:
    return make_query(item.name, dob=item.dob, country=item.country, type=item.type)


class ScreeningJobs:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.lists = ListStore(engine)
        self.register = CustomerRegister(engine)
        self.allow = AllowList(engine)

    # -- job rows ------------------------------------------------------------------------------
    def _start(self, kind: str, params: dict[str, Any], restart: bool) -> tuple[int, str | None, bool]:
        """Resume the unfinished job of this kind with the same parameters, or start a new one."""
        text = json.dumps(params, sort_keys=True)
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            running = conn.execute(
                sa.select(job).where(job.c.kind == kind, job.c.status == JobStatus.RUNNING).order_by(job.c.id)
            ).all()
            for row in running:
                if row.params == text and not restart:
                    return row.id, row.cursor, True
                conn.execute(
                    job.update()
                    .where(job.c.id == row.id)
                    .values(
                        status=JobStatus.ABANDONED,
                        updated_at=now,
                        message="superseded by a restart"
                        if restart
                        else "the lists changed before it resumed",
                    )
                )
            job_id = conn.execute(
                job.insert().values(
                    kind=kind,
                    status=JobStatus.RUNNING,
                    params=text,
                    cursor=None,
                    processed=0,
                    hits=0,
                    total=self.register.count(),
                    started_at=now,
                    updated_at=now,
                )
            ).inserted_primary_key[0]
        return int(job_id), None, False

    def jobs(self, limit: int = 20) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(job).order_by(job.c.id.desc()).limit(limit)).all()
        return [dict(r._mapping) for r in rows]

    # -- the walk --------------------------------------------------------------------------------
    def _walk(
        self,
        job_id: int,
        cursor: str | None,
        screener: Screener,
        source: str,
        threshold: float,
        workers: int,
        batch_size: int,
        progress: Progress | None,
        report: JobReport,
        prefilter: bool = False,
    ) -> None:
        versions = {v.list_id: v.id for v in screener.versions}
        total = self.register.count()
        with self.engine.connect() as conn:
            done = int(conn.execute(sa.select(job.c.processed).where(job.c.id == job_id)).scalar_one())
        for batch in self.register.iter_after(cursor, batch_size):
            queries = [_query(c) for c in batch]
            if prefilter:  # delta: almost no customer can match the few entities an update touched
                maybe = screener.may_match_many(queries, threshold, workers=workers)
                kept = [i for i, possible in enumerate(maybe) if possible]
            else:
                kept = list(range(len(batch)))
            results = screener.screen_many([queries[i] for i in kept], threshold=threshold, workers=workers)
            report.extra["customers_fully_screened"] = report.extra.get("customers_fully_screened", 0) + len(
                kept
            )
            found = [(batch[i], hit) for i, hits in zip(kept, results, strict=True) for hit in hits]
            with self.engine.begin() as conn:
                suppressed = self.allow.suppressed(conn, [(c.id, h.entity.entity_id) for c, h in found])
                alerts = [
                    _new_alert(c, h, versions)
                    for c, h in found
                    if (c.id, h.entity.entity_id) not in suppressed
                ]
                added = add_alerts(conn, alerts, source, job_id)
                conn.execute(
                    job.update()
                    .where(job.c.id == job_id)
                    .values(
                        cursor=batch[-1].id,
                        processed=job.c.processed + len(batch),
                        hits=job.c.hits + added,
                        updated_at=datetime.now(UTC),
                    )
                )
            done += len(batch)
            report.customers += len(batch)
            report.new_alerts += added
            report.suppressed += len(suppressed)
            if progress is not None:
                progress(done, total)
        with self.engine.begin() as conn:
            conn.execute(
                job.update()
                .where(job.c.id == job_id)
                .values(status=JobStatus.DONE, finished_at=datetime.now(UTC), updated_at=datetime.now(UTC))
            )

    # -- the two jobs ---------------------------------------------------------------------------------
    def screen_customers(
        self,
        screener: Screener,
        threshold: float | None = None,
        workers: int = 1,
        batch_size: int = 5000,
        restart: bool = False,
        progress: Progress | None = None,
    ) -> JobReport:
        """Screen every active customer against the screener's lists; resumes an interrupted run."""
        threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        params = {
            "threshold": threshold,
            "versions": sorted(v.id for v in screener.versions),
            "algorithm": ALGORITHM,
        }
        started = time.perf_counter()
        job_id, cursor, resumed = self._start("screen_customers", params, restart)
        report = JobReport(job_id, "screen_customers", resumed)
        self._walk(job_id, cursor, screener, "batch", threshold, workers, batch_size, progress, report)
        report.seconds = time.perf_counter() - started
        return report

    def delta(
        self,
        old: ListVersion,
        new: ListVersion,
        threshold: float | None = None,
        workers: int = 1,
        batch_size: int = 5000,
        progress: Progress | None = None,
    ) -> JobReport:
        """Re-screen the register against what changed between two versions of one list."""
        threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        started = time.perf_counter()
        diff = diff_versions(self.lists, old, new)
        touched = diff.touched_ids
        params = {
            "threshold": threshold,
            "list_id": new.list_id,
            "from": old.id,
            "to": new.id,
            "algorithm": ALGORITHM,
        }
        job_id, cursor, resumed = self._start("delta_screen", params, restart=False)
        with self.engine.begin() as conn:
            marked = mark_entities_removed(conn, [e.entity_id for e in diff.removed])
        report = JobReport(
            job_id,
            "delta_screen",
            resumed,
            extra={
                "list_id": new.list_id,
                "from_version": old.id,
                "to_version": new.id,
                "entities_added": len(diff.added),
                "entities_changed": len(diff.changed),
                "entities_removed": len(diff.removed),
                "alerts_marked_removed": marked,
            },
        )
        if touched:
            # Rarity weights from every list a full screen would use, so delta scores equal full-screen
            # scores; each version's entities are read from the store once.
            latest = {
                version.id: list(self.lists.entities(version.id)) for version in self.lists.latest_versions()
            }
            changed = latest[new.id] if new.id in latest else self.lists.entities(new.id)
            entities = [e for e in changed if e.id in touched]
            rarity = Screener.rarity_of(e for listed in latest.values() for e in listed)
            screener = Screener(entities, [new], reference=rarity)
            try:
                self._walk(
                    job_id,
                    cursor,
                    screener,
                    "delta",
                    threshold,
                    workers,
                    batch_size,
                    progress,
                    report,
                    prefilter=True,
                )
            finally:
                screener.close()
        else:
            with self.engine.begin() as conn:
                conn.execute(
                    job.update()
                    .where(job.c.id == job_id)
                    .values(
                        status=JobStatus.DONE, finished_at=datetime.now(UTC), updated_at=datetime.now(UTC)
                    )
                )
        report.seconds = time.perf_counter() - started
        return report


def _new_alert(item: Customer, hit: ScreeningHit, versions: dict[str, int]) -> NewAlert:
    return NewAlert(
        customer_id=item.id,
        entity_id=hit.entity.entity_id,
        list_id=hit.entity.source,
        list_version_id=versions.get(hit.entity.source, 0),
        score=hit.score,
        matched_name=hit.result.matched_name,
        explanation=hit.result.explanation(),
        detail=hit.result.to_dict(),
        algorithm=hit.result.algorithm,
    )


__all__ = ["JobReport", "JobStatus", "ScreeningJobs"]
