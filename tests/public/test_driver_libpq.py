"""The lean engine's statements on PostgreSQL go through libpq's blocking call
(`surveys.driver_libpq`): values make the round trip unchanged, and what it cannot carry is
refused loudly instead of being sent wrong."""
from __future__ import annotations

from datetime import date, datetime

import psycopg
import pytest

from surveys.driver_libpq import execute_prepared
from tests.conftest import TEST_DATABASE_URL

ROUND_TRIP = (b"SELECT $1::INTEGER, $2::VARCHAR, $3::TEXT, $4::INTEGER, "
              b"($5::TIMESTAMP WITHOUT TIME ZONE = '2026-12-01 08:30:05.000123')::INTEGER, "
              b"($6::DATE = '2026-12-01')::INTEGER, $7::BOOLEAN::INTEGER")


pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")


@pytest.fixture
def connection():
    with psycopg.connect(TEST_DATABASE_URL, autocommit=True) as connection:
        yield connection


def test_values_make_the_round_trip(connection):
    values = [2**31 - 1, "Kupang · Loket 2 — 'antre'", "", None,
              datetime(2026, 12, 1, 8, 30, 5, 123), date(2026, 12, 1), True]
    assert execute_prepared(connection, b"sw_test_1", ROUND_TRIP, values, True) == (
        2**31 - 1, "Kupang · Loket 2 — 'antre'", "", None, 1, 1, 1)
    # prepared once per connection: the second call only executes
    assert execute_prepared(connection, b"sw_test_1", ROUND_TRIP, values, True)[0] == 2**31 - 1


def test_a_database_error_is_psycopgs_own(connection):
    with pytest.raises(psycopg.errors.DivisionByZero):
        execute_prepared(connection, b"sw_test_2", b"SELECT 1 / $1::INTEGER", [0], True)
    assert execute_prepared(connection, b"sw_test_2", b"SELECT 1 / $1::INTEGER", [1], True) == (1,)


def test_a_value_it_cannot_carry_is_refused_before_sending(connection):
    with pytest.raises(TypeError, match="float"):
        execute_prepared(connection, b"sw_test_3", b"SELECT $1::INTEGER", [1.5], True)
    with pytest.raises(TypeError, match="oid"):
        execute_prepared(connection, b"sw_test_4", b"SELECT now()", [], True)
    # the connection is still usable
    assert execute_prepared(connection, b"sw_test_3", b"SELECT $1::INTEGER", [7], True) == (7,)
