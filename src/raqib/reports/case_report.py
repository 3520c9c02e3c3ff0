"""The readable case report for the file: HTML (Arabic, right-to-left, or English), and PDF.

The HTML comes from a Jinja2 template in ``src/raqib/data/goaml/templates`` (autoescaped: names
and narratives are case data). The PDF is that HTML printed by headless Chromium, so Arabic
shaping and bidirectional text are a browser's, not a PDF library's approximation. Without
Chromium the HTML is still produced and :func:`render_pdf` says what is missing.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import jinja2
import yaml

from raqib.errors import ConfigError, InvalidInput
from raqib.reports.goaml.model import ReportInput, Subject
from raqib.reports.goaml.profile import code_list, load_profile
from raqib.reports.goaml.validate import ValidationIssue

Language = Literal["ar", "en"]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
PDF_TIMEOUT_SECONDS = 120
_TEMPLATES = "data/goaml/templates"


@functools.cache
def _labels() -> dict[str, dict[str, str]]:
    text = (resources.files("raqib") / _TEMPLATES / "labels.yml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return {lang: data[lang] for lang in ("ar", "en")}


@functools.cache
def _template() -> jinja2.Template:
    source = (resources.files("raqib") / _TEMPLATES / "case_report.html.j2").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    env.globals["subject_name"] = subject_name
    return env.from_string(source)


def subject_name(subject: Subject) -> str:
    """A person's, account's or entity's name for a reader (original script first when known)."""
    if subject.person is not None:
        person = subject.person
        return person.full_name_frn or " ".join(p for p in (person.first_name, person.last_name) if p)
    if subject.account is not None:
        return f"{subject.account.account_name} ({subject.account.account})"
    return subject.entity.name if subject.entity is not None else ""


def _optional_list(profile: str, name: str) -> dict[str, str]:
    return code_list(profile, name) if name in load_profile(profile).code_lists else {}


def render_html(
    case: Mapping[str, Any],
    report: ReportInput,
    *,
    profile: str,
    lang: Language = "ar",
    issues: Sequence[ValidationIssue] = (),
    sha256: str | None = None,
    generated_at: datetime | None = None,
) -> str:
    """The case report as one self-contained HTML page (``dir="rtl" lang="ar"`` in Arabic).

    Raises:
        InvalidInput: ``lang`` is not ``ar`` or ``en``.
    """
    if lang not in ("ar", "en"):
        raise InvalidInput(f"language {lang!r}: use 'ar' or 'en'", details={"field": "lang"})
    return _template().render(
        lang=lang,
        t=_labels()[lang],
        case=case,
        report=report,
        profile=profile,
        currency=report.currency_code_local or load_profile(profile).currency_code_local,
        decimals=load_profile(profile).amount.decimals,
        indicators=_optional_list(profile, "report_indicators"),
        transmode=_optional_list(profile, "transmode"),
        issues=[str(issue) for issue in issues],
        sha256=sha256,
        generated_at=(generated_at or datetime.now(UTC)).replace(microsecond=0).isoformat(),
    )


def find_chromium() -> str | None:
    """The Chromium executable, or None."""
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def render_pdf(html: str, *, chromium: str | None = None) -> bytes:
    """Print ``html`` to PDF with headless Chromium (no network, no profile kept).

    Raises:
        ConfigError: Chromium is not installed, or it failed to print.
    """
    executable = chromium or find_chromium()
    if executable is None:
        raise ConfigError(
            "PDF needs Chromium (apt-get install chromium); the HTML report was still produced",
            code="chromium_missing",
        )
    with tempfile.TemporaryDirectory(prefix="raqib-pdf-") as folder:
        page = Path(folder) / "report.html"
        output = Path(folder) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            executable,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={output}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=PDF_TIMEOUT_SECONDS, check=True)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as err:
            raise ConfigError(f"Chromium could not print the PDF: {err}", code="pdf_failed") from err
        if not output.is_file() or output.stat().st_size == 0:
            raise ConfigError("Chromium produced no PDF", code="pdf_failed")
        return output.read_bytes()


__all__ = ["CHROMIUM_CANDIDATES", "Language", "find_chromium", "render_html", "render_pdf", "subject_name"]
