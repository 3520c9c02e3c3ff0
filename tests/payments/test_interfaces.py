"""The API router and the CLI sub-app, exercised in process (wired here, not in the app)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from raqib.api import create_app
from raqib.api.routers.payments import router
from raqib.auth import ApiKeyStore, Role
from raqib.cli.payments import EXIT_HOLD, payments_app
from raqib.config import Settings, get_settings
from raqib.db import open_engine
from raqib.lists import ListStore
from tests.payments.conftest import MALFORMED, PAYMENTS, invented_list


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    home: Path = tmp_path_factory.mktemp("payments-api")
    settings = Settings(home=home)
    engine = open_engine(settings.database_url)
    ListStore(engine).import_parsed(invented_list(), source_path="invented")
    key = ApiKeyStore(engine).create("payments test", Role.API_CLIENT)[1]
    app = create_app(settings, engine, warm=False)
    app.include_router(router)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client, key
    engine.dispose()


def _post(client: tuple[TestClient, str], body: dict[str, object]):  # type: ignore[no-untyped-def]
    test_client, key = client
    return test_client.post("/v1/payments/screen", json=body, headers={"Authorization": f"Bearer {key}"})


def test_api_holds_a_listed_payment(client: tuple[TestClient, str]) -> None:
    text = (PAYMENTS / "mt103_invented_hits.fin").read_text(encoding="utf-8")
    response = _post(client, {"message": text, "source": "wire-1"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["decision"] == "hold"
    assert body["hold"] is True
    assert body["jurisdiction_table"]["statement_date"]
    (result,) = body["results"]
    assert result["ok"]
    assert result["source"] == "wire-1#1"
    assert {r["kind"] for r in result["reasons"]} >= {"party_name", "identifier", "jurisdiction"}


def test_api_passes_a_clean_payment(client: tuple[TestClient, str]) -> None:
    response = _post(client, {"message": (PAYMENTS / "pacs008_p211_AtoB.xml").read_text(encoding="utf-8")})
    assert response.status_code == 200
    assert response.json()["decision"] == "pass"


@pytest.mark.parametrize(
    ("name", "code"), [("xml_bomb.xml", "unsafe_xml"), ("wrong_namespace.xml", "wrong_namespace"),
                       ("mt103_truncated_block4.fin", "truncated_block")],
)  # fmt: skip
def test_api_rejects_bad_messages_with_a_code(client: tuple[TestClient, str], name: str, code: str) -> None:
    response = _post(client, {"message": (MALFORMED / name).read_text(encoding="utf-8")})
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_api_requires_a_key(client: tuple[TestClient, str]) -> None:
    assert client[0].post("/v1/payments/screen", json={"message": "x"}).status_code == 401


def test_cli_screens_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAQIB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("RAQIB_DB", raising=False)
    get_settings.cache_clear()
    try:
        settings = get_settings()
        engine = open_engine(settings.database_url)
        ListStore(engine).import_parsed(invented_list(), source_path="invented")
        engine.dispose()
        app = typer.Typer()
        app.add_typer(payments_app, name="payments")
        runner = CliRunner()
        files = [str(PAYMENTS / "pacs008_p211_AtoB.xml"), str(PAYMENTS / "mt202_invented.fin")]
        result = runner.invoke(app, ["payments", "screen", *files, "--json"])
        assert result.exit_code == EXIT_HOLD, result.output
        assert '"decision": "hold"' in result.stdout
        result = runner.invoke(app, ["payments", "screen", str(PAYMENTS / "pacs008_p211_AtoB.xml")])
        assert result.exit_code == 0
        assert "PASS" in result.stdout
        bad = runner.invoke(app, ["payments", "screen", str(MALFORMED / "xxe.xml")])
        assert bad.exception is not None
        assert getattr(bad.exception, "code", None) == "unsafe_xml"
        kept = runner.invoke(
            app, ["payments", "screen", str(MALFORMED / "xxe.xml"), "--keep-going", "--json"]
        )
        assert kept.exit_code == 10
        assert '"unsafe_xml"' in kept.stdout
    finally:
        get_settings.cache_clear()
