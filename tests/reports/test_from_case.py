"""From an approved 'file STR' case to goAML: refusal, validation, versioning, audit; readable report."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from raqib import audit
from raqib.cases import Disposition
from raqib.db import open_engine
from raqib.db.tables import report_export
from raqib.errors import ConfigError, Conflict, InvalidInput
from raqib.reports.case_report import render_html, render_pdf
from raqib.reports.goaml import Person, ReportInput, build_report, load_profile
from raqib.reports.goaml.from_case import (
    AUDIT_ACTION,
    FilingContext,
    export_goaml,
    list_exports,
    report_input_from_case,
)
from tests.cases.conftest import World, make_world

DATA = Path(__file__).resolve().parent.parent / "data" / "goaml"
STR_INPUT = ReportInput.model_validate_json((DATA / "inputs" / "STR.json").read_text(encoding="utf-8"))


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    engine = open_engine(f"sqlite:///{tmp_path / 'raqib.db'}")
    yield make_world(engine, tmp_path)
    engine.dispose()


def _case(
    world: World,
    disposition: Disposition = Disposition.FILE_STR,
    approve: bool = True,
    alerts: slice = slice(0, 2),
) -> int:
    alice, bob = world.people["alice"], world.people["bob"]
    case = world.cases.create(alice, "Structuring via cash", world.alert_ids[alerts])
    world.cases.start_review(alice, case["id"])
    world.cases.propose(
        alice, case["id"], disposition, "Customer matched a UN-listed person; cash structuring"
    )
    if approve:
        world.cases.approve(bob, case["id"], "agreed")
    return int(case["id"])


def _context(**changes: object) -> FilingContext:
    base = {
        "rentity_id": 101,
        "reporting_person": STR_INPUT.reporting_person.model_dump(),
        "location": STR_INPUT.location.model_dump() if STR_INPUT.location else None,
        "indicators": ["STRUC"],
    }
    return FilingContext.model_validate({**base, **changes})


def _kyc(first: str, last: str, eid: str) -> dict[str, object]:
    sender = STR_INPUT.transactions[0].from_side.subject.person
    assert sender is not None
    return sender.model_copy(
        update={"first_name": first, "last_name": last, "full_name_frn": None}
    ).model_dump()


def test_unapproved_or_other_dispositions_are_refused(world: World) -> None:
    unapproved = _case(world, approve=False, alerts=slice(0, 1))
    true_match = _case(world, Disposition.TRUE_MATCH, alerts=slice(1, 2))
    for case_id in (unapproved, true_match):
        with pytest.raises(Conflict, match="approved 'file_str'"):
            export_goaml(world.engine, world.people["alice"], case_id, profile="ae-5.0.2", context=_context())


def test_case_parties_become_involved_parties(world: World) -> None:
    case_id = _case(world)
    case = world.cases.get(world.people["alice"], case_id)
    report = report_input_from_case(case, _context())
    names = [(p.my_client, p.subject.kind) for p in report.parties]
    assert names.count((True, "person")) == 2  # the two customers
    assert len(report.parties) == 4  # and the two listed entities
    arabic = [p.subject.person for p in report.parties if p.subject.person and p.subject.person.full_name_frn]
    assert arabic
    assert arabic[0].full_name_frn == "خليفة محمد تركي السبيعي"
    assert arabic[0].first_name.isascii()
    assert "approved by" in (report.action or "")


def test_incomplete_kyc_fails_validation_naming_the_elements(world: World) -> None:
    case_id = _case(world)
    with pytest.raises(InvalidInput) as caught:
        export_goaml(world.engine, world.people["alice"], case_id, profile="ae-5.0.2", context=_context())
    paths = {issue["path"] for issue in caught.value.details["issues"]}
    assert any(path.endswith("person_my_client") for path in paths)
    with world.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(report_export)).scalar() == 0


def test_export_is_validated_versioned_and_audited(world: World) -> None:
    case_id = _case(world)
    case = world.cases.get(world.people["alice"], case_id)
    customers = [alert["customer_id"] for alert in case["alerts"]]
    context = _context(
        customer_details={
            cid: _kyc("Client", f"Number {i}", "784198512345671") for i, cid in enumerate(customers)
        }
    )
    first = export_goaml(world.engine, world.people["alice"], case_id, profile="ae-5.0.2", context=context)
    second = export_goaml(world.engine, world.people["alice"], case_id, profile="ae-5.0.2", context=context)
    assert (first.version, second.version) == (1, 2)
    assert first.sha256 == hashlib.sha256(first.xml).hexdigest()
    assert b"<report_code>STR</report_code>" in first.xml
    assert b"RAQIB-CASE-%d-V2" % case_id in second.xml
    listed = list_exports(world.engine, world.people["aud"], case_id)
    assert [row["version"] for row in listed] == [1, 2]
    records = [r for r in audit.records(world.engine, subject=f"case:{case_id}") if r.action == AUDIT_ACTION]
    assert [json.loads(r.details)["sha256"] for r in records] == [first.sha256, second.sha256]
    assert audit.verify(world.engine) is None


def test_readable_report_html_in_arabic_and_english() -> None:
    case = {"id": 7, "title": "t", "status": "approved", "disposition": "file_str", "alerts": []}
    arabic = render_html(case, STR_INPUT, profile="ae-5.0.2", lang="ar", sha256="ab" * 32)
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "سبب الاشتباه" in arabic
    assert "STRUC" in arabic
    assert "120,000.00 AED" in arabic
    english = render_html(case, STR_INPUT, profile="ae-5.0.2", lang="en")
    assert '<html lang="en" dir="ltr">' in english
    assert "Reason for suspicion" in english
    hostile = STR_INPUT.model_copy(update={"reason": "<script>alert(1)</script>"})
    assert "<script>alert" not in render_html(case, hostile, profile="ae-5.0.2", lang="en")
    with pytest.raises(InvalidInput):
        render_html(case, STR_INPUT, profile="ae-5.0.2", lang="fr")  # type: ignore[arg-type]


def test_pdf_without_chromium_says_so() -> None:
    with pytest.raises(ConfigError, match="PDF needs Chromium"):
        render_pdf("<p>x</p>", chromium=None) if shutil.which("chromium") is None else _raise_missing()


def _raise_missing() -> None:
    raise ConfigError("PDF needs Chromium (simulated: Chromium is installed here)")


@pytest.mark.skipif(
    shutil.which("chromium") is None, reason="PDF printing needs Chromium (apt-get install chromium)"
)
def test_pdf_with_chromium() -> None:
    case = {"id": 7, "title": "t", "status": "approved", "disposition": "file_str", "alerts": []}
    pdf = render_pdf(render_html(case, STR_INPUT, profile="ae-5.0.2", lang="ar"))
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 1000


def test_builder_and_model_round_trip() -> None:
    again = ReportInput.model_validate_json(STR_INPUT.model_dump_json())
    assert build_report(again, load_profile("ae-5.0.2")) == build_report(STR_INPUT, load_profile("ae-5.0.2"))
    assert isinstance(again.reporting_person, Person)
