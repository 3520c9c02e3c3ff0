"""`raqib lists ...` end to end, on real UN list versions."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import CliRunner
from tests.conftest import DATA

UN_FULL = DATA / "lists" / "un_full"
OLD = UN_FULL / "un_consolidated_2017-06-30.xml.gz"
NEW = UN_FULL / "un_consolidated_2017-07-03.xml.gz"


def test_import_show_diff_un_versions(raqib: CliRunner) -> None:
    result = raqib("lists", "import", str(OLD))
    assert result.code == 0, result.err
    assert "imported un_sc" in result.out
    result = raqib("lists", "import", str(NEW), "--json")
    assert result.code == 0, result.err
    report = result.json()[0]
    assert report["created"] is True
    assert report["changes"]["removed"] == 3

    # Importing the same file again is a no-op.
    again = raqib("lists", "import", str(NEW), "--json").json()[0]
    assert again["created"] is False
    assert again["version"]["id"] == report["version"]["id"]

    shown = raqib("lists", "show", "--json").json()
    assert [(w["id"], len(w["versions"])) for w in shown] == [("un_sc", 2)]
    assert [v["entity_count"] for v in shown[0]["versions"]] == [1024, 1021]

    diff = raqib("lists", "diff", "--json").json()
    assert len(diff) == 1
    removed = diff[0]["removed"]
    assert len(removed) == 3
    assert {e["type"] for e in removed} == {"person"}
    assert diff[0]["summary"]["added"] == 0

    human = raqib("lists", "diff", "un_sc")
    assert human.code == 0
    assert "removed 3" in human.out


def test_bad_input_gives_clear_error_and_keeps_store(raqib: CliRunner, tmp_path: Path) -> None:
    assert raqib("lists", "import", str(OLD)).code == 0
    truncated = tmp_path / "consolidated.xml"
    truncated.write_bytes(
        b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2020-01-01"><INDIVIDUALS><INDIVIDUAL>'
    )
    result = raqib("lists", "import", str(truncated))
    assert result.code == 2
    assert "consolidated.xml" in result.err
    assert "Traceback" not in result.err
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = raqib("lists", "import", str(empty))
    assert result.code == 2
    assert "empty" in result.err
    missing = raqib("lists", "import", str(tmp_path / "nope.xml"))
    assert missing.code == 2
    assert "no such file" in missing.err
    shown = raqib("lists", "show", "--json").json()
    assert [len(w["versions"]) for w in shown] == [1]


def test_unknown_version_and_list_exit_codes(raqib: CliRunner) -> None:
    assert raqib("lists", "show", "nope").code == 3
    assert raqib("lists", "diff", "--from", "41", "--to", "42").code == 3
    result = raqib("lists", "diff")
    assert result.code == 2
    assert "two versions" in result.err


def test_export_ftm_and_json(raqib: CliRunner, tmp_path: Path) -> None:
    assert raqib("lists", "import", str(NEW)).code == 0
    out = tmp_path / "un.jsonl"
    result = raqib("lists", "export", "--format", "json", "--output", str(out))
    assert result.code == 0, result.err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1021
    bad = raqib("lists", "export", "--format", "xml")
    assert bad.code == 2


def test_import_with_rescreen_runs_delta(raqib: CliRunner, tmp_path: Path) -> None:
    customers = tmp_path / "customers.csv"
    customers.write_text("id,name\nc1,Ahmad Zerfaoui\nc2,Maryam Al-Kuwari\n", encoding="utf-8")
    assert raqib("lists", "import", str(OLD)).code == 0
    assert raqib("customers", "import", str(customers)).code == 0
    screened = raqib("jobs", "screen-customers", "--json", "--workers", "1")
    assert screened.code == 0, screened.err
    assert screened.json()["new_alerts"] >= 1
    result = raqib("lists", "import", str(NEW), "--rescreen", "--json")
    assert result.code == 0, result.err
    rescreen = result.json()[0]["rescreen"]
    assert rescreen["entities_removed"] == 3
    assert rescreen["alerts_marked_removed"] >= 1
    alerts = raqib("alerts", "list", "--json").json()
    assert {a["status"] for a in alerts if a["customer_id"] == "c1"} == {"entity_removed"}


def test_monitor_run_records_alerts_for_cases(raqib: CliRunner, tmp_path: Path) -> None:
    transactions = tmp_path / "t.csv"
    rows = ["id,timestamp,from_account,to_account,amount,currency"]
    # A donation funnel: many small senders to one beneficiary within days, then a pass-through.
    for n in range(30):
        rows.append(f"t{n},2024-01-{1 + n % 5:02d}T10:00:00,S{n},BEN,{95 + n % 7}.00,USD")
    rows.append("out1,2024-01-06T10:00:00,BEN,FAR,2900.00,USD")
    transactions.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "alerts.csv"
    result = raqib("monitor", "run", "--transactions", str(transactions), "--output", str(out), "--record")
    assert result.code == 0, result.err
    written = out.read_text(encoding="utf-8").splitlines()
    stored = raqib("alerts", "list", "--json").json()
    assert len(stored) == len(written) - 1
    assert all(a["source"] == "monitoring" and a["customer_id"].startswith("account:") for a in stored)


def test_export_ftm(raqib: CliRunner, tmp_path: Path) -> None:
    import json

    assert raqib("lists", "import", str(NEW)).code == 0
    out = tmp_path / "un.ftm.json"
    assert raqib("lists", "export", "--output", str(out)).code == 0
    entities = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    schemata = {e["schema"] for e in entities}
    assert {"Person", "Organization"} <= schemata
    assert all(e["id"] and e["properties"] for e in entities)
