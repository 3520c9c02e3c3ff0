"""A store with a small real UN extract, three customers, three alerts, and one user per role.

Passwords are hashed with a deliberately cheap argon2id setting so the tests stay fast; the
production default is the library's (RFC 9106) profile.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from raqib.api import create_app
from raqib.auth import ApiKeyStore, Principal, Role, UserStore
from raqib.cases import CaseWorkflow, NewAlert, add_alerts
from raqib.config import Settings
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


@dataclass
class CaseApi:
    """The real app in process over a case world, with an API key per role."""

    client: TestClient
    world: World
    keys: dict[Role, str]

    def headers(self, role: Role | None) -> dict[str, str]:
        return {} if role is None else {"Authorization": f"Bearer {self.keys[role]}"}

    def login(self, username: str) -> dict[str, str]:
        response = self.client.post("/v1/auth/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        self.client.cookies.clear()  # tests pass the token explicitly
        return {"Authorization": f"Bearer {response.json()['token']}"}


@contextmanager
def case_api(store_url: str, tmp_path: Path) -> Iterator[CaseApi]:
    engine = open_engine(store_url)
    world = make_world(engine, tmp_path)
    settings = Settings(home=tmp_path, db=store_url, case_sla_days=5, evidence_max_bytes=1000)
    app = create_app(settings, engine, warm=False)
    app.state.raqib_users = world.users  # the cheap hasher
    key_store = ApiKeyStore(engine)
    keys = {role: key_store.create(f"test {role.value}", role)[1] for role in Role}
    with TestClient(app, raise_server_exceptions=False) as client:
        yield CaseApi(client, world, keys)
    engine.dispose()
