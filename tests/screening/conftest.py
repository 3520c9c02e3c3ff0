"""A store with a real UN list version and a small customer register."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from raqib.db import open_engine
from raqib.lists import ListStore, parse_list
from tests.conftest import DATA

UN_OLD = DATA / "lists" / "un_full" / "un_consolidated_2017-06-30.xml.gz"
UN_NEW = DATA / "lists" / "un_full" / "un_consolidated_2017-07-03.xml.gz"

# Listed people (UN 2017-06-30), in other scripts/spellings than the list's primary name, and innocents.
CUSTOMERS = """id,name,dob,country,type
c01,قاسم محمد مهدي الريمي,1978-06-05,Yemen,person
c02,Ahmad Zerfaoui,1963-07-15,,person
c03,ذو العيش,1964-08-05,,
c04,Hacene Allane,1941-01-17,,person
c05,Ayman al-Zawahiri,1951-06-19,Egypt,person
c06,Maryam Saleh Al-Kuwari,1985-02-11,Qatar,person
c07,Jassim Hamad Al-Thani,1970-09-01,QA,person
c08,Elena Romanowski,1990-05-05,Poland,person
c09,Noor Bakery Trading LLC,,QA,organization
c10,Fahad Nasser Al-Marri,1975-12-12,,person
"""


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = open_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def un_store(engine: Engine) -> ListStore:
    store = ListStore(engine)
    store.import_parsed(parse_list(UN_OLD), source_path=str(UN_OLD))
    return store


@pytest.fixture
def customers_csv(tmp_path: Path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text(CUSTOMERS, encoding="utf-8")
    return path
