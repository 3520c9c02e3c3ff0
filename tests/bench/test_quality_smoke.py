"""Smoke tests of the quality benchmark's data generators on a tiny inline sample.

No /work/shared reads: the pairs and listed entities below are written here (real-looking UN-style
names). The point is that the generators never crash and are deterministic for a seed.
"""

from __future__ import annotations

import random

from bench.quality.baselines import ScreenQuery
from bench.quality.data import ListedEntity, WordPair, build_lexicon
from bench.quality.fullnames import negative_queries, positive_queries, select_classes
from bench.quality.keys import arabic_tokens, latin_skeleton, latin_tokens
from bench.quality.metrics import at_threshold, calibrated_threshold, recall_at_fmr
from bench.quality.negatives import ListedTokens, word_pair_negatives
from bench.quality.variations import ALL_CLASSES, to_presentation_forms
from hypothesis import given, settings
from hypothesis import strategies as st

PAIRS = [
    WordPair("محمد", "Mohammed", "sample", True),
    WordPair("محمد", "Muhammad", "sample", True),
    WordPair("حسين", "Hussein", "sample", True),
    WordPair("التكريتي", "al-Tikriti", "sample", True),
    WordPair("جانوس", "Janus", "sample", True),
    WordPair("ميريام", "Miriam", "sample", True),
    WordPair("مارينوفيتش", "Marinovic", "sample", True),
    WordPair("مكناس", "Meknes", "sample", True),
    WordPair("موغيريني", "Mogherini", "sample", True),
    WordPair("مانديلا", "Mandela", "sample", True),
    WordPair("هاشمي", "Hashemi", "sample", True),
    WordPair("الهاشمي", "al-Hashimi", "sample", True),
    WordPair("جونز", "Jones", "sample", True),
    WordPair("جاكسون", "Jackson", "sample", True),
    WordPair("هاريس", "Harris", "sample", True),
]

ENTITIES = [
    ListedEntity(
        id="un_sc:IQi.001",
        type="person",
        primary="SADDAM HUSSEIN AL-TIKRITI",
        latin_names=("SADDAM HUSSEIN AL-TIKRITI",),
        weak_names=("Abu Ali",),
        arabic_names=("صدام حسين التكريتي",),
        birth_dates=("1937-04-28",),
        countries=("iq",),
    ),
    ListedEntity(
        id="un_sc:QDi.120",
        type="person",
        primary="ABDUL HAKIM MURAD",
        latin_names=("ABDUL HAKIM MURAD", "Murad, Abdul Hakim Ali Hashim", "Saeed Ahmed"),
        weak_names=(),
        arabic_names=("عبد الحكيم مراد",),
        birth_dates=("1968-04-11",),
        countries=("pk",),
    ),
    ListedEntity(
        id="un_sc:QDi.092",
        type="person",
        primary="MEHREZ BEN MAHMOUD BEN SASSI AL-AMDOUNI",
        latin_names=("MEHREZ BEN MAHMOUD BEN SASSI AL-AMDOUNI", "Mohamed Hassan"),
        weak_names=("Abu Thale",),
        arabic_names=("محرز بن محمود بن ساسي العمدوني",),
        birth_dates=("1968-05-25",),
        countries=("tn",),
    ),
    ListedEntity(
        id="un_sc:QDe.001",
        type="organization",
        primary="ABU SAYYAF GROUP",
        latin_names=("ABU SAYYAF GROUP", "Al Harakat Al Islamiyya"),
        weak_names=(),
        arabic_names=("جماعة أبو سياف",),
        birth_dates=(),
        countries=("ph",),
    ),
]


def _all_queries(seed: int) -> list[ScreenQuery]:
    positives = positive_queries(ENTITIES, select_classes(None), seed)
    negatives, _ = negative_queries(ENTITIES, PAIRS, build_lexicon([PAIRS]), 60, seed)
    return [q for group in (*positives.values(), *negatives.values()) for q in group]


def test_queries_are_deterministic_for_a_seed():
    assert _all_queries(7) == _all_queries(7)
    assert _all_queries(7) != _all_queries(8)


def test_every_class_yields_queries_on_the_sample():
    positives = positive_queries(ENTITIES, select_classes(None), 11)
    assert set(positives) == {variation.name for variation in ALL_CLASSES}
    for name, queries in positives.items():
        assert queries, name
        for query in queries:
            assert query.true_id is not None
            assert query.text.strip()
    assert [q.text for q in positives["exact"]] == [e.arabic_names[0] for e in ENTITIES]
    organisation_classes = {q.group for qs in positives.values() for q in qs if q.type == "organization"}
    assert "titles" not in organisation_classes


