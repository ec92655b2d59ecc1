"""GET /api/v1/evaluations?unit=CODE&period=P: a unit key lists the shared and final records of
its unit's officers (and its sub-units'), every version, with the evidence exactly as frozen and
a digest anyone can verify; drafts, other periods and other units stay out (SQLite, PostgreSQL)."""
from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import select

from surveys.models import Staff, UnitApiKey, User
from tests.access.cast import USERNAMES, cast
from tests.api.records import file_keberatan, make_record
from tests.evaluations.data import CURRENT, PREVIOUS, rate_officers, rate_one

PATH = "/api/v1/evaluations"


def user(db, role: str) -> User:
    return db.session.scalars(select(User).where(User.username == USERNAMES[role])).one()


def key_of(db, unit) -> str:
    key, plain = UnitApiKey.issue(unit, "e-Kinerja")
    db.session.add(key)
    db.session.commit()
    return plain


@pytest.fixture
def world(db):
    """The cast with rated officers and records: the evaluated officer's Q3 record corrected
    (v1 with a decided keberatan, v2), the own officer's shared, a colleague's draft, one in the
    sub-unit, one in the other unit, and a Q2 record."""
    people = cast(db)
    rate_officers(db, people)
    evaluator, officer = user(db, "evaluator"), user(db, "staff")
    colleague = db.session.scalars(select(Staff).where(Staff.name == "Rekan 0")).one()
    in_sub = Staff(nip="199912122020121007", name="Petugas Kecamatan", position="Staf",
                   unit=people.sub)
    db.session.add(in_sub)
    first = make_record(db.session, people.evaluated, CURRENT, evaluator, hasil="sesuai",
                        perilaku="di_bawah")
    file_keberatan(db.session, first, officer, decision="dikabulkan")
    make_record(db.session, people.evaluated, CURRENT, evaluator, supersedes=first,
                hasil="sesuai", perilaku="sesuai")
    make_record(db.session, people.own, CURRENT, evaluator, status="shared")
    make_record(db.session, colleague, CURRENT, evaluator, status="draft")
    make_record(db.session, in_sub, CURRENT, evaluator, hasil="di_atas", perilaku="di_atas")
    make_record(db.session, people.unit.other_unit_officer, CURRENT, evaluator)
    make_record(db.session, people.evaluated, PREVIOUS, evaluator)
    db.session.commit()
    people.names["key"] = key_of(db, people.unit.unit)
    return people


def listed(client, key: str, **query) -> list[tuple[str, int, str]]:
    answer = client.get(PATH, query_string=query, headers={"X-API-Key": key})
    assert answer.status_code == 200, answer.json
    return [(r["nip"], r["version"], r["status"]) for r in answer.json["records"]]


