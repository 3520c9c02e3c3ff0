"""List imports and exports from the CLI are in the audit trail."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from raqib import audit
from raqib.cli import main
from raqib.config import get_settings
from raqib.db import open_engine
from tests.conftest import DATA

UN_EXTRACT = DATA / "lists" / "un" / "un_extract_2017-06-30.xml"


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    get_settings.cache_clear()
    monkeypatch.setattr(sys, "argv", ["raqib", *args])
    try:
        main()
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 0
    return 0


def test_import_and_export_are_audited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAQIB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("RAQIB_DB", raising=False)
    assert _run(monkeypatch, "lists", "import", str(UN_EXTRACT), "--json") == 0
    assert _run(monkeypatch, "lists", "import", str(UN_EXTRACT), "--json") == 0  # unchanged: still recorded
    out = tmp_path / "export.ftm.json"
    assert _run(monkeypatch, "lists", "export", "--output", str(out)) == 0
    engine = open_engine(get_settings().database_url)
    records = [r.to_dict() for r in audit.records(engine, action="list.")]
    assert [(r["action"], r["subject"]) for r in records] == [
        ("list.import", "list:un_sc"),
        ("list.import", "list:un_sc"),
        ("list.export", "lists:un_sc"),
    ]
    assert [r["details"]["created"] for r in records[:2]] == [True, False]
    assert records[0]["details"]["entity_count"] == 5
    assert records[2]["details"] == {
        "entities": 10,  # FtM: 5 listed entities and their 5 Sanction entities
        "format": "ftm",
        "output": str(out),
        "version_ids": [1],
    }
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["schema"]
    assert audit.verify(engine) is None
    engine.dispose()
    get_settings.cache_clear()
