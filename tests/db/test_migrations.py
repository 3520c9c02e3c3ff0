"""The Alembic migrations build exactly the schema that ``raqib.db.tables`` declares (both databases).

The code queries the tables as declared; a migration that forgets a column, an index or a constraint
would only show on a real deployment. Alembic's own comparison finds any difference.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from raqib.db import open_engine
from raqib.db.tables import metadata


def test_migrated_schema_equals_the_declared_tables(store_url: str) -> None:
    engine = open_engine(store_url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
        indexes = {index["name"] for index in sa.inspect(conn).get_indexes("alert")}
    engine.dispose()
    assert differences == []
    assert {"ix_alert_status_id", "ix_alert_source"} <= indexes
