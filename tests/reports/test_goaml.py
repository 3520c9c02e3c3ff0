"""goAML: the FIU's own files validate, our builder reproduces them, every failure names element and rule."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from raqib.errors import ConfigError, InvalidInput, ListParseError, NotFound
from raqib.reports.goaml import (
    ReportInput,
    build_report,
    ensure_valid,
    load_profile,
    load_schema,
    profile_names,
    validate_report,
)
from raqib.reports.goaml.profile import SchemaPatch, apply_patches

DATA = Path(__file__).resolve().parent.parent / "data" / "goaml"
AE = "ae-5.0.2"
UAE_FILES = sorted(path.name for path in (DATA / "ae").glob("*.xml"))
GOLDEN_INPUTS = ["AIF", "AIFT", "ECDD", "ECDDT", "SAR", "STR"]


def _canonical(xml: bytes, drop: tuple[str, ...] = ()) -> str:
    root = etree.fromstring(xml, etree.XMLParser(remove_blank_text=True, resolve_entities=False))
    for tag in drop:
        for element in root.iter(tag):
            element.getparent().remove(element)
    return etree.canonicalize(etree.tostring(root, encoding="unicode"), strip_text=True)


def _input(name: str) -> ReportInput:
    return ReportInput.model_validate_json((DATA / "inputs" / f"{name}.json").read_text(encoding="utf-8"))


def test_profiles_load_and_schemas_compile() -> None:
    assert profile_names() == ["ae-5.0.2", "unodc-5.0.1"]
    for name in profile_names():
        assert "report" in load_schema(name).elements


@pytest.mark.parametrize("name", UAE_FILES)
def test_every_provided_uae_file_validates_under_the_ae_profile(name: str) -> None:
    assert validate_report((DATA / "ae" / name).read_bytes(), AE, source=name) == []


def test_without_the_anchor_patch_every_name_fails() -> None:
    """Why the profile patches: the published pattern demands a literal ^ and $ around names."""
    profile = load_profile(AE)
    raw = (resources.files("raqib") / "data/goaml" / profile.schema_.path).read_bytes()
    only_email = apply_patches(raw, tuple(p for p in profile.schema_.patches if p.id == "email-hyphen"))
    unpatched = xmlschema.XMLSchema11(only_email.decode("utf-8"))
    errors = list(unpatched.iter_errors(str(DATA / "ae" / "STR.xml")))
    assert {error.path.rsplit("/", 1)[-1] for error in errors} == {"first_name", "last_name"}


def test_a_patch_that_no_longer_matches_is_a_config_error() -> None:
    schema = b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>'
    patch = SchemaPatch(id="x", reason="test", facet="pattern", find=r"\^(.*)\$", replace=r"\1", expect=3)
    with pytest.raises(ConfigError, match="matched 0 pattern facets, expected 3"):
        apply_patches(schema, (patch,))


@pytest.mark.parametrize("name", GOLDEN_INPUTS)
def test_builder_reproduces_the_golden_report(name: str) -> None:
    built = build_report(_input(name), load_profile(AE))
    assert validate_report(built, AE) == []
    assert _canonical(built) == _canonical((DATA / "ae" / f"{name}.xml").read_bytes())


def test_builder_writes_entities_and_directors_like_the_portal_sample() -> None:
    """TR.2079.200000309 also has goods_services (not built yet) and no schema_version."""
    built = build_report(_input("TR.2079.200000309"), load_profile(AE))
    assert validate_report(built, AE) == []
    expected = (DATA / "ae" / "TR.2079.200000309.xml").read_bytes()
    drop = ("goods_services", "schema_version")
    assert _canonical(built, drop) == _canonical(expected, drop)


def test_builder_output_is_stable_bytes(golden) -> None:  # type: ignore[no-untyped-def]
    golden.check_text("reports/goaml_STR.xml", build_report(_input("STR"), load_profile(AE)).decode("utf-8"))


def test_every_failure_names_element_and_rule() -> None:
    xml = (DATA / "ae" / "STR.xml").read_bytes()
    broken = (
        xml.replace(b"<indicator>STRUC", b"<indicator>NOPE1")
        .replace(b"120000.00", b"120000.5")
        .replace(b"<to_country>GB", b"<to_country>XX")
        .replace(b"<first_name>John</first_name>", "<first_name>Jöhn</first_name>".encode())
        .replace(b"<transaction_location>Dubai Main Branch</transaction_location>", b"")
        .replace(b"<reason>Customer conducted", b"<reason_x>Customer conducted")
    )
    broken = broken.replace(b"within 48 hours</reason>", b"within 48 hours</reason_x>")
    issues = {(issue.path, issue.rule) for issue in validate_report(broken, AE)}
    assert issues >= {
        ("/report/report_indicators/indicator", "xsd:enumeration"),
        ("/report/report_indicators/indicator", "code-list:report_indicators"),
        ("/report/transaction/amount_local", "business:amount-format"),
        ("/report/transaction/t_to/to_country", "xsd:enumeration"),
        ("/report/transaction/t_to/to_country", "code-list:countries"),
        ("/report/transaction/t_to/to_person/first_name", "xsd:pattern"),
        ("/report/transaction", "xsd:content-model"),
        ("/report/reason", "business:required"),
    }
    with pytest.raises(InvalidInput) as caught:
        ensure_valid(broken, AE)
    assert "NOPE1" in caught.value.message
    assert "first_name" in caught.value.message
    assert all({"path", "element", "rule", "message"} <= set(i) for i in caught.value.details["issues"])


def test_indicator_not_in_the_fiu_list_names_the_code() -> None:
    report = _input("STR").model_copy(update={"indicators": ("ZZZZZ",)})
    messages = [str(issue) for issue in validate_report(build_report(report, load_profile(AE)), AE)]
    assert any("'ZZZZZ' is not in the FIU's report_indicators list" in message for message in messages)


def test_unodc_sample_is_a_dummy_instance_that_its_own_schema_rejects() -> None:
    """report.xml was generated from the XSD with dummy values: dates in 1697 (< 1753), 'string' everywhere."""
    issues = validate_report((DATA / "unodc" / "report_cut.xml").read_bytes(), "unodc-5.0.1")
    rules = {issue.rule for issue in issues}
    assert "xsd:minInclusive=1753-01-01T00:00:00" in rules
    assert any(issue.path == "/report/report_date" for issue in issues)


def test_builder_output_validates_under_unodc_5_0_1() -> None:
    """The generic schema has placeholder code lists: a 5.0.1 report uses its codes ('1' for contact types…)."""
    report = _input("STR")
    person = report.reporting_person.model_copy(update={"phones": (), "addresses": ()})
    transaction = report.transactions[0]
    sender = transaction.from_side.subject.person
    assert sender is not None
    sender = sender.model_copy(
        update={
            "phones": tuple(p.model_copy(update={"contact_type": "1"}) for p in sender.phones),
            "identifications": tuple(i.model_copy(update={"type": "A"}) for i in sender.identifications),
            "ssn": "784198512345671",
            "occupation": "Trader",
        }
    )
    transaction = transaction.model_copy(
        update={
            "transmode_code": "A",
            "from_side": transaction.from_side.model_copy(
                update={
                    "funds_code": "A",
                    "subject": transaction.from_side.subject.model_copy(update={"person": sender}),
                }
            ),
            "to_side": transaction.to_side.model_copy(update={"funds_code": "B"}),
        }
    )
    unodc = report.model_copy(
        update={
            "reporting_person": person,
            "location": report.location.model_copy(update={"address_type": "1"}) if report.location else None,
            "transactions": (transaction,),
            "indicators": ("-",),
            "currency_code_local": "USD",
        }
    )
    built = build_report(unodc, load_profile("unodc-5.0.1"))
    assert [str(issue) for issue in validate_report(built, "unodc-5.0.1")] == []


def test_missing_rentity_id_and_bad_inputs() -> None:
    report = _input("STR").model_copy(update={"rentity_id": None})
    with pytest.raises(InvalidInput, match="rentity_id"):
        build_report(report, load_profile(AE))
    with pytest.raises(ListParseError):
        validate_report(b"<report><unclosed></report>", AE)
    with pytest.raises(ListParseError):
        validate_report(b'<!DOCTYPE r [<!ENTITY x "y">]><report>&x;</report>', AE)
    with pytest.raises(NotFound):
        load_profile("../etc/passwd")
    with pytest.raises(ValueError, match="at least one transaction"):
        ReportInput.model_validate({**_input("SAR").model_dump(), "parties": ()})