def digest(evidence: dict) -> str:
    text = json.dumps(evidence, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_unit_key_lists_shared_and_final_versions_of_its_tree(client, db, world):
    key = world.names["key"]
    answer = client.get(PATH, query_string={"unit": "dukcapil", "period": CURRENT},
                        headers={"X-API-Key": key})
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "private, no-store"
    body = answer.json
    assert (body["unit"], body["period"], body["from"], body["to"]) == (
        "dukcapil", CURRENT, "2026-07-01", "2026-09-30")
    assert body["statuses"] == ["shared", "final"]
    got = {(r["nip"], r["version"], r["status"]) for r in body["records"]}
    assert got == {(world.evaluated.nip, 1, "final"), (world.evaluated.nip, 2, "final"),
                   (world.own.nip, 1, "shared"), ("199912122020121007", 1, "final")}
    records = {(r["nip"], r["version"]): r for r in body["records"]}
    v1, v2 = records[(world.evaluated.nip, 1)], records[(world.evaluated.nip, 2)]
    assert (v1["supersedes_version"], v2["supersedes_version"]) == (None, 1)
    assert v2["correction_reason"]
    assert (v1["predikat"], v2["predikat"]) == ("Kurang/Misconduct", "Baik")
    assert (v2["hasil_rating"], v2["perilaku_rating"]) == ("sesuai", "sesuai")
    assert v1["keberatan"] == [{"filed_at": "2026-10-10T03:00:00Z", "decision": "dikabulkan",
                                "decision_note": "Sudah dipertimbangkan kembali.",
                                "decided_at": "2026-10-15T03:00:00Z"}]
    assert "reasons" not in v1["keberatan"][0]  # the officer's own words stay in the system
    assert v2["keberatan"] == [] and v2["finalized_at"] == "2026-10-07T03:00:00Z"
    assert records[(world.own.nip, 1)]["finalized_at"] is None
    for record in body["records"]:
        assert record["evidence_sha256"] == digest(record["evidence"])
        assert record["evidence"]["officer"]["nip"] == record["nip"]
        assert record["evidence"]["pulled_at"] == "2026-10-05T03:00:00+00:00"
    assert v2["evidence"]["officer_score"]["n"] == 120


def test_frozen_evidence_comes_back_unchanged_after_new_responses(client, db, world):
    key = world.names["key"]
    before = client.get(PATH, query_string={"unit": "dukcapil", "period": CURRENT},
                        headers={"X-API-Key": key}).json["records"]
    rate_one(db, world.evaluated, 30)
    after = client.get(PATH, query_string={"unit": "dukcapil", "period": CURRENT},
                       headers={"X-API-Key": key}).json["records"]
    assert after == before
    live = client.get(f"/api/v1/staff/{world.evaluated.nip}/satisfaction",
                      query_string={"period": CURRENT}, headers={"X-API-Key": key}).json
    assert live["officer_score"]["n"] == 150  # the live evidence moved on, the records did not


def test_a_sub_unit_and_a_period_narrow_the_list(client, db, world):
    key = world.names["key"]
    assert listed(client, key, unit="dukcapil-kec", period=CURRENT) == [
        ("199912122020121007", 1, "final")]
    assert listed(client, key, unit="dukcapil", period=PREVIOUS) == [
        (world.evaluated.nip, 1, "final")]
    assert listed(client, key, unit="dukcapil", period="2026") == []  # a year is its own period
    other = key_of(db, world.other)
    assert listed(client, other, unit=world.other.code, period=CURRENT) == [
        (world.unit.other_unit_officer.nip, 1, "final")]


@pytest.mark.parametrize("query, status, code", [
    ({"period": CURRENT}, 400, "missing_unit"),
    ({"unit": "", "period": CURRENT}, 400, "missing_unit"),
    ({"unit": "dukcapil", "period": "2026-Q5"}, 400, "invalid_period"),
    ({"unit": "tidak-ada", "period": CURRENT}, 404, "unknown_unit"),
    ({"unit": "duk\x00capil", "period": CURRENT}, 404, "unknown_unit"),
    ({"unit": "x" * 10_000, "period": CURRENT}, 404, "unknown_unit"),
    ({"unit": "dukcapil-lain", "period": CURRENT}, 403, "forbidden_unit"),
])
def test_bad_or_foreign_units_are_clear_json_errors(client, world, query, status, code):
    answer = client.get(PATH, query_string=query, headers={"X-API-Key": world.names["key"]})
    assert (answer.status_code, answer.json["error"]) == (status, code)
    assert answer.json["message"]


def test_a_sub_units_key_cannot_read_its_parent(client, db, world):
    key = key_of(db, world.sub)
    answer = client.get(PATH, query_string={"unit": "dukcapil", "period": CURRENT},
                        headers={"X-API-Key": key})
    assert (answer.status_code, answer.json["error"]) == (403, "forbidden_unit")


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "swk_salah"}, {"X-API-Key": "x" * 500}])
def test_no_or_a_wrong_key_is_401(client, world, headers):
    answer = client.get(PATH, query_string={"unit": "dukcapil", "period": CURRENT},
                        headers=headers)
    assert (answer.status_code, answer.json["error"]) == (401, "invalid_api_key")
