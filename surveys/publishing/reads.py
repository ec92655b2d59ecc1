"""What the public reads: published snapshots only, never live figures (DESIGN §6). Only reads."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.models import Publication, Unit
from surveys.periods import Period

PUBLIC_STATUSES = ("published", "superseded")


def utc_text(moment) -> str:
    """An aware UTC time as the API writes times: seconds, ending in Z."""
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def latest_published(session: Session, unit_ids: list[int]) -> dict[int, Publication]:
    """Each unit's current version of its latest published period (by the period's last day,
    then its first, as `published_periods`), by unit id."""
    latest: dict[int, Publication] = {}
    for row in session.scalars(select(Publication).where(
            Publication.unit_id.in_(unit_ids), Publication.status == "published")):
        held = latest.get(row.unit_id)
        if held is None or _order(row) > _order(held):
            latest[row.unit_id] = row
    return latest


def _order(row: Publication) -> tuple:
    period = Period.parse(row.period)
    return period.end, period.start


def current(session: Session, unit: Unit, period_code: str) -> Publication | None:
    """What the public sees for the unit and period: its published version, if any."""
    return session.scalars(select(Publication).where(
        Publication.unit_id == unit.id, Publication.period == period_code,
        Publication.status == "published")).one_or_none()


def published_periods(session: Session, unit: Unit) -> list[str]:
    """The periods the unit has published, the latest (by its last day, then its first) first:
    the default period of its public page and API."""
    rows = session.scalars(select(Publication).where(
        Publication.unit_id == unit.id, Publication.status == "published"))
    return [row.period for row in sorted(rows, key=_order, reverse=True)]


def public_versions(session: Session, unit: Unit, period_code: str) -> list[Publication]:
    """The period's published and superseded versions, the newest first (drafts are not public)."""
    return list(session.scalars(select(Publication).where(
        Publication.unit_id == unit.id, Publication.period == period_code,
        Publication.status.in_(PUBLIC_STATUSES)).order_by(Publication.version.desc())))


def headline(row: Publication | None) -> dict | None:
    """The few figures a list of units shows for a publication (or None: "tidak ada data")."""
    if row is None:
        return None
    snapshot = row.snapshot
    index = snapshot.get("index")
    return {
        "period": row.period, "version": row.version,
        "published_at": utc_text(row.published_at),
        "respondents": snapshot["respondents"], "target": snapshot.get("target"),
        "below_target": snapshot.get("below_target", False),
        "index": None if index is None else {
            key: index[key] for key in ("ikm", "ci95", "mutu", "grade", "caution")},
    }
