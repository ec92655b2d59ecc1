"""Publishing a unit's period through the service, as a manager would (tests of the public pages):
prepared at a moment after the period, published after the review."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from surveys.models import Publication, RoleGrant, Unit, User
from surveys.periods import Period
from surveys.publishing import service


def admin(db) -> User:
    """The admin account that publishes (made on first use)."""
    found = db.session.scalars(select(User).where(User.username == "admin.publikasi")).first()
    if found is None:
        found = User(username="admin.publikasi", display_name="Admin Publikasi",
                     grants=[RoleGrant(role="admin")])
        found.set_password("rahasia-uji-123")
        db.session.add(found)
        db.session.flush()
    return found


def prepare(db, unit: Unit, period_code: str, after_days: int = 1) -> Publication:
    """A committed draft frozen `after_days` after the period's end (a moment in the past of
    any test that publishes it)."""
    end = Period.parse(period_code).end
    now = datetime.combine(end, time(1), tzinfo=UTC) + timedelta(days=after_days)
    row = service.prepare(db.session, admin(db), unit, period_code, now)
    db.session.commit()
    return row


def publish(db, unit: Unit, period_code: str, after_days: int = 1) -> Publication:
    """The period prepared, then published the day after its review closes."""
    row = prepare(db, unit, period_code, after_days)
    moment = datetime.combine(row.review_until, time(1), tzinfo=UTC) + timedelta(days=1)
    service.publish(db.session, admin(db), row, moment)
    db.session.commit()
    return row


def correct(db, row: Publication, reason: str) -> Publication:
    moment = row.published_at + timedelta(days=3)
    new = service.correct(db.session, admin(db), row, reason, moment)
    db.session.commit()
    return new
