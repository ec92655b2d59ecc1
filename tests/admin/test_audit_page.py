"""The audit log page: an admin reads and filters every event, a unit manager only their units'
(and sub-units') events; bad filters are a 400 with a message, never a 500."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from surveys import audit
from surveys.models import Unit
from tests.access.cast import cast, client_as


@pytest.fixture
def logged(db):
    """The cast, and one event in each of the manager's unit, its sub-unit and another unit."""
    people = cast(db)
    for unit, name in ((people.unit.unit, "Loket Utama"), (people.sub, "Loket Kecamatan"),
                       (people.other, "Loket Lain")):
        audit.record(db.session, actor=None, action="create", entity="counter", entity_id=unit.id,
                     unit_id=unit.id, after={"name": name})
    db.session.commit()
    return people


def rows(page: str) -> str:
    """The log table's body (the filters' options name every action too)."""
    return page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""


def test_admin_sees_everything_including_sign_ins(app, logged):
    page = rows(client_as(app, "admin").get("/admin/audit").text)
    assert "Loket Utama" in page and "Loket Kecamatan" in page and "Loket Lain" in page
    assert "masuk" in page and "admin" in page  # its own sign-in is the newest row


def test_a_manager_sees_only_their_units_and_sub_units(app, logged):
    page = rows(client_as(app, "manager").get("/admin/audit").text)
    assert "Loket Utama" in page and "Loket Kecamatan" in page
    assert "Loket Lain" not in page
    assert "gagal masuk" not in page and "penilai" not in page  # sign-ins belong to no unit
    other = rows(client_as(app, "other_manager").get("/admin/audit").text)
    assert "Loket Lain" in other and "Loket Utama" not in other


def test_filters_by_entity_action_actor_and_date(app, db, logged):
    client = client_as(app, "admin")
    by_entity = rows(client.get("/admin/audit?entitas=counter").text)
    assert by_entity.count('id="event-') == 3 and " masuk" not in by_entity
    by_action = rows(client.get("/admin/audit?tindakan=sign_in&pelaku=admin").text)
    assert by_action.count('id="event-') == 1 and "pengguna #" in by_action
    assert rows(client.get("/admin/audit?pelaku=penilai").text) == ""
    today = datetime.now(UTC).date().isoformat()
    assert "Loket Utama" in client.get(f"/admin/audit?dari={today}&sampai={today}").text
    assert "Tidak ada kejadian" in client.get("/admin/audit?sampai=2000-01-01").text


@pytest.mark.parametrize("query", ["dari=kemarin", "dari=2026-02-30", "sampai=" + "9" * 50,
                                   "dari=2026-05-02&sampai=2026-05-01", "sebelum=abc",
                                   "pelaku=" + "x" * 5000])
def test_bad_filters_are_400_with_a_message(app, logged, query):
    refused = client_as(app, "admin").get(f"/admin/audit?{query}")
    assert refused.status_code == 400
    assert "Permintaan tidak dapat diproses." not in refused.text  # a specific message


def test_older_events_are_a_page_away(app, db, logged):
    unit_id = db.session.get(Unit, logged.unit.unit.id).id
    for number in range(120):
        audit.record(db.session, actor=None, action="update", entity="counter",
                     unit_id=unit_id, after={"name": f"Nama {number:03d}"})
    db.session.commit()
    client = client_as(app, "manager")
    first = client.get("/admin/audit").text
    assert "Nama 119" in first and "Nama 019" not in first
    link = first.split('href="/admin/audit?sebelum=')[1].split('"')[0]
    older = client.get(f"/admin/audit?sebelum={link}").text
    assert "Nama 019" in older and "Nama 119" not in older
