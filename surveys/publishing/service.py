"""Preparing, reviewing, publishing and correcting a unit's results for a period (DESIGN §6).

A manager of the unit (or an admin) prepares a draft: the public figures frozen now. The draft is
open for a factual-accuracy review of `REVIEW_WORKING_DAYS` working days, in which the unit and
the forum remark on it; after the last day of the review the manager publishes it. A correction
of a published version is a new, published version with its reason; the old one stays
readable as superseded. Every step is in the audit log. Services flush, never commit.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from surveys import audit
from surveys.errors import PublicationRefused
from surveys.frozen import canonical_sha256
from surveys.models import Publication, PublicationComment, Unit, User
from surveys.organization import grants
from surveys.periods import Period, after_working_days, local_day
from surveys.publishing.snapshot import build_snapshot

REVIEW_WORKING_DAYS = 10
TEXT_MAX = 2000
ENTITY = "publication"
FIELDS = ("unit_id", "period", "version", "status", "snapshot_sha256", "review_until",
          "published_at", "supersedes_id", "correction_reason")


def _text(value, field: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if any((ord(c) < 0x20 and c not in "\n\r\t") or ord(c) == 0x7F for c in text):
        raise PublicationRefused("control", field)
    if not text:
        raise PublicationRefused("required", field)
    if len(text) > TEXT_MAX:
        raise PublicationRefused("too_long", field)
    return text


def versions(session: Session, unit: Unit, period_code: str) -> list[Publication]:
    """Every version of the unit's publication for the period, the newest first."""
    return list(session.scalars(select(Publication).where(
        Publication.unit_id == unit.id, Publication.period == period_code)
        .order_by(Publication.version.desc())))


def _freeze(session: Session, unit: Unit, period: Period, now: datetime) -> tuple[dict, str]:
    snapshot = build_snapshot(session, unit, period, now)
    return snapshot, canonical_sha256(snapshot)


def _log(session: Session, actor: User, action: str, row: Publication, before: dict | None,
         reason: str | None = None) -> None:
    audit.record(session, actor=actor, action=action, entity=ENTITY, entity_id=row.id,
                 unit_id=row.unit_id, before=before, after=audit.values(row, *FIELDS),
                 reason=reason)


def prepare(session: Session, actor: User, unit: Unit, period_code: str, now: datetime,
            review_days: int = REVIEW_WORKING_DAYS) -> Publication:
    """A draft of the period's figures as of `now`, open for review. A draft prepared again
    is refrozen (its review starts over); a published period is corrected, not prepared."""
    grants.require_manager(session, actor, unit)
    period = Period.parse(period_code)  # InvalidPeriod for a bad code
    existing = versions(session, unit, period.code)
    if existing and existing[0].status != "draft":
        raise PublicationRefused("published", "period")
    snapshot, digest = _freeze(session, unit, period, now)
    review_until = after_working_days(local_day(now, unit.timezone), review_days)
    if existing:
        row = existing[0]
        before = audit.values(row, *FIELDS)
        row.snapshot, row.snapshot_sha256, row.prepared_at = snapshot, digest, now
        row.prepared_by_id, row.review_until = actor.id, review_until
        session.flush()
        _log(session, actor, "refreeze", row, before)
        return row
    row = Publication(unit_id=unit.id, unit=unit, period=period.code, version=1, status="draft",
                      snapshot=snapshot, snapshot_sha256=digest, prepared_by_id=actor.id,
                      prepared_at=now, review_until=review_until)
    session.add(row)
    session.flush()
    _log(session, actor, "prepare", row, None)
    return row


def remark(session: Session, actor: User, row: Publication, body, now: datetime,
           label: str | None = None) -> PublicationComment:
    """A factual-accuracy remark on a draft in its review (by the unit's people or the forum,
    whom the web layer lets in)."""
    if row.status != "draft":
        raise PublicationRefused("not_draft")
    if local_day(now, row.unit.timezone) > row.review_until:
        raise PublicationRefused("review_closed")
    comment = PublicationComment(publication=row, author_id=actor.id,
                                 author_label=(label or actor.display_name or actor.username)[:120],
                                 body=_text(body, "body"), created_at=now)
    session.add(comment)
    session.flush()
    audit.record(session, actor=actor, action="remark", entity=ENTITY, entity_id=row.id,
                 unit_id=row.unit_id, after={"author_label": comment.author_label,
                                             "body": comment.body})
    return comment


def publish(session: Session, actor: User, row: Publication, now: datetime) -> None:
    """The draft becomes what the public sees, once its review is over."""
    grants.require_manager(session, actor, row.unit)
    if row.status != "draft":
        raise PublicationRefused("not_draft")
    if local_day(now, row.unit.timezone) <= row.review_until:
        raise PublicationRefused("in_review")
    before = audit.values(row, *FIELDS)
    row.status, row.published_by_id, row.published_at = "published", actor.id, now
    session.flush()
    _log(session, actor, "publish", row, before)


def correct(session: Session, actor: User, row: Publication, reason, now: datetime) -> Publication:
    """A new published version of the period's figures as of `now`, with its reason; the
    corrected version stays readable as superseded."""
    grants.require_manager(session, actor, row.unit)
    if row.status != "published":
        raise PublicationRefused("not_published")
    text = _text(reason, "reason")
    before = audit.values(row, *FIELDS)
    row.status = "superseded"
    session.flush()
    _log(session, actor, "supersede", row, before, text)
    snapshot, digest = _freeze(session, row.unit, Period.parse(row.period), now)
    version = 1 + session.scalar(select(func.max(Publication.version)).where(
        Publication.unit_id == row.unit_id, Publication.period == row.period))
    new = Publication(unit_id=row.unit_id, unit=row.unit, period=row.period, version=version,
                      status="published", snapshot=snapshot, snapshot_sha256=digest,
                      prepared_by_id=actor.id, prepared_at=now, review_until=row.review_until,
                      published_by_id=actor.id, published_at=now, supersedes_id=row.id,
                      correction_reason=text)
    session.add(new)
    session.flush()
    _log(session, actor, "correct", new, None, text)
    return new
