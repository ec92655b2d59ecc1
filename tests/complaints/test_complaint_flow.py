"""A complaint from the citizen's form to the unit's inbox, a reply, a published reply and the
citizen's tracking page (issue 14, must-show 5): the contact stays with the unit, a public reply
with a phone number is refused, an overdue complaint shows as overdue in the inbox, on the
dashboard and to the citizen. Clocks are the pages' `utcnow`, moved with monkeypatch."""
from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.admin import complaints as inbox_pages
from app.admin import dashboard as dashboard_page
from app.public import complaints as track_page
from surveys.db import utcnow
from surveys.models import AuditEvent, Complaint, User
from tests.access.cast import cast, client_as
from tests.factories import full_answers, hidden_fields

CONTACT = "0812-3456-7890"
COMMENT = "Antrean loket 1 sangat lama, tolong tambah petugas."


def text(answer) -> str:
    return html.unescape(answer.get_data(as_text=True))


def submit(client, code: str, *, comment: str | None = COMMENT, contact: str | None = CONTACT):
    """Answers the form of touchpoint `code`; the receipt number shown on the thanks page."""
    fields = hidden_fields(client.get(f"/s/{code}").text)
    form = {**fields, **full_answers(2)}
    if comment is not None:
        form["COMMENT"] = comment
    if contact is not None:
        form.update(reply_wanted="1", reply_contact=contact)
    posted = client.post(f"/s/{code}", data=form)
    assert posted.status_code == 303, posted.text
    thanks = client.get(posted.location)
    return re.search(r'id="receipt">([^<]+)<', thanks.text).group(1)


def token(client, path: str) -> str:
    return hidden_fields(client.get(path).text)["csrf_token"]


def post(client, path: str, **fields):
    page = path.rsplit("/", 1)[0]
    return client.post(path, data={"csrf_token": token(client, page), **fields})


@pytest.fixture
def office(db):
    return cast(db)


def complaints(db) -> list[Complaint]:
    db.session.expire_all()
    return list(db.session.scalars(select(Complaint).order_by(Complaint.id)))


def at(monkeypatch, moment) -> None:
    for module in (inbox_pages, dashboard_page, track_page):
        monkeypatch.setattr(module, "utcnow", lambda: moment)


def test_only_a_comment_that_asks_for_a_reply_reaches_the_inbox(app, db, office):
    code = office.names["counter_code"]
    submit(app.test_client(), code, contact=None)
    submit(app.test_client(), code, comment=None)
    assert complaints(db) == []
    submit(app.test_client(), code)
    (row,) = complaints(db)
    assert row.status == "baru" and row.unit_id == office.unit.unit.id
    received = row.received_at.date()
    # Five working days (Monday to Friday) after the day it came in.
    day, left = received, 5
    while left:
        day += timedelta(days=1)
        left -= day.weekday() < 5
    assert abs((row.due_on - day).days) <= 1  # the unit's day (WITA) may be the next UTC day


def test_a_complaint_flows_to_a_reply_a_published_reply_and_the_citizen_sees_it(app, db, office):
    code = office.names["counter_code"]
    receipt = submit(app.test_client(), code)
    manager = client_as(app, "manager")
    unit = office.unit.unit.code
    inbox = text(manager.get(f"/admin/unit/{unit}/pengaduan"))
    (row,) = complaints(db)
    assert f'id="pengaduan-{row.id}"' in inbox and "Antrean loket 1" in inbox
    assert CONTACT not in inbox  # the contact is only on the complaint's own page
    case_path = f"/admin/unit/{unit}/pengaduan/{row.id}"
    case = text(manager.get(case_path))
    assert CONTACT in case and COMMENT in case
    assert "Menunggu balasan: 1 komentar" in text(manager.get(f"/admin/unit/{unit}"))

    citizen = app.test_client()
    tracked = text(citizen.get("/lacak", query_string={"nomor": receipt.lower()}))
    assert "Diterima, menunggu ditangani" in tracked and "Belum ada balasan." in tracked

    handler = db.session.scalar(select(User).where(User.username == "manajer"))
    assert post(manager, f"{case_path}/penanggung-jawab", handler=str(handler.id)).status_code == 303
    assert post(manager, f"{case_path}/status", status="selesai").status_code == 409  # no reply yet
    reply = "Terima kasih. Mulai pekan depan loket 1 dilayani dua petugas."
    assert post(manager, f"{case_path}/balasan", reply=reply).status_code == 303
    assert post(manager, f"{case_path}/status", status="selesai").status_code == 303
    refused = post(manager, f"{case_path}/publikasi",
                   public_reply="Hubungi kami di 0812 3456 7890 untuk antrean.")
    assert refused.status_code == 400 and "tidak boleh memuat" in text(refused)
    public = "Loket 1 kini dilayani dua petugas pada jam sibuk."
    assert post(manager, f"{case_path}/publikasi", public_reply=public).status_code == 303
    (row,) = complaints(db)
    assert (row.status, row.handler_id, row.reply, row.public_reply) == (
        "selesai", handler.id, reply, public)
    assert "Menunggu balasan: 0 komentar" in text(manager.get(f"/admin/unit/{unit}"))
    assert [event.action for event in db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "complaint").order_by(AuditEvent.id))] == [
        "assign", "reply", "status", "publish_reply"]

    tracked = text(citizen.get("/lacak", query_string={"nomor": receipt}))
    assert "Selesai" in tracked and reply in tracked and public in tracked
    assert "www.lapor.go.id" in tracked
    portal = text(citizen.get(f"/unit/{unit}"))
    assert public in portal
    for private in (reply, CONTACT, COMMENT, receipt, "Maria Ndun"):
        assert private not in portal

    withdrawn = post(manager, f"{case_path}/tarik")
    assert withdrawn.status_code == 303
    assert public not in text(citizen.get(f"/unit/{unit}"))


