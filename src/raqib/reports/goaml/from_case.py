"""From an approved 'file STR' case to a validated goAML file, recorded and versioned.

A case holds alerts (customer ↔ listed entity); it does not hold what only the reporting entity
knows about its filing — the MLRO who reports, the branch, the indicators chosen, transactions pulled
from the core system. Those come in a :class:`FilingContext`. The customer becomes an involved party
"my client", the listed entity an involved party not our client. Whatever the FIU's schema demands
that the case cannot supply (for a UAE ``person_my_client``: birth date, id number, phones, an
identification…) makes validation fail with the element named, and nothing is exported.

Export (:func:`export_goaml`) is one transaction: refuse unless the case's disposition ``file_str``
was approved (four-eyes happened in :mod:`raqib.cases`), build, validate, store the file as the
next version for the case in ``report_export``, and append ``report.goaml_export`` with the file's
SHA-256 to the audit chain.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from anyascii import anyascii
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.engine import Engine

from raqib import audit
from raqib.auth import Principal, authorize
from raqib.cases.cases import CaseStatus, Disposition, case_detail
from raqib.db.tables import report_export
from raqib.errors import Conflict, InvalidInput
from raqib.reports.goaml.builder import build_report
from raqib.reports.goaml.model import (
    Address,
    Entity,
    Person,
    ReportInput,
    ReportParty,
    Subject,
    Transaction,
)
from raqib.reports.goaml.profile import load_profile
from raqib.reports.goaml.validate import ensure_valid

EXPORT_KIND = "goaml"
AUDIT_ACTION = "report.goaml_export"
_LATIN_NAME = re.compile(r"[A-Za-z0-9 .'-]+")


class FilingContext(BaseModel):
    """What the reporting entity adds to a case to file it (the MLRO, indicators, transactions…)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    report_code: str = "STR"
    rentity_id: int | None = None
    rentity_branch: str | None = None
    reporting_person: Person
    location: Address | None = None
    indicators: tuple[str, ...] = Field(min_length=1)
    action: str | None = Field(default=None, description="Default: the approved disposition, who and when.")
    transactions: tuple[Transaction, ...] = ()
    extra_parties: tuple[ReportParty, ...] = Field(
        default=(), description="Parties the case does not hold; case parties come first."
    )
    customer_details: dict[str, Person] = Field(
        default={}, description="Full KYC of customers by customer id, replacing the bare register row."
    )


def _person_from_name(name: str, **fields: Any) -> Person:
    """goAML wants first and last name in Latin letters; the original script goes to full_name_frn."""
    latin = name if _LATIN_NAME.fullmatch(name) else re.sub(r"[^A-Za-z0-9 .'-]", "", anyascii(name))
    tokens = latin.split() or ["-"]
    first, last = (tokens[0], " ".join(tokens[1:])) if len(tokens) > 1 else (tokens[0], tokens[0])
    original = None if latin == name else name
    return Person(first_name=first, last_name=last, full_name_frn=original, **fields)


def _birthdate(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None  # the register keeps what the bank gave ("1966", "27/02/1966"): not a goAML date


def _customer_party(item: Mapping[str, Any], context: FilingContext) -> ReportParty:
    customer = item["customer"] or {"id": item["customer_id"], "name": item["customer_id"], "type": None}
    reason = (
        f"Screening alert {item['id']}: matched {item['matched_name']!r} on list {item['list_id']} "
        f"(score {item['score']:.2f})"
    )
    known = context.customer_details.get(str(customer["id"]))
    if customer.get("type") in {"organization", "company", "entity", "legal"}:
        subject = Subject(entity=Entity(name=customer["name"]))
    else:
        subject = Subject(
            person=known or _person_from_name(customer["name"], birthdate=_birthdate(customer["dob"]))
        )
    return ReportParty(my_client=True, subject=subject, reason=reason, is_suspected=True)


def _listed_party(item: Mapping[str, Any]) -> ReportParty | None:
    entity = item["entity"]
    if entity is None:
        return None
    reason = f"Listed on {item['list_id']} as {entity['id']}"
    if entity.get("type") in {"person", "individual"}:
        subject = Subject(person=_person_from_name(entity["caption"]))
    else:
        subject = Subject(entity=Entity(name=entity["caption"]))
    return ReportParty(my_client=False, subject=subject, reason=reason)


def require_filable(case: Mapping[str, Any]) -> None:
    """Raise :class:`~raqib.errors.Conflict` unless the case's 'file STR' disposition was approved."""
    if case["disposition"] != Disposition.FILE_STR or case["status"] != CaseStatus.APPROVED:
        raise Conflict(
            f"case {case['id']} cannot be filed: it needs an approved 'file_str' disposition "
            f"(four-eyes), it is {case['status']!r} with disposition {case['disposition']!r}",
            code="case_not_approved_for_str",
        )


def report_input_from_case(case: Mapping[str, Any], context: FilingContext) -> ReportInput:
    """Build the goAML input for a case (as :func:`raqib.cases.cases.case_detail` returns it).

    Raises:
        Conflict: the case's disposition is not an approved ``file_str``.
    """
    require_filable(case)
    parties: list[ReportParty] = []
    for item in case["alerts"]:
        parties.append(_customer_party(item, context))
        listed = _listed_party(item)
        if listed is not None:
            parties.append(listed)
    parties.extend(context.extra_parties)
    action = context.action or (
        f"Case {case['id']}: disposition 'file STR' proposed by {case['proposed_by']} and approved by "
        f"{case['decided_by']} on {(case['decided_at'] or '')[:10]}"
    )
    return ReportInput(
        rentity_id=context.rentity_id,
        rentity_branch=context.rentity_branch,
        report_code=context.report_code,
        entity_reference=f"RAQIB-CASE-{case['id']}",
        submission_date=datetime.now(UTC).replace(microsecond=0),
        reporting_person=context.reporting_person,
        location=context.location,
        reason=case["reason"] or case["decision_note"] or case["title"],
        action=action,
        transactions=context.transactions,
        parties=tuple(parties),
        indicators=context.indicators,
    )


@dataclass(frozen=True, slots=True)
class GoamlExport:
    case_id: int
    version: int
    profile: str
    report_code: str
    filename: str
    sha256: str
    xml: bytes
    report: ReportInput

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "version": self.version,
            "profile": self.profile,
            "report_code": self.report_code,
            "filename": self.filename,
            "sha256": self.sha256,
            "size": len(self.xml),
        }