def test_arabic_variations_change_the_name():
    positives = positive_queries(ENTITIES, select_classes(None), 3)
    for name in (
        "letter_variants",
        "diacritics_tatweel",
        "evasion",
        "typo",
        "latin_romanisation",
        "latin_homoglyph",
    ):
        for query in positives[name]:
            assert query.text != query.source, (name, query.text)


def test_negatives_never_reproduce_a_listed_name():
    negatives, dropped = negative_queries(ENTITIES, PAIRS, build_lexicon([PAIRS]), 80, 5)
    listed = ListedTokens(ENTITIES, build_lexicon([PAIRS]))
    every = [q for group in negatives.values() for q in group]
    assert every
    assert all(q.true_id is None for q in every)
    assert not any(listed.reproduces_listed(q.text) for q in every)
    assert all(isinstance(count, int) for count in dropped.values())


def test_reproducing_a_listed_name_is_detected():
    listed = ListedTokens(ENTITIES, build_lexicon([PAIRS]))
    assert listed.reproduces_listed("Muhammad Hasan")  # all-common alias 'Mohamed Hassan'
    assert listed.reproduces_listed("Khalid Sassi al-Amdouni Mehrez")
    assert listed.reproduces_listed("صدام حسين التكريتي")
    assert not listed.reproduces_listed("Khalid Ahmed al-Tikriti")


def test_word_pair_negatives_are_not_known_variants():
    lexicon = build_lexicon([PAIRS])
    vocabulary = sorted(
        {p.latin for p in PAIRS} | {"Mandella", "Marinov", "Mira", "Hashem", "Janos", "Jonas"}
    )
    first = word_pair_negatives(PAIRS, vocabulary, lexicon, 10, random.Random(1))
    second = word_pair_negatives(PAIRS, vocabulary, lexicon, 10, random.Random(1))
    assert first == second
    assert first
    for pair in first:
        assert not pair.positive
        known = lexicon.variants(pair.arabic)
        assert pair.latin.lower() not in known
        assert latin_skeleton(pair.latin) not in {
            latin_skeleton(k) for k in known
        }  # Janos is not a negative of Janus


def test_keys_merge_spellings():
    assert latin_tokens("Abdul Aziz") == latin_tokens("Abdulaziz") == latin_tokens("Abd al-Aziz")
    assert latin_tokens("Mohammed") == latin_tokens("Muhammad")
    assert latin_tokens("Ahmed") != latin_tokens("Hamid")
    assert arabic_tokens("عبد العزيز") == arabic_tokens("عبدالعزيز")
    assert arabic_tokens("أحمد") == arabic_tokens("احمد")


def test_presentation_forms_round_trip_under_nfkc():
    import unicodedata

    text = "محمد عبد الله"
    forms = to_presentation_forms(text)
    assert forms != text
    assert unicodedata.normalize("NFKC", forms) == text


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30), st.integers(min_value=0, max_value=10_000))
def test_generators_never_crash(text, seed):
    for variation in ALL_CLASSES:
        result = variation.apply(text, random.Random(seed))
        assert result is None or isinstance(result, str)


def test_metrics():
    positives, negatives = [0.9, 0.8, 0.7, 0.2], [0.85, 0.1, 0.1, 0.1]
    assert at_threshold(positives, negatives, 0.75) == {"threshold": 0.75, "recall": 0.5, "fmr": 0.25}
    best = recall_at_fmr(positives, negatives, 0.0)
    assert best["recall"] == 0.25
    assert best["fmr"] == 0.0
    assert calibrated_threshold(negatives, 0.0) > 0.85


def test_compound_given_names_stay_whole():
    from bench.quality.variations import extra_part, missing_part, name_order

    name = "سيف الدين فليح حسن طه الراوي"
    for seed in range(30):
        for generate in (extra_part, missing_part, name_order):
            result = generate(name, random.Random(seed))
            assert result is not None
            assert "سيف الدين" in result, (generate.__name__, result)


def test_a_negative_equal_to_a_listed_name_without_its_title_is_refused():
    entity = ListedEntity(
        id="x",
        type="person",
        primary="Haji Abdul Satar",
        latin_names=("Haji Abdul Satar",),
        weak_names=(),
        arabic_names=(),
        birth_dates=(),
        countries=(),
    )
    listed = ListedTokens([entity], build_lexicon([PAIRS]))
    assert listed.reproduces_listed("Abdul Sattar")
