"""goAML reports (STR, SAR, …) for Financial Intelligence Units, validated before they leave.

- :mod:`~raqib.reports.goaml.model`: what a report says (:class:`ReportInput`), schema-independent.
- :mod:`~raqib.reports.goaml.builder`: ReportInput → XML in the order the goAML sequences require.
- :mod:`~raqib.reports.goaml.profile`: FIU profiles as data (``src/raqib/data/goaml/profiles``):
  schema (with any documented patch), code lists, rentity_id, business rules.
- :mod:`~raqib.reports.goaml.validate`: XSD + business rules + code lists; every issue names the
  element's path and the rule it broke.
"""

from raqib.reports.goaml.builder import build_report, build_report_element
from raqib.reports.goaml.model import (
    Account,
    Address,
    Entity,
    ForeignAmount,
    Identification,
    Person,
    Phone,
    ReportInput,
    ReportParty,
    Signatory,
    Subject,
    Transaction,
    TransactionSide,
)
from raqib.reports.goaml.profile import Profile, code_list, load_profile, load_schema, profile_names
from raqib.reports.goaml.validate import ValidationIssue, ensure_valid, validate_report

__all__ = [
    "Account",
    "Address",
    "Entity",
    "ForeignAmount",
    "Identification",
    "Person",
    "Phone",
    "Profile",
    "ReportInput",
    "ReportParty",
    "Signatory",
    "Subject",
    "Transaction",
    "TransactionSide",
    "ValidationIssue",
    "build_report",
    "build_report_element",
    "code_list",
    "ensure_valid",
    "load_profile",
    "load_schema",
    "profile_names",
    "validate_report",
]
