"""The SQLAlchemy handle shared by the models and the web layer.

A naming convention on the metadata gives every constraint a stable name, which
Alembic's batch mode on SQLite needs to alter or drop them.
"""
import os
import sqlite3
from datetime import UTC, datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


@event.listens_for(Engine, "do_connect")
def _create_sqlite_file_owner_only(dialect, _record, cargs, cparams) -> None:
    """A new SQLite database file, and its folder, are readable by their owner only (0600, 0700):
    SQLite would create it 0644, and gives its -wal and -shm files the database file's mode."""
    if dialect.name != "sqlite" or cparams.get("uri") or not cargs:
        return
    path = cargs[0]
    if not isinstance(path, str) or path in ("", ":memory:") or os.path.exists(path):
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:  # another connection created it meanwhile
        pass


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """SQLite ignores foreign keys unless asked, per connection; the invariants must hold there too.

    And a database file runs in write-ahead-log mode: a report reading does not block citizens'
    submissions, and a commit costs one fsync of the log instead of the rollback journal's three
    (still synchronous=FULL: a committed response survives a power cut). Kept in the file.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")  # an in-memory database answers "memory"
        cursor.close()


def upsert_insert(dialect: str):
    """The dialect's `insert` construct, which offers ON CONFLICT (PostgreSQL and SQLite only)."""
    builders = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
    if dialect not in builders:
        raise NotImplementedError(f"ON CONFLICT is used on PostgreSQL and SQLite, not {dialect}")
    return builders[dialect]


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (the only kind the models store)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC on every backend and always returns aware UTC datetimes.

    SQLite has no time zones and PostgreSQL's would convert to the session zone;
    one convention everywhere keeps period boundaries exact.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC datetimes only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


ID_MAX = 2**31 - 1  # every id column is PostgreSQL's `integer`


def row_by_id(session, model, value):
    """The `model` row with primary key `value`, or None when there is none or `value` cannot
    be an id (not a whole number, or past `integer`, which PostgreSQL would refuse with an error)."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= ID_MAX:
        return None
    return session.get(model, value)
