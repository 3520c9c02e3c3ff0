"""Every setting is documented in docs/settings.md (datasette's habit)."""

from __future__ import annotations

from pathlib import Path

from raqib.config import Settings

DOCS = Path(__file__).parent.parent / "docs" / "settings.md"


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`RAQIB_{name.upper()}`" not in text]
    assert missing == []


def test_settings_from_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RAQIB_HOME", str(tmp_path))
    settings = Settings()
    assert settings.database_url == f"sqlite:///{(tmp_path / 'raqib.db').resolve()}"
    monkeypatch.setenv("RAQIB_DB", "postgresql+psycopg://u@h/db")
    assert Settings().database_url == "postgresql+psycopg://u@h/db"
