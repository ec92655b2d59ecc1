"""Co-workers of the access tables' evaluated officer, and rounds opened on them through the
service, as the evaluator of the cast opens them."""
from __future__ import annotations

from sqlalchemy import select

from surveys.evaluations import coworker
from surveys.models import Staff, User

NAMES = ("Agustina Rekanita", "Benediktus Sejawat", "Cornelia Kolegawati", "Dominggus Mitrano")
NIPS = ("198101012006041001", "198202022007042002", "198303032008041003", "198404042009042004")
PERIOD = "2026-Q3"


def add_coworkers(db, cast, count: int = 4) -> list[Staff]:
    """`count` active staff of the evaluated officer's unit, with names easy to grep for."""
    people = [Staff(nip=nip, name=name, position="Staf Pelayanan", unit=cast.unit.unit)
              for name, nip in zip(NAMES[:count], NIPS[:count], strict=True)]
    db.session.add_all(people)
    db.session.commit()
    return people


def user(db, username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def open_round(db, cast, invitees, period: str = PERIOD, by: str = "penilai"):
    """A committed round on the evaluated officer; returns (round id, {invitee id: token})."""
    opened = coworker.open_round(db.session, user(db, by), cast.evaluated, period,
                                 [s.id for s in invitees])
    db.session.commit()
    return opened.round.id, {staff.id: token for staff, token in opened.links}


def answer_all(db, tokens, rows) -> None:
    """Each token answers with the matching row (a dict of behaviour → value, 'comment' too)."""
    for token, row in zip(tokens, rows, strict=False):
        values = {k: str(v) for k, v in row.items() if k != "comment"}
        coworker.answer(db.session, token, values, row.get("comment"))
        db.session.commit()
