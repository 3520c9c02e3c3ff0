"""Synthetic customers for benchmarks: Arabic and Latin names with realistic frequencies.

Given names follow a heavy-tailed distribution (a few very common names, as in real customer
files: see bench/data/common_given_names.csv); family names are drawn from the Arabic<->Latin name
corpora in ../shared/data/names, so the Latin spellings are real published romanisations. The
generator is seeded and deterministic. Reads ../shared (benchmarks only, never tests).
"""

from __future__ import annotations

import csv
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
COMMON = Path(__file__).parent / "data" / "common_given_names.csv"


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    name: str
    dob: str | None
    country: str | None


def _load_common() -> list[tuple[str, str, str, float]]:
    with COMMON.open(encoding="utf-8") as stream:
        lines = [line for line in stream if not line.startswith("#")]
    return [(r["arabic"], r["latin"], r["gender"], float(r["weight"])) for r in csv.DictReader(lines)]


def _load_family_pool(limit: int = 20000) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name in ("google_ar2en_train_eval.tsv", "coling2018_wikidata_dev.tsv"):
        path = SHARED / "names" / name
        with path.open(encoding="utf-8") as stream:
            reader = csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
            pairs.extend((r["arabic"], r["latin"].title()) for r in reader if len(r["arabic"]) >= 3)
    random.Random(7).shuffle(pairs)
    return pairs[:limit]


class CustomerGenerator:
    """Seeded generator of synthetic customers (half Arabic script, half Latin)."""

    COUNTRIES = (
        "qa",
        "sa",
        "ae",
        "kw",
        "bh",
        "om",
        "eg",
        "jo",
        "lb",
        "iq",
        "sy",
        "ye",
        "ma",
        "tn",
        "dz",
        "gb",
        "us",
    )

    def __init__(self, seed: int = 42):
        self.rng = random.Random(seed)
        common = _load_common()
        self.given = [(a, latin) for a, latin, _, _ in common]
        self.given_cum = list(itertools.accumulate(w for *_, w in common))
        family = _load_family_pool()
        # Family names: Zipf over the pool, so some recur often and most are rare.
        self.family = family
        self.family_cum = list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(family))))

    def customer(self, number: int) -> Customer:
        rng = self.rng
        given = rng.choices(self.given, cum_weights=self.given_cum, k=2)
        family = rng.choices(self.family, cum_weights=self.family_cum, k=1)[0]
        arabic = rng.random() < 0.5
        if arabic:
            name = f"{given[0][0]} {given[1][0]} {family[0]}"
        else:
            name = f"{given[0][1]} {given[1][1]} {family[1]}"
        dob = (
            f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if rng.random() < 0.7
            else None
        )
        country = rng.choice(self.COUNTRIES) if rng.random() < 0.6 else None
        return Customer(f"C{number:08d}", name, dob, country)

    def customers(self, count: int) -> Iterator[Customer]:
        for number in range(count):
            yield self.customer(number)


__all__ = ["Customer", "CustomerGenerator"]
