"""Who may see and change an evaluation record (DESIGN §5, §6).

The officer's evaluator (an "evaluator" grant on that staff member) and admins edit it; the
officer sees their own shared and final versions, never a draft; the atasan pejabat penilai
(an "atasan" grant on that officer) sees the officer's non-draft records and decides the
keberatan addressed to them. Everyone else sees nothing.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.models import EvaluationRecord, Keberatan, RoleGrant, User
from surveys.organization import grants


def atasan_staff_ids(user: User) -> set[int]:
    """The officers `user` is atasan pejabat penilai of."""
    return {grant.staff_id for grant in user.grants if grant.role == "atasan"}


def may_evaluate(user: User, staff_id: int) -> bool:
    """Whether `user` may open and edit this officer's records: their evaluator or an admin."""
    return grants.is_admin(user) or staff_id in grants.evaluated_staff_ids(user)


def is_officer(user: User, record: EvaluationRecord) -> bool:
    return grants.own_staff_id(user) == record.staff_id


def addressed_to(user: User, record: EvaluationRecord) -> bool:
    """Whether a keberatan on `record` is addressed to `user`: the atasan named in the
    record's snapshot who still holds the atasan grant on that officer (a snapshot without a
    user id, e.g. made by hand, falls back to the grant alone)."""
    if record.staff_id not in atasan_staff_ids(user) or record.atasan_snapshot is None:
        return False
    named = record.atasan_snapshot.get("user_id")
    return named is None or named == user.id


def may_view(user: User, record: EvaluationRecord) -> bool:
    """Whether `user` may read this version (its page or its PDF)."""
    if may_evaluate(user, record.staff_id):
        return True
    if record.status == "draft":
        return False
    return is_officer(user, record) or record.staff_id in atasan_staff_ids(user)


def atasan_user(session: Session, staff_id: int) -> User | None:
    """The user holding an atasan grant on the officer (the earliest grant), or None."""
    return session.scalars(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.role == "atasan", RoleGrant.staff_id == staff_id, User.active)
        .order_by(RoleGrant.id)).first()


def evaluator_user(session: Session, staff_id: int) -> User | None:
    """The user holding an evaluator grant on the officer (the earliest grant), or None."""
    return session.scalars(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.role == "evaluator", RoleGrant.staff_id == staff_id, User.active)
        .order_by(RoleGrant.id)).first()


def keberatan_for(session: Session, user: User) -> list[Keberatan]:
    """The keberatan addressed to `user` as atasan, newest first; nobody else's."""
    staff_ids = atasan_staff_ids(user)
    if not staff_ids:
        return []
    rows = session.scalars(select(Keberatan).join(EvaluationRecord).where(
        EvaluationRecord.staff_id.in_(staff_ids)).order_by(Keberatan.filed_at.desc(),
                                                           Keberatan.id.desc()))
    return [row for row in rows if addressed_to(user, row.record)]
