"""goAML export of a case: ``POST /v1/cases/{id}/goaml``, the exports list, the files and the readable report."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from raqib.api.deps import StateDep, allowed
from raqib.auth import Principal
from raqib.cases.cases import case_detail
from raqib.db.tables import report_export
from raqib.errors import NotFound
from raqib.reports.case_report import render_html, render_pdf
from raqib.reports.goaml import ReportInput
from raqib.reports.goaml.from_case import EXPORT_KIND, FilingContext, export_goaml, list_exports

router = APIRouter(prefix="/v1/cases", tags=["reports"])

WorkerDep = Annotated[Principal, Depends(allowed("case.work"))]
ReaderDep = Annotated[Principal, Depends(allowed("case.read"))]


class GoamlExportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile: str = Field(default="ae-5.0.2", max_length=60, description="FIU profile.")
    context: FilingContext


@router.post("/{case_id}/goaml", summary="Export an approved 'file STR' case as goAML (validated, versioned)")
def export(case_id: int, body: GoamlExportRequest, state: StateDep, who: WorkerDep) -> dict[str, Any]:
    result = export_goaml(state.engine, who, case_id, profile=body.profile, context=body.context)
    return {**result.to_dict(), "download": f"/v1/cases/{case_id}/goaml/{result.version}"}


@router.get("/{case_id}/goaml", summary="The goAML files exported for a case")
def exports(case_id: int, state: StateDep, who: ReaderDep) -> list[dict[str, Any]]:
    return list_exports(state.engine, who, case_id)


def _stored(state: Any, case_id: int, version: int) -> Any:
    with state.engine.connect() as conn:
        row = conn.execute(
            sa.select(report_export).where(
                report_export.c.case_id == case_id,
                report_export.c.kind == EXPORT_KIND,
                report_export.c.version == version,
            )
        ).first()
        if row is None:
            raise NotFound(f"case {case_id} has no goAML export version {version}")
        return row, case_detail(conn, case_id)


@router.get("/{case_id}/goaml/{version}", summary="One exported goAML file, exactly as it left")
def download(case_id: int, version: int, state: StateDep, _who: ReaderDep) -> Response:
    row, _case = _stored(state, case_id, version)
    return Response(
        row.content,
        media_type="application/xml",
        headers={
            "Content-Disposition": f'attachment; filename="{row.filename}"',
            "X-Content-SHA256": row.sha256,
        },
    )


@router.get("/{case_id}/goaml/{version}/report", summary="The readable case report (HTML or PDF, ar or en)")
def readable(
    case_id: int,
    version: int,
    state: StateDep,
    _who: ReaderDep,
    lang: Literal["ar", "en"] = Query("ar"),
    format: Literal["html", "pdf"] = Query("html"),
) -> Response:
    row, case = _stored(state, case_id, version)
    report = ReportInput.model_validate_json(row.report_input)
    html = render_html(case, report, profile=row.profile, lang=lang, sha256=row.sha256)
    if format == "pdf":
        return Response(render_pdf(html), media_type="application/pdf")
    return HTMLResponse(html)


__all__ = ["router"]
