"""Turn screening outcomes from every source into alerts (single screens, payment holds).

Batch and delta jobs record their own alerts (see :mod:`raqib.screening.jobs`). Here are the other
sources, so that every hit an institution acts on ends in the same alert table and, from there,
in a case: a single screen made for a known customer (``customer_id`` given), and a held payment
(the subject is ``payment:<UETR or message id>``). Alerts stay one per (subject, entity).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Engine

from raqib.cases.alerts import NewAlert, add_alerts
from raqib.lists.store import ListVersion
from raqib.matching import ALGORITHM
from raqib.screening.screener import ScreeningHit


def record_hits(
    engine: Engine,
    subject_id: str,
    hits: Sequence[ScreeningHit],
    versions: Sequence[ListVersion],
    source: str,
) -> int:
    """Record each hit as an alert on ``subject_id``; returns how many were new."""
    by_list = {v.list_id: v.id for v in versions}
    alerts = [
        NewAlert(
            customer_id=subject_id,
            entity_id=hit.entity.entity_id,
            list_id=hit.entity.source,
            list_version_id=by_list.get(hit.entity.source, 0),
            score=hit.score,
            matched_name=hit.result.matched_name,
            explanation=hit.result.explanation(),
            detail=hit.result.to_dict(),
            algorithm=hit.result.algorithm,
        )
        for hit in hits
    ]
    with engine.begin() as conn:
        return add_alerts(conn, alerts, source)


def payment_subject(decision: dict[str, Any]) -> str:
    """A stable subject id for a payment: its UETR, else its message id, else a hash of its reasons."""
    reference = decision.get("uetr") or decision.get("message_id")
    if not reference:
        reference = hashlib.sha256(repr(decision.get("reasons")).encode()).hexdigest()[:16]
    return f"payment:{reference}"


def record_payment_hold(engine: Engine, decision: dict[str, Any], versions: Sequence[ListVersion]) -> int:
    """Raise one alert per hold reason of a held payment (``Decision.to_dict()``); returns new alerts."""
    if decision.get("decision") != "hold":
        return 0
    by_list = {v.list_id: v.id for v in versions}
    subject = payment_subject(decision)
    alerts = []
    for reason in decision.get("reasons", []):
        if reason.get("action") != "hold":
            continue
        hit = reason.get("hit") or {}
        if "entity_id" in hit:
            entity_id, list_id = hit["entity_id"], hit.get("source", "")
        else:  # an embargoed jurisdiction: the "entity" is the jurisdiction itself
            entity_id, list_id = f"jurisdiction:{hit.get('code', '?')}", "jurisdictions"
        alerts.append(
            NewAlert(
                customer_id=subject,
                entity_id=entity_id,
                list_id=list_id,
                list_version_id=by_list.get(list_id, 0),
                score=float(reason.get("score", 1.0)),
                matched_name=str(reason.get("value", ""))[:1000],
                explanation=f"{reason.get('kind')} in {reason.get('field')}: {reason.get('detail', '')}".strip(),
                detail={
                    "payment": {k: decision.get(k) for k in ("message_id", "uetr", "message_type", "source")},
                    "reason": reason,
                },
                algorithm=ALGORITHM,
            )
        )
    with engine.begin() as conn:
        return add_alerts(conn, alerts, "payment")


def text_subject(text: str) -> str:
    """A stable subject id for a screened text: ``text:`` and the start of its SHA-256."""
    return f"text:{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def record_text_mentions(
    engine: Engine, text: str, mentions: Sequence[dict[str, Any]], versions: Sequence[ListVersion]
) -> int:
    """Raise one alert per entity mentioned in a text (``Mention.to_dict()``; weak mentions excluded)."""
    by_list = {v.list_id: v.id for v in versions}
    subject = text_subject(text)
    alerts = [
        NewAlert(
            customer_id=subject,
            entity_id=m["entity_id"],
            list_id=m.get("source", ""),
            list_version_id=by_list.get(m.get("source", ""), 0),
            score=float(m.get("score", 0.0)),
            matched_name=str(m.get("text", ""))[:1000],
            explanation=str(m.get("explanation", "")),
            detail={"mention": m, "text_sha256": hashlib.sha256(text.encode()).hexdigest()},
            algorithm=ALGORITHM,
        )
        for m in mentions
    ]
    with engine.begin() as conn:
        return add_alerts(conn, alerts, "text")


def record_monitoring_alerts(engine: Engine, alerts: Sequence[dict[str, Any]]) -> int:
    """Record transaction-monitoring alerts (``Alert.as_case_alert()``): subject ``account:<id>``,
    "entity" ``rule:<name>``, so each (account, typology) pair is one alert that can join a case."""
    rows = [
        NewAlert(
            customer_id=f"account:{a['account_id']}",
            entity_id=f"rule:{a['rule']}",
            list_id="monitoring",
            list_version_id=0,
            score=float(a.get("score", 0.0)),
            matched_name=str(a["rule"]),
            explanation=str(a.get("explanation", ""))[:4000],
            detail=a,
            algorithm=f"{a['rule']}-v{a.get('rule_version', 1)}",
        )
        for a in alerts
    ]
    with engine.begin() as conn:
        return add_alerts(conn, rows, "monitoring")


__all__ = [
    "payment_subject",
    "record_hits",
    "record_monitoring_alerts",
    "record_payment_hold",
    "record_text_mentions",
    "text_subject",
]
