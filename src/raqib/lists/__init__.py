"""Watchlists: parse the published formats, keep every version, diff and export them.

- :func:`parse_list` reads a list file or folder (format detected, or given) into a
  :class:`ParsedList` of :class:`Entity` objects, keeping every fact the list gives.
- :class:`ListStore` keeps each imported version (content hash, publisher date, import time)
  in the database; importing the same content twice is a no-op.
- :func:`diff_versions` tells what changed between two versions, entity by entity, field by field.
"""

from raqib.lists.bundled import bundled_list_paths
from raqib.lists.diff import ListDiff, default_pairs, diff_versions
from raqib.lists.model import Address, BirthDate, Entity, EntityType, Identifier, Name, NameKind, ParsedList
from raqib.lists.parsers import detect_format, parse_list, parsers
from raqib.lists.store import ImportResult, ListStore, ListVersion, Watchlist

__all__ = [
    "Address",
    "BirthDate",
    "Entity",
    "EntityType",
    "Identifier",
    "ImportResult",
    "ListDiff",
    "ListStore",
    "ListVersion",
    "Name",
    "NameKind",
    "ParsedList",
    "Watchlist",
    "bundled_list_paths",
    "default_pairs",
    "detect_format",
    "diff_versions",
    "parse_list",
    "parsers",
]
