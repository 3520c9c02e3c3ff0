"""The audit trail: an append-only, hash-chained log that a regulator can check years later.

Every state change, login, disposition, list import, configuration change and export is appended
with :func:`append` *inside the transaction that makes the change*, so the record and the change
commit together or not at all. Each record carries ``seq`` (1, 2, 3 ... with no gaps), ``ts``,
``actor``, ``action``, ``subject``, ``details`` (canonical JSON), ``prev_hash`` and
``hash = sha256(prev_hash + canonical record)``.

:func:`verify` recomputes the chain in seq order and returns the first bad record
(:class:`ChainBreak`): an edit breaks its hash, a deletion leaves a gap or a short tail, a
reordering breaks a link. On PostgreSQL and SQLite, triggers also refuse UPDATE and DELETE on the
table; the chain still catches whoever drops them. :func:`head` gives the (seq, hash) to record
outside the database, which lets :func:`verify` detect even a full rewrite.
"""

from raqib.audit.chain import (
    AuditRecord,
    ChainBreak,
    append,
    canonical_json,
    head,
    record_hash,
    records,
    verify,
)

__all__ = [
    "AuditRecord",
    "ChainBreak",
    "append",
    "canonical_json",
    "head",
    "record_hash",
    "records",
    "verify",
]
