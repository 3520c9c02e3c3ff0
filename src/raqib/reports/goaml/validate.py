"""Validate a goAML report before it leaves: the FIU's XSD, its business rules, its code lists.

Every problem is collected (not just the first) as a :class:`ValidationIssue` naming the element's
path (``/report/transaction[2]/t_to/to_country``), the rule it broke (``xsd:enumeration``,
``business:amount-format``, ``code-list:report_indicators``…) and a sentence a compliance officer
can act on.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import xmlschema

from raqib.errors import InvalidInput
from raqib.lists.parsers._common import parse_xml
from raqib.reports.goaml.profile import Profile, code_list, load_profile, load_schema

Source = Literal["xsd", "business", "code-list"]


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    """One reason the report would be refused."""

    path: str
    element: str
    rule: str
    message: str
    source: Source

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.rule}]"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _facet_rule(validator: Any) -> str:
    """``XsdMaxLengthFacet`` → ``maxLength=255``; ``XsdPatternFacets`` → ``pattern``."""
    name = type(validator).__name__
    facet = re.sub(r"^Xsd|Facets?$", "", name)
    facet = facet[:1].lower() + facet[1:]
    value = getattr(validator, "value", None)
    if facet in {"pattern", "enumeration"} or value is None:
        return facet
    return f"{facet}={value}"


def _xsd_rule(error: xmlschema.XMLSchemaValidationError) -> tuple[str, str]:
    """(rule, message) for one XSD error."""
    validator = error.validator
    reason = (error.reason or error.message).strip()
    name = type(validator).__name__
    if name.endswith(("Facet", "Facets")):
        rule = _facet_rule(validator)
        if rule == "pattern":
            patterns = list(getattr(validator, "regexps", None) or [])
            shown = ", ".join(repr(p) for p in patterns) or "the schema's pattern"
            return "xsd:pattern", f"value {_shown_value(error)} does not match {shown}"
        if rule == "enumeration":
            return "xsd:enumeration", f"value {_shown_value(error)} is not a code the schema allows"
        return f"xsd:{rule}", f"value {_shown_value(error)}: {reason}"
    if name in {"XsdGroup", "Xsd11Group"} or "children" in type(error).__name__.lower():
        return "xsd:content-model", reason
    if name in {"XsdElement", "Xsd11Element"}:
        return "xsd:element", reason
    type_name = getattr(validator, "name", None) or getattr(
        getattr(validator, "primitive_type", None), "name", None
    )
    if isinstance(type_name, str) and type_name.startswith("{http://www.w3.org/2001/XMLSchema}"):
        type_name = "xs:" + type_name.rsplit("}", 1)[1]
    rule = f"xsd:type={type_name}" if type_name else "xsd:type"
    return rule, f"value {_shown_value(error)}: {reason}"


def _shown_value(error: xmlschema.XMLSchemaValidationError) -> str:
    obj = error.obj
    text = obj.text if hasattr(obj, "text") else obj
    shown = repr(text if isinstance(text, str) else str(text))
    return shown if len(shown) <= 80 else shown[:77] + "…'"


def _leaf(path: str) -> str:
    return re.sub(r"\[\d+\]$", "", path.rsplit("/", 1)[-1])


def _walk(element: ET.Element, path: str) -> Iterator[tuple[str, ET.Element]]:
    """Every element with its path, indexed like XPath where a tag repeats among siblings."""
    yield path, element
    children = list(element)
    counts: dict[str, int] = {}
    for child in children:
        counts[child.tag] = counts.get(child.tag, 0) + 1
    seen: dict[str, int] = {}
    for child in children:
        if not isinstance(child.tag, str):
            continue
        seen[child.tag] = seen.get(child.tag, 0) + 1
        step = child.tag if counts[child.tag] == 1 else f"{child.tag}[{seen[child.tag]}]"
        yield from _walk(child, f"{path}/{step}")


def _xsd_issues(root: ET.Element, schema: xmlschema.XMLSchemaBase) -> list[ValidationIssue]:
    issues = []
    for error in schema.iter_errors(root):
        path = error.path or "/report"
        rule, message = _xsd_rule(error)
        issues.append(ValidationIssue(path, _leaf(path), rule, message, "xsd"))
    return issues


def _business_issues(root: ET.Element, profile: Profile) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []

    def issue(path: str, rule: str, message: str) -> None:
        issues.append(ValidationIssue(path, _leaf(path), f"business:{rule}", message, "business"))

    def text_of(tag: str) -> str | None:
        element = root.find(tag)
        return None if element is None or element.text is None else element.text.strip()

    report_code = text_of("report_code")
    if report_code is not None and report_code not in profile.report_codes:
        issue(
            "/report/report_code",
            "report-code",
            f"report code {report_code!r} is not one Raqib files with {profile.fiu} "
            f"(profile {profile.name}: {', '.join(profile.report_codes)})",
        )
    submission_code = text_of("submission_code")
    if submission_code is not None and submission_code not in profile.submission_codes:
        issue(
            "/report/submission_code",
            "submission-code",
            f"submission code {submission_code!r} is not allowed (profile: {', '.join(profile.submission_codes)})",
        )
    currency = text_of("currency_code_local")
    if currency is not None and currency != profile.currency_code_local:
        issue(
            "/report/currency_code_local",
            "local-currency",
            f"local currency {currency!r} is not the FIU's ({profile.currency_code_local})",
        )
    rentity_id = text_of("rentity_id")
    if profile.rentity_id is not None and rentity_id is not None and rentity_id != str(profile.rentity_id):
        issue(
            "/report/rentity_id",
            "rentity-id",
            f"rentity_id {rentity_id} is not this installation's id at the FIU ({profile.rentity_id})",
        )
    required_paths = [*profile.required.get("*", ()), *profile.required.get(report_code or "", ())]
    for required in required_paths:
        element = root.find(required)
        if element is None or (len(element) == 0 and not (element.text or "").strip()):
            issue(
                f"/report/{required}",
                "required",
                f"<{required.rsplit('/', 1)[-1]}> is required by the FIU for a {report_code} report",
            )
    decimals = profile.amount.decimals
    amount_pattern = re.compile(rf"-?\d+\.\d{{{decimals}}}" if decimals else r"-?\d+")
    lists = {name: spec for name, spec in profile.code_lists.items() if spec.elements}
    codes = {name: code_list(profile.name, name) for name in lists}
    for path, element in _walk(root, "/report"):
        text = (element.text or "").strip()
        if element.tag in profile.amount.elements:
            if not amount_pattern.fullmatch(text):
                issue(
                    path,
                    "amount-format",
                    f"amount {text!r} must have exactly {decimals} decimals (e.g. 1250.00)",
                )
            else:
                try:
                    if profile.amount.positive and Decimal(text) <= 0:
                        issue(path, "amount-positive", f"amount {text} must be greater than zero")
                except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
                    issue(path, "amount-format", f"amount {text!r} is not a number")
        for name, spec in lists.items():
            if element.tag in spec.elements and text and text not in codes[name]:
                issues.append(
                    ValidationIssue(
                        path,
                        element.tag,
                        f"code-list:{name}",
                        f"code {text!r} is not in the FIU's {name} list",
                        "code-list",
                    )
                )
    return issues


def validate_report(xml: bytes, profile_name: str, *, source: str = "report.xml") -> list[ValidationIssue]:
    """All the reasons ``xml`` would be refused under the profile; empty when it is valid.

    Raises:
        ListParseError: ``xml`` is not well-formed or is unsafe (DTD, entities).
        NotFound: no such profile.
    """
    profile = load_profile(profile_name)
    root = parse_xml(Path(source), xml)
    if root.tag != "report":
        return [
            ValidationIssue(
                "/" + str(root.tag), str(root.tag), "xsd:element", "the root must be <report>", "xsd"
            )
        ]
    return [*_xsd_issues(root, load_schema(profile_name)), *_business_issues(root, profile)]


def ensure_valid(xml: bytes, profile_name: str, *, source: str = "report.xml") -> None:
    """Raise unless ``xml`` is a valid report under the profile.

    Raises:
        InvalidInput: with every issue in the message and in ``details["issues"]``.
    """
    issues = validate_report(xml, profile_name, source=source)
    if issues:
        listed = "\n".join(f"  - {issue}" for issue in issues)
        raise InvalidInput(
            f"the goAML report is not valid under profile {profile_name} ({len(issues)} problems):\n{listed}",
            code="goaml_invalid",
            details={"issues": [issue.to_dict() for issue in issues]},
        )


__all__ = ["ValidationIssue", "ensure_valid", "validate_report"]
