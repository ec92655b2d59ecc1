"""What a signed-in person may see and do, from their scoped role grants (DESIGN §3, §6).

admin: everything; unit manager: their units and every sub-unit below them; evaluator: the
officers named in their grants; staff: themselves. Officers' scores are personal data: only the
officer, their evaluator and admins see them with a name.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.errors import NotAllowed
from surveys.models import Unit, User


def is_admin(user: User) -> bool:
    return user.has_role("admin")


def descendant_ids(session: Session, unit_ids: set[int]) -> set[int]:
    """`unit_ids` with every unit below them in the tree."""
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in session.execute(select(Unit.id, Unit.parent_id)):
        children.setdefault(parent_id, []).append(unit_id)
    found, stack = set(), list(unit_ids)
    while stack:
        unit_id = stack.pop()
        if unit_id not in found:
            found.add(unit_id)
            stack.extend(children.get(unit_id, ()))
    return found


def managed_unit_ids(session: Session, user: User) -> set[int]:
    """Ids of the units `user` manages: all for an admin; a manager's units and their sub-units."""
    if is_admin(user):
        return set(session.scalars(select(Unit.id)))
    granted = {grant.unit_id for grant in user.grants if grant.role == "unit_manager"}
    return descendant_ids(session, granted) if granted else set()


def can_manage(session: Session, user: User, unit: Unit) -> bool:
    return is_admin(user) or unit.id in managed_unit_ids(session, user)


def require_manager(session: Session, user: User, unit: Unit) -> None:
    """NotAllowed unless `user` manages `unit` (directly, through a parent unit, or as admin):
    the check every service that changes a unit's records makes first."""
    if not can_manage(session, user, unit):
        raise NotAllowed(unit.code)


def evaluated_staff_ids(user: User) -> set[int]:
    """The officers `user` is pejabat penilai of."""
    return {grant.staff_id for grant in user.grants if grant.role == "evaluator"}


def own_staff_id(user: User) -> int | None:
    """The staff record `user` is, from their staff grant (or the account's link)."""
    for grant in user.grants:
        if grant.role == "staff":
            return grant.staff_id
    return user.staff_id


def may_see_officer(user: User, staff_id: int) -> bool:
    """Whether `user` may see this officer's scores with their name: admin, evaluator, the officer."""
    return (is_admin(user) or staff_id in evaluated_staff_ids(user)
            or own_staff_id(user) == staff_id)


def home_unit(session: Session, user: User) -> Unit | None:
    """The unit a manager lands on: their first granted unit (by code), or None."""
    unit_ids = [grant.unit_id for grant in user.grants if grant.role == "unit_manager"]
    if not unit_ids:
        return None
    return session.scalars(select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.code)).first()
