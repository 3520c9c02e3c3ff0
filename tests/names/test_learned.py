"""Learned respellings: extra keys for Latin spellings of Arabic letters of another class."""

from __future__ import annotations

from raqib.matching import match_names
from raqib.names import parse_name
from raqib.names.learned import respellings


def test_respellings_change_one_grapheme_at_a_time() -> None:
    assert "jonez" in respellings("jones")
    assert "yones" in respellings("jones")
    assert "jonzz" not in respellings("jones")
    assert respellings("جونز") == ()
    # "sh" is one grapheme: its s is not respelt
    assert "zhadi" not in respellings("shadi")


def test_learned_keys_are_kept_after_the_own_keys() -> None:
    part = parse_name("Jones").parts[0]
    assert part.learned_keys > 0
    assert part.own_keys == part.keys[: len(part.keys) - part.learned_keys]
    assert "JNZ" in part.keys
    assert "JNZ" not in part.own_keys


def test_learned_respelling_matches_across_scripts_only() -> None:
    assert match_names("جونز", "Jones").score > 0.7
    assert match_names("فولفغانغ", "Wolfgang").score > 0.7
    assert match_names("ليوبيسا", "Ljubisa").score > 0.7
    # Latin against Latin: the respelling does not count (only the spelling does)
    assert match_names("Jones", "Jonez").score < match_names("جونز", "Jones").score
