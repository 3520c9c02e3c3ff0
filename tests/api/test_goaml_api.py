"""goAML export over HTTP: refused before approval, validated, versioned, downloadable, readable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from raqib.auth import Role
from raqib.reports.goaml import ReportInput
from tests.cases.conftest import CaseApi, case_api

STR_INPUT = ReportInput.model_validate_json(
    (Path(__file__).resolve().parent.parent / "data" / "goaml" / "inputs" / "STR.json").read_text(
        encoding="utf-8"
    )
)


@pytest.fixture
def api(tmp_path: Path) -> Iterator[CaseApi]:
    with case_api(f"sqlite:///{tmp_path / 'raqib.db'}", tmp_path) as api:
        yield api


def _context(customer_ids: list[str]) -> dict[str, object]:
    person = STR_INPUT.transactions[0].from_side.subject.person
    assert person is not None
    kyc = person.model_copy(update={"first_name": "Client", "last_name": "Number One", "full_name_frn": None})
    return {
        "rentity_id": 101,
        "reporting_person": STR_INPUT.reporting_person.model_dump(mode="json"),
        "location": STR_INPUT.location.model_dump(mode="json") if STR_INPUT.location else None,
        "indicators": ["STRUC"],
        "customer_details": {cid: kyc.model_dump(mode="json") for cid in customer_ids},
    }


def test_goaml_export_over_http(api: CaseApi) -> None:
    alice, bob = api.login("alice"), api.login("bob")
    client = api.client
    alerts = client.get("/v1/alerts", params={"unassigned": True}, headers=alice).json()
    case = client.post(
        "/v1/cases", json={"title": "STR", "alert_ids": [alerts[0]["id"]]}, headers=alice
    ).json()
    path = f"/v1/cases/{case['id']}"
    body = {"profile": "ae-5.0.2", "context": _context([a["customer"]["id"] for a in case["alerts"]])}
    client.post(f"{path}/review", json={}, headers=alice)
    client.post(f"{path}/propose", json={"disposition": "file_str", "reason": "listed person"}, headers=alice)
    refused = client.post(f"{path}/goaml", json=body, headers=alice)
    assert refused.status_code == 409, refused.text  # no four-eyes approval yet
    assert client.post(f"{path}/approve", json={}, headers=bob).status_code == 200
    first = client.post(f"{path}/goaml", json=body, headers=alice)
    assert first.status_code == 200, first.text
    second = client.post(f"{path}/goaml", json=body, headers=alice).json()
    assert (first.json()["version"], second["version"]) == (1, 2)
    listed = client.get(f"{path}/goaml", headers=api.headers(Role.AUDITOR)).json()
    assert [item["version"] for item in listed] == [1, 2]
    download = client.get(first.json()["download"], headers=bob)
    assert download.status_code == 200
    assert b"<report_code>STR</report_code>" in download.content
    assert download.headers["x-content-sha256"] == listed[0]["sha256"]
    readable = client.get(f"{path}/goaml/1/report", params={"lang": "ar"}, headers=bob)
    assert readable.status_code == 200
    assert 'dir="rtl"' in readable.text
    forbidden = client.post(f"{path}/goaml", json=body, headers=api.headers(Role.AUDITOR))
    assert forbidden.status_code == 403
    invalid = client.post(
        f"{path}/goaml", json={**body, "context": {**body["context"], "indicators": ["NOPE"]}}, headers=alice
    )
    assert invalid.status_code in {400, 422}, invalid.text
    assert "NOPE" in json.dumps(invalid.json())
