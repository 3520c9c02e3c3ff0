"""``raqib reports``: goAML reports for the FIU, and readable case reports.

- ``raqib reports goaml CASE_ID --context ctx.json``: export an approved 'file STR' case as goAML
  (validated, versioned, audited), with the readable report (HTML, and PDF when Chromium exists).
- ``raqib reports build INPUT.json``: a goAML file from a ReportInput JSON, validated.
- ``raqib reports validate FILE.xml``: every problem of a goAML file, element and rule named.
- ``raqib reports profiles``: the FIU profiles known.
"""

from __future__ import annotations

import getpass
from pathlib import Path

import typer

from raqib.auth import Principal
from raqib.cases.cases import case_detail
from raqib.cli._common import console, err_console, write_json
from raqib.config import get_settings
from raqib.db import open_engine
from raqib.errors import ConfigError, InvalidInput
from raqib.reports.case_report import render_html, render_pdf
from raqib.reports.goaml import ReportInput, build_report, load_profile, profile_names, validate_report
from raqib.reports.goaml.from_case import export_goaml, load_context

reports_app = typer.Typer(help="goAML reports to the FIU (STR, SAR, …) and readable case reports.")

EXIT_INVALID = 2

ProfileOption = typer.Option("ae-5.0.2", "--profile", help="FIU profile (see 'raqib reports profiles').")


def _read(path: Path, limit: int = 20_000_000) -> bytes:
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if path.stat().st_size > limit:
        raise InvalidInput(f"{path}: the file is too large ({path.stat().st_size} bytes)")
    return path.read_bytes()


@reports_app.command("profiles")
def profiles(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """List the FIU profiles: schema, local currency, report codes, schema patches."""
    rows = []
    for name in profile_names():
        profile = load_profile(name)
        rows.append(
            {
                "name": name,
                "title": profile.title,
                "goaml_version": profile.goaml_version,
                "currency": profile.currency_code_local,
                "report_codes": list(profile.report_codes),
                "patches": [patch.id for patch in profile.schema_.patches],
            }
        )
    if as_json:
        write_json(rows)
        return
    for row in rows:
        console.print(
            f"[bold]{row['name']}[/]  {row['title']}  ({row['currency']}; {', '.join(row['report_codes'])})"
            + (f"  patches: {', '.join(row['patches'])}" if row["patches"] else ""),
            highlight=False,
        )


@reports_app.command("validate")
def validate(
    file: Path = typer.Argument(..., help="A goAML report XML file."),
    profile: str = ProfileOption,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Validate a goAML file: XSD, business rules and code lists. Exit 2 when it is not valid."""
    issues = validate_report(_read(file), profile, source=str(file))
    if as_json:
        write_json(
            {
                "file": str(file),
                "profile": profile,
                "valid": not issues,
                "issues": [i.to_dict() for i in issues],
            }
        )
    elif issues:
        for issue in issues:
            err_console.print(str(issue), highlight=False, soft_wrap=True)
        err_console.print(f"[bold red]{file}: {len(issues)} problems under {profile}[/]")
    else:
        console.print(f"{file}: valid under {profile}", highlight=False)
    if issues:
        raise typer.Exit(EXIT_INVALID)


@reports_app.command("build")
def build(
    input_file: Path = typer.Argument(..., help="A ReportInput as JSON."),
    profile: str = ProfileOption,
    out: Path = typer.Option(..., "--out", "-o", help="Where to write the goAML XML."),
) -> None:
    """Build a goAML file from a ReportInput JSON; refuses to write an invalid one."""
    try:
        report = ReportInput.model_validate_json(_read(input_file))
    except ValueError as err:
        raise InvalidInput(f"{input_file}: not a valid report input: {err}") from err
    xml = build_report(report, load_profile(profile))
    issues = validate_report(xml, profile, source=str(out))
    if issues:
        for issue in issues:
            err_console.print(str(issue), highlight=False, soft_wrap=True)
        raise InvalidInput(
            f"the report is not valid under {profile} ({len(issues)} problems); nothing written"
        )
    out.write_bytes(xml)
    console.print(f"wrote {out} ({len(xml)} bytes), valid under {profile}", highlight=False)


@reports_app.command("goaml")
def goaml(
    case_id: int = typer.Argument(
        ..., help="The case to file (its 'file_str' disposition must be approved)."
    ),
    context_file: Path = typer.Option(
        ..., "--context", help="Filing context JSON: reporting_person, location, indicators, transactions…"
    ),
    profile: str = ProfileOption,
    out_dir: Path = typer.Option(Path("."), "--out-dir", help="Folder for the XML, HTML and PDF."),
    lang: str = typer.Option("ar", "--lang", help="Language of the readable report: ar or en."),
    pdf: bool = typer.Option(
        True, "--pdf/--no-pdf", help="Also print the readable report to PDF (Chromium)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Export a case as goAML: validated, stored as the next version, audited with its SHA-256."""
    context = load_context(_read(context_file).decode("utf-8"))
    engine = open_engine(get_settings().database_url)
    who = Principal.system(getpass.getuser())
    export = export_goaml(engine, who, case_id, profile=profile, context=context)
    out_dir.mkdir(parents=True, exist_ok=True)
    xml_path = out_dir / export.filename
    xml_path.write_bytes(export.xml)
    with engine.connect() as conn:
        case = case_detail(conn, case_id)
    html = render_html(case, export.report, profile=profile, lang=lang, sha256=export.sha256)  # type: ignore[arg-type]
    html_path = xml_path.with_suffix(f".{lang}.html")
    html_path.write_text(html, encoding="utf-8")
    result = {**export.to_dict(), "xml": str(xml_path), "html": str(html_path), "pdf": None}
    if pdf:
        try:
            pdf_path = xml_path.with_suffix(f".{lang}.pdf")
            pdf_path.write_bytes(render_pdf(html))
            result["pdf"] = str(pdf_path)
        except ConfigError as err:
            err_console.print(f"[yellow]warning:[/] {err.message}", highlight=False)
    if as_json:
        write_json(result)
        return
    console.print(
        f"case {case_id}: goAML v{export.version} {xml_path} sha256 {export.sha256}\n"
        f"readable report: {html_path}" + (f", {result['pdf']}" if result["pdf"] else ""),
        highlight=False,
    )


__all__ = ["reports_app"]
