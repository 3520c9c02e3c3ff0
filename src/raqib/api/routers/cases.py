"""Alerts and cases: group, assign, comment, attach evidence, propose, approve or return.

Every endpoint checks the caller's role (``require``) and the workflow checks it again, with
four-eyes and the concurrency rules applied in the database. ``version`` in a body is optional:
when given, the change applies only if the case is still at that version (else 409).
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from raqib.api.deps import CasesDep, allowed
from raqib.auth import Principal
from raqib.cases import CaseStatus, Disposition
from raqib.errors import InvalidInput

router = APIRouter(prefix="/v1", tags=["cases"])

AlertReaderDep = Annotated[Principal, Depends(allowed("alert.read"))]
CaseReaderDep = Annotated[Principal, Depends(allowed("case.read"))]
CaseWorkerDep = Annotated[Principal, Depends(allowed("case.work"))]
CaseDeciderDep = Annotated[Principal, Depends(allowed("case.decide"))]


class NewCase(BaseModel):
    title: str = Field(max_length=500, examples=["Possible match: Tantoush"])
    alert_ids: list[int] = Field(min_length=1, max_length=1000, examples=[[1, 2]])
    assignee: str | None = Field(None, max_length=100, examples=["alice"])


class AlertIds(BaseModel):
    alert_ids: list[int] = Field(min_length=1, max_length=1000)
    version: int | None = None


class Assign(BaseModel):
    assignee: str | None = Field(max_length=100, examples=["alice"])
    version: int | None = None


class Due(BaseModel):
    due_at: datetime
    reason: str = Field(max_length=2000)
    version: int | None = None


class Version(BaseModel):
    version: int | None = None


class Comment(BaseModel):
    body: str = Field(max_length=20_000)


class EvidenceUpload(BaseModel):
    filename: str = Field(max_length=1000, examples=["passport.pdf"])
    content_base64: str = Field(description="The file, base64-encoded")
    media_type: str | None = Field(None, max_length=200, examples=["application/pdf"])


class Proposal(BaseModel):
    disposition: Disposition
    reason: str = Field(max_length=20_000)
    version: int | None = None


class Approval(BaseModel):
    note: str | None = Field(None, max_length=20_000)
    version: int | None = None


class Return(BaseModel):
    reason: str = Field(max_length=20_000)
    version: int | None = None


@router.get("/alerts", summary="Alerts with the case each belongs to")
def alerts(
    who: AlertReaderDep,
    cases: CasesDep,
    status: str | None = Query(None, examples=["open"]),
    customer_id: str | None = None,
    unassigned: bool = Query(False, description="Only alerts not yet in a case"),
    limit: int = Query(100, ge=1, le=10_000),
) -> list[dict[str, Any]]:
    return cases.alerts(who, status=status, customer_id=customer_id, unassigned=unassigned, limit=limit)


@router.get("/alerts/{alert_id}", summary="One alert with its match detail")
def alert(alert_id: int, who: AlertReaderDep, cases: CasesDep) -> dict[str, Any]:
    return cases.alert(who, alert_id)


@router.post("/cases", summary="Group alerts into a new case", status_code=201)
def create_case(body: NewCase, who: CaseWorkerDep, cases: CasesDep) -> dict[str, Any]:
    return cases.create(who, body.title, body.alert_ids, body.assignee)


@router.get("/cases", summary="Cases, the earliest due first, with ageing")
def list_cases(
    who: CaseReaderDep,
    cases: CasesDep,
    status: CaseStatus | None = None,
    assignee: str | None = None,
    overdue: bool | None = None,
    limit: int = Query(100, ge=1, le=10_000),
) -> list[dict[str, Any]]:
    return cases.list_cases(
        who, status=status.value if status else None, assignee=assignee, overdue=overdue, limit=limit
    )


@router.get("/cases/{case_id}", summary="One case: alerts with parties, comments, evidence")
def get_case(case_id: int, who: CaseReaderDep, cases: CasesDep) -> dict[str, Any]:
    return cases.get(who, case_id)


@router.get("/cases/{case_id}/history", summary="The case's audit records")
def history(case_id: int, who: CaseReaderDep, cases: CasesDep) -> list[dict[str, Any]]:
    return cases.history(who, case_id)


@router.post("/cases/{case_id}/alerts", summary="Add alerts to a case")
def add_alerts(case_id: int, body: AlertIds, who: CaseWorkerDep, cases: CasesDep) -> dict[str, Any]:
    return cases.add_alerts(who, case_id, body.alert_ids, body.version)


@router.post("/cases/{case_id}/assign", summary="Assign the case (null: unassign)")
def assign(case_id: int, body: Assign, who: CaseWorkerDep, cases: CasesDep) -> dict[str, Any]:
    return cases.assign(who, case_id, body.assignee, body.version)


@router.post("/cases/{case_id}/due", summary="Move the due date, with a reason")
def set_due(case_id: int, body: Due, who: CaseWorkerDep, cases: CasesDep) -> dict[str, Any]:
    return cases.set_due(who, case_id, body.due_at, body.reason, body.version)


@router.post("/cases/{case_id}/review", summary="Start (or resume) the review")
def review(case_id: int, body: Version, who: CaseWorkerDep, cases: CasesDep) -> dict[str, Any]:
    return cases.start_review(who, case_id, body.version)


@router.post("/cases/{case_id}/comments", summary="Add a comment", status_code=201)
def comment(case_id: int, body: Comment, who: CaseWorkerDep, cases: CasesDep) -> dict[str, Any]:
    return cases.comment(who, case_id, body.body)


@router.post("/cases/{case_id}/evidence", summary="Attach an evidence file", status_code=201)
def attach(case_id: int, body: EvidenceUpload, who: CaseWorkerDep, cases: CasesDep) -> dict[str, Any]:
    try:
        content = base64.b64decode(body.content_base64, validate=True)
    except (binascii.Error, ValueError) as err:
        raise InvalidInput("content_base64 is not valid base64", details={"field": "content_base64"}) from err
    return cases.attach(who, case_id, body.filename, content, body.media_type)


@router.get("/cases/{case_id}/evidence/{evidence_id}", summary="Download an evidence file")
def evidence(case_id: int, evidence_id: int, who: CaseReaderDep, cases: CasesDep) -> Response:
    item = cases.evidence(who, case_id, evidence_id)
    quoted = item.filename.encode("utf-8").hex()
    return Response(
        item.content,
        media_type=item.media_type,
        headers={
            # RFC 6266/5987: the UTF-8 name percent-encoded; never interpreted as a path.
            "Content-Disposition": "attachment; filename*=UTF-8''"
            + "".join(f"%{quoted[i : i + 2]}" for i in range(0, len(quoted), 2)),
            "X-Content-SHA256": item.sha256,
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.post("/cases/{case_id}/propose", summary="Propose a disposition (a second person decides)")
def propose(case_id: int, body: Proposal, who: CaseWorkerDep, cases: CasesDep) -> dict[str, Any]:
    return cases.propose(who, case_id, body.disposition, body.reason, body.version)


@router.post("/cases/{case_id}/approve", summary="Approve the proposal (never the proposer's own)")
def approve(case_id: int, body: Approval, who: CaseDeciderDep, cases: CasesDep) -> dict[str, Any]:
    return cases.approve(who, case_id, body.note, body.version)


@router.post("/cases/{case_id}/return", summary="Send the proposal back to the analyst")
def return_case(case_id: int, body: Return, who: CaseDeciderDep, cases: CasesDep) -> dict[str, Any]:
    return cases.return_case(who, case_id, body.reason, body.version)


__all__ = ["router"]
