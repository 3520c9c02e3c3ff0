"""Every case, alert, audit, user and auth endpoint × every role, against the design in docs/cases.md.

The table between the ``permissions-matrix`` markers in ``docs/cases.md`` is the design: ✓ must not
be refused (the call may still fail for another reason, e.g. 409 on a case in the wrong state),
✗ must be 403, and no credentials must be 401. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from raqib.auth import Role
from tests.cases.conftest import CaseApi, case_api

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cases.md"
ROLE_COLUMNS = [Role.ANALYST, Role.REVIEWER, Role.ADMIN, Role.AUDITOR, Role.API_CLIENT]
GROUPS = ("/v1/alerts", "/v1/cases", "/v1/audit", "/v1/users", "/v1/auth")
PUBLIC = {"POST /v1/auth/login"}


def design() -> dict[str, set[Role]]:
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("<!-- permissions-matrix:start -->")[1].split("<!-- permissions-matrix:end -->")[0]
    matrix = {}
    for line in table.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        endpoint = cells[0].strip("`")
        marks = cells[1:]
        assert len(marks) == len(ROLE_COLUMNS), line
        assert set(marks) <= {"✓", "✗"}, line
        matrix[endpoint] = {role for role, mark in zip(ROLE_COLUMNS, marks, strict=True) if mark == "✓"}
    return matrix


DESIGN = design()


def _body(endpoint: str) -> dict[str, object] | None:
    bodies: dict[str, dict[str, object]] = {
        "POST /v1/cases": {"title": "matrix", "alert_ids": [3]},
        "POST /v1/cases/{case_id}/alerts": {"alert_ids": [3]},
        "POST /v1/cases/{case_id}/assign": {"assignee": "alice"},
        "POST /v1/cases/{case_id}/due": {"due_at": "2030-01-01T00:00:00Z", "reason": "matrix"},
        "POST /v1/cases/{case_id}/review": {},
        "POST /v1/cases/{case_id}/comments": {"body": "matrix"},
        "POST /v1/cases/{case_id}/evidence": {
            "filename": "m.txt",
            "content_base64": base64.b64encode(b"matrix").decode(),
        },
        "POST /v1/cases/{case_id}/propose": {"disposition": "escalate", "reason": "matrix"},
        "POST /v1/cases/{case_id}/approve": {},
        "POST /v1/cases/{case_id}/return": {"reason": "matrix"},
        "POST /v1/users": {"username": "newbie", "password": "long enough password", "role": "analyst"},
        "POST /v1/users/{username}/password": {"password": "another long password"},
        "POST /v1/auth/logout": {},
    }
    return bodies.get(endpoint)


@pytest.fixture
def api(store_url: str, tmp_path: Path) -> Iterator[CaseApi]:
    with case_api(store_url, tmp_path) as api:
        yield api


def _prepare(api: CaseApi) -> dict[str, str]:
    world = api.world
    alice = world.people["alice"]
    case = world.cases.create(alice, "matrix", world.alert_ids[:2])
    world.cases.attach(alice, case["id"], "e.txt", b"evidence")
    evidence_id = world.cases.get(alice, case["id"])["evidence"][0]["id"]
    world.users.create("victim", "victim long password", Role.ANALYST, world.people["root"])
    return {
        "case_id": str(case["id"]),
        "alert_id": str(world.alert_ids[0]),
        "evidence_id": str(evidence_id),
        "username": "victim",
        "version": "1",
    }


def test_every_endpoint_of_these_groups_is_in_the_design(api: CaseApi) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    routes = {
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        if path.startswith(GROUPS)
        for method in operations
    }
    assert routes - PUBLIC == set(DESIGN)


def test_matrix(api: CaseApi) -> None:
    ids = _prepare(api)
    refused: list[str] = []
    for endpoint, allowed_roles in DESIGN.items():
        method, template = endpoint.split(" ")
        path = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], template)
        body = _body(endpoint)
        for role in [None, *ROLE_COLUMNS]:
            response = api.client.request(method, path, json=body, headers=api.headers(role))
            code = (
                response.json().get("code")
                if response.headers.get("content-type", "").startswith("application/json")
                and isinstance(response.json(), dict)
                else None
            )
            if role is None:
                expected = "401"
                ok = response.status_code == 401 and code == "unauthorized"
            elif role in allowed_roles:
                expected = "allowed"
                ok = response.status_code not in (401, 403) or code == "four_eyes"
            else:
                expected = "403"
                ok = response.status_code == 403 and code == "forbidden"
            if not ok:
                refused.append(
                    f"{endpoint} as {role}: expected {expected}, got {response.status_code} {code}"
                )
    assert refused == []


def test_sessions_authenticate_through_the_same_checks(api: CaseApi) -> None:
    headers = api.login("aud")
    assert api.client.get("/v1/auth/me", headers=headers).json()["actor"] == "user:aud"
    assert api.client.get("/v1/cases", headers=headers).status_code == 200
    refused = api.client.post("/v1/cases", json={"title": "x", "alert_ids": [1]}, headers=headers)
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert api.client.post("/v1/auth/logout", headers=headers).status_code == 200
    assert api.client.get("/v1/cases", headers=headers).status_code == 401


def test_bad_credentials_are_401(api: CaseApi) -> None:
    for token in ("rqs_forged", "rqb_00000000_nope", "garbage"):
        response = api.client.get("/v1/cases", headers={"Authorization": f"Bearer {token}"})
        assert (response.status_code, response.json()["code"]) == (401, "unauthorized")
    wrong = api.client.post("/v1/auth/login", json={"username": "alice", "password": "not the password"})
    assert (wrong.status_code, wrong.json()["code"]) == (401, "unauthorized")