def export_goaml(
    engine: Engine, who: Principal, case_id: int, *, profile: str, context: FilingContext
) -> GoamlExport:
    """Build, validate, store (next version) and audit the goAML file for an approved STR case.

    Raises:
        Forbidden: the caller's role may not work cases.
        NotFound: no such case or profile.
        Conflict: the case is not an approved ``file_str``.
        InvalidInput: the report is not valid under the profile (every issue listed).
    """
    authorize(who, "case.work")
    load_profile(profile)
    with engine.begin() as conn:
        case = case_detail(conn, case_id)
        report = report_input_from_case(case, context)
        version = (
            conn.execute(
                sa.select(sa.func.max(report_export.c.version)).where(
                    report_export.c.case_id == case_id, report_export.c.kind == EXPORT_KIND
                )
            ).scalar()
            or 0
        ) + 1
        report = report.model_copy(update={"entity_reference": f"RAQIB-CASE-{case_id}-V{version}"})
        xml = build_report(report, load_profile(profile))
        filename = f"raqib-case-{case_id}-{report.report_code}-v{version}.xml"
        ensure_valid(xml, profile, source=filename)
        digest = hashlib.sha256(xml).hexdigest()
        now = datetime.now(UTC)
        try:
            conn.execute(
                report_export.insert().values(
                    case_id=case_id,
                    version=version,
                    kind=EXPORT_KIND,
                    profile=profile,
                    report_code=report.report_code,
                    filename=filename,
                    sha256=digest,
                    size=len(xml),
                    content=xml,
                    report_input=report.model_dump_json(),
                    exported_by=who.actor,
                    exported_at=now,
                )
            )
        except sa.exc.IntegrityError as err:
            raise Conflict(f"case {case_id}: another export took version {version}; try again") from err
        audit.append(
            conn,
            who.actor,
            AUDIT_ACTION,
            f"case:{case_id}",
            {
                "version": version,
                "profile": profile,
                "report_code": report.report_code,
                "filename": filename,
                "sha256": digest,
                "size": len(xml),
            },
        )
    return GoamlExport(case_id, version, profile, report.report_code, filename, digest, xml, report)


def list_exports(engine: Engine, who: Principal, case_id: int) -> list[dict[str, Any]]:
    """The goAML files exported for a case, oldest first (without their content)."""
    authorize(who, "case.read")
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(report_export)
            .where(report_export.c.case_id == case_id, report_export.c.kind == EXPORT_KIND)
            .order_by(report_export.c.version)
        ).all()
    return [
        {
            "version": row.version,
            "profile": row.profile,
            "report_code": row.report_code,
            "filename": row.filename,
            "sha256": row.sha256,
            "size": row.size,
            "exported_by": row.exported_by,
            "exported_at": row.exported_at.isoformat() if row.exported_at else None,
        }
        for row in rows
    ]


def load_context(text: str) -> FilingContext:
    """Parse a filing context from JSON text.

    Raises:
        InvalidInput: the JSON is not a valid filing context (the field is named).
    """
    try:
        return FilingContext.model_validate_json(text)
    except ValueError as err:
        raise InvalidInput(f"invalid filing context: {err}", code="invalid_filing_context") from err


__all__ = [
    "AUDIT_ACTION",
    "EXPORT_KIND",
    "FilingContext",
    "GoamlExport",
    "export_goaml",
    "list_exports",
    "load_context",
    "report_input_from_case",
    "require_filable",
]
