"""Statements run straight on the database driver, for the few that every submission runs.

SQLAlchemy builds and compiles each statement once per dialect; each call then only converts its
parameters with SQLAlchemy's own bind processors and executes on a DBAPI connection: the session's
(in the session's transaction), or a lean one (`run_lean`: from a pool without pre-ping, and on
PostgreSQL in autocommit, so a submission that is one statement costs one round trip). This skips
the ORM session and SQLAlchemy's per-call work and, on PostgreSQL, psycopg's query conversion
(which it does not cache for long statements) and sends the statement prepared; on an autocommit
connection through libpq's blocking call (`surveys.driver_libpq`), which waits for the answer
with less CPU than psycopg's cursor.
"""
from __future__ import annotations

import itertools
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


_STATEMENT_NUMBERS = itertools.count(1)


@dataclass(frozen=True)
class _Compiled:
    sql: str | bytes  # bytes for psycopg: encoded once, and its hash cached for psycopg's cache
    names: tuple[str, ...]  # the parameter behind each position
    processors: tuple[Callable | None, ...]
    returns_rows: bool
    name: bytes  # its name as a prepared statement of our own (surveys.driver_libpq)


class DriverStatement:
    """A SQLAlchemy statement with positional parameters, compiled on first use per dialect
    (or ahead of it: `compile_for`). With `inline=True` its constants are rendered into the SQL:
    for statements that take no parameters (only our own numbers and strings)."""

    def __init__(self, build: Callable[[str], ClauseElement], *, inline: bool = False):
        self._build = build  # dialect name -> statement
        self._inline = inline
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def execute(self, driver: Driver, params: Mapping[str, object]) -> tuple | None:
        """Runs the statement on the driver's connection; its first row, if it returns rows."""
        compiled = self._compiled.get(driver.name) or self.compile_for(driver.dialect)
        values = [params[name] if processor is None else processor(params[name])
                  for name, processor in zip(compiled.names, compiled.processors, strict=True)]
        if driver.name == "postgresql":
            from psycopg import RawCursor

            from surveys.driver_libpq import execute_prepared

            if driver.connection.autocommit:  # the lean engine's connections
                return execute_prepared(driver.connection, compiled.name, compiled.sql, values,
                                        compiled.returns_rows)
            with RawCursor(driver.connection) as cursor:
                cursor.execute(compiled.sql, values, prepare=True)
                return cursor.fetchone() if compiled.returns_rows else None
        cursor = driver.connection.cursor()
        try:
            cursor.execute(compiled.sql, values)
            return cursor.fetchone() if compiled.returns_rows else None
        finally:
            cursor.close()

    def compile_for(self, dialect: Dialect) -> _Compiled:
        """Builds and compiles the statement for `dialect` once (no connection needed)."""
        with self._lock:
            if dialect.name in self._compiled:
                return self._compiled[dialect.name]
            if dialect.name == "postgresql":  # $1, $2 … as psycopg's raw cursor takes them
                dialect = type(dialect)(paramstyle="numeric_dollar")
            elif dialect.paramstyle != "qmark":
                raise NotImplementedError(f"driver statements need qmark parameters on {dialect.name}")
            compiled = self._build(dialect.name).compile(
                dialect=dialect, compile_kwargs={"literal_binds": True} if self._inline else {})
            names = tuple(compiled.positiontup)
            processors = tuple(compiled.binds[name].type._cached_bind_processor(dialect)
                               for name in names)
            sql = str(compiled)
            if dialect.name == "postgresql":
                sql = sql.encode("ascii")  # our SQL is ASCII: valid in any client encoding
            returns_rows = compiled.statement.is_select or bool(compiled.effective_returning)
            result = _Compiled(sql, names, processors, returns_rows,
                               f"sw_{next(_STATEMENT_NUMBERS)}".encode())
            self._compiled[dialect.name] = result
            return result
