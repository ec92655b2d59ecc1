"""The database itself refuses what the domain forbids, on SQLite and PostgreSQL alike."""
from __future__ import annotations

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from surveys.responses.instruments import default_instrument
from surveys.models import Response, ResponseFlag, Staff, Touchpoint
from surveys.models.staff import nip_problem
from tests.factories import make_unit


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def refused(db, statement, rows) -> bool:
    try:
        db.session.execute(statement, rows)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return True
    db.session.rollback()
    return False


def response_row(db, unit, **answers) -> dict:
    instrument = default_instrument(db.session)
    return {"instrument_id": instrument.id, "channel": "paper", "unit_id": unit.unit.id,
            "receipt": "SW-TEST", **{f"u{j}": 3 for j in range(1, 10)}, **answers}


@pytest.mark.parametrize("column", ["u1", "u5", "u9", "officer_rating"])
@pytest.mark.parametrize("value", [0, 5, -1])
def test_answer_values_outside_1_to_4_are_refused(db, unit, column, value):
    assert refused(db, insert(Response), [response_row(db, unit, **{column: value})])


def test_a_valid_row_is_accepted(db, unit):
    assert not refused(db, insert(Response), [response_row(db, unit, u4=None)])


def test_unknown_channel_and_dangling_foreign_keys_are_refused(db, unit):
    assert refused(db, insert(Response), [response_row(db, unit, channel="sms")])
    assert refused(db, insert(Response), [response_row(db, unit, unit_id=987654)])
    assert refused(db, insert(ResponseFlag), [{"response_id": 987654, "kind": "excluded", "reason": "x"}])


def test_public_codes_and_receipts_are_unique(db, unit):
    duplicate = {"kind": "counter", "unit_id": unit.unit.id, "counter_id": unit.counter.id,
                 "public_code": unit.counter_code}
    assert refused(db, insert(Touchpoint), [duplicate])
    assert refused(db, insert(Response), [response_row(db, unit), response_row(db, unit)])


def test_a_touchpoint_must_point_at_what_its_kind_says(db, unit):
    assert refused(db, insert(Touchpoint), [{"kind": "staff", "unit_id": unit.unit.id,
                                            "counter_id": unit.counter.id, "public_code": "abc"}])


@pytest.mark.parametrize(
    ("nip", "problem"),
    [
        ("198503122010011001", None),
        ("19850312201001100", "18 digits"),
        ("1985031220100110011", "18 digits"),
        ("19850312201001100x", "18 digits"),
        ("198513122010011001", "birth date"),
        ("198503122010131001", "appointment month"),
        ("198503122010013001", "sex"),
    ],
)
def test_nip_rules(nip, problem):
    found = nip_problem(nip)
    assert (found is None) if problem is None else (problem in found)


def test_invalid_nip_never_reaches_the_database(db, unit):
    with pytest.raises(ValueError, match="invalid NIP"):
        Staff(nip="12345", name="X", position="Y", unit=unit.unit)
    # And the database refuses a wrong length even when the model is bypassed.
    assert refused(db, insert(Staff), [{"nip": "12345", "name": "X", "position": "Y", "unit_id": unit.unit.id,
                                        "active": True}])
