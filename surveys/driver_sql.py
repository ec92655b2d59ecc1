"""Statements run straight on the database driver, for the few that every submission runs.

SQLAlchemy builds and compiles each statement once per dialect; each call then only converts its
parameters with SQLAlchemy's own bind processors and executes on a DBAPI connection: the session's
(in the session's transaction), or a lean one (`run_lean`: from a pool without pre-ping, and on
PostgreSQL in autocommit, so a submission that is one statement costs one round trip). This skips
the ORM session and SQLAlchemy's per-call work and, on PostgreSQL, psycopg's query conversion
(which it does not cache for long statements) and sends the statement prepared.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement

T = TypeVar("T")


@dataclass(frozen=True)
class Driver:
    """A DBAPI connection with its dialect."""

    connection: Any
    dialect: Dialect

    @classmethod
    def of_session(cls, session: Session) -> Driver:
        """The session's connection, in its transaction (the session commits or rolls back)."""
        connection = session.connection()
        return cls(connection.connection.driver_connection, connection.dialect)

    @property
    def name(self) -> str:
        return self.dialect.name

    def savepoint(self, name: str, action: str = "SAVEPOINT") -> None:
        """SAVEPOINT / RELEASE / ROLLBACK TO on SQLite, opening the transaction when needed
        (pysqlite opens one only before its own DML)."""
        cursor = self.connection.cursor()
        try:
            if action == "SAVEPOINT" and not self.connection.in_transaction:
                cursor.execute("BEGIN")
            cursor.execute(f"{action} {name}")
        finally:
            cursor.close()


def run_lean(engine: Engine, work: Callable[[Driver], T]) -> T:
    """`work` on a pooled DBAPI connection of `engine` (made with pool_pre_ping off), committed.

    The pool does not ping before each use: when the connection turns out to be dead (a database
    restart), every pooled connection is dropped and `work` runs once more on a fresh one, so
    `work` must be safe to repeat (a submission is: its key makes a replay count once).
    """
    for attempt in (1, 2):
        raw = engine.raw_connection()
        try:
            result = work(Driver(raw.driver_connection, engine.dialect))
            raw.commit()
            return result
        except engine.dialect.loaded_dbapi.Error as error:
            if attempt == 2 or not engine.dialect.is_disconnect(error, raw.driver_connection, None):
                _rollback(raw)
                raise
            raw.invalidate(error)
            engine.dispose()  # a fresh pool: the other pooled connections died with this one
        except BaseException:
            _rollback(raw)
            raise
        finally:
            raw.close()
    raise AssertionError("unreachable")


def _rollback(raw) -> None:
    if raw.is_valid:
        raw.rollback()


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the parameter behind each position
    processors: tuple[Callable | None, ...]


class DriverStatement:
    """A SQLAlchemy statement with positional parameters, compiled on first use per dialect."""

    def __init__(self, build: Callable[[str], ClauseElement]):
        self._build = build  # dialect name -> statement
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def execute(self, driver: Driver, params: Mapping[str, object]) -> tuple | None:
        """Runs the statement on the driver's connection; its first row, if it returns rows."""
        compiled = self._compiled.get(driver.name) or self._compile(driver.dialect)
        values = [params[name] if processor is None else processor(params[name])
                  for name, processor in zip(compiled.names, compiled.processors, strict=True)]
        if driver.name == "postgresql":
            from psycopg import RawCursor

            with RawCursor(driver.connection) as cursor:
                cursor.execute(compiled.sql, values, prepare=True)
                return cursor.fetchone() if cursor.description else None
        cursor = driver.connection.cursor()
        try:
            cursor.execute(compiled.sql, values)
            return cursor.fetchone() if cursor.description else None
        finally:
            cursor.close()

    def _compile(self, dialect: Dialect) -> _Compiled:
        with self._lock:
            if dialect.name in self._compiled:
                return self._compiled[dialect.name]
            if dialect.name == "postgresql":  # $1, $2 … as psycopg's raw cursor takes them
                dialect = type(dialect)(paramstyle="numeric_dollar")
            elif dialect.paramstyle != "qmark":
                raise NotImplementedError(f"driver statements need qmark parameters on {dialect.name}")
            compiled = self._build(dialect.name).compile(dialect=dialect)
            names = tuple(compiled.positiontup)
            processors = tuple(compiled.binds[name].type._cached_bind_processor(dialect)
                               for name in names)
            result = _Compiled(str(compiled), names, processors)
            self._compiled[dialect.name] = result
            return result
