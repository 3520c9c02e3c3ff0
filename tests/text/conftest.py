"""A screener over the real UN list of 2017-07-03 (1,021 entries), built once for the text tests."""

from __future__ import annotations

import pytest

from raqib.lists import parse_list
from raqib.screening import Screener
from raqib.text import TextScreener
from tests.api.conftest import api  # noqa: F401  (the API in process, for test_interfaces)
from tests.cli.conftest import raqib  # noqa: F401  (the CLI in process, for test_interfaces)
from tests.conftest import DATA

UN_2017 = DATA / "lists" / "un_full" / "un_consolidated_2017-07-03.xml.gz"
TEXTS = DATA / "text"


@pytest.fixture(scope="session")
def un_screener() -> Screener:
    return Screener(parse_list(UN_2017).entities)


@pytest.fixture(scope="session")
def text_screener(un_screener: Screener) -> TextScreener:
    return TextScreener(un_screener)
