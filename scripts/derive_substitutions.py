"""Align the Arabic↔Latin word-pair corpora on the phonetic classes and count the correspondences.

Each training pair (an Arabic word and its Latin spelling, ``/work/shared/data/names/*.tsv``: ANETAC
train/dev, Google ar2en train/eval, COLING-2018 Wikidata dev; the held-out splits are not in these files)
is aligned letter by letter: Arabic letters against Latin graphemes (longest match from ``phonetic.yml``),
by an edit distance whose substitution is free when the two share a consonant class (or are both vowels),
a Latin vowel may go unwritten cheaply, and everything else costs one. The script then prints, for each
Latin grapheme (and its word-final form), which Arabic letters it was aligned with, and lists the
substitutions the current classes miss (a Latin grapheme read as an Arabic letter of another class) with
their counts and their share of that grapheme's occurrences. Frequent and reliable ones are the
``learned`` section of ``phonetic.yml`` (added by hand from this output, with the counts as comments).

Usage::

    .venv/bin/python scripts/derive_substitutions.py [--min-count 150] [--min-share 0.03]
"""

from __future__ import annotations

import argparse
import collections
import csv
import sys
from pathlib import Path

from raqib.names import _resources
from raqib.names.learned import _segments
from raqib.names.normalise import normalise

CORPORA = ("anetac_train_dev", "google_ar2en_train_eval", "coling2018_wikidata_dev")
# The shared data folder sits beside the repository (../shared), wherever the repository is cloned.
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "names"
VOWEL = "V"
LATIN_VOWEL_DROP = 0.4
ARABIC_VOWEL_DROP = 0.6


def _latin_graphemes(word: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    """The word cut into the table's graphemes, longest first: the engine's own segmentation."""
    return _segments(word, tuple(sorted(table, key=len, reverse=True)))


def _classes(symbol: str, table: dict[str, tuple[str, ...]]) -> frozenset[str]:
    classes = table.get(symbol, ("?",))
    return frozenset(cls or VOWEL for cls in classes)


def align(
    arabic: list[str],
    latin: list[str],
    arabic_table: dict[str, tuple[str, ...]],
    latin_table: dict[str, tuple[str, ...]],
) -> list[tuple[str | None, str | None]]:
    """Minimal-cost alignment of Arabic letters and Latin graphemes (pairs, ``None`` for a gap)."""
    rows, cols = len(arabic), len(latin)
    a_cls = [_classes(a, arabic_table) for a in arabic]
    l_cls = [_classes(g, latin_table) for g in latin]
    inf = float("inf")
    cost = [[inf] * (cols + 1) for _ in range(rows + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (cols + 1) for _ in range(rows + 1)]
    cost[0][0] = 0.0
    for i in range(rows + 1):
        for j in range(cols + 1):
            here = cost[i][j]
            if here == inf:
                continue
            if i < rows and j < cols:
                step = 0.0 if a_cls[i] & l_cls[j] else 1.0
                if here + step < cost[i + 1][j + 1]:
                    cost[i + 1][j + 1], back[i + 1][j + 1] = here + step, (i, j)
            if j < cols:
                step = LATIN_VOWEL_DROP if VOWEL in l_cls[j] else 1.0
                if here + step < cost[i][j + 1]:
                    cost[i][j + 1], back[i][j + 1] = here + step, (i, j)
            if i < rows:
                step = ARABIC_VOWEL_DROP if VOWEL in a_cls[i] else 1.0
                if here + step < cost[i + 1][j]:
                    cost[i + 1][j], back[i + 1][j] = here + step, (i, j)
    pairs: list[tuple[str | None, str | None]] = []
    i, j = rows, cols
    while i or j:
        pi, pj = back[i][j]
        pairs.append((arabic[pi] if pi < i else None, latin[pj] if pj < j else None))
        i, j = pi, pj
    return pairs[::-1]


def main() -> int:
    """Print the correspondence counts (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-count", type=int, default=150)
    parser.add_argument("--min-share", type=float, default=0.03)
    args = parser.parse_args()
    phonetic = _resources.phonetic()
    arabic_table = {k: tuple(v) for k, v in phonetic.arabic.items()}
    latin_table = {k: tuple(v) for k, v in phonetic.latin.items()}
    totals: collections.Counter[str] = collections.Counter()
    aligned: collections.Counter[tuple[str, str]] = collections.Counter()
    for corpus in CORPORA:
        with (DATA / f"{corpus}.tsv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                arabic, latin = normalise(row["arabic"]), normalise(row["latin"])
                if " " in arabic or " " in latin or not arabic or not latin:
                    continue
                graphemes = _latin_graphemes(latin, latin_table)
                for index, (letter, grapheme) in enumerate(
                    align(list(arabic), graphemes, arabic_table, latin_table)
                ):
                    if grapheme is None:
                        continue
                    final = "$" if index == len(graphemes) - 1 else ""
                    for key in (grapheme, grapheme + final) if final else (grapheme,):
                        totals[key] += 1
                        aligned[key, letter or "-"] += 1
    for (grapheme, letter), count in sorted(aligned.items(), key=lambda item: -item[1]):
        share = count / totals[grapheme]
        if count < args.min_count or share < args.min_share:
            continue
        l_cls = _classes(grapheme.rstrip("$"), latin_table)
        a_cls = _classes(letter, arabic_table) if letter != "-" else frozenset()
        status = "ok" if l_cls & a_cls else ("dropped" if letter == "-" else "MISSED")
        sys.stdout.write(f"{grapheme}\t{letter}\t{count}\t{share:.3f}\t{status}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
