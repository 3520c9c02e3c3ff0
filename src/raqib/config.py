"""Raqib's one settings object. Read by entry points only (CLI, API, jobs) and passed down."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """All settings, from ``RAQIB_*`` environment variables. Documented in ``docs/settings.md``."""

    model_config = SettingsConfigDict(env_prefix="RAQIB_", frozen=True, extra="ignore")

    home: Path = Field(
        default=Path(".raqib"),
        description="Data directory: the default SQLite database, job state and exports live here.",
    )
    db: str | None = Field(
        default=None,
        description="SQLAlchemy database URL. Default: a SQLite file `raqib.db` inside `RAQIB_HOME`.",
    )
    debug: bool = Field(default=False, description="Show tracebacks for errors (also `raqib --debug`).")
    host: str = Field(default="127.0.0.1", description="Address `raqib serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `raqib serve` listens on.")
    log_names: bool = Field(
        default=False,
        description="Write screened names into the logs. Off by default: logs are widely readable, names are personal data.",
    )
    max_request_bytes: int = Field(
        default=8_000_000,
        ge=1024,
        description="Largest request body the API accepts (HTTP 413 above); room for 5 MB evidence in base64.",
    )
    max_batch: int = Field(default=1000, ge=1, description="Most parties in one `POST /v1/screen/batch`.")
    threads: int = Field(
        default=4,
        ge=1,
        description="Threads per API worker process that run requests (screening is CPU-bound Python).",
    )
    case_sla_days: float = Field(
        default=5,
        gt=0,
        description="Days from a case's creation to its due date (SLA); older open cases are overdue.",
    )
    session_hours: float = Field(
        default=8, gt=0, description="How long a web/API login session lasts before a new login is needed."
    )
    evidence_max_bytes: int = Field(
        default=5_000_000, ge=1, description="Largest evidence file that can be attached to a case."
    )

    @property
    def database_url(self) -> str:
        if self.db:
            return self.db
        return f"sqlite:///{(self.home / 'raqib.db').resolve()}"


@cache
def get_settings() -> Settings:
    return Settings()


__all__ = ["Settings", "get_settings"]
