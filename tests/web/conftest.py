"""The web UI in process: a store with two real UN list versions, customers, real alerts, users.

The alerts come from a real batch screening of a small customer register against the UN list, so
the pages show real explanations. Passwords use a cheap argon2id setting to keep the tests fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from raqib.api import create_app
from raqib.auth import Principal, Role, UserStore
from raqib.config import Settings
from raqib.db import open_engine
from raqib.lists import ListStore, parse_list
from raqib.screening import CustomerRegister, Screener, ScreeningJobs
from tests.conftest import DATA

UN_FULL = DATA / "lists" / "un_full"
PASSWORD = "correct horse battery"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
CUSTOMERS = """id,name,dob,country,type
c1,Ibrahim Ali Abu Bakr Tantoush,1966-02-27,Libya,person
c2,خليفة محمد تركي السبيعي,1965-01-01,Qatar,person
c3,Aiman Muhammed Rabi al-Zawahiri,1951-06-19,Egypt,person
c4,Jane Ordinary Customer,1980-01-01,GB,person
"""
USERS = {
    "ana": Role.ANALYST,
    "amir": Role.ANALYST,
    "rev": Role.REVIEWER,
    "rita": Role.REVIEWER,
    "aud": Role.AUDITOR,
    "bot": Role.API_CLIENT,
}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Web:
    app: FastAPI
    engine: Engine
    users: UserStore

    def client(self, username: str | None = None) -> TestClient:
        """A browser of its own (its own cookie jar), signed in as ``username`` when given."""
        client = TestClient(self.app, raise_server_exceptions=True, base_url="http://testserver")
        if username is not None:
            page = client.get("/login")
            response = client.post(
                "/login",
                data={"username": username, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
                follow_redirects=False,
            )
            assert response.status_code == 303, response.text
        return client


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match is not None, "no CSRF token in the page"
    return match.group(1)


def build_world(home: Path, hasher: PasswordHasher | None = None) -> tuple[Settings, Engine, UserStore]:
    """Lists, customers, a batch screening (real alerts) and one user per name in USERS."""
    settings = Settings(home=home)
    engine = open_engine(settings.database_url)
    store = ListStore(engine)
    for name in ("un_consolidated_2017-06-30.xml.gz", "un_consolidated_2017-07-03.xml.gz"):
        store.import_parsed(parse_list(UN_FULL / name), source_path=name)
    csv = home / "customers.csv"
    csv.write_text(CUSTOMERS, encoding="utf-8")
    CustomerRegister(engine).import_file(csv)
    ScreeningJobs(engine).screen_customers(Screener.from_store(store))
    users = UserStore(engine, hasher=hasher or CHEAP)
    setup = Principal.system("test")
    for username, role in USERS.items():
        users.create(username, PASSWORD, role, setup, display_name=username.title())
    return settings, engine, users


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    settings, engine, users = build_world(tmp_path_factory.mktemp("web"))
    app = create_app(settings, engine, warm=False)
    app.state.raqib_users = users
    app.state.raqib.screeners.get(None)
    yield Web(app, engine, users)
    engine.dispose()
