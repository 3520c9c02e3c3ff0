"""Parser for OFAC's non-SDN Consolidated Sanctions List in the legacy CSV layout.

``cons_prim.csv``, ``cons_add.csv``, ``cons_alt.csv`` and ``cons_comments.csv`` follow the SDN
set's layout column for column (OFAC's ``cons_dat_spec.txt``: "OFAC kept the standard SDN column
headers"), so this module is the SDN reader with other file names and another list identity. The
programme tags (NS-PLC, 561List, FSE, SSI directives ...) say which non-SDN list an entry is from.
"""

from __future__ import annotations

from pathlib import Path

from raqib.lists.model import ParsedList
from raqib.lists.parsers.ofac_csv import CsvSet, detect_csv_set, parse_csv_set

FORMAT = "ofac_cons_csv"
LIST_ID = "us_ofac_cons"
TITLE = "OFAC Consolidated Sanctions List (non-SDN)"

CONS_SET = CsvSet(
    format=FORMAT,
    list_id=LIST_ID,
    title=TITLE,
    primary="cons_prim.csv",
    addresses="cons_add.csv",
    aliases="cons_alt.csv",
    comments="cons_comments.csv",
)


def detect(path: Path) -> bool:
    """The consolidated CSV set: a directory holding ``cons_prim.csv``, or that file itself."""
    return detect_csv_set(path, CONS_SET)


def parse(path: Path) -> ParsedList:
    """Parse OFAC's non-SDN consolidated CSV set.

    Args:
        path: The directory holding ``cons_prim.csv``, ``cons_add.csv``, ``cons_alt.csv`` (and
            ``cons_comments.csv`` when published), or the path of ``cons_prim.csv`` itself.

    Returns:
        One entity per ``cons_prim.csv`` row, with ``ent_num`` as ``source_ref``.

    Raises:
        ListParseError: A file is missing, empty, badly encoded, or has a malformed row.
    """
    return parse_csv_set(path, CONS_SET)


__all__ = ["CONS_SET", "FORMAT", "LIST_ID", "TITLE", "detect", "parse"]
