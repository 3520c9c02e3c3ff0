"""Watchlist parsers: one module per published format, all producing :class:`ParsedList`.

Each parser module defines ``FORMAT`` (its name), ``detect(path) -> bool`` (cheap: looks at names
and the first bytes only) and ``parse(path) -> ParsedList``. ``path`` is a file, or a directory
for formats published as several files (the OFAC legacy CSV set). Detection tries the parsers in
``PARSERS`` order; ``--format`` overrides it.
"""

from __future__ import annotations

import gzip
import shutil
import tempfile
from importlib import import_module
from pathlib import Path
from types import ModuleType

from raqib.errors import InvalidInput, ListParseError
from raqib.lists.model import ParsedList

# Order matters for detection: the most specific formats first.
_PARSER_MODULES = [
    "un_xml",
    "ofac_csv",
    "ofac_xml",
    "ofac_cons_csv",
    "eu_xml",
    "uk_csv",
    "ca_xml",
    "ftm_json",
    "national_csv",
]


def _load(name: str) -> ModuleType | None:
    try:
        return import_module(f"raqib.lists.parsers.{name}")
    except ModuleNotFoundError as err:
        if err.name == f"raqib.lists.parsers.{name}":
            return None  # not written yet
        raise


def parsers() -> dict[str, ModuleType]:
    """Available parsers by format name, in detection order."""
    found = {}
    for module_name in _PARSER_MODULES:
        module = _load(module_name)
        if module is not None:
            found[module.FORMAT] = module
    return found


def detect_format(path: Path) -> str:
    """The format name of a list file or directory, or a clear error naming the known formats."""
    if not path.exists():
        raise InvalidInput(f"{path}: no such file or directory", code="not_found")
    available = parsers()
    for name, module in available.items():
        if module.detect(path):
            return str(name)
    raise InvalidInput(
        f"{path}: cannot tell which list format this is; use --format with one of: {', '.join(available)}",
        code="unknown_format",
    )


def parse_list(path: Path, format: str | None = None) -> ParsedList:
    """Parse one list file or directory, detecting its format unless given.

    A gzip-compressed file (``*.gz``) is decompressed first, as lists are often downloaded so.
    """
    if path.is_file() and path.name.endswith(".gz"):
        with tempfile.TemporaryDirectory(prefix="raqib-gz-") as tmp:
            plain = Path(tmp) / path.name.removesuffix(".gz")
            try:
                with gzip.open(path) as src, plain.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
            except (OSError, EOFError) as err:
                raise ListParseError(f"cannot decompress: {err}", path=str(path), code="bad_gzip") from err
            return parse_list(plain, format)
    available = parsers()
    name = format or detect_format(path)
    if name not in available:
        raise InvalidInput(
            f"unknown list format {name!r}; known: {', '.join(available)}", code="unknown_format"
        )
    if not path.exists():
        raise InvalidInput(f"{path}: no such file or directory", code="not_found")
    result: ParsedList = available[name].parse(path)
    return result


__all__ = ["detect_format", "parse_list", "parsers"]
