"""Set-based statements for batches of thousands of rows (the planner's herd of due prompts).

SQLAlchemy sends a batched INSERT or an IN list as one bind parameter per value, and psycopg
parses such a statement afresh each time (it is too long for its cache): 10,000 outbox rows
took 1.5 s that way on PostgreSQL (0.6 s as an executemany). Here PostgreSQL gets one array
per column instead (`unnest`, `= ANY`), and a column with one value for the whole batch goes
as one parameter: the same 10,000 rows go in about 0.2 s, most of it the server's own work
(indexes, foreign-key checks), and the statement's cost no longer grows with placeholders.
Other databases (SQLite for `make run` and the tests) take the plain forms, fast there.
Measured with 1,000-row batches on the 2-core machine (docs/scaling.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Table,
    any_,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def id_in(session: Session, column: ColumnElement[Any], ids: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN ids`: one array parameter on PostgreSQL, an IN list elsewhere."""
    if _postgres(session):
        return column == any_(bindparam(None, list(ids), type_=ARRAY(column.type)))
    return column.in_(list(ids))


def _arrays(table: Table, names: list[str], rows: Sequence[Mapping[str, Any]]) -> list[Any]:
    """One typed array parameter per column (psycopg sends it cast to the column's type)."""
    return [
        bindparam(f"c_{name}", [row[name] for row in rows], type_=ARRAY(table.c[name].type))
        for name in names
    ]


def _with_defaults(table: Table, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows with every Python-side column default filled in (an INSERT ... SELECT applies only
    the server's), so both forms of `insert_many` write the same values. A callable default
    (`utcnow`) is called once for the batch: one statement, one moment."""
    given = set(rows[0])
    defaults: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if column.key in given or default is None:
            continue
        if default.is_scalar:
            defaults[column.key] = default.arg
        elif default.is_callable:
            defaults[column.key] = default.arg(None)
    if any(row.keys() != given for row in rows):
        raise ValueError("every row of one insert_many call must name the same columns")
    return [{**row, **defaults} for row in rows]


def insert_many(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    skip_conflicts_on: Sequence[str] = (),
) -> list[int]:
    """Insert `rows` (dicts with the same keys) in one statement; their new ids, ascending.
    With `skip_conflicts_on` (the columns of a unique constraint), a row that would repeat
    one already stored is skipped (ON CONFLICT DO NOTHING) and has no id in the answer.

    On PostgreSQL: `INSERT ... SELECT ... FROM unnest(array, array, ...) RETURNING id`, one
    array per column that varies, converted by the column's own type, and one parameter for
    each column with the same value in every row. The ids come back sorted, which is the
    order the rows were given (one sequence, one statement)."""
    if not rows:
        return []
    full = _with_defaults(table, rows)
    names = list(full[0])
    if not _postgres(session):
        statement = sqlite_insert(table)
        if skip_conflicts_on:
            statement = statement.on_conflict_do_nothing(index_elements=list(skip_conflicts_on))
        return sorted(session.scalars(statement.returning(table.c.id), full))
    first = full[0]
    same = {name for name in names if all(row[name] == first[name] for row in full)}
    varying = [name for name in names if name not in same]
    if not varying:  # unnest needs one array: the first column's, repeated
        varying = [names[0]]
    source = func.unnest(*_arrays(table, varying, full)).table_valued(*varying).render_derived(name="v")  # fmt: skip
    columns = [
        source.c[name] if name in varying
        else bindparam(f"s_{name}", first[name], type_=table.c[name].type)
        for name in names
    ]  # fmt: skip
    statement = postgresql_insert(table).from_select(names, select(*columns).select_from(source))
    if skip_conflicts_on:
        statement = statement.on_conflict_do_nothing(index_elements=list(skip_conflicts_on))
    return sorted(session.scalars(statement.returning(table.c.id)))


def update_many(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    also: Mapping[str, Any] | None = None,
    where: ColumnElement[bool] | None = None,
    key: str = "id",
) -> list[Any]:
    """Set each row's own values (dicts with the same keys, `key` naming the row) and the
    values in `also` on every row, only where `where` holds: the keys of the rows changed.

    A conditional claim of a batch: one `UPDATE ... FROM unnest(...) WHERE ... RETURNING` on
    PostgreSQL. Elsewhere (SQLite, one writer at a time) the rows that qualify are changed by
    one UPDATE and their own values set by one executemany."""
    if not rows:
        return []
    names = list(rows[0])
    own = [name for name in names if name != key]
    target = table.c[key]
    if _postgres(session):
        source = func.unnest(*_arrays(table, names, rows)).table_valued(*names).render_derived(name="v")  # fmt: skip
        condition = target == source.c[key]
        statement = (
            update(table)
            .where(condition if where is None else condition & where)
            .values({**(also or {}), **{name: source.c[name] for name in own}})
            .returning(target)
        )
        return list(session.scalars(statement))
    keys = [row[key] for row in rows]
    condition = id_in(session, target, keys)
    if where is not None:
        condition = condition & where
    if also:
        changed = set(session.scalars(update(table).where(condition).values(also).returning(target)))  # fmt: skip
    else:
        changed = set(session.scalars(select(target).where(condition)))
    mine = [row for row in rows if row[key] in changed]
    if own and mine:
        binds = {name: bindparam(f"v_{name}") for name in own}
        statement = update(table).where(target == bindparam(f"v_{key}")).values(binds)
        session.execute(statement, [{f"v_{name}": row[name] for name in names} for row in mine])
    return [row[key] for row in mine]
