"""GET /api/v1/public/units/{code}/indices (no key) and GET /api/v1/staff/{nip}/satisfaction (the
unit's key): figures from the roll-up with the queue folded first, public suppression, and the
401/403/404 answers (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from analysis import compute_ikm
from surveys.models import RollupPending, UnitApiKey
from surveys.responses.instruments import default_instrument
from surveys.responses.submission import submit_response
from tests.rollup.raw import UNSUR, raw_frame

IN_Q3 = datetime(2026, 8, 14, 2, 0, tzinfo=UTC)


def _submit(db, unit, count: int) -> None:
    default_instrument(db.session)
    for i in range(count):
        form = {f"U{j}": str(1 + (i + j) % 4) for j in range(1, 10)}
        form.update(staff=str(unit.officers[i % 2].id), OFFICER=str(1 + i % 4))
        submit_response(db.session, unit.counter_code, form,
                        submission_key=f"api-{i:04d}-abcdefghij", now=IN_Q3 + timedelta(hours=i))
    db.session.commit()


def _queued(db) -> int:
    return db.session.scalar(select(func.count()).select_from(RollupPending))


def test_public_indices_count_every_submission_and_empty_the_queue(client, db, unit):
    _submit(db, unit, 30)
    answer = client.get(f"/api/v1/public/units/{unit.unit.code}/indices?period=2026-Q3")
    assert answer.status_code == 200
    expected = compute_ikm(raw_frame(db.session)[UNSUR])
    body = answer.json
    assert (body["unit"], body["period"], body["from"], body["to"]) == (
        unit.unit.code, "2026-Q3", "2026-07-01", "2026-09-30")
    assert (body["n"], body["suppressed"]) == (30, False)
    assert body["index"]["ikm"] == expected.ikm and body["index"]["mutu"] == expected.mutu
    assert _queued(db) == 0


def test_public_indices_are_suppressed_below_the_minimum(client, db, unit):
    _submit(db, unit, 3)
    body = client.get(f"/api/v1/public/units/{unit.unit.code}/indices?period=2026-Q3").json
    assert (body["n"], body["suppressed"], body["index"]) == (3, True, None)
    missing = client.get("/api/v1/public/units/tidak-ada/indices")
    assert (missing.status_code, missing.json["error"]) == (404, "unknown_unit")


def test_staff_satisfaction_needs_the_officers_unit_key(client, db, unit, api_key):
    _submit(db, unit, 40)
    nip = unit.officers[0].nip
    path = f"/api/v1/staff/{nip}/satisfaction?period=2026-Q3"
    assert client.get(path).status_code == 401
    answer = client.get(path, headers={"X-API-Key": api_key})
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert (body["nip"], body["responses"]) == (nip, 20)
    assert body["index"]["n"] == 20
    officer = body["officer"]
    assert officer["n"] == 20 and body["problem"] is None
    assert officer["ci95"][0] < officer["shrunk"] < officer["ci95"][1]
    assert 0 < officer["reliability"] < 1
    other = client.get(f"/api/v1/staff/{unit.other_unit_officer.nip}/satisfaction",
                       headers={"X-API-Key": api_key})
    assert (other.status_code, other.json["error"]) == (403, "forbidden_staff")
    unknown = client.get("/api/v1/staff/000000000000000000/satisfaction",
                         headers={"X-API-Key": api_key})
    assert (unknown.status_code, unknown.json["error"]) == (404, "unknown_staff")


def test_another_units_key_sees_none_of_its_officers(client, db, unit):
    key, plain = UnitApiKey.issue(unit.other_unit_officer.unit, "Mesin unit lain")
    db.session.add(key)
    db.session.commit()
    for officer in unit.officers:
        answer = client.get(f"/api/v1/staff/{officer.nip}/satisfaction",
                            headers={"X-API-Key": plain})
        assert answer.status_code == 403
