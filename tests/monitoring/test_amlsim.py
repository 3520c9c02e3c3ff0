"""Rules on a real extract of IBM AMLSim's 20K_cycle200 sample (see tests/data/monitoring/PROVENANCE.md)."""

from __future__ import annotations

from raqib.monitoring import load_labels, monitor_files

from .conftest import DATA

SAMPLE = DATA / "amlsim_cycle200"
CYCLE_MEMBERS = {
    "3916", "4836", "6246", "7172", "8204", "8383", "8624", "8909", "9496", "10184",
    "12555", "14569", "18533", "19361", "19433", "19658", "19661", "19714", "19914", "19918",
}  # fmt: skip


def test_planted_cycles_are_found_without_background_noise() -> None:
    run = monitor_files(SAMPLE / "transactions.csv", SAMPLE / "nodes.csv")
    flagged = {alert.account_id for alert in run.alerts}
    fraud = set(load_labels(SAMPLE / "nodes.csv"))
    assert fraud >= CYCLE_MEMBERS
    assert len(flagged & CYCLE_MEMBERS) >= 16
    assert flagged <= fraud  # nothing flagged among the 400 background transactions
    relay = next(a for a in run.alerts if a.rule == "layering_chain")
    assert "relay" in relay.explanation
    assert len(relay.transactions) == 3
