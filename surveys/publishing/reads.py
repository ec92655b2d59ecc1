"""What the public reads: published snapshots only, never live figures (DESIGN §6). Only reads."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.compare import Comparison, compare_periods
from surveys.models import Publication, Unit
from surveys.periods import Period

PUBLIC_STATUSES = ("published", "superseded")


def utc_text(moment) -> str:
    """An aware UTC time as the API writes times: seconds, ending in Z."""
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _order(row: Publication) -> tuple:
    return _order_of(row.period)


def current(session: Session, unit: Unit, period_code: str) -> Publication | None:
    """What the public sees for the unit and period: its published version, if any."""
    return session.scalars(select(Publication).where(
        Publication.unit_id == unit.id, Publication.period == period_code,
        Publication.status == "published")).one_or_none()


def published_rows(session: Session, unit: Unit) -> list[Publication]:
    """The current version of each period the unit has published, the latest period (by its
    last day, then its first) first."""
    rows = session.scalars(select(Publication).where(
        Publication.unit_id == unit.id, Publication.status == "published"))
    return sorted(rows, key=_order, reverse=True)


def published_periods(session: Session, unit: Unit) -> list[str]:
    """The periods the unit has published, the latest first: the default period of its public
    page and API."""
    return [row.period for row in published_rows(session, unit)]


def previous_of(rows: list[Publication], period_code: str) -> Publication | None:
    """Among `published_rows`, the one published for the period before `period_code`."""
    codes = [row.period for row in rows]
    at = codes.index(period_code) if period_code in codes else None
    return rows[at + 1] if at is not None and at + 1 < len(rows) else None


def change(previous: Publication | None, row: Publication) -> Comparison | None:
    """The IKM's change from the previous published period to `row`, compared from the two
    frozen snapshots (Welch on each index's se): None when either has no index or no se."""
    if previous is None:
        return None
    a, b = previous.snapshot, row.snapshot
    if not (a.get("index") and b.get("index") and a["index"].get("se") and b["index"].get("se")):
        return None
    try:
        return compare_periods((a["index"]["ikm_exact"], a["index"]["se"], a["respondents"]),
                               (b["index"]["ikm_exact"], b["index"]["se"], b["respondents"]))
    except ValueError:
        return None


def public_versions(session: Session, unit: Unit, period_code: str) -> list[Publication]:
    """The period's published and superseded versions, the newest first (drafts are not public)."""
    return list(session.scalars(select(Publication).where(
        Publication.unit_id == unit.id, Publication.period == period_code,
        Publication.status.in_(PUBLIC_STATUSES)).order_by(Publication.version.desc())))


HEADLINE_INDEX = ("ikm", "ikm_exact", "ci95", "mutu", "grade", "caution")


def headlines(session: Session, unit_ids: list[int]) -> dict[int, list[dict]]:
    """Each unit's published periods as headlines (the figures a list of units shows), the
    latest period first: [] is "tidak ada data". Reads a few fields out of each snapshot, not
    the snapshots, so a portal of many units and periods stays light."""
    snapshot = Publication.snapshot
    rows = session.execute(select(
        Publication.unit_id, Publication.period, Publication.version, Publication.published_at,
        snapshot["respondents"], snapshot["target"], snapshot["below_target"].as_boolean(),
        snapshot["index"],  # a small object; SQLite's JSON reads booleans back only whole
    ).where(Publication.unit_id.in_(unit_ids), Publication.status == "published"))
    out: dict[int, list[dict]] = {unit_id: [] for unit_id in unit_ids}
    for unit_id, period, version, published_at, respondents, target, below, index in rows:
        out[unit_id].append({
            "period": period, "version": version, "published_at": utc_text(published_at),
            "respondents": respondents, "target": target, "below_target": bool(below),
            "index": None if index is None else {key: index[key] for key in HEADLINE_INDEX}})
    for entries in out.values():
        entries.sort(key=lambda entry: _order_of(entry["period"]), reverse=True)
    return out


def _order_of(period_code: str) -> tuple:
    period = Period.parse(period_code)
    return period.end, period.start
