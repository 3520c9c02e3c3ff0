"""The case workflow over HTTP, on SQLite and PostgreSQL: sessions, four-eyes, evidence, audit."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from raqib.auth import Role
from tests.cases.conftest import CaseApi, case_api

ERROR_KEYS = {"ok", "code", "message", "details"}


@pytest.fixture
def api(store_url: str, tmp_path: Path) -> Iterator[CaseApi]:
    with case_api(store_url, tmp_path) as api:
        yield api


def _error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == code
    return body


def test_workflow_end_to_end_with_sessions(api: CaseApi) -> None:
    alice, bob = api.login("alice"), api.login("bob")
    client = api.client
    alerts = client.get("/v1/alerts", params={"unassigned": True}, headers=alice).json()
    assert len(alerts) == 3
    created = client.post(
        "/v1/cases", json={"title": "Tantoush?", "alert_ids": [alerts[0]["id"]]}, headers=alice
    )
    assert created.status_code == 201, created.text
    case = created.json()
    assert case["alerts"][0]["customer"]["id"] == "c1"
    case_id = case["id"]
    path = f"/v1/cases/{case_id}"
    assert client.post(f"{path}/review", json={}, headers=alice).json()["assignee"] == "alice"
    upload = client.post(
        f"{path}/evidence",
        json={
            "filename": "C:\\docs\\هوية.txt",
            "content_base64": base64.b64encode("صورة الهوية".encode()).decode(),
            "media_type": "text/plain; charset=utf-8",
        },
        headers=alice,
    )
    assert upload.status_code == 201, upload.text
    item = upload.json()["evidence"][0]
    assert item["filename"] == "هوية.txt"
    download = client.get(f"{path}/evidence/{item['id']}", headers=bob)
    assert download.content == "صورة الهوية".encode()
    assert download.headers["x-content-sha256"] == item["sha256"]
    assert download.headers["content-disposition"].startswith("attachment; filename*=UTF-8''%d9%87")
    proposed = client.post(
        f"{path}/propose", json={"disposition": "false_positive", "reason": "other DOB"}, headers=alice
    ).json()
    assert proposed["status"] == "proposed"
    _error(client.post(f"{path}/approve", json={}, headers=alice), 403, "forbidden")
    stale = client.post(f"{path}/approve", json={"version": proposed["version"] - 1}, headers=bob)
    _error(stale, 409, "conflict")
    approved = client.post(f"{path}/approve", json={"version": proposed["version"]}, headers=bob)
    assert approved.status_code == 200, approved.text
    assert approved.json()["decided_by"] == "user:bob"
    _error(client.post(f"{path}/approve", json={}, headers=api.headers(Role.ADMIN)), 409, "conflict")
    history = client.get(f"{path}/history", headers=api.headers(Role.AUDITOR)).json()
    assert [r["action"] for r in history] == [
        "case.create",
        "case.review",
        "case.evidence",
        "case.propose",
        "case.approve",
    ]
    logins = client.get("/v1/audit", params={"action": "auth.login"}, headers=api.headers(Role.AUDITOR))
    assert [r["actor"] for r in logins.json()] == ["user:alice", "user:bob"]
    verified = client.get("/v1/audit/verify", headers=api.headers(Role.AUDITOR)).json()
    assert verified["ok"] is True
    assert verified["first_bad"] is None


def test_reviewer_cannot_approve_own_proposal_over_http(api: CaseApi) -> None:
    bob = api.login("bob")
    case = api.client.post("/v1/cases", json={"title": "x", "alert_ids": [1]}, headers=bob).json()
    path = f"/v1/cases/{case['id']}"
    api.client.post(f"{path}/review", json={}, headers=bob)
    api.client.post(f"{path}/propose", json={"disposition": "true_match", "reason": "same"}, headers=bob)
    body = _error(api.client.post(f"{path}/approve", json={}, headers=bob), 403, "four_eyes")
    assert body["details"] == {"proposed_by": "user:bob"}
    carol = api.login("carol")
    returned = api.client.post(f"{path}/return", json={"reason": "need ID"}, headers=carol)
    assert returned.json()["status"] == "returned"


def test_bad_inputs_use_the_error_shape(api: CaseApi) -> None:
    alice = api.login("alice")
    _error(api.client.get("/v1/cases/999", headers=alice), 404, "not_found")
    _error(
        api.client.post("/v1/cases", json={"title": "x", "alert_ids": []}, headers=alice),
        422,
        "invalid_input",
    )
    case = api.client.post("/v1/cases", json={"title": "x", "alert_ids": [1]}, headers=alice).json()
    path = f"/v1/cases/{case['id']}"
    bad = {"filename": "a.txt", "content_base64": "not base64!"}
    _error(api.client.post(f"{path}/evidence", json=bad, headers=alice), 400, "invalid_input")
    big = {"filename": "a.bin", "content_base64": base64.b64encode(b"x" * 1001).decode()}
    _error(api.client.post(f"{path}/evidence", json=big, headers=alice), 400, "too_large")
    wrong = {"disposition": "maybe", "reason": "x"}
    _error(api.client.post(f"{path}/propose", json=wrong, headers=alice), 422, "invalid_input")
    _error(api.client.post(f"{path}/approve", json={}, headers=api.headers(Role.REVIEWER)), 409, "conflict")


def test_users_over_http(api: CaseApi) -> None:
    admin = api.headers(Role.ADMIN)
    created = api.client.post(
        "/v1/users",
        json={"username": "dina", "password": "a long enough password", "role": "reviewer"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    assert "password_hash" not in created.json()
    assert "dina" in [u["username"] for u in api.client.get("/v1/users", headers=admin).json()]
    _error(
        api.client.post(
            "/v1/users", json={"username": "dina", "password": "x" * 12, "role": "analyst"}, headers=admin
        ),
        409,
        "conflict",
    )
    token = api.client.post("/v1/auth/login", json={"username": "dina", "password": "a long enough password"})
    session = {"Authorization": f"Bearer {token.json()['token']}"}
    assert token.cookies.get("raqib_session") == token.json()["token"]
    assert api.client.post("/v1/users/dina/disable", headers=admin).json()["disabled_at"] is not None
    _error(api.client.get("/v1/auth/me", headers=session), 401, "unauthorized")
