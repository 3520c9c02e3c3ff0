"""Alerts and cases: every hit ends in a decision a regulator can audit.

Alerts: one per (customer, entity) pair whatever raised it (batch, delta, single, payment, text
screening, transaction monitoring), de-duplicated by a unique constraint so a resumed job never
doubles them (:func:`add_alerts`).

Cases: an analyst groups alerts into a case (an alert belongs to one case at most) and works it:
``new → in_review → proposed`` (a :class:`Disposition`: true match, false positive, escalate, file
an STR) ``→ approved`` or ``→ returned`` (and back to review). :class:`CaseWorkflow` checks the
caller's role on every method and enforces four-eyes in the database: the proposer cannot approve,
and of two concurrent approvers exactly one wins, the other gets :class:`~raqib.errors.Conflict`.
Cases carry an assignee, comments, evidence (SHA-256 recorded), a due date from the SLA and their
ageing. Every change is appended to the audit chain (:mod:`raqib.audit`) in the same transaction.
"""

from raqib.cases.alerts import AlertStatus, AlertStore, NewAlert, add_alerts, mark_entities_removed
from raqib.cases.cases import CaseStatus, Disposition
from raqib.cases.evidence import Evidence, sanitise_filename
from raqib.cases.workflow import CaseWorkflow

__all__ = [
    "AlertStatus",
    "AlertStore",
    "CaseStatus",
    "CaseWorkflow",
    "Disposition",
    "Evidence",
    "NewAlert",
    "add_alerts",
    "mark_entities_removed",
    "sanitise_filename",
]
