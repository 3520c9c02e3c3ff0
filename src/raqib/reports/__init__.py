"""Reports Raqib files: goAML reports to a Financial Intelligence Unit, and readable case reports.

The goAML layer (:mod:`raqib.reports.goaml`) is pure: a :class:`~raqib.reports.goaml.ReportInput`
becomes XML, validated against an FIU profile (schema, code lists, business rules) before it leaves.
"""

from raqib.reports.goaml import (
    ReportInput,
    ValidationIssue,
    build_report,
    ensure_valid,
    load_profile,
    validate_report,
)

__all__ = [
    "ReportInput",
    "ValidationIssue",
    "build_report",
    "ensure_valid",
    "load_profile",
    "validate_report",
]
