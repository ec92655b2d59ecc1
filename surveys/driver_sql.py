"""Statements run straight on the database driver, for the few that every submission runs.

SQLAlchemy builds and compiles each statement once per dialect; each call then only converts its
parameters with SQLAlchemy's own bind processors and executes on the session's connection, in the
session's transaction. This skips SQLAlchemy's per-call work and, on PostgreSQL, psycopg's query
conversion (which it does not cache for long statements such as the roll-up upsert) and sends the
statement prepared. Everything else goes through the session as usual.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement


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

    def execute(self, session: Session, params: Mapping[str, object]) -> tuple | None:
        """Runs the statement in the session's transaction; its first row, if it returns rows."""
        connection = session.connection()
        compiled = self._compiled.get(connection.dialect.name) or self._compile(connection.dialect)
        values = [params[name] if processor is None else processor(params[name])
                  for name, processor in zip(compiled.names, compiled.processors, strict=True)]
        driver = connection.connection.driver_connection
        if connection.dialect.name == "postgresql":
            from psycopg import RawCursor

            with RawCursor(driver) as cursor:
                cursor.execute(compiled.sql, values, prepare=True)
                return cursor.fetchone() if cursor.description else None
        cursor = driver.cursor()
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
