"""What a text typed by a unit for the portal must not name: an officer of the organization
(the portal never names an officer, DESIGN §6). Contacts and identity numbers are found by
`surveys.complaints.rules.has_personal_data`; this needs the staff list, hence the database."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.models import Staff, Unit


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "


def names_an_officer(session: Session, unit: Unit, text: str) -> bool:
    """Whether `text` holds the full name of an officer of the unit's organization (as whole
    words, any case). Names of one word are left out: many are ordinary words too ("Indah",
    "Setia"), and would refuse innocent text."""
    words = _words(text)
    names = session.scalars(select(Staff.name).join(Unit, Unit.id == Staff.unit_id)
                            .where(Unit.organization_id == unit.organization_id))
    return any(name.count(" ") > 2 and name in words for name in map(_words, names))
