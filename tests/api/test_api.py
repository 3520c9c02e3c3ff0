"""The REST API: auth, screening, lists, and every error path in the one error shape."""

from __future__ import annotations

import pytest

from raqib.auth import Role
from tests.api.conftest import Api

ERROR_KEYS = {"ok", "code", "message", "details"}


def assert_error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["ok"] is False
    assert body["code"] == code
    return body


def test_health_and_ready_need_no_key(api: Api) -> None:
    assert api.client.get("/health").json()["ok"] is True
    assert api.client.get("/ready").status_code == 200


def test_openapi_is_served(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    assert "/v1/screen" in spec["paths"]
    assert "/v1/screen/batch" in spec["paths"]


def test_screen_arabic_name_finds_listed_person(api: Api) -> None:
    response = api.client.post("/v1/screen", json={"name": "قاسم محمد مهدي الريمي"}, headers=api.headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["algorithm"] == "raqib-v1"
    assert [v["list_id"] for v in body["list_versions"]] == ["un_sc"]
    top = body["hits"][0]
    assert top["entity_id"] == "un_sc:QDi.282"
    assert top["source_ref"] == "QDi.282"
    assert top["score"] >= body["threshold"]
    assert top["explanation"]
    assert top["match"]["features"]


def test_screen_latin_romanisation(api: Api) -> None:
    response = api.client.post(
        "/v1/screen", json={"name": "Kasim Mohammed Mahdi al-Rimi", "type": "person"}, headers=api.headers()
    )
    assert response.status_code == 200, response.text
    assert "un_sc:QDi.282" in [h["entity_id"] for h in response.json()["hits"]]


def test_batch_and_match(api: Api) -> None:
    response = api.client.post(
        "/v1/screen/batch",
        json={"parties": [{"id": "c1", "name": "قاسم محمد مهدي الريمي"}, {"id": "c2", "name": "Jane Doe"}]},
        headers=api.headers(Role.ANALYST),
    )
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["id"] for r in results] == ["c1", "c2"]
    assert results[0]["hits"]
    assert results[1]["hits"] == []
    pair = api.client.post(
        "/v1/match", json={"left": "عبد العزيز", "right": "Abdulaziz"}, headers=api.headers()
    )
    assert pair.status_code == 200
    assert 0.0 <= pair.json()["score"] <= 1.0


def test_lists_versions_diff_entity(api: Api) -> None:
    headers = api.headers(Role.AUDITOR)
    lists = api.client.get("/v1/lists", headers=headers).json()
    assert [(item["id"], item["versions"]) for item in lists] == [("un_sc", 2)]
    versions = api.client.get("/v1/lists/un_sc/versions", headers=headers).json()
    assert [v["entity_count"] for v in versions] == [1024, 1021]
    diff = api.client.get("/v1/lists/un_sc/diff", headers=headers).json()
    assert diff["summary"] == {"added": 0, "removed": 3, "changed": diff["summary"]["changed"]}
    explicit = api.client.get(
        "/v1/lists/un_sc/diff", params={"from": versions[0]["id"], "to": versions[1]["id"]}, headers=headers
    ).json()
    assert explicit["summary"] == diff["summary"]
    entity = api.client.get("/v1/entities/un_sc:QDi.282", headers=headers).json()
    assert entity["source_ref"] == "QDi.282"
    assert any(n["kind"] == "original_script" for n in entity["names"])


def test_auth_errors(api: Api) -> None:
    body = assert_error(api.client.post("/v1/screen", json={"name": "x"}), 401, "unauthorized")
    assert "API key" in body["message"]
    assert_error(
        api.client.post("/v1/screen", json={"name": "x"}, headers={"X-API-Key": "rqb_nope_nope"}),
        401,
        "unauthorized",
    )
    assert_error(
        api.client.post("/v1/screen", json={"name": "x"}, headers=api.headers(Role.AUDITOR)), 403, "forbidden"
    )
    key, secret = api.keys_store.create("short-lived", Role.API_CLIENT)
    assert api.client.post("/v1/screen", json={"name": "x"}, headers={"X-API-Key": secret}).status_code == 200
    api.keys_store.revoke(key.id)
    assert_error(
        api.client.post("/v1/screen", json={"name": "x"}, headers={"X-API-Key": secret}), 401, "unauthorized"
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x", "dob": "19-06-1951"}, "dob"),
        ({"name": "x", "type": "ship"}, "type"),
        ({"name": "x", "threshold": 2}, "threshold"),
        ({"name": "x", "limit": 0}, "limit"),
        ({"name": "x", "surprise": 1}, "surprise"),
        ({"name": "x" * 501}, "name"),
    ],
)
def test_invalid_screen_input_names_the_field(api: Api, body: dict, field: str) -> None:
    error = assert_error(
        api.client.post("/v1/screen", json=body, headers=api.headers()), 422, "invalid_input"
    )
    assert error["details"]["fields"][0]["field"] == field


def test_other_error_paths(api: Api) -> None:
    headers = api.headers()
    error = assert_error(
        api.client.post("/v1/screen", json={"name": "x", "country": "Atlantis"}, headers=headers),
        400,
        "invalid_input",
    )
    assert error["details"]["field"] == "country"
    assert_error(
        api.client.post(
            "/v1/screen", content=b"{not json", headers={**headers, "Content-Type": "application/json"}
        ),
        422,
        "invalid_input",
    )
    parties = [{"id": str(i), "name": "x"} for i in range(6)]
    error = assert_error(
        api.client.post("/v1/screen/batch", json={"parties": parties}, headers=headers), 400, "invalid_input"
    )
    assert error["details"]["field"] == "parties"
    assert_error(
        api.client.post("/v1/screen", json={"name": "x" * 30_000}, headers=headers), 413, "request_too_large"
    )
    assert_error(
        api.client.post("/v1/screen", json={"name": "x", "lists": ["nope"]}, headers=headers),
        404,
        "not_found",
    )
    assert_error(api.client.get("/v1/entities/un_sc:NOPE", headers=headers), 404, "not_found")
    assert_error(api.client.get("/v1/lists/nope/versions", headers=headers), 404, "not_found")
    assert_error(api.client.get("/v1/nothing-here", headers=headers), 404, "not_found")
    assert_error(api.client.get("/v1/screen", headers=headers), 405, "method_not_allowed")
    assert_error(
        api.client.get("/v1/lists/un_sc/diff", params={"from": 1}, headers=headers), 400, "invalid_input"
    )


def test_single_screen_for_a_customer_records_alerts(api: Api) -> None:
    from raqib.cases import AlertStore

    body = {"name": "قاسم محمد مهدي الريمي", "customer_id": "cust-42"}
    first = api.client.post("/v1/screen", json=body, headers=api.headers())
    assert first.status_code == 200, first.text
    again = api.client.post("/v1/screen", json=body, headers=api.headers())
    assert again.status_code == 200
    alerts = AlertStore(api.client.app.state.raqib.engine).list(customer_id="cust-42")
    assert ("un_sc:QDi.282", "single") in {(a["entity_id"], a["source"]) for a in alerts}
    assert len(alerts) == len({a["entity_id"] for a in alerts})  # screening twice doubles nothing
