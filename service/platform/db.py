"""Database plumbing: declarative base, UTC datetimes, per-app engine, sessions, after-commit hooks."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy import exc as sqlalchemy_exc
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every Paceline table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# The database is unreachable or went away mid-transaction: worth a spool, a retry, a backoff.
DATABASE_DOWN: tuple[type[Exception], ...] = (
    sqlalchemy_exc.OperationalError,
    sqlalchemy_exc.InterfaceError,
    sqlalchemy_exc.TimeoutError,
)
# Characters PostgreSQL cannot store in a text column (SQLite can, but the data must move).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str) -> tuple[str, int | None]:
    """`text` with characters the database cannot store replaced by U+FFFD, and its original
    length when any were replaced (None when the text was already storable)."""
    if not _UNSTORABLE.search(text):
        return text, None
    return _UNSTORABLE.sub("\ufffd", text), len(text)


def has_unstorable(text: str) -> bool:
    """True when `text` holds a character the database cannot store (NUL, a lone surrogate)."""
    return _UNSTORABLE.search(text) is not None


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, or None (the one date format of the API and the exports)."""
    return value.isoformat().replace("+00:00", "Z") if value else None


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores it naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


AfterCommit = Callable[[], None]


class Database:
    """The SQLAlchemy engine and session factory of one Flask app (bound with `init_app`)."""

    def init_app(self, app: Flask) -> None:
        settings = app.extensions["paceline.settings"]
        engine = make_engine(settings.database_url)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        app.extensions["paceline.db"] = _Bound(engine, factory)
        app.teardown_appcontext(_close_session)
        # A forked RQ work-horse must not reuse the parent's pooled connections.
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))

    @staticmethod
    def engine(app: Flask | None = None) -> Engine:
        """The engine of `app` (default: the current app)."""
        return (app or current_app).extensions["paceline.db"].engine

    @staticmethod
    def session() -> Session:
        """The session of the current app context, created on first use."""
        if "db_session" not in g:
            g.db_session = current_app.extensions["paceline.db"].factory()
        return g.db_session

    @staticmethod
    @contextmanager
    def new_session(app: Flask | None = None) -> Iterator[Session]:
        """A fresh session outside the request's one (for jobs that need their own)."""
        session = (app or current_app).extensions["paceline.db"].factory()
        try:
            yield session
        finally:
            session.close()


class _Bound:
    def __init__(self, engine: Engine, factory: sessionmaker[Session]) -> None:
        self.engine = engine
        self.factory = factory


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def make_engine(url: str) -> Engine:
    """An engine tuned for the backend: SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
            os.makedirs(os.path.dirname(url.removeprefix("sqlite:///")) or ".", exist_ok=True)
        engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Take the write lock at BEGIN so concurrent writers queue instead of deadlocking.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # Fail fast when the server is down, so the webhook can spool inside Twilio's 15 s.
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        pool_timeout=5,
        connect_args={"connect_timeout": 3},
    )


def transaction_state(session: Session) -> dict[str, Any]:
    """A dict that lives as long as the session's current transaction (cleared at its end)."""
    return session.info.setdefault("transaction", {})


def after_commit(session: Session, callback: AfterCommit) -> None:
    """Run `callback` once the session's current transaction commits (never on rollback)."""
    transaction_state(session).setdefault("after_commit", []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    state = session.info.pop("transaction", {})
    for callback in state.get("after_commit", []):
        callback()


@event.listens_for(Session, "after_rollback")
def _forget_transaction(session: Session) -> None:
    session.info.pop("transaction", None)


db = Database()
