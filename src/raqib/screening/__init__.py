"""Screening: parties against the lists in the store, with list-aware, explained hits.

The pure matching core (``raqib.matching``) knows nothing about lists; this package converts list
entities into its candidates once, keeps which list, reference and version each came from, and
turns the core's results into hits an analyst or an integrator can act on. It also holds the
customer register, the resumable batch and delta jobs, and the allow-list.
"""

from raqib.screening.allowlist import AllowEntry, AllowList
from raqib.screening.candidates import candidate_from_entity
from raqib.screening.customers import Customer, CustomerRegister, RegisterImport
from raqib.screening.jobs import JobReport, ScreeningJobs
from raqib.screening.recording import record_hits, record_payment_hold, record_text_mentions
from raqib.screening.screener import EntityInfo, Screener, ScreeningHit, make_query

__all__ = [
    "AllowEntry",
    "AllowList",
    "Customer",
    "CustomerRegister",
    "EntityInfo",
    "JobReport",
    "RegisterImport",
    "Screener",
    "ScreeningHit",
    "ScreeningJobs",
    "candidate_from_entity",
    "make_query",
    "record_hits",
    "record_payment_hold",
    "record_text_mentions",
]
