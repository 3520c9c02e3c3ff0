"""The shared jurisdiction file: its loader, its validation, and the views payments and monitoring take."""

from __future__ import annotations

from importlib import resources

import pytest

from raqib.errors import ConfigError
from raqib.jurisdictions import (
    DATA_FILE,
    ISO_3166_ALPHA_2,
    load_jurisdiction_data,
    parse_jurisdiction_data,
)
from raqib.monitoring.typologies import jurisdictions, load_typologies, resolve_countries
from raqib.payments.risk import load_jurisdictions

VALID = """\
source: A test file written for these tests, not a real assessment.
version: 1
statement_date: "2025-10-24"
embargo_review_date: "2025-10-24"
categories:
  embargoed: {action: hold, title: embargoed}
  watched: {action: review, title: watched}
  area: {title: monitoring only}
lists:
  watched: [watched]
  everything: [embargoed, watched, area]
jurisdictions:
  - {code: CU, name: Cuba, categories: [embargoed], names: [HAVANA]}
  - {code: UA-43, name: Crimea, region_of: UA, categories: [embargoed]}
  - {code: "NO", name: Norway, categories: [watched, area]}
  - {code: ML, name: Mali, categories: [area]}
"""


def _with(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new)


def test_a_valid_file_loads_with_its_lists() -> None:
    data = parse_jurisdiction_data(VALID)
    assert data.version == 1
    assert data.statement_date == "2025-10-24"
    assert data.named_lists() == {"watched": ["NO"], "everything": ["CU", "ML", "NO"]}  # no region
    assert [j.code for j in data.in_categories({"embargoed"})] == ["CU", "UA-43"]


@pytest.mark.parametrize(
    ("old", "new", "where", "named"),
    [
        ("{code: ML,", "{code: UK,", "jurisdictions.3.code", "'UK'"),  # a typo for GB
        ("{code: ML,", "{code: XK,", "jurisdictions.3.code", "'XK'"),  # user-assigned, not ISO
        ("{code: ML,", "{code: mali,", "jurisdictions.3.code", "'mali'"),
        ("{code: UA-43,", "{code: ZZ-43,", "jurisdictions.1.code", "'ZZ-43'"),
        ("region_of: UA,", "region_of: UK,", "jurisdictions.1.region_of", "'UK'"),
        ('{code: "NO",', "{code: NO,", "jurisdictions.2.code", "quote codes"),  # YAML 1.1: NO is False
    ],
)
def test_a_bad_code_is_a_config_error_naming_it(old: str, new: str, where: str, named: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_jurisdiction_data(_with(old, new), "jurisdictions.yml")
    assert caught.value.message.startswith("jurisdictions.yml: ")
    assert f"{where}: " in caught.value.message
    assert named in caught.value.message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("categories: [area]}", "categories: [aera]}", "unknown categories"),
        ("everything: [embargoed", "everything: [embargo", "list everything: unknown categories"),
        ("{code: ML, name: Mali", "{code: CU, name: Mali", "CU is listed twice"),
        ("region_of: UA,", "region_of: RU,", "region_of must be UA"),
        ("{code: CU, name: Cuba,", "{code: CU, region_of: US, name: Cuba,", "only for ISO 3166-2"),
        ("version: 1", "version: 0", "version"),
        ('statement_date: "2025-10-24"', "statement_date: October 2025", "statement_date"),
        ("{action: hold,", "{action: block,", "action"),
    ],
)
def test_other_mistakes_are_config_errors(old: str, new: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_jurisdiction_data(_with(old, new))


def test_not_yaml_or_not_a_mapping_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        parse_jurisdiction_data("source: [unclosed")
    with pytest.raises(ConfigError, match="expected a mapping"):
        parse_jurisdiction_data("- just a list")


def test_the_shipped_file_is_dated_sourced_and_flags_the_fatf_check() -> None:
    text = (resources.files("raqib") / DATA_FILE).read_text(encoding="utf-8")
    assert text.startswith("source:")
    assert "fatf-gafi.org before production use" in " ".join(text.split())
    data = load_jurisdiction_data()
    assert load_jurisdiction_data() is data  # loaded once
    assert "FATF" in data.source
    assert data.version >= 1
    assert data.statement_date
    country_codes = {j.code for j in data.jurisdictions if j.is_country}
    assert country_codes <= ISO_3166_ALPHA_2
    assert len(ISO_3166_ALPHA_2) == 249


def test_the_lists_monitoring_typologies_name_exist() -> None:
    lists = jurisdictions().lists
    assert {"fatf_call_for_action", "fatf_increased_monitoring", "conflict_adjacent"} <= set(lists)
    assert lists["fatf_call_for_action"] == ["IR", "KP", "MM"]
    # The June 2025 grey list's four that the October 2025 list dropped stay in the monitoring list.
    assert {"BF", "MZ", "NG", "ZA"} <= set(lists["fatf_increased_monitoring"])
    for typology in load_typologies().values():
        for name, parameter in typology.parameters.items():
            if parameter.type == "countries":
                assert typology.bind()[name], typology.name  # every list named by a default resolves
    assert "SY" in resolve_countries(["conflict_adjacent"])


def test_the_payment_table_keeps_only_categories_with_an_action() -> None:
    table = load_jurisdictions()
    assert set(table.categories) == {"embargoed", "fatf_call_for_action", "fatf_increased_monitoring"}
    assert table.lookup("UA-43").action == "hold"  # type: ignore[union-attr]
    assert table.lookup("IR").action == "hold"  # type: ignore[union-attr]
    syria = table.lookup("SY")
    assert syria is not None
    assert (syria.action, syria.categories) == ("review", ("fatf_increased_monitoring",))
    # Monitoring-only jurisdictions are not payment hits: no lookup, no name found in text.
    for code in ("NG", "ZA", "AF", "IQ"):
        assert table.lookup(code) is None, code
    assert table.find_in_text("transfer to Kabul, Afghanistan via Lagos") == []
    assert [hit.code for hit, _, _ in table.find_in_text("paid in Damascus")] == ["SY"]
