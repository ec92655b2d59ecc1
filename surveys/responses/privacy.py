"""Keeping the form's privacy notice (UU 27/2022): a contact given for a reply is deleted when its
retention period ends; the anonymous response and its comment stay."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from surveys.models import ReplyRequest


def purge_reply_contacts(session: Session, now: datetime, retention_days: int) -> int:
    """Deletes the contacts given more than `retention_days` before `now`; returns how many.
    Flushes, never commits."""
    if retention_days < 1:
        raise ValueError("the retention period must be at least one day")
    cutoff = now - timedelta(days=retention_days)
    return session.execute(delete(ReplyRequest).where(ReplyRequest.created_at < cutoff)).rowcount
