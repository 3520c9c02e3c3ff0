"""Rebuild ``src/raqib/data/names/token_frequencies.tsv`` from the shared Arabic-Latin name corpora.

Usage::

    .venv/bin/python scripts/build_name_frequencies.py [--corpora /work/shared/data/names]

Two kinds of counts are added up. The sanctions lists (UN 2020 XML, OFAC SDN 2019 CSV: every primary
name, alias and original-script name of a person) say how *popular* a name is among the people who get
listed: Mohammed hundreds of times, Zawahiri a handful. The corpora say how many spellings a word has.
Each corpus row is one person or place name word in Arabic and in Latin letters. Both sides are parsed
with :func:`raqib.names.parse_name` and every matchable part is counted under its phonetic key
(:func:`raqib.names.part_key`), so all spellings of one name add up. Keys seen once are dropped to keep
the file small (an unseen key is treated as rare, which is what a single occurrence means anyway).
This script reads files; the library never does, apart from loading the file this script writes.
"""

from __future__ import annotations

import argparse
import csv
import logging
import re
from collections import Counter
from pathlib import Path

import defusedxml.ElementTree as DefusedET

from raqib.names import parse_name, part_key

# ../shared/data beside the repository, wherever it is cloned.
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

LOG = logging.getLogger("build_name_frequencies")
OUTPUT = Path(__file__).resolve().parent.parent / "src" / "raqib" / "data" / "names" / "token_frequencies.tsv"
CORPORA = ("anetac_train_dev.tsv", "coling2018_wikidata_dev.tsv", "google_ar2en_train_eval.tsv")
UN_LIST = Path("lists/un/un_consolidated_2020-03-20.xml")
OFAC_DIR = Path("lists/ofac/2019-01")
MIN_COUNT = 2
_UN_NAME_FIELDS = ("ALIAS_NAME", "NAME_ORIGINAL_SCRIPT")
_UN_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def list_names(data_dir: Path) -> list[str]:
    """Person names of the UN list (parts joined, aliases, original script) and OFAC SDN individuals."""
    names: list[str] = []
    root = DefusedET.parse(data_dir / UN_LIST).getroot()
    for person in root.iter("INDIVIDUAL"):
        parts = [person.findtext(tag) or "" for tag in _UN_PARTS]
        names.append(" ".join(part for part in parts if part))
        names.extend(
            element.text
            for tag in _UN_NAME_FIELDS
            for element in person.iter(tag)
            if element.text is not None
        )
    individuals: set[str] = set()
    with (data_dir / OFAC_DIR / "sdn.csv").open(encoding="latin-1", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) > 2 and row[2].strip() == "individual":
                individuals.add(row[0])
                names.append(row[1])
    with (data_dir / OFAC_DIR / "alt.csv").open(encoding="latin-1", newline="") as handle:
        names.extend(row[3] for row in csv.reader(handle) if len(row) > 3 and row[0] in individuals)
    # OFAC writes "LAST, First"; parse_name handles one comma, and this drops the quotes around nicknames.
    return [re.sub(r"['\"]", "", name) for name in names]


def count_keys(corpus_dir: Path) -> tuple[Counter[str], int]:
    """Count phonetic part keys over both sides of every corpus row."""
    counts: Counter[str] = Counter()
    total = 0
    for name in CORPORA:
        with (corpus_dir / name).open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            next(reader)  # header: arabic, latin, source
            for row in reader:
                for text in row[:2]:
                    for part in parse_name(text).matchable:
                        counts[part_key(part.prefix, part.keys[0])] += 1
                        total += 1
    return counts, total


def count_list_keys(data_dir: Path) -> tuple[Counter[str], int]:
    """Count each part key once per listed name."""
    counts: Counter[str] = Counter()
    total = 0
    for name in list_names(data_dir):
        keys = {part_key(part.prefix, part.keys[0]) for part in parse_name(name).matchable}
        counts.update(keys)
        total += len(keys)
    return counts, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=SHARED_DATA / "names")
    parser.add_argument("--lists", type=Path, default=SHARED_DATA)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    counts, total = count_keys(args.corpora)
    list_counts, list_total = count_list_keys(args.lists)
    counts.update(list_counts)
    total += list_total
    lines = [
        "# source: Arabic and Latin sides of the ANETAC (train+dev), COLING-2018 Wikidata (dev) and Google"
        " ar2en (train+eval) name-pair corpora in /work/shared/data/names, plus person names of the UN consolidated"
        " list 2020-03-20 and OFAC SDN 2019-01 (see SOURCES.md),"
        " counted by scripts/build_name_frequencies.py",
        "# version: 1",
        f"# total: {total}",
    ]
    lines += [f"{key}\t{count}" for key, count in sorted(counts.items()) if count >= MIN_COUNT and key]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    logging.basicConfig(level=logging.INFO)
    LOG.info("wrote %s: %d keys from %d tokens", args.output, len(lines) - 3, total)


if __name__ == "__main__":
    main()
