"""People and their scoped role grants (DESIGN §3, §6): create, edit, deactivate and reactivate
users, reset a password, add and remove grants. Only admins call these (app/admin/people.py);
every change writes one audit row in the same transaction. Functions flush, never commit."""
from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from surveys import audit
from surveys.db import row_by_id
from surveys.errors import AccountRefused
from surveys.models import ROLES, RoleGrant, Staff, Unit, User
from surveys.organization.accounts import MIN_PASSWORD_LENGTH, end_sessions

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,79}")
MAX_EVALUATED = 100  # officers named in one evaluator form
USER_FIELDS = ("username", "display_name", "active", "must_change_password")


def users(session: Session) -> list[User]:
    """Every account, active first, by username, with grants and linked staff loaded."""
    query = (select(User).options(selectinload(User.grants).selectinload(RoleGrant.unit),
                                  selectinload(User.grants).selectinload(RoleGrant.staff),
                                  selectinload(User.staff))
             .order_by(User.active.desc(), User.username))
    return list(session.scalars(query))


def user_by_id(session: Session, user_id: int) -> User | None:
    return row_by_id(session, User, user_id)


def _staff(session: Session, nip: str, field: str) -> Staff:
    nip = (nip or "").strip()
    staff = session.scalars(select(Staff).where(Staff.nip == nip)).one_or_none() if nip else None
    if staff is None:
        raise AccountRefused("staff_unknown", field, nip[:40])
    return staff


def _linked_elsewhere(session: Session, user: User | None, staff: Staff) -> bool:
    """Whether another account is already this officer (linked, or holding their staff grant)."""
    others = select(User.id).where(User.staff_id == staff.id).union(
        select(RoleGrant.user_id).where(RoleGrant.role == "staff", RoleGrant.staff_id == staff.id))
    return any(user_id != (user.id if user else None) for user_id in session.scalars(others))


def _check_password(password: str, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountRefused("weak_password", field)


def user_values(user: User) -> dict:
    """A user as their audit rows show them (the pegawai by NIP; never a password hash)."""
    return {**audit.values(user, *USER_FIELDS), "nip": user.staff.nip if user.staff else None}


def _display_name(name: str, fallback: str) -> str:
    name = " ".join((name or "").split())
    if len(name) > 200:
        raise AccountRefused("name_too_long", "display_name")
    return name or fallback


def _unit_of(user: User) -> int | None:
    """The unit a user's audit rows belong to (their pegawai's), for managers' view of the log."""
    return user.staff.unit_id if user.staff is not None else None


def create_user(session: Session, actor: User | None, *, username: str, display_name: str,
                password: str, nip: str = "", must_change_password: bool = True) -> User:
    """A new account, optionally linked to a pegawai by NIP; it has no grant yet. An account an
    admin made must choose its own password at its first sign-in."""
    username = (username or "").strip()
    if not USERNAME.fullmatch(username):
        raise AccountRefused("username_invalid", "username")
    if session.scalar(select(func.count()).select_from(User)
                      .where(func.lower(User.username) == username)):
        raise AccountRefused("username_taken", "username", username)
    _check_password(password)
    staff = _staff(session, nip, "nip") if (nip or "").strip() else None
    if staff is not None and _linked_elsewhere(session, None, staff):
        raise AccountRefused("staff_taken", "nip", staff.nip)
    user = User(username=username, display_name=_display_name(display_name, username),
                staff=staff, must_change_password=must_change_password)
    user.set_password(password)
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="create", entity="user", entity_id=user.id,
                 unit_id=_unit_of(user), after=user_values(user))
    return user


def update_user(session: Session, actor: User | None, user: User, *, display_name: str,
                nip: str = "") -> bool:
    """Renames the user and links (or unlinks) their pegawai; False when nothing changed."""
    before = user_values(user)
    staff = _staff(session, nip, "nip") if (nip or "").strip() else None
    if staff is not None and _linked_elsewhere(session, user, staff):
        raise AccountRefused("staff_taken", "nip", staff.nip)
    own_grant = next((g for g in user.grants if g.role == "staff"), None)
    if own_grant is not None and (staff is None or own_grant.staff_id != staff.id):
        raise AccountRefused("staff_grant_mismatch", "nip")
    if staff is not None and staff.id in {g.staff_id for g in user.grants if g.role == "evaluator"}:
        raise AccountRefused("self_evaluation", "nip", staff.nip)
    user.display_name = _display_name(display_name, user.username)
    user.staff = staff
    session.flush()
    after = user_values(user)
    if not audit.changed(before, after):
        return False
    audit.record(session, actor=actor, action="update", entity="user", entity_id=user.id,
                 unit_id=_unit_of(user), before=before, after=after)
    return True


def _active_admins(session: Session) -> set[int]:
    query = (select(User.id).join(RoleGrant).where(RoleGrant.role == "admin", User.active))
    return set(session.scalars(query))


def set_active(session: Session, actor: User | None, user: User, active: bool) -> bool:
    """Deactivates (every session ends, sign-in refused; the row stays for the log) or
    reactivates a user. Nobody deactivates themselves, nor the last active admin."""
    if user.active == active:
        return False
    if not active and actor is not None and actor.id == user.id:
        raise AccountRefused("self_deactivate")
    if not active and _active_admins(session) == {user.id}:
        raise AccountRefused("last_admin")
    before = user_values(user)
    user.active = active
    if not active:
        end_sessions(session, user)
    session.flush()
    audit.record(session, actor=actor, action="reactivate" if active else "deactivate",
                 entity="user", entity_id=user.id, unit_id=_unit_of(user), before=before,
                 after=user_values(user))
    return True


