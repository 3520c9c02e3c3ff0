"""The audit trail: read records, check the chain, read its head (to anchor it elsewhere)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from raqib import audit
from raqib.api.deps import StateDep, allowed
from raqib.auth import Principal

router = APIRouter(prefix="/v1/audit", tags=["audit"])

AuditReaderDep = Annotated[Principal, Depends(allowed("audit.read"))]
AuditVerifierDep = Annotated[Principal, Depends(allowed("audit.verify"))]


@router.get("", summary="Audit records in order, optionally of one subject or action prefix")
def records(
    state: StateDep,
    _who: AuditReaderDep,
    subject: str | None = Query(None, examples=["case:12"]),
    action: str | None = Query(None, description="Action prefix, e.g. 'case.' or 'auth.login'"),
    after: int = Query(0, ge=0, description="Only records after this seq (paging)"),
    limit: int = Query(100, ge=1, le=10_000),
) -> list[dict[str, Any]]:
    found = audit.records(state.engine, subject=subject, action=action, after_seq=after, limit=limit)
    return [r.to_dict() for r in found]


@router.get("/verify", summary="Recompute the hash chain; names the first bad record")
def verify(
    state: StateDep,
    _who: AuditVerifierDep,
    anchor_seq: int | None = Query(None, ge=1),
    anchor_hash: str | None = Query(None, min_length=64, max_length=64),
) -> dict[str, Any]:
    anchor = (anchor_seq, anchor_hash) if anchor_seq is not None and anchor_hash is not None else None
    broken = audit.verify(state.engine, anchor=anchor)
    seq, digest = audit.head(state.engine)
    return {
        "ok": broken is None,
        "records": seq,
        "head": digest,
        "first_bad": broken.to_dict() if broken else None,
    }


__all__ = ["router"]
