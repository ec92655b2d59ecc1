"""PostgreSQL in autocommit: a driver statement run by libpq's own blocking PQexecPrepared.

psycopg's cursors wait for the server's answer in a Python generator; a submission waits a
millisecond or two for its commit, and that wait cost more CPU on the submission's path than the
rest of the call (bench/README.md, "Caveats"). libpq waits in C. Only for
connections in autocommit (the lean engine's): in a transaction psycopg sends BEGIN before its
own first statement, and a statement sent behind its back would run outside the transaction.

Parameters go as text (the statements cast each one: `$1::INTEGER`), results come back as text;
only the types our driver statements use are converted, anything else is refused loudly.
"""
from __future__ import annotations

import weakref
from collections.abc import Sequence
from datetime import date, datetime

from psycopg import Connection, errors, pq

_OK = (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK)
_INTEGERS = frozenset({20, 21, 23})  # int8, int2, int4
_TEXTS = frozenset({25, 1043})  # text, varchar
# The statements prepared on each libpq connection (a new connection starts with none).
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def execute_prepared(connection: Connection, name: bytes, sql: bytes,
                     values: Sequence[object], returns_rows: bool) -> tuple | None:
    """Prepares `sql` as `name` on first use on this connection, then executes it; its first
    row, if it returns rows. Errors raise psycopg's own exceptions (a lost connection leaves
    `connection.closed` true, as SQLAlchemy's disconnect check expects)."""
    pgconn = connection.pgconn
    prepared = _PREPARED.setdefault(pgconn, set())
    if name not in prepared:
        _checked(connection, pgconn.prepare(name, sql))
        prepared.add(name)
    result = _checked(connection, pgconn.exec_prepared(name, [_text(value) for value in values]))
    if not returns_rows or result.ntuples == 0:
        return None
    return tuple(_value(result, column) for column in range(result.nfields))


def _checked(connection: Connection, result: pq.PGresult) -> pq.PGresult:
    if result.status not in _OK:
        raise errors.error_from_result(result, encoding=connection.info.encoding)
    return result


def _text(value: object) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return b"t" if value else b"f"
    if isinstance(value, int | str):
        return str(value).encode()
    if isinstance(value, datetime | date):
        return value.isoformat().encode()
    raise TypeError(f"no text form for a parameter of type {type(value).__name__}")


def _value(result: pq.PGresult, column: int) -> int | str | None:
    raw = result.get_value(0, column)
    if raw is None:
        return None
    oid = result.ftype(column)
    if oid in _INTEGERS:
        return int(raw)
    if oid in _TEXTS:
        return raw.decode()
    raise TypeError(f"no conversion for a result column of type oid {oid}")
