"""The API in process (TestClient) over a store holding two real UN list versions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from raqib.api import create_app
from raqib.auth import ApiKeyStore, Role
from raqib.config import Settings
from raqib.db import open_engine
from raqib.lists import ListStore, parse_list
from tests.conftest import DATA

UN_FULL = DATA / "lists" / "un_full"


@dataclass
class Api:
    client: TestClient
    keys: dict[Role, str]
    keys_store: ApiKeyStore

    def headers(self, role: Role = Role.API_CLIENT) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    home: Path = tmp_path_factory.mktemp("api")
    settings = Settings(home=home, max_batch=5, max_request_bytes=20_000)
    engine = open_engine(settings.database_url)
    store = ListStore(engine)
    for name in ("un_consolidated_2017-06-30.xml.gz", "un_consolidated_2017-07-03.xml.gz"):
        store.import_parsed(parse_list(UN_FULL / name), source_path=name)
    keys_store = ApiKeyStore(engine)
    keys = {role: keys_store.create(f"test {role.value}", role)[1] for role in Role}
    app = create_app(settings, engine, warm=False)
    app.state.raqib.screeners.get(None)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, keys, keys_store)
    engine.dispose()
