"""The demo's publications (issue 14): every unit's ended quarters published after their review,
Disdukcapil's 2026-Q3 corrected as version 2 (its population had been mistyped), and the quarter
under way as a draft in its review. Made through the publishing service, as a manager would."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.demo.units import demo_units
from surveys.models import Population, Unit, User
from surveys.periods import Period
from surveys.publishing import service

CORRECTED_UNIT, CORRECTED_PERIOD = "kupang-dukcapil", "2026-Q3"
MISTYPED_BY = 10  # the first version read the population with one zero too many
CORRECTION = ("Jumlah pengguna layanan triwulan III salah ketik pada versi 1 (satu angka nol "
              "berlebih); target sampel Krejcie–Morgan dan interval dihitung ulang.")


def _moment(day: date, zone: str, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _mistyped(session: Session, unit: Unit, period: str) -> Population | None:
    """Multiplies the unit's population of `period` by MISTYPED_BY (undone by the caller)."""
    row = session.scalars(select(Population).where(
        Population.unit_id == unit.id, Population.period == period)).one_or_none()
    if row is not None:
        row.size *= MISTYPED_BY
        session.flush()
    return row


def load_publications(session: Session, admin: User | None, periods: tuple[str, ...],
                      now: datetime) -> int:
    """Publishes each ended period of `periods` for every demo unit, leaves the one under way
    as a draft; returns the number of versions made."""
    if admin is None:
        return 0
    made = 0
    units = demo_units(session)
    for unit in units:
        for code in periods:
            period = Period.parse(code)
            if _moment(period.start, unit.timezone, 0) > now:
                continue  # not begun
            prepared_at = _moment(period.end, unit.timezone)
            if prepared_at > now:  # under way: a draft of the figures so far, in review
                service.prepare(session, admin, unit, code, now)
                made += 1
                continue
            corrected = unit.code == CORRECTED_UNIT and code == CORRECTED_PERIOD
            wrong = _mistyped(session, unit, code) if corrected else None
            row = service.prepare(session, admin, unit, code, prepared_at)
            made += 1
            published_at = _moment(row.review_until + timedelta(days=1), unit.timezone)
            if published_at <= now:
                service.publish(session, admin, row, published_at)
            if wrong is not None:
                wrong.size //= MISTYPED_BY
                session.flush()
                if published_at + timedelta(days=7) <= now:
                    service.correct(session, admin, row, CORRECTION,
                                    published_at + timedelta(days=7))
                    made += 1
    return made
