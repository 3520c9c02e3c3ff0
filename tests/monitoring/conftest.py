"""Monitoring fixtures.

Fixture policy: data comes from the seeded generator (written to ``tmp_path``) or from the small AMLSim
extract in ``tests/data/monitoring``; nothing reads ``/work/shared``. Engine tests are parametrised by
the ``engine`` fixture: DuckDB always, Spark skipped with a reason until an adapter exists (splink habit).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from raqib.monitoring import DuckDBEngine, MonitoringEngine, generate

DATA = Path(__file__).parent.parent / "data" / "monitoring"


@pytest.fixture(params=["duckdb", "spark"])
def engine(request: pytest.FixtureRequest) -> Iterator[MonitoringEngine]:
    if request.param == "spark":
        pytest.skip("no Spark engine ships yet: the port and SPARK_DIALECT are ready for one")
    created = DuckDBEngine(threads=1)
    yield created
    created.close()


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("generated")
    data = generate(accounts=1_500, transactions=20_000, instances=3, seed=11)
    return data.write(folder)
