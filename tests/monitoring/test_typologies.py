from __future__ import annotations

import pytest

from raqib.errors import InvalidInput
from raqib.monitoring import jurisdictions, load_typologies, risk_weights, select_typologies
from raqib.monitoring.engines import SPARK_DIALECT, parameters_used
from raqib.monitoring.typologies import resolve_countries

REQUIRED = {
    "structuring",
    "rapid_pass_through",
    "fan_in",
    "fan_out",
    "cycles",
    "high_risk_jurisdiction",
    "npo_anomalous_flows",
    "dormant_reactivated",
    "round_amounts",
    "listed_proximity",
}


def test_every_required_typology_ships_with_sources_and_documented_parameters() -> None:
    typologies = load_typologies()
    assert set(typologies) >= REQUIRED
    for typology in typologies.values():
        assert typology.source
        assert typology.version >= 1
        assert any("FATF" in s or "Egmont" in s for s in typology.source), typology.name
        assert typology.parameters, typology.name
        assert all(len(p.description) >= 10 for p in typology.parameters.values())
        assert set(parameters_used(typology.sql, typology.parameters)) == set(typology.parameters), (
            typology.name
        )


def test_data_files_have_a_source_and_every_typology_a_weight() -> None:
    assert jurisdictions().source
    assert risk_weights().source
    assert set(risk_weights().weights) == set(load_typologies())
    assert all(0 < w <= 1 for w in risk_weights().weights.values())


def test_parameters_are_checked() -> None:
    fan_in = load_typologies()["fan_in"]
    assert fan_in.bind({"min_senders": "7"})["min_senders"] == 7
    with pytest.raises(InvalidInput, match="unknown parameter"):
        fan_in.bind({"min_sender": 3})
    with pytest.raises(InvalidInput, match="below the minimum"):
        fan_in.bind({"min_senders": 1})
    with pytest.raises(InvalidInput, match="not a valid integer"):
        fan_in.bind({"min_senders": 2.5})
    with pytest.raises(InvalidInput, match="not a valid countries"):
        load_typologies()["high_risk_jurisdiction"].bind({"countries": ["Syria"]})


def test_country_lists_expand() -> None:
    assert resolve_countries(["fatf_call_for_action", "ye"]) == ["IR", "KP", "MM", "YE"]


def test_unknown_rule_is_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown rule"):
        select_typologies(["smurfing"])


def test_spark_dialect_renders_parameters_and_functions() -> None:
    rendered = SPARK_DIALECT.render("SELECT list(id) FROM t WHERE amount >= $min_amount")
    assert rendered == "SELECT collect_list(id) FROM t WHERE amount >= :min_amount"
