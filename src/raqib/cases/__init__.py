"""Alerts and cases: every hit ends in a decision a regulator can audit.

For now: alerts, one per (customer, entity) pair whatever raised it (batch, delta, single,
payment screening), de-duplicated by a unique constraint so a resumed job never doubles them.
"""

from raqib.cases.alerts import AlertStatus, AlertStore, NewAlert, add_alerts, mark_entities_removed

__all__ = ["AlertStatus", "AlertStore", "NewAlert", "add_alerts", "mark_entities_removed"]
