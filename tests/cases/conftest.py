"""A store with a small real UN extract, three customers, three alerts, and one user per role.

Passwords are hashed with a deliberately cheap argon2id setting so the tests stay fast; the
production default is the library's (RFC 9106) profile.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.engine import Engine

from raqib.auth import Principal, Role, UserStore
from raqib.cases import CaseWorkflow, NewAlert, add_alerts
from raqib.db import open_engine
from raqib.db.tables import alert
from raqib.lists import ListStore, parse_list
from raqib.screening import CustomerRegister
from tests.conftest import DATA

UN_EXTRACT = DATA / "lists" / "un" / "un_extract_2017-06-30.xml"
PASSWORD = "correct horse battery"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
CUSTOMERS = """id,name,dob,country,type
c1,Ibrahim Ali Abu Bakr Tantoush,1966-02-27,Libya,person
c2,خليفة محمد تركي السبيعي,1965-01-01,Qatar,person
c3,Muhammad Jibril,,,person
"""
PAIRS = [("c1", "un_sc:QDi.057"), ("c2", "un_sc:QDi.253"), ("c3", "un_sc:QDi.295")]


@dataclass
class World:
    engine: Engine
    users: UserStore
    cases: CaseWorkflow
    people: dict[str, Principal]
    alert_ids: list[int]


def make_world(engine: Engine, tmp_path: Path) -> World:
    version = ListStore(engine).import_parsed(parse_list(UN_EXTRACT), source_path=UN_EXTRACT.name).version
    csv = tmp_path / "customers.csv"
    csv.write_text(CUSTOMERS, encoding="utf-8")
    CustomerRegister(engine).import_file(csv)
    with engine.begin() as conn:
        add_alerts(
            conn,
            [
                NewAlert(c, e, "un_sc", version.id, 0.91, "name", "explained", {"features": []}, "raqib-v1")
                for c, e in PAIRS
            ],
            source="batch",
        )
    users = UserStore(engine, hasher=CHEAP)
    setup = Principal.system("test")
    people = {}
    for username, role in [
        ("alice", Role.ANALYST),
        ("amir", Role.ANALYST),
        ("bob", Role.REVIEWER),
        ("carol", Role.REVIEWER),
        ("root", Role.ADMIN),
        ("aud", Role.AUDITOR),
        ("bot", Role.API_CLIENT),
    ]:
        people[username] = users.create(username, PASSWORD, role, setup).principal
    cases = CaseWorkflow(engine, sla_days=5, evidence_max_bytes=1000)
    with engine.connect() as conn:
        alert_ids = list(conn.execute(sa.select(alert.c.id).order_by(alert.c.id)).scalars())
    return World(engine, users, cases, people, alert_ids)


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = open_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def world(engine: Engine, tmp_path: Path) -> World:
    return make_world(engine, tmp_path)