def test_an_overdue_complaint_shows_as_overdue_to_the_unit_and_the_citizen(app, db, office,
                                                                             monkeypatch):
    receipt = submit(app.test_client(), office.names["counter_code"])
    (row,) = complaints(db)
    unit = office.unit.unit.code
    manager = client_as(app, "manager")
    on_time = text(manager.get(f"/admin/unit/{unit}/pengaduan?status=terlambat"))
    assert 'class="overdue"' not in on_time and "Tidak ada pengaduan dengan status ini." in on_time
    at(monkeypatch, utcnow() + timedelta(days=10))  # two weeks on: past five working days
    late = text(manager.get(f"/admin/unit/{unit}/pengaduan?status=terlambat"))
    assert f'id="pengaduan-{row.id}" class="overdue"' in late
    assert "Terbuka: 1 · terlambat: 1" in late
    board = text(manager.get(f"/admin/unit/{unit}"))
    assert "Pengaduan terbuka: 1, di antaranya 1 terlambat." in board
    assert "Terlambat: batas balasan sudah lewat." in text(
        app.test_client().get("/lacak", query_string={"nomor": receipt}))


@pytest.mark.parametrize("nomor", ["SW-0000-0000-0000", "x" * 5000, "SW-\x00", "' OR 1=1 --",
                                   "SW-7K3M-9QX2-4HTP"])
def test_an_unknown_or_malformed_receipt_gets_one_message_and_404(app, db, office, nomor):
    answer = app.test_client().get("/lacak", query_string={"nomor": nomor})
    assert answer.status_code == 404
    assert "Nomor tanda terima ini tidak kami temukan" in text(answer)
    assert answer.headers["Cache-Control"] == "no-store"


def test_hostile_input_on_the_complaint_pages_is_refused_with_a_message(app, db, office):
    submit(app.test_client(), office.names["counter_code"])
    (row,) = complaints(db)
    unit = office.unit.unit.code
    manager = client_as(app, "manager")
    case_path = f"/admin/unit/{unit}/pengaduan/{row.id}"
    assert manager.get(f"/admin/unit/{unit}/pengaduan?status=semua-nya").status_code == 400
    assert manager.get(f"/admin/unit/{unit}/pengaduan?status={'x' * 5000}").status_code == 400
    for handler in ("99999999999999999999", "-1", "abc", str(office.other.id * 1000 + 7)):
        refused = post(manager, f"{case_path}/penanggung-jawab", handler=handler)
        assert refused.status_code == 400 and "Pilih penanggung jawab" in text(refused)
    for bad in ("", " \n ", "x" * 2001, "balasan\x00"):
        assert post(manager, f"{case_path}/balasan", reply=bad).status_code == 400
    assert post(manager, f"{case_path}/status", status="hilang").status_code == 400
    assert post(manager, f"{case_path}/tarik").status_code == 409  # nothing published
    assert manager.get(f"/admin/unit/{unit}/pengaduan/99999999999999999999").status_code == 404
    (after,) = complaints(db)
    assert (after.status, after.handler_id, after.reply) == ("baru", None, None)


def test_another_units_manager_cannot_see_or_change_a_complaint(app, db, office):
    submit(app.test_client(), office.names["counter_code"])
    (row,) = complaints(db)
    unit, other = office.unit.unit.code, office.other.code
    stranger = client_as(app, "other_manager")
    assert stranger.get(f"/admin/unit/{unit}/pengaduan").status_code == 403
    assert stranger.get(f"/admin/unit/{unit}/pengaduan/{row.id}").status_code == 403
    # Through their own unit, another unit's complaint does not exist.
    assert stranger.get(f"/admin/unit/{other}/pengaduan/{row.id}").status_code == 404
    anonymous = app.test_client().get(f"/admin/unit/{unit}/pengaduan")
    assert anonymous.status_code == 302 and "/auth/masuk" in anonymous.location
    staff = client_as(app, "staff")
    assert staff.get(f"/admin/unit/{unit}/pengaduan/{row.id}").status_code == 403
