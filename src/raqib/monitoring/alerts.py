"""Alerts, the risk weights that score them, and the alerts CSV.

An :class:`Alert` names the account, the rule (typology name and version), the parameters used, the
transactions involved and a sentence explaining why. Its ``score`` is the rule's weight from
``raqib/data/monitoring/risk_weights.yml`` times the strength the rule's SQL reported. A customer's
risk combines the scores of all alerts on its accounts as a noisy-or, ``1 - prod(1 - score)``, so
several weak hits add up but never pass 1.
"""

from __future__ import annotations

import csv
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from raqib._io import atomic_text_output

ALERT_CSV_COLUMNS = ("account_id", "rule", "score", "transactions", "explanation")
#: Transaction ids listed in one CSV cell; the explanation gives the full count.
MAX_LISTED_TRANSACTIONS = 200


class RiskWeights(BaseModel):
    """Weight per typology (0..1) and the minimum alert score worth reporting."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    version: int = Field(ge=1)
    min_alert_score: float = Field(ge=0, le=1)
    weights: dict[str, float]

    def weight(self, rule: str) -> float:
        """The weight of ``rule``; 0.5 for a typology the file does not mention."""
        return self.weights.get(rule, 0.5)


@functools.cache
def risk_weights() -> RiskWeights:
    """The risk weights shipped in ``raqib/data/monitoring/risk_weights.yml``."""
    text = (
        resources.files("raqib")
        .joinpath("data", "monitoring", "risk_weights.yml")
        .read_text(encoding="utf-8")
    )
    return RiskWeights.model_validate(yaml.safe_load(text))


@dataclass(frozen=True, slots=True)
class Alert:
    """One account flagged by one typology, with everything needed to replay and explain it.

    Attributes:
        account_id: The account flagged.
        rule: Typology name.
        rule_version: Typology version, so an old alert can be replayed.
        score: Weight of the rule times ``strength``, 0..1.
        strength: How strongly the pattern showed, 0..1, as computed by the rule's SQL.
        transactions: Ids of the transactions involved.
        explanation: One sentence for the analyst, with the parameters used.
        parameters: The parameter values the rule ran with.
        evidence: The figures behind the explanation.
    """

    account_id: str
    rule: str
    rule_version: int
    score: float
    strength: float
    transactions: tuple[str, ...]
    explanation: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def as_case_alert(self) -> dict[str, Any]:
        """The alert as a plain dict for case management (JSON-serialisable)."""
        return {
            "kind": "monitoring",
            "account_id": self.account_id,
            "rule": self.rule,
            "rule_version": self.rule_version,
            "score": self.score,
            "strength": self.strength,
            "transactions": list(self.transactions),
            "explanation": self.explanation,
            "parameters": dict(self.parameters),
            "evidence": {
                k: str(v) if not isinstance(v, int | float | str) else v for k, v in self.evidence.items()
            },
        }


def customer_scores(
    alerts: Iterable[Alert], customer_of: Mapping[str, str] | None = None
) -> dict[str, float]:
    """Risk per customer: noisy-or of the scores of its accounts' alerts.

    Args:
        alerts: Alerts of one run.
        customer_of: Account id to customer id; an account missing from it is its own customer.

    Returns:
        Customer id to risk score in 0..1, rounded to 4 places.
    """
    customer_of = customer_of or {}
    remaining: dict[str, float] = defaultdict(lambda: 1.0)
    for alert in alerts:
        remaining[customer_of.get(alert.account_id, alert.account_id)] *= 1.0 - alert.score
    return {customer: round(1.0 - rest, 4) for customer, rest in sorted(remaining.items())}


def _atomic_write(path: Path, rows: Iterable[Iterable[Any]], header: Iterable[str]) -> None:
    with atomic_text_output(path, make_parents=True) as out:
        writer = csv.writer(out)
        writer.writerow(list(header))
        writer.writerows(rows)


def write_alerts_csv(path: Path, alerts: Iterable[Alert]) -> None:
    """Write ``account_id,rule,score,transactions,explanation``, one row per alert, atomically.

    Transaction ids are joined with ``;``; at most :data:`MAX_LISTED_TRANSACTIONS` are listed.
    """

    def rows() -> Iterable[list[Any]]:
        for alert in alerts:
            listed = alert.transactions[:MAX_LISTED_TRANSACTIONS]
            yield [alert.account_id, alert.rule, f"{alert.score:.4f}", ";".join(listed), alert.explanation]

    _atomic_write(path, rows(), ALERT_CSV_COLUMNS)


def write_customer_scores_csv(path: Path, scores: Mapping[str, float]) -> None:
    """Write ``customer_id,risk_score`` atomically, highest risk first."""
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    _atomic_write(path, ([c, f"{s:.4f}"] for c, s in ordered), ("customer_id", "risk_score"))


__all__ = [
    "ALERT_CSV_COLUMNS",
    "MAX_LISTED_TRANSACTIONS",
    "Alert",
    "RiskWeights",
    "customer_scores",
    "risk_weights",
    "write_alerts_csv",
    "write_customer_scores_csv",
]
