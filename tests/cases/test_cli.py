"""The CLI end to end (SQLite): users, the case workflow with four-eyes, audit verify and tampering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from raqib.config import get_settings
from raqib.db import open_engine
from tests.cases.conftest import PASSWORD, make_world
from tests.cli.conftest import CliRunner as Runner
from tests.cli.conftest import make_runner


@pytest.fixture
def raqib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Runner:
    monkeypatch.setenv("RAQIB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("RAQIB_DB", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("RAQIB_PASSWORD", PASSWORD)
    get_settings.cache_clear()
    engine = open_engine(get_settings().database_url)
    make_world(engine, tmp_path)
    engine.dispose()
    return make_runner(monkeypatch, capsys)


def test_cli_workflow_four_eyes_and_audit(
    raqib: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = raqib(
        "cases", "create", "--alert", "1", "--alert", "2", "--title", "CLI case", "--user", "alice", "--json"
    )
    assert created.code == 0, created.err
    case_id = str(json.loads(created.out)["id"])
    assert raqib("cases", "review", case_id, "--user", "alice").code == 0
    evidence = tmp_path / "note.txt"
    evidence.write_text("branch confirmed the ID", encoding="utf-8")
    assert raqib("cases", "attach", case_id, str(evidence), "--user", "alice").code == 0
    proposed = raqib(
        "cases",
        "propose",
        case_id,
        "--disposition",
        "false_positive",
        "--reason",
        "other DOB",
        "--user",
        "alice",
    )
    assert proposed.code == 0, proposed.err
    refused = raqib("cases", "approve", case_id, "--user", "alice")
    assert refused.code == 6
    assert "may not do 'case.decide'" in refused.err
    approved = raqib("cases", "approve", case_id, "--user", "bob", "--json")
    assert approved.code == 0, approved.err
    assert json.loads(approved.out)["status"] == "approved"
    assert raqib("cases", "approve", case_id, "--user", "carol").code == 4  # Conflict
    copy = tmp_path / "copy.txt"
    assert raqib("cases", "evidence", case_id, "1", "--out", str(copy), "--user", "aud").code == 0
    assert copy.read_text(encoding="utf-8") == "branch confirmed the ID"
    listed = raqib("cases", "list", "--user", "aud", "--json")
    assert [c["status"] for c in json.loads(listed.out)] == ["approved"]
    wrong = raqib("cases", "list", "--user", "alice", "--password", "nope nope nope")
    assert wrong.code == 6

    verified = raqib("audit", "verify")
    assert verified.code == 0, verified.err
    assert "audit chain intact" in verified.out
    anchor = raqib("audit", "head").out.strip()
    assert raqib("audit", "verify", "--anchor", anchor).code == 0
    records = json.loads(raqib("audit", "list", "--subject", f"case:{case_id}", "--json").out)
    assert [r["action"] for r in records][-2:] == ["case.propose", "case.approve"]

    engine = open_engine(get_settings().database_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TRIGGER audit_log_no_update"))
        conn.execute(sa.text("UPDATE audit_log SET actor = 'user:mallory' WHERE action = 'case.approve'"))
        bad = conn.execute(sa.text("SELECT seq FROM audit_log WHERE action = 'case.approve'")).scalar_one()
    engine.dispose()
    broken = raqib("audit", "verify")
    assert broken.code == 5
    assert f"broken at record {bad}: edited" in broken.err


def test_cli_users(raqib: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAQIB_NEW_PASSWORD", "a long enough password")
    created = raqib("users", "create", "dina", "--role", "reviewer", "--json")
    assert created.code == 0, created.err
    assert json.loads(created.out)["role"] == "reviewer"
    assert raqib("users", "create", "dina", "--role", "reviewer").code == 4
    users = json.loads(raqib("users", "list", "--json").out)
    assert "dina" in [u["username"] for u in users]
    assert raqib("users", "set-password", "dina", "--password", "short").code == 2
    assert raqib("users", "disable", "dina").code == 0
    actions = json.loads(raqib("audit", "list", "--subject", "user:dina", "--json").out)
    assert [r["action"] for r in actions] == ["user.create", "user.disable"]
    assert actions[0]["actor"].startswith("cli:")
