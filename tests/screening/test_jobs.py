"""Batch and delta screening jobs on a real UN list: alerts, resume after a crash, allow-list."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from raqib.cases import AlertStore
from raqib.db import open_engine
from raqib.db.tables import allow_entry, job
from raqib.errors import InvalidInput, NotFound
from raqib.lists import ListStore, parse_list
from raqib.screening import AllowList, CustomerRegister, Screener, ScreeningJobs
from tests.screening.conftest import CUSTOMERS, UN_NEW

LISTED = {"c01": "un_sc:QDi.282", "c02": "un_sc:QDi.168", "c04": "un_sc:QDi.170", "c05": "un_sc:QDi.006"}


def _pairs(engine: Engine) -> set[tuple[str, str]]:
    return {(a["customer_id"], a["entity_id"]) for a in AlertStore(engine).list()}


def test_full_screening_raises_one_alert_per_pair(
    engine: Engine, un_store: ListStore, customers_csv: Path
) -> None:
    CustomerRegister(engine).import_file(customers_csv)
    jobs = ScreeningJobs(engine)
    screener = Screener.from_store(un_store)
    report = jobs.screen_customers(screener, batch_size=3)
    pairs = _pairs(engine)
    for customer_id, entity_id in LISTED.items():
        assert (customer_id, entity_id) in pairs, customer_id
    assert not {c for c, _ in pairs} & {"c06", "c07", "c08", "c09", "c10"}
    assert report.customers == 10
    assert report.new_alerts == len(pairs)
    # A second run raises nothing new: alerts are one per (customer, entity) pair.
    again = jobs.screen_customers(screener, batch_size=4)
    assert again.new_alerts == 0
    assert _pairs(engine) == pairs
    alert = AlertStore(engine).list(customer_id="c01")[0]
    assert alert["list_version_id"] == un_store.versions("un_sc")[-1].id
    assert alert["algorithm"] == "raqib-v1"


def test_interrupted_job_resumes_without_loss_or_duplicates(
    engine: Engine, un_store: ListStore, customers_csv: Path
) -> None:
    CustomerRegister(engine).import_file(customers_csv)
    jobs = ScreeningJobs(engine)
    screener = Screener.from_store(un_store)

    class Crash(Exception):
        pass

    def crash_after_two_batches(done: int, _total: int) -> None:
        if done >= 4:
            raise Crash

    with pytest.raises(Crash):
        jobs.screen_customers(screener, batch_size=2, progress=crash_after_two_batches)
    with engine.connect() as conn:
        row = conn.execute(sa.select(job)).one()
    assert (row.status, row.processed, row.cursor) == ("running", 4, "c04")
    resumed = jobs.screen_customers(screener, batch_size=2)
    assert resumed.resumed
    assert resumed.customers == 6
    for customer_id, entity_id in LISTED.items():
        assert (customer_id, entity_id) in _pairs(engine)
    assert jobs.jobs()[0]["status"] == "done"


def test_kill_9_mid_run_then_resume(tmp_path: Path) -> None:
    """A real SIGKILL of the CLI job, then a restart: same alerts as an uninterrupted run."""
    many = tmp_path / "many.csv"
    body = CUSTOMERS.splitlines()[1:]
    lines = ["id,name,dob,country,type"] + [f"r{n:04d}{row[1:]}" for n in range(60) for row in body]
    many.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "RAQIB_HOME": str(tmp_path / "home"), "RAQIB_DB": ""}
    env.pop("RAQIB_DB")
    raqib = [sys.executable, "-m", "raqib"]
    for args in (
        ["lists", "import", str(UN_NEW.with_name("un_consolidated_2017-06-30.xml.gz"))],
        ["customers", "import", str(many)],
    ):
        subprocess.run([*raqib, *args], env=env, check=True, capture_output=True)
    engine = open_engine(f"sqlite:///{tmp_path / 'home' / 'raqib.db'}")
    process = subprocess.Popen(
        [*raqib, "jobs", "screen-customers", "--batch-size", "1", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    processed = 0
    while time.monotonic() < deadline and process.poll() is None:
        with engine.connect() as conn:
            processed = conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(job.c.processed), 0))
            ).scalar_one()
        if processed >= 30:
            os.kill(process.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the job finished before it could be killed"
    with engine.connect() as conn:
        killed_at = conn.execute(sa.select(job.c.processed, job.c.status)).one()
    assert killed_at.status == "running"
    assert 30 <= killed_at.processed < 600
    subprocess.run(
        [*raqib, "jobs", "screen-customers", "--batch-size", "50"], env=env, check=True, capture_output=True
    )
    with engine.connect() as conn:
        final = conn.execute(sa.select(job.c.processed, job.c.status)).one()
    assert (final.processed, final.status) == (600, "done")
    alerts = AlertStore(engine).list()
    pairs = [(a["customer_id"], a["entity_id"]) for a in alerts]
    assert len(pairs) == len(set(pairs))
    # Every copy of each listed customer got its alert, before or after the kill.
    for n in range(60):
        for customer_id, entity_id in LISTED.items():
            assert (f"r{n:04d}{customer_id[1:]}", entity_id) in set(pairs)
    engine.dispose()


def test_delta_after_real_un_update(engine: Engine, un_store: ListStore, customers_csv: Path) -> None:
    CustomerRegister(engine).import_file(customers_csv)
    jobs = ScreeningJobs(engine)
    jobs.screen_customers(Screener.from_store(un_store))
    assert ("c02", "un_sc:QDi.168") in _pairs(engine)
    old = un_store.versions("un_sc")[-1]
    new = un_store.import_parsed(parse_list(UN_NEW)).version
    report = jobs.delta(old, new)
    assert report.extra["entities_removed"] == 3
    assert report.extra["entities_added"] == 0
    removed = {a["entity_id"]: a["status"] for a in AlertStore(engine).list()}
    assert removed["un_sc:QDi.168"] == "entity_removed"
    assert removed["un_sc:QDi.170"] == "entity_removed"
    assert removed["un_sc:QDi.282"] == "open"
    assert report.customers == (10 if report.extra["entities_changed"] else 0)


def test_delta_screens_only_added_and_changed(
    engine: Engine, un_store: ListStore, customers_csv: Path
) -> None:
    from raqib.lists import Entity, EntityType, Name, ParsedList

    CustomerRegister(engine).import_file(customers_csv)
    old = un_store.versions("un_sc")[-1]
    entities = list(un_store.entities(old.id))
    entities.append(
        Entity(
            source="un_sc",
            source_ref="QDi.999",
            type=EntityType.PERSON,
            names=[Name(full="Fahad Nasser Al-Marri")],
        )
    )
    new = un_store.import_parsed(
        ParsedList(list_id="un_sc", title="UN", format="test", publisher_date="2017-07-01", entities=entities)
    ).version
    report = ScreeningJobs(engine).delta(old, new)
    assert report.extra["entities_added"] == 1
    assert report.customers == 10
    assert _pairs(engine) == {("c10", "un_sc:QDi.999")}


def test_allow_list_suppresses_until_data_changes(
    engine: Engine, un_store: ListStore, customers_csv: Path, tmp_path: Path
) -> None:
    register = CustomerRegister(engine)
    register.import_file(customers_csv)
    allow = AllowList(engine)
    entry = allow.add("c05", "un_sc:QDi.006", "different person: verified passport", "mlro@bank")
    jobs = ScreeningJobs(engine)
    screener = Screener.from_store(un_store)
    report = jobs.screen_customers(screener)
    assert ("c05", "un_sc:QDi.006") not in _pairs(engine)
    assert report.suppressed == 1
    assert allow.entries()[0].created_by == "mlro@bank"
    # The customer's data changes: the decision lapses and the alert is raised.
    changed = tmp_path / "changed.csv"
    changed.write_text(
        CUSTOMERS.replace("c05,Ayman al-Zawahiri,1951-06-19", "c05,Ayman al-Zawahiri,1951-06-20"),
        encoding="utf-8",
    )
    register.import_file(changed)
    report = jobs.screen_customers(screener, restart=True)
    assert ("c05", "un_sc:QDi.006") in _pairs(engine)
    assert report.suppressed == 0
    # Expiry and revocation.
    other = allow.add("c01", "un_sc:QDi.282", "test", "analyst")
    with engine.begin() as conn:
        conn.execute(
            sa.update(allow_entry)
            .where(allow_entry.c.id == other.id)
            .values(expires_at=datetime.now(UTC) - timedelta(days=1))
        )
    with engine.connect() as conn:
        assert allow.suppressed(conn, [("c01", "un_sc:QDi.282")]) == set()
    third = allow.add("c01", "un_sc:QDi.282", "test", "analyst")
    with engine.connect() as conn:
        assert allow.suppressed(conn, [("c01", "un_sc:QDi.282")]) == {("c01", "un_sc:QDi.282")}
    allow.revoke(third.id)
    with engine.connect() as conn:
        assert allow.suppressed(conn, [("c01", "un_sc:QDi.282")]) == set()
    assert entry.id != third.id


def test_allow_list_bad_input(engine: Engine, un_store: ListStore, customers_csv: Path) -> None:
    CustomerRegister(engine).import_file(customers_csv)
    allow = AllowList(engine)
    with pytest.raises(InvalidInput):
        allow.add("c01", "un_sc:QDi.282", " ", "me")
    with pytest.raises(NotFound):
        allow.add("nobody", "un_sc:QDi.282", "x", "me")
    with pytest.raises(NotFound):
        allow.add("c01", "un_sc:NOPE", "x", "me")
    with pytest.raises(InvalidInput):
        allow.add("c01", "un_sc:QDi.282", "x", "me", datetime.now(UTC) - timedelta(days=1))


def test_delta_prefilter_skips_customers_who_cannot_match(
    engine: Engine, un_store: ListStore, customers_csv: Path
) -> None:
    from raqib.lists import Entity, EntityType, Name, ParsedList

    CustomerRegister(engine).import_file(customers_csv)
    old = un_store.versions("un_sc")[-1]
    entities = [*un_store.entities(old.id)]
    entities.append(
        Entity(
            source="un_sc",
            source_ref="QDi.998",
            type=EntityType.PERSON,
            names=[Name(full="Elena Romanowski")],
        )
    )
    new = un_store.import_parsed(
        ParsedList(list_id="un_sc", title="UN", format="test", publisher_date="2017-07-02", entities=entities)
    ).version
    report = ScreeningJobs(engine).delta(old, new)
    assert report.customers == 10
    assert report.extra["customers_fully_screened"] < 10
    assert ("c08", "un_sc:QDi.998") in _pairs(engine)
