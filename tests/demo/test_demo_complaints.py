"""The demo's complaints (issue 14): every demo unit has one waiting, one being handled and one
closed with a published reply; one complaint is past its due day; the closed ones' public replies
are on the unit pages and nothing private (contact, private reply) is."""
from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from surveys.complaints.rules import is_overdue
from surveys.demo.load import load_demo
from surveys.models import Complaint, ReplyRequest, Unit

TODAY = date(2026, 12, 2)


def test_every_demo_unit_has_complaints_in_every_status_and_one_is_overdue(app, db):
    load_demo(db.session, TODAY)
    db.session.commit()
    units = list(db.session.scalars(select(Unit).order_by(Unit.id)))
    rows = list(db.session.scalars(select(Complaint)))
    by_unit = {unit.id: Counter(row.status for row in rows if row.unit_id == unit.id)
               for unit in units}
    for unit in units:
        assert set(by_unit[unit.id]) == {"baru", "diproses", "selesai"}, unit.code
    late = {row.id for row in rows if is_overdue(row.status, row.due_on, TODAY)}
    oldest_open = min((row for row in rows if row.unit_id == units[0].id and row.status == "baru"),
                      key=lambda row: row.received_at)
    assert oldest_open.id in late, "the first unit's old complaint waits past its due day"
    assert any(row.status != "selesai" and row.id not in late for row in rows), \
        "an open complaint still within its due day"
    assert all(row.reply and row.public_reply for row in rows if row.status == "selesai")
    contacts = set(db.session.scalars(select(ReplyRequest.contact)))
    client = app.test_client()
    for unit in units:
        page = client.get(f"/unit/{unit.code}").text
        assert "Masukan tentang antrean" in page  # its published reply
        assert not any(contact in page for contact in contacts)
        assert "Terima kasih atas masukan Anda. Kami sudah" not in page  # the private reply
