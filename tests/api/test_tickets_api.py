"""POST /api/v1/tickets: a per-unit key issues one-time tokens and writes nothing."""
from __future__ import annotations

import io

import pytest
import qrcode
from sqlalchemy import func, select

from surveys.db import db as _db
from surveys.db import utcnow
from surveys.models import Touchpoint, Unit, UnitApiKey


def all_rows(db) -> dict[str, int]:
    db.session.expire_all()
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in _db.metadata.sorted_tables}


def post(client, body, key=None, **kwargs):
    headers = {"X-API-Key": key} if key is not None else {}
    return client.post("/api/v1/tickets", json=body, headers=headers, **kwargs)


def test_issuing_returns_a_token_and_writes_nothing(client, db, unit, api_key):
    before = all_rows(db)
    answer = post(client, {"touchpoint": unit.counter_code, "officer": unit.officers[0].nip,
                           "service": "kk"}, api_key)
    assert answer.status_code == 201, answer.json
    body = answer.json
    assert all_rows(db) == before
    assert body["url"] == f"http://localhost/t/{body['token']}"
    assert (body["touchpoint"], body["officer"], body["service"]) == (
        unit.counter_code, unit.officers[0].nip, "kk")
    assert body["expires_at"].endswith("Z")
    assert client.get(body["url"]).status_code == 200  # the survey form opens
    # The QR is a PNG of the survey URL: the same image qrcode draws for that URL.
    png = client.get(body["qr_png"])
    assert png.status_code == 200 and png.mimetype == "image/png"
    expected = io.BytesIO()
    qrcode.make(body["url"], box_size=6, border=2).save(expected, format="PNG")
    assert png.data == expected.getvalue()
    assert client.get(body["print_url"]).status_code == 200


def test_two_tickets_are_different(client, unit, api_key):
    tokens = {post(client, {"touchpoint": unit.counter_code}, api_key).json["token"]
              for _ in range(2)}
    assert len(tokens) == 2


@pytest.mark.parametrize("key", [None, "", "swk_salah", "x" * 500])
def test_missing_or_wrong_key_is_401(client, unit, api_key, key):
    answer = post(client, {"touchpoint": unit.counter_code}, key)
    assert answer.status_code == 401
    assert answer.json["error"] == "invalid_api_key"
    assert "X-API-Key" in answer.json["message"]


def test_revoked_key_is_401(client, db, unit, api_key):
    key = db.session.scalars(select(UnitApiKey)).one()
    key.revoked_at = utcnow()
    db.session.commit()
    assert post(client, {"touchpoint": unit.counter_code}, api_key).status_code == 401


def test_touchpoint_of_another_unit_is_403(client, db, unit, api_key):
    other = db.session.scalars(select(Unit).where(Unit.code == "dukcapil-lain")).one()
    touchpoint = Touchpoint(kind="staff", unit=other, staff=unit.other_unit_officer)
    db.session.add(touchpoint)
    db.session.commit()
    answer = post(client, {"touchpoint": touchpoint.public_code}, api_key)
    assert answer.status_code == 403
    assert answer.json["error"] == "forbidden_touchpoint"


def test_bad_json_is_400(client, unit, api_key):
    for data in ("{not json", "[1, 2]", '"teks"'):
        answer = client.post("/api/v1/tickets", data=data, content_type="application/json",
                             headers={"X-API-Key": api_key})
        assert answer.status_code == 400
        assert answer.json["error"] == "invalid_json"


@pytest.mark.parametrize("body, field, problem", [
    ({}, "touchpoint", "required"),
    ({"touchpoint": "tidak-ada"}, "touchpoint", "unknown"),
    ({"touchpoint": 12}, "touchpoint", "invalid"),
    ({"touchpoint": "x" * 65}, "touchpoint", "invalid"),
    ({"touchpoint": "a\x00b"}, "touchpoint", "invalid"),
    ({"touchpoint": "CODE", "officer": "198807072012011003"}, "officer", "unknown"),  # other unit
    ({"touchpoint": "CODE", "officer": ["1"]}, "officer", "invalid"),
    ({"touchpoint": "CODE", "service": "paspor"}, "service", "unknown"),
    ({"touchpoint": "CODE", "U10": 4}, "U10", "unknown_field"),
    ({"touchpoint": "PERSONAL", "officer": "198503122010011001"}, "officer", "not_this_touchpoint"),
])
def test_bad_fields_are_422_naming_the_field(client, unit, api_key, body, field, problem):
    codes = {"CODE": unit.counter_code, "PERSONAL": unit.personal_code}
    body = {name: codes.get(value, value) if isinstance(value, str) else value
            for name, value in body.items()}
    answer = post(client, body, api_key)
    assert answer.status_code == 422
    assert answer.json["fields"][field] == problem
    assert answer.json["message"]


def test_revoked_touchpoint_is_422(client, db, unit, api_key):
    touchpoint = db.session.scalars(
        select(Touchpoint).where(Touchpoint.public_code == unit.counter_code)).one()
    touchpoint.revoked_at = utcnow()
    db.session.commit()
    answer = post(client, {"touchpoint": unit.counter_code}, api_key)
    assert (answer.status_code, answer.json["fields"]) == (422, {"touchpoint": "revoked"})


def test_qr_of_a_forged_token_is_refused(client, unit, api_key):
    token = post(client, {"touchpoint": unit.counter_code}, api_key).json["token"]
    answer = client.get(f"/api/v1/tickets/{token[:-2]}xx/qr.png")
    assert answer.status_code == 400
    assert answer.json["error"] == "ticket_invalid"


def test_a_too_large_body_is_a_json_413(client, unit, api_key):
    answer = post(client, {"touchpoint": "x" * 70_000}, api_key)
    assert answer.status_code == 413
    assert answer.json["error"] == "request_entity_too_large"


def test_cli_creates_a_key_shown_once_that_the_api_accepts(runner, client, db, unit):
    result = runner.invoke(args=["apikey", "create", "--unit", "dukcapil", "--name", "Loket 1"])
    assert result.exit_code == 0, result.output
    plain = next(line for line in result.output.splitlines() if line.startswith("swk_"))
    db.session.expire_all()
    stored = db.session.scalars(select(UnitApiKey)).one()
    assert plain not in stored.key_hash  # only the hash is kept
    assert post(client, {"touchpoint": unit.counter_code}, plain).status_code == 201
    listed = runner.invoke(args=["apikey", "list"])
    assert "Loket 1" in listed.output and plain not in listed.output
    assert runner.invoke(args=["apikey", "revoke", str(stored.id)]).exit_code == 0
    assert post(client, {"touchpoint": unit.counter_code}, plain).status_code == 401
    unknown = runner.invoke(args=["apikey", "create", "--unit", "tidak-ada", "--name", "x"])
    assert unknown.exit_code != 0 and "tidak dikenal" in unknown.output
