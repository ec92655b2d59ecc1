"""gunicorn's workers compile the statements of everyday submissions and of the roll-up fold
before they serve anyone (`app.warm_statements`, gunicorn.conf.py): the first citizen and the
first report of a worker wait for no compile (the fold's alone costs ~0.25 s of CPU)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import warm_statements
from surveys.reporting import rollup
from surveys.responses import store
from surveys.driver_sql import DriverStatement
from surveys.responses.instruments import default_instrument
from surveys.models import DailyRollup, Touchpoint
from tests.factories import full_answers, hidden_fields, make_unit


def _as_in_a_fresh_worker() -> None:
    """Forget every compiled driver statement (they compile again on use)."""
    store._one_statement.cache_clear()
    store._sequence.cache_clear()
    for statement in (*store._GUARDED_INSERTS.values(), rollup.FOLD):
        statement._compiled.clear()


def _refuse_to_compile(self, dialect):
    raise AssertionError(f"compiled while serving a request on {dialect.name}")


@pytest.mark.parametrize("choices", [
    {"staff": True, "service": True, "comment": False, "device": True},
    {"staff": False, "service": True, "comment": True, "device": True},
    {"staff": True, "service": False, "comment": False, "device": False},
])
def test_after_warming_an_everyday_submission_and_the_fold_compile_nothing(
        app, db, monkeypatch, choices):
    unit = make_unit(db.session)
    code = unit.counter_code
    if not choices["device"]:  # a kiosk: one device for everyone, left out of device checks
        kiosk = Touchpoint(kind="kiosk", unit=unit.unit, counter=unit.counter)
        db.session.add(kiosk)
        db.session.flush()
        code = kiosk.public_code
    default_instrument(db.session)
    db.session.commit()
    _as_in_a_fresh_worker()
    warm_statements(app)
    monkeypatch.setattr(DriverStatement, "compile_for", _refuse_to_compile)

    client = app.test_client()
    page = client.get(f"/s/{code}")
    form = {**hidden_fields(page.text), **full_answers(3), "OFFICER": "4"}
    if choices["staff"]:
        form["staff"] = str(unit.officers[0].id)
    if choices["service"]:
        form["service"] = str(unit.services[0].id)
    if choices["comment"]:
        form["COMMENT"] = "Antrean rapi"
    assert client.post(f"/s/{code}", data=form).status_code == 303

    rollup.fold_pending(db.session)
    db.session.commit()
    assert db.session.scalar(select(func.sum(DailyRollup.responses))) == 1


def test_without_warming_the_first_submission_compiles(app, db, monkeypatch):
    """The check above can fail: an unwarmed worker does compile during the request."""
    unit = make_unit(db.session)
    default_instrument(db.session)
    db.session.commit()
    _as_in_a_fresh_worker()
    monkeypatch.setattr(DriverStatement, "compile_for", _refuse_to_compile)
    client = app.test_client()
    page = client.get(f"/s/{unit.counter_code}")
    with pytest.raises(AssertionError, match="compiled while serving"):
        client.post(f"/s/{unit.counter_code}", data={**hidden_fields(page.text), **full_answers(3)})
