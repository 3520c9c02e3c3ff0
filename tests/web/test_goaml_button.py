"""The goAML button on the case page: export an approved 'file STR' case, then download the file."""

from __future__ import annotations

import json
from pathlib import Path

from raqib.auth import Principal
from raqib.cases import CaseWorkflow
from raqib.reports.goaml import ReportInput
from tests.web.conftest import Web
from tests.web.test_pages import new_case, post

STR_INPUT = ReportInput.model_validate_json(
    (Path(__file__).resolve().parent.parent / "data" / "goaml" / "inputs" / "STR.json").read_text(
        encoding="utf-8"
    )
)


def _filing_context(customer_ids: list[str]) -> str:
    person = STR_INPUT.transactions[0].from_side.subject.person
    assert person is not None
    kyc = person.model_copy(update={"first_name": "Client", "last_name": "Number One", "full_name_frn": None})
    return json.dumps(
        {
            "rentity_id": 101,
            "reporting_person": STR_INPUT.reporting_person.model_dump(mode="json"),
            "location": STR_INPUT.location.model_dump(mode="json") if STR_INPUT.location else None,
            "indicators": ["STRUC"],
            "customer_details": {cid: kyc.model_dump(mode="json") for cid in customer_ids},
        }
    )


def test_goaml_export_button_on_an_approved_str_case(web: Web) -> None:
    case_id = new_case(web, by="ana")
    path = f"/cases/{case_id}"
    analyst, reviewer = web.client("ana"), web.client("rev")
    post(analyst, f"{path}/review", {}, page=path)
    post(analyst, f"{path}/propose", {"disposition": "file_str", "reason": "listed person"}, page=path)
    assert 'data-testid="goaml-export"' not in analyst.get(path).text  # not before four-eyes approval
    assert post(reviewer, f"{path}/approve", {"note": "file it"}, page=path).status_code == 303  # type: ignore[attr-defined]
    page = analyst.get(path).text
    assert 'data-testid="goaml-export"' in page
    case = CaseWorkflow(web.engine).get(Principal.system("t"), case_id)
    customers = [a["customer_id"] for a in case["alerts"]]
    bad = post(analyst, f"{path}/goaml", {"profile": "ae-5.0.2", "context": "{not json"}, page=path)
    assert bad.status_code == 400  # type: ignore[attr-defined]
    done = post(
        analyst, f"{path}/goaml", {"profile": "ae-5.0.2", "context": _filing_context(customers)}, page=path
    )
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    page = analyst.get(path).text
    assert 'data-testid="goaml-file"' in page
    download = analyst.get(f"{path}/goaml/1")
    assert download.status_code == 200
    assert b"<report_code>STR</report_code>" in download.content
    auditor = web.client("aud")
    assert 'data-testid="goaml-export"' not in auditor.get(path).text
    assert auditor.get(f"{path}/goaml/1").status_code == 200
