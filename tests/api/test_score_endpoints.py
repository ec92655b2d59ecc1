"""GET /api/v1/staff/{nip}/satisfaction (the unit's key: the live evidence object with its digest):
figures from the roll-up with the queue folded first, and the 401/403/404 answers (SQLite and
PostgreSQL). The public, published results: tests/api/test_public_api.py."""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from surveys.evaluations.evidence import build_evidence
from surveys.models import Response, RollupPending, Staff, Unit, UnitApiKey
from surveys.periods import Period
from surveys.responses.instruments import default_instrument
from surveys.responses.submission import submit_response

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


def _officer_raw(db, staff) -> tuple[int, float]:
    """n and raw mean of the officer's responses, by hand: each response's U6, U7 and officer
    item on 1-4, averaged and put on the 25-100 scale (DESIGN §5)."""
    scores = []
    for response in db.session.scalars(select(Response).where(Response.staff_id == staff.id)):
        items = [v for v in (response.u6, response.u7, response.officer_rating) if v is not None]
        scores.append(25 * sum(items) / len(items))
    return len(scores), sum(scores) / len(scores)


def test_staff_satisfaction_is_the_live_evidence_for_the_officers_unit_key(client, db, unit,
                                                                             api_key):
    _submit(db, unit, 40)
    staff = unit.officers[0]
    path = f"/api/v1/staff/{staff.nip}/satisfaction?period=2026-Q3"
    assert client.get(path).status_code == 401
    answer = client.get(path, headers={"X-API-Key": api_key})
    assert answer.status_code == 200, answer.json
    assert answer.headers["Cache-Control"] == "private, no-store"
    body = dict(answer.json)
    digest = body.pop("evidence_sha256")
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert digest == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    expected = build_evidence(db.session, staff, Period.parse("2026-Q3"), datetime.now(UTC))
    assert set(body) == set(expected)  # exactly the keys a record pulls
    assert {k: v for k, v in body.items() if k != "pulled_at"} == {
        k: v for k, v in expected.items() if k != "pulled_at"}
    assert body["officer"]["nip"] == staff.nip
    assert body["period"] == {"code": "2026-Q3", "from": "2026-07-01", "to": "2026-09-30"}
    score = body["officer_score"]
    n, raw = _officer_raw(db, staff)
    assert (score["n"], n) == (20, 20)
    assert score["raw"] == pytest.approx(raw, abs=1e-4)
    assert score["ci95"][0] < score["shrunk"] < score["ci95"][1]
    assert 0 < score["reliability"] < 1 and score["problem"] is None
    assert body["unit_ikm"]["n"] == 40  # the unit's index counts every response
    other = client.get(f"/api/v1/staff/{unit.other_unit_officer.nip}/satisfaction",
                       headers={"X-API-Key": api_key})
    assert (other.status_code, other.json["error"]) == (403, "forbidden_staff")
    unknown = client.get("/api/v1/staff/000000000000000000/satisfaction",
                         headers={"X-API-Key": api_key})
    assert (unknown.status_code, unknown.json["error"]) == (404, "unknown_staff")
    for nip in ("a\x00b", "9" * 5000):
        refused = client.get(f"/api/v1/staff/{nip}/satisfaction", headers={"X-API-Key": api_key})
        assert (refused.status_code, refused.json["error"]) == (404, "unknown_staff")


def test_a_parent_units_key_sees_its_sub_units_officers(client, db, unit):
    sub = Unit(organization=unit.unit.organization, parent=unit.unit, code="dukcapil-mpp",
               name="Gerai MPP", timezone="Asia/Makassar")
    staff = Staff(nip="199912122020121007", name="Petugas Gerai", position="Staf", unit=sub)
    key, plain = UnitApiKey.issue(unit.unit, "e-Kinerja")
    sub_key, sub_plain = UnitApiKey.issue(sub, "Mesin gerai")
    db.session.add_all([sub, staff, key, sub_key])
    db.session.commit()
    path = f"/api/v1/staff/{staff.nip}/satisfaction?period=2026-Q3"
    answer = client.get(path, headers={"X-API-Key": plain})
    assert answer.status_code == 200
    assert answer.json["officer_score"]["n"] == 0  # no responses yet: evidence of nothing
    assert answer.json["casemix"] == {"available": False, "reason": "no responses"}
    up = client.get(f"/api/v1/staff/{unit.officers[0].nip}/satisfaction",
                    headers={"X-API-Key": sub_plain})
    assert (up.status_code, up.json["error"]) == (403, "forbidden_staff")


def test_another_units_key_sees_none_of_its_officers(client, db, unit):
    key, plain = UnitApiKey.issue(unit.other_unit_officer.unit, "Mesin unit lain")
    db.session.add(key)
    db.session.commit()
    for officer in unit.officers:
        answer = client.get(f"/api/v1/staff/{officer.nip}/satisfaction",
                            headers={"X-API-Key": plain})
        assert answer.status_code == 403
