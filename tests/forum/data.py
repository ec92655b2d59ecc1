"""Forum test data: the access cast's unit with one recorded session, its decisions and actions,
made through the service as the cast's manager (committed)."""
from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

from sqlalchemy import select

from surveys.forum import service
from surveys.models import AuditEvent, FollowUpAction, ForumSession, User
from tests.factories import hidden_fields

NOW = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)  # Monday 5 October 2026, 10:00 WITA
HELD_ON = date(2026, 9, 10)
COUNTS = {"masyarakat": 12, "tokoh": 2, "akademisi": 1, "media": 0, "lsm": 1, "unit": 4,
          "lainnya": 0}


def user(db, username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def record(db, unit, by: str = "manajer", **changes) -> ForumSession:
    values = {"held_on": HELD_ON, "place": "Aula kantor", "participants": COUNTS,
              "points": "Antrean panjang\nPapan persyaratan kurang jelas", "now": NOW}
    values.update(changes)
    row = service.record_session(db.session, user(db, by), unit, **values)
    db.session.commit()
    return row


def add_action(db, decision, by: str = "manajer", **changes) -> FollowUpAction:
    values = {"what": "Memasang papan persyaratan", "who": "Kepala Seksi Pelayanan",
              "due_on": date(2026, 10, 30), "status": "rencana", "evidence": None, "now": NOW}
    values.update(changes)
    row = service.add_action(db.session, user(db, by), decision, **values)
    db.session.commit()
    return row


def forum_with_actions(db, unit):
    """A session with two decisions; the first has an action, the second none."""
    forum = record(db, unit)
    first = service.add_decision(db.session, user(db, "manajer"), forum, "Memasang papan")
    second = service.add_decision(db.session, user(db, "manajer"), forum, "Menambah loket")
    db.session.commit()
    action = add_action(db, first)
    return forum, first, second, action


def audit_rows(db, entity: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.entity == entity)
                                   .order_by(AuditEvent.id)))


def token(client) -> str:
    return hidden_fields(client.get("/auth/akun").text)["csrf_token"]


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_errors(page: str, field_id: str) -> list[str]:
    """The messages the page shows under the field with this id."""
    return [html.unescape(m) for m in re.findall(
        rf'<p class="err" id="e-{re.escape(field_id)}">(.*?)</p>', page, re.S)]
