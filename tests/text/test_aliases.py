"""The curated organisation names: a valid, sourced data file, and careful matching."""

from __future__ import annotations

from raqib.lists import parse_list
from raqib.text import AliasTable, tokenise
from tests.conftest import DATA

UN_2017 = DATA / "lists" / "un_full" / "un_consolidated_2017-07-03.xml.gz"


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.alias.key) for m in AliasTable.packaged().find(tokenise(text))]


def test_every_name_is_sourced_and_every_un_reference_exists_under_its_name() -> None:
    table = AliasTable.packaged()
    assert table.version >= 1
    un = {e.source_ref: e for e in parse_list(UN_2017).entities}
    for alias in table.aliases:
        assert len(alias.source) > 20, alias.text
        for reference in alias.references:
            assert reference.list_id in {"un_sc", "us_ofac_sdn"}
            # QDe.161 (ISIL-K) was listed after 2017; the others must be in the 2017 list as named.
            if reference.list_id == "un_sc" and reference.ref != "QDe.161":
                assert un[reference.ref].caption == reference.name


def test_clitics_case_and_ordinary_language() -> None:
    assert _found("وداعش ولداعش وبداعش") == [("داعش", "isil")] * 3
    assert _found("ISIS and Isis and isis") == [("ISIS", "isil")]
    assert _found("ISIS-K") == [("ISIS-K", "isil_khorasan"), ("ISIS", "isil")]
    assert _found("للقاعدة والقاعدة") == [("قاعدة", "al_qaida"), ("القاعدة", "al_qaida")]
    # القاعدة الجوية is "the air base"; قاعدة without the article is any base.
    assert _found("القاعدة الجوية وقاعدة العديد") == []
    # Never across punctuation.
    assert _found("حركة، الشباب") == []


def test_a_case_sensitive_name_also_matches_in_capitals() -> None:
    """Lists and payment messages (SWIFT MT) write names in capitals: ISLAMIC STATE is the alias Islamic
    State; lower case (ordinary language) and mixed case still are not."""
    assert _found("DONATION FOR ISLAMIC STATE FIGHTERS") == [("ISLAMIC STATE", "isil")]
    assert _found("Islamic State") == [("Islamic State", "isil")]
    assert _found("the islamic state of the economy") == []
    assert _found("IsLAMIC STATE") == []
    assert _found("ISLAMIC State") == []
