"""Loading the benchmark's sources: the word-pair corpora and the UN list.

Everything here reads files and returns plain benchmark values; sampling is seeded so that a run
is reproducible from its printed seed.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.quality.keys import arabic_key, has_arabic

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"  # ../shared beside the repo
NAMES_DIR = SHARED_DATA / "names"
CORPORA = {
    "anetac": NAMES_DIR / "anetac_train_dev.tsv",
    "google_ar2en": NAMES_DIR / "google_ar2en_train_eval.tsv",
    "coling2018_wikidata": NAMES_DIR / "coling2018_wikidata_dev.tsv",
}
UN_LATEST = SHARED_DATA / "lists" / "un" / "un_consolidated_2026-02-27.xml"
UN_OLDER = SHARED_DATA / "lists" / "un" / "un_consolidated_2018-10-29.xml"


@dataclass(frozen=True, slots=True)
class WordPair:
    """One labelled pair: an Arabic token and a Latin token, a match (positive) or not."""

    arabic: str
    latin: str
    corpus: str
    positive: bool
    kind: str = "listed"  # for negatives: how the Latin side was chosen


@dataclass(slots=True)
class Lexicon:
    """Every known Latin spelling of every (folded) Arabic token, over all corpora."""

    latin_by_arabic: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, arabic: str, latin: str) -> None:
        self.latin_by_arabic[arabic_key(arabic)].add(latin.lower())

    def variants(self, arabic: str) -> set[str]:
        return self.latin_by_arabic.get(arabic_key(arabic), set())


def read_pairs(path: Path, corpus: str) -> list[WordPair]:
    """Read one ``arabic<TAB>latin<TAB>source`` file (header line first), dropping duplicates."""
    seen: set[tuple[str, str]] = set()
    pairs: list[WordPair] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            arabic, latin = (row.get("arabic") or "").strip(), (row.get("latin") or "").strip()
            if not arabic or not latin or (arabic, latin.lower()) in seen:
                continue
            seen.add((arabic, latin.lower()))
            pairs.append(WordPair(arabic=arabic, latin=latin, corpus=corpus, positive=True))
    return pairs


def build_lexicon(corpora: Iterable[list[WordPair]]) -> Lexicon:
    """Known transliterations across all corpora (used to exclude false 'negatives')."""
    lexicon = Lexicon()
    for pairs in corpora:
        for pair in pairs:
            lexicon.add(pair.arabic, pair.latin)
    return lexicon


def sample(items: list[WordPair], size: int | None, rng: random.Random) -> list[WordPair]:
    """A seeded sample of ``size`` items (all of them, shuffled, when size is None or larger)."""
    chosen = list(items)
    rng.shuffle(chosen)
    return chosen if size is None else chosen[:size]


@dataclass(frozen=True, slots=True)
class ListedEntity:
    """The benchmark's view of one listed entity.

    ``latin_names`` and ``weak_names`` are what the screening index may contain (Arabic script is
    removed); ``arabic_names`` are the list's original-script names, used only to make queries.
    """

    id: str
    type: str
    primary: str
    latin_names: tuple[str, ...]
    weak_names: tuple[str, ...]
    arabic_names: tuple[str, ...]
    birth_dates: tuple[str, ...]
    countries: tuple[str, ...]


def load_un(path: Path) -> tuple[str, list[ListedEntity]]:
    """Parse a UN consolidated list with Raqib's own parser; return its date and entities."""
    from raqib.lists.model import NameKind
    from raqib.lists.parsers.un_xml import parse

    parsed = parse(path)
    entities: list[ListedEntity] = []
    for entity in parsed.entities:
        latin: list[str] = []
        weak: list[str] = []
        arabic: list[str] = []
        for name in entity.names:
            text = name.full.strip()
            if not text:
                continue
            if has_arabic(text):
                if name.kind is NameKind.ORIGINAL_SCRIPT and text not in arabic:
                    arabic.append(text)
                continue  # the reference index holds no Arabic script at all
            target = weak if name.kind is NameKind.WEAK_ALIAS else latin
            if text not in target:
                target.append(text)
        if not latin:
            continue
        births = tuple(d.date for d in entity.birth_dates if d.date is not None)
        countries = tuple(
            sorted({a.country_code for a in entity.nationalities if a.country_code is not None})
        )
        entities.append(
            ListedEntity(
                id=entity.id,
                type=entity.type.value,
                primary=latin[0],
                latin_names=tuple(latin),
                weak_names=tuple(weak),
                arabic_names=tuple(arabic),
                birth_dates=births,
                countries=countries,
            )
        )
    return parsed.publisher_date or path.stem, entities
