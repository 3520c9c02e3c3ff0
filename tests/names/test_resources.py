from __future__ import annotations

from importlib import resources

import pytest

from raqib.names import _resources, token_frequency

DATA_FILES = sorted(
    entry.name
    for entry in resources.files("raqib").joinpath("data", "names").iterdir()
    if entry.name.endswith((".yml", ".tsv"))
)


def test_all_data_files_found() -> None:
    assert {
        "arabic_script.yml",
        "phonetic.yml",
        "titles.yml",
        "particles.yml",
        "homoglyphs.yml",
        "token_frequencies.tsv",
        "org_words.yml",
    } <= set(DATA_FILES)


@pytest.mark.parametrize("filename", DATA_FILES)
def test_each_data_file_has_source_and_version(filename: str) -> None:
    head = _resources.read_text(filename)[:2000]
    assert "source:" in head
    assert "version:" in head


@pytest.mark.parametrize(
    "loader",
    [
        _resources.arabic_script,
        _resources.phonetic,
        _resources.titles,
        _resources.particles,
        _resources.homoglyphs,
        _resources.token_frequencies,
    ],
)
def test_each_data_file_validates(loader: object) -> None:
    assert loader().version >= 1  # type: ignore[operator]


def test_common_names_are_more_frequent_than_rare_ones() -> None:
    assert token_frequency("MHMD") > 10 * token_frequency("BJDD")
    assert token_frequency("no-such-key") == 0.0
