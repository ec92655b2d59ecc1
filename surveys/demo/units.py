"""The demo organization's units read back from the database, in the order they were made: what
the loaders that come after the directory (publications, forum, complaints) walk over."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.demo.truth import ORGANIZATION
from surveys.models import Organization, Unit


def demo_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).join(Organization).where(
        Organization.code == ORGANIZATION[0]).order_by(Unit.id)))
