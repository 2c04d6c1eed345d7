"""The schema: the migrations build exactly what the models say, and every foreign key has an
index (a delete or a join never scans the referencing table)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import service.models  # noqa: F401 - registers every table
from service.platform.db import Base, db


def test_every_foreign_key_has_an_index():
    missing = []
    for table in Base.metadata.sorted_tables:
        leading = {idx.columns[0].name for idx in table.indexes if len(idx.columns)}
        leading |= {
            next(iter(c.columns)).name
            for c in table.constraints
            if c.__class__.__name__ in ("PrimaryKeyConstraint", "UniqueConstraint")
            and len(c.columns)
        }
        missing += [
            f"{table.name}.{fk.parent.name}"
            for fk in table.foreign_keys
            if fk.parent.name not in leading
        ]
    assert missing == []


def test_the_migrations_match_the_models(app):
    with db.engine(app).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diffs = compare_metadata(context, Base.metadata)
    # SQLite cannot report server defaults or some constraint names the same way; compare what
    # both engines agree on: tables, columns and indexes.
    relevant = [d for d in diffs if isinstance(d, tuple) and d[0] in (
        "add_table", "remove_table", "add_column", "remove_column", "add_index", "remove_index")]  # fmt: skip
    assert relevant == []
