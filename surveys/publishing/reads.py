"""What the public reads: published snapshots only, never live figures (DESIGN §6). Only reads."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.models import Publication, Unit

PUBLIC_STATUSES = ("published", "superseded")


def utc_text(moment) -> str:
    """An aware UTC time as the API writes times: seconds, ending in Z."""
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def latest_published(session: Session, unit_ids: list[int]) -> dict[int, Publication]:
    """Each unit's most recently published current version (of any period), by unit id."""
    rows = session.scalars(select(Publication).where(
        Publication.unit_id.in_(unit_ids), Publication.status == "published")
        .order_by(Publication.unit_id, Publication.published_at.desc(), Publication.id.desc()))
    latest: dict[int, Publication] = {}
    for row in rows:
        latest.setdefault(row.unit_id, row)
    return latest


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
