"""The case workflow on SQLite and PostgreSQL: states, four-eyes, roles, evidence, SLA, allow-list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from raqib import audit
from raqib.auth import Forbidden
from raqib.cases import AlertStore, CaseStatus, Disposition
from raqib.db.tables import allow_entry, case_evidence
from raqib.errors import Conflict, IntegrityError, InvalidInput, NotFound
from raqib.screening import AllowList
from tests.cases.conftest import World


def _proposed(world: World, disposition: Disposition = Disposition.FALSE_POSITIVE) -> int:
    alice = world.people["alice"]
    case = world.cases.create(alice, "Tantoush namesake?", world.alert_ids[:2])
    world.cases.start_review(alice, case["id"])
    world.cases.propose(alice, case["id"], disposition, "different date of birth and nationality")
    return int(case["id"])


def test_case_groups_alerts_with_parties_and_due_date(world: World) -> None:
    case = world.cases.create(world.people["alice"], "Two hits", world.alert_ids[:2], assignee="amir")
    assert case["status"] == CaseStatus.NEW
    assert case["version"] == 1
    assert case["assignee"] == "amir"
    assert [a["customer"]["id"] for a in case["alerts"]] == ["c1", "c2"]
    assert case["alerts"][1]["customer"]["name"] == "خليفة محمد تركي السبيعي"
    assert case["alerts"][0]["entity"]["caption"] == "IBRAHIM ALI ABU BAKR TANTOUSH"
    created = datetime.fromisoformat(case["created_at"])
    assert datetime.fromisoformat(case["due_at"]) - created == timedelta(days=5)
    assert case["overdue"] is False
    unassigned = world.cases.alerts(world.people["aud"], unassigned=True)
    assert [a["id"] for a in unassigned] == world.alert_ids[2:]


def test_an_alert_belongs_to_one_case(world: World) -> None:
    alice = world.people["alice"]
    world.cases.create(alice, "first", world.alert_ids[:1])
    with pytest.raises(Conflict, match="already in case"):
        world.cases.create(alice, "second", world.alert_ids[:2])
    with pytest.raises(NotFound):
        world.cases.create(alice, "ghost", [9999])
    with pytest.raises(InvalidInput):
        world.cases.create(alice, "empty", [])


def test_full_workflow_false_positive_feeds_allow_list(world: World) -> None:
    case_id = _proposed(world)
    approved = world.cases.approve(world.people["bob"], case_id, note="agreed")
    assert approved["status"] == CaseStatus.APPROVED
    assert approved["disposition"] == Disposition.FALSE_POSITIVE
    assert approved["proposed_by"] == "user:alice"
    assert approved["decided_by"] == "user:bob"
    assert approved["closed_at"] is not None
    assert {a["status"] for a in approved["alerts"]} == {"closed"}
    entries = AllowList(world.engine).entries()
    assert [(e.customer_id, e.entity_id) for e in entries] == [
        ("c1", "un_sc:QDi.057"),
        ("c2", "un_sc:QDi.253"),
    ]
    assert entries[0].created_by == "user:bob"
    actions = [r["action"] for r in world.cases.history(world.people["aud"], case_id)]
    assert actions == ["case.create", "case.review", "case.propose", "case.approve"]
    assert [r.action for r in audit.records(world.engine, action="allowlist.")] == ["allowlist.add"] * 2
    assert audit.verify(world.engine) is None


def test_proposer_cannot_approve_even_as_reviewer(world: World) -> None:
    bob = world.people["bob"]
    case = world.cases.create(bob, "self", world.alert_ids[:1])
    world.cases.start_review(bob, case["id"])
    world.cases.propose(bob, case["id"], Disposition.TRUE_MATCH, "same person")
    with pytest.raises(Forbidden) as caught:
        world.cases.approve(bob, case["id"])
    assert caught.value.code == "four_eyes"
    with pytest.raises(Forbidden):
        world.cases.return_case(bob, case["id"], "withdraw")
    assert world.cases.get(bob, case["id"])["status"] == CaseStatus.PROPOSED
    world.cases.approve(world.people["carol"], case["id"])


@pytest.mark.parametrize("who", ["alice", "aud", "bot"])
def test_only_deciding_roles_approve(world: World, who: str) -> None:
    case_id = _proposed(world)
    with pytest.raises(Forbidden):
        world.cases.approve(world.people[who], case_id)


@pytest.mark.parametrize("who", ["aud", "bot"])
def test_read_only_and_machine_roles_cannot_work_cases(world: World, who: str) -> None:
    principal = world.people[who]
    with pytest.raises(Forbidden):
        world.cases.create(principal, "nope", world.alert_ids[:1])
    if who == "bot":
        with pytest.raises(Forbidden):
            world.cases.list_cases(principal)
    else:
        assert world.cases.list_cases(principal) == []


def test_return_then_repropose_then_approve(world: World) -> None:
    case_id = _proposed(world, Disposition.TRUE_MATCH)
    returned = world.cases.return_case(world.people["bob"], case_id, "check the passport number")
    assert returned["status"] == CaseStatus.RETURNED
    assert returned["decision_note"] == "check the passport number"
    with pytest.raises(Conflict, match="is returned"):
        world.cases.approve(world.people["bob"], case_id)
    world.cases.propose(world.people["alice"], case_id, Disposition.FILE_STR, "passport matches")
    approved = world.cases.approve(world.people["root"], case_id)
    assert approved["disposition"] == Disposition.FILE_STR
    assert AllowList(world.engine).entries() == []  # only a false positive feeds the allow-list
    with pytest.raises(Conflict, match="approved by user:root"):
        world.cases.approve(world.people["carol"], case_id)


def test_stale_version_is_a_conflict(world: World) -> None:
    alice = world.people["alice"]
    case = world.cases.create(alice, "versions", world.alert_ids[:1])
    world.cases.start_review(alice, case["id"], version=case["version"])
    with pytest.raises(Conflict, match="changed since version 1"):
        world.cases.propose(alice, case["id"], Disposition.ESCALATE, "unsure", version=1)


def test_sequential_double_approval_one_wins(world: World) -> None:
    case_id = _proposed(world)
    world.cases.approve(world.people["bob"], case_id)
    with pytest.raises(Conflict):
        world.cases.approve(world.people["carol"], case_id)
    assert len(AllowList(world.engine).entries()) == 2


def test_assignment_comments_and_due_date(world: World) -> None:
    alice, bob = world.people["alice"], world.people["bob"]
    case = world.cases.create(alice, "assign", world.alert_ids[:1])
    case = world.cases.assign(bob, case["id"], "alice")
    assert case["assignee"] == "alice"
    with pytest.raises(InvalidInput, match="does not work cases"):
        world.cases.assign(bob, case["id"], "aud")
    with pytest.raises(NotFound):
        world.cases.assign(bob, case["id"], "nobody")
    past = datetime.now(UTC) - timedelta(days=1)
    case = world.cases.set_due(bob, case["id"], past, "regulator asked for it yesterday")
    assert case["overdue"] is True
    assert [c["id"] for c in world.cases.list_cases(alice, overdue=True)] == [case["id"]]
    assert world.cases.list_cases(alice, overdue=False) == []
    case = world.cases.comment(alice, case["id"], "called the branch; awaiting ID copy")
    assert case["comments"][0]["author"] == "user:alice"
    with pytest.raises(InvalidInput):
        world.cases.comment(alice, case["id"], "   ")


def test_evidence_hash_limits_and_tamper_check(world: World) -> None:
    alice = world.people["alice"]
    case = world.cases.create(alice, "evidence", world.alert_ids[:1])
    content = "نسخة جواز السفر".encode()
    case = world.cases.attach(alice, case["id"], "../../etc/جواز.pdf", content, "application/pdf")
    item = case["evidence"][0]
    assert item["filename"] == "جواز.pdf"
    assert item["size"] == len(content)
    stored = world.cases.evidence(world.people["aud"], case["id"], item["id"])
    assert stored.content == content
    assert stored.sha256 == item["sha256"]
    record = audit.records(world.engine, action="case.evidence")[0]
    assert record.to_dict()["details"]["sha256"] == item["sha256"]
    with pytest.raises(InvalidInput, match="limit is 1000"):
        world.cases.attach(alice, case["id"], "big.bin", b"x" * 1001)
    with pytest.raises(InvalidInput, match="empty"):
        world.cases.attach(alice, case["id"], "empty.txt", b"")
    with world.engine.begin() as conn:
        conn.execute(case_evidence.update().values(content=b"forged"))
    with pytest.raises(IntegrityError):
        world.cases.evidence(alice, case["id"], item["id"])


def test_approved_case_is_closed_to_changes(world: World) -> None:
    case_id = _proposed(world)
    world.cases.approve(world.people["bob"], case_id)
    alice = world.people["alice"]
    with pytest.raises(Conflict):
        world.cases.attach(alice, case_id, "late.txt", b"late")
    with pytest.raises(Conflict):
        world.cases.assign(alice, case_id, "amir")
    with pytest.raises(Conflict):
        world.cases.add_alerts(alice, case_id, world.alert_ids[2:])
    world.cases.comment(alice, case_id, "a note after the decision is still allowed")


def test_false_positive_pair_missing_from_register_is_recorded_as_skipped(world: World) -> None:
    with world.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM customer WHERE id = 'c2'"))
    case_id = _proposed(world)
    world.cases.approve(world.people["bob"], case_id)
    with world.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(allow_entry)).scalar_one() == 1
    skipped = audit.records(world.engine, action="allowlist.skip")
    assert [r.subject for r in skipped] == ["customer:c2"]


def test_existing_alert_functions_still_work(world: World) -> None:
    assert AlertStore(world.engine).count(status="open") == 3
    assert world.cases.alert(world.people["alice"], world.alert_ids[0])["case_id"] is None