def reset_password(session: Session, actor: User | None, user: User, password: str) -> None:
    """A temporary password the admin passes on: the user's sessions end and their next sign-in
    must choose a new one. The log says it happened, never the password or its hash."""
    _check_password(password)
    before = user_values(user)
    user.set_password(password)
    user.must_change_password = True
    end_sessions(session, user)
    audit.record(session, actor=actor, action="reset_password", entity="user",
                 entity_id=user.id, unit_id=_unit_of(user), before=before,
                 after=user_values(user))


def grant_values(grant: RoleGrant) -> dict:
    """A grant as its audit row shows it: whose, which role, scoped to which unit or officer."""
    return {"user": grant.user.username, "role": grant.role,
            "unit": grant.unit.code if grant.unit else None,
            "staff": grant.staff.nip if grant.staff else None}


def _grant_unit(grant: RoleGrant) -> int | None:
    return grant.unit_id if grant.unit is not None else grant.staff.unit_id if grant.staff else None


def _new_grant(session: Session, actor: User | None, user: User, role: str, *,
               unit: Unit | None = None, staff: Staff | None = None) -> RoleGrant:
    if any(g.role == role and g.unit_id == (unit.id if unit else None)
           and g.staff_id == (staff.id if staff else None) for g in user.grants):
        raise AccountRefused("grant_exists", "nips" if staff else "unit",
                             staff.nip if staff else unit.code if unit else role)
    grant = RoleGrant(role=role, unit=unit, staff=staff)
    user.grants.append(grant)
    session.flush()
    audit.record(session, actor=actor, action="grant", entity="role_grant", entity_id=grant.id,
                 unit_id=_grant_unit(grant), after=grant_values(grant))
    return grant


def _nip_list(nips: str | Iterable[str]) -> list[str]:
    items = nips.replace(",", " ").split() if isinstance(nips, str) else [n.strip() for n in nips]
    return list(dict.fromkeys(item for item in items if item))


def add_grants(session: Session, actor: User | None, user: User, role: str, *,
               unit_code: str = "", nips: str | Iterable[str] = "") -> list[RoleGrant]:
    """Grants `role` to `user` with its scope: admin none; unit_manager the unit `unit_code`;
    evaluator one grant per officer in `nips` (never themselves); staff their own pegawai (the
    linked one, or the one NIP given, which then becomes the link). One audit row per grant."""
    if role not in ROLES:
        raise AccountRefused("role_unknown", "role")
    if role == "admin":
        return [_new_grant(session, actor, user, role)]
    if role == "unit_manager":
        code = (unit_code or "").strip()
        unit = session.scalars(select(Unit).where(Unit.code == code)).one_or_none() if code else None
        if unit is None:
            raise AccountRefused("unit_unknown", "unit", code[:40])
        return [_new_grant(session, actor, user, role, unit=unit)]
    listed = _nip_list(nips)
    if role == "evaluator":
        if not listed:
            raise AccountRefused("nips_missing", "nips")
        if len(listed) > MAX_EVALUATED:
            raise AccountRefused("nips_too_many", "nips")
        officers = [_staff(session, nip, "nips") for nip in listed]
        for officer in officers:
            if officer.id == user.staff_id:
                raise AccountRefused("self_evaluation", "nips", officer.nip)
        return [_new_grant(session, actor, user, role, staff=officer) for officer in officers]
    if len(listed) > 1:
        raise AccountRefused("staff_one", "nips")
    staff = _staff(session, listed[0], "nips") if listed else user.staff
    if staff is None:
        raise AccountRefused("staff_unlinked", "nips")
    if user.staff is not None and user.staff.id != staff.id:
        raise AccountRefused("staff_grant_mismatch", "nips", staff.nip)
    if _linked_elsewhere(session, user, staff):
        raise AccountRefused("staff_taken", "nips", staff.nip)
    if any(g.role == "evaluator" and g.staff_id == staff.id for g in user.grants):
        raise AccountRefused("self_evaluation", "nips", staff.nip)
    user.staff = staff
    return [_new_grant(session, actor, user, role, staff=staff)]


def remove_grant(session: Session, actor: User | None, user: User, grant_id: int) -> RoleGrant:
    """Removes one of `user`'s grants (its audit row keeps what it was); never the last active
    admin's admin grant."""
    grant = next((g for g in user.grants if g.id == grant_id), None)
    if grant is None:
        raise AccountRefused("grant_unknown")
    if grant.role == "admin" and _active_admins(session) == {user.id}:
        raise AccountRefused("last_admin")
    before, unit_id = grant_values(grant), _grant_unit(grant)
    user.grants.remove(grant)
    session.flush()
    audit.record(session, actor=actor, action="revoke", entity="role_grant", entity_id=grant_id,
                 unit_id=unit_id, before=before)
    return grant


def create_with_role(session: Session, *, username: str, display_name: str, password: str,
                     role: str, unit_code: str = "", nip: str = "",
                     evaluates: Iterable[str] = ()) -> User:
    """`flask users create`: an account and its one role (an operator types the password, so no
    forced change); `nip` links the pegawai, `evaluates` names an evaluator's officers."""
    user = create_user(session, None, username=username, display_name=display_name,
                       password=password, nip=nip, must_change_password=False)
    add_grants(session, None, user, role, unit_code=unit_code,
               nips=evaluates if role == "evaluator" else ([nip] if nip else []))
    return user
