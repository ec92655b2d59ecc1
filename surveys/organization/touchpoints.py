"""Use cases of a unit's QR touchpoints: who may manage which unit, listing, creating, revoking,
reissuing (each change with its audit row), and exporting the codes and posters to files.
Functions flush, never commit."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import case, select
from sqlalchemy.orm import Session, selectinload

from surveys import audit
from surveys.db import utcnow
from surveys.errors import AlreadyReplaced, NotAllowed, TouchpointNotFound, UnitNotFound
from surveys.models import Counter, Organization, Staff, Touchpoint, Unit, User
from surveys.exchange.posters import Poster, posters_pdf
from surveys.organization.grants import can_manage, managed_unit_ids
from surveys.exchange.qr import qr_png, qr_svg, survey_url

MANAGER_ROLES = ("admin", "unit_manager")


def manageable_units(session: Session, user: User) -> list[Unit]:
    """Units `user` may manage: every unit for an admin; a manager's units and their sub-units."""
    unit_ids = managed_unit_ids(session, user)
    query = select(Unit).join(Unit.organization).order_by(Organization.name, Unit.name)
    return list(session.scalars(query.where(Unit.id.in_(unit_ids)))) if unit_ids else []


def managed_unit(session: Session, user: User, code: str) -> Unit:
    """The unit `code` if `user` may manage it; UnitNotFound or NotAllowed otherwise."""
    if "\x00" in code:  # PostgreSQL text holds no NUL: no unit has it, and asking would fail
        raise UnitNotFound(code)
    unit = session.scalars(select(Unit).where(Unit.code == code)).one_or_none()
    if unit is None:
        raise UnitNotFound(code)
    if can_manage(session, user, unit):
        return unit
    raise NotAllowed(code)


def unit_touchpoints(
    session: Session, unit: Unit, *, active_only: bool = False
) -> list[Touchpoint]:
    """The unit's touchpoints: active first, then counters (by code) before personal codes."""
    query = (
        select(Touchpoint)
        .outerjoin(Touchpoint.counter)
        .outerjoin(Touchpoint.staff)
        .where(Touchpoint.unit_id == unit.id)
        .options(selectinload(Touchpoint.counter), selectinload(Touchpoint.staff),
                 selectinload(Touchpoint.unit))
        .order_by(
            case((Touchpoint.revoked_at.is_(None), 0), else_=1),
            case((Touchpoint.kind == "counter", 0), (Touchpoint.kind == "kiosk", 1), else_=2),
            Counter.code, Staff.name, Touchpoint.id,
        )
    )
    if active_only:
        query = query.where(Touchpoint.revoked_at.is_(None))
    return list(session.scalars(query))


def unit_touchpoint(session: Session, unit: Unit, touchpoint_id: int) -> Touchpoint:
    """One touchpoint of `unit`; TouchpointNotFound when it belongs to another unit or none."""
    touchpoint = session.get(Touchpoint, touchpoint_id)
    if touchpoint is None or touchpoint.unit_id != unit.id:
        raise TouchpointNotFound(str(touchpoint_id))
    return touchpoint


TOUCHPOINT_FIELDS = ("kind", "public_code", "counter_id", "staff_id", "revoked_at")


def _record(session: Session, actor: User | None, action: str, touchpoint: Touchpoint,
            before: dict | None) -> None:
    audit.record(session, actor=actor, action=action, entity="touchpoint",
                 entity_id=touchpoint.id, unit_id=touchpoint.unit_id, before=before,
                 after=audit.values(touchpoint, *TOUCHPOINT_FIELDS))


def _retire(session: Session, touchpoint: Touchpoint, now: datetime | None) -> bool:
    """Marks the code revoked; whether it was active before."""
    if touchpoint.revoked_at is not None:
        return False
    touchpoint.revoked_at = now or utcnow()
    session.flush()
    return True


def revoke(session: Session, touchpoint: Touchpoint, now: datetime | None = None, *,
           actor: User | None = None) -> Touchpoint:
    """Retire a code: its posters then lead to a polite "no longer in use" page. Idempotent."""
    before = audit.values(touchpoint, *TOUCHPOINT_FIELDS)
    if _retire(session, touchpoint, now):
        _record(session, actor, "revoke", touchpoint, before)
    return touchpoint


def revoke_where(session: Session, actor: User | None, *conditions) -> None:
    """Revokes every active code matching `conditions`: a closed unit, counter or officer
    collects no more answers."""
    query = select(Touchpoint).where(*conditions, Touchpoint.revoked_at.is_(None))
    for touchpoint in session.scalars(query):
        revoke(session, touchpoint, actor=actor)


def _active_twin(session: Session, touchpoint: Touchpoint) -> Touchpoint | None:
    """Another active code for the same counter (and kind) or the same officer."""
    return session.scalars(
        select(Touchpoint).where(
            Touchpoint.id != touchpoint.id,
            Touchpoint.unit_id == touchpoint.unit_id,
            Touchpoint.kind == touchpoint.kind,
            Touchpoint.counter_id.is_(None) if touchpoint.counter_id is None
            else Touchpoint.counter_id == touchpoint.counter_id,
            Touchpoint.staff_id.is_(None) if touchpoint.staff_id is None
            else Touchpoint.staff_id == touchpoint.staff_id,
            Touchpoint.revoked_at.is_(None),
        ).limit(1)
    ).first()


def reissue(session: Session, touchpoint: Touchpoint, now: datetime | None = None, *,
            actor: User | None = None) -> Touchpoint:
    """A new code for the same counter or officer, replacing this one (revoked if still active).

    Refuses (AlreadyReplaced) a revoked code whose target already has another active code,
    so a counter never ends up with two live posters by accident. One audit row, 'reissue',
    with the old code before and the new one after.
    """
    if touchpoint.revoked_at is not None and _active_twin(session, touchpoint) is not None:
        raise AlreadyReplaced(touchpoint.public_code)
    before = audit.values(touchpoint, *TOUCHPOINT_FIELDS)
    _retire(session, touchpoint, now)
    fresh = Touchpoint(kind=touchpoint.kind, unit_id=touchpoint.unit_id,
                       counter_id=touchpoint.counter_id, staff_id=touchpoint.staff_id)
    session.add(fresh)
    session.flush()
    _record(session, actor, "reissue", fresh, before)
    return fresh


def create_touchpoint(session: Session, actor: User | None, unit: Unit, kind: str, *,
                      counter_id: int | None = None, staff_id: int | None = None) -> Touchpoint:
    """A new code of `kind` (counter, kiosk, staff) for an active counter or officer of `unit`.

    Raises TouchpointNotFound for a counter or officer that is not the unit's (or inactive),
    AlreadyReplaced when that counter (kind) or officer already has an active code.
    """
    if kind == "staff":
        target = session.get(Staff, staff_id) if staff_id else None
        counter_id = None
    else:
        target = session.get(Counter, counter_id) if counter_id else None
        staff_id = None
    if kind not in ("counter", "kiosk", "staff") or target is None \
            or target.unit_id != unit.id or not target.active:
        raise TouchpointNotFound(f"{kind}:{counter_id or staff_id}")
    touchpoint = Touchpoint(kind=kind, unit_id=unit.id, counter_id=counter_id, staff_id=staff_id)
    if _active_twin(session, touchpoint) is not None:
        raise AlreadyReplaced(kind)
    session.add(touchpoint)
    session.flush()
    _record(session, actor, "create", touchpoint, None)
    return touchpoint


def place_name(touchpoint: Touchpoint) -> str:
    """Where the code hangs, in Bahasa Indonesia: the counter, the kiosk, or the officer."""
    if touchpoint.kind == "staff" and touchpoint.staff is not None:
        return f"Petugas: {touchpoint.staff.name}"
    name = touchpoint.counter.name if touchpoint.counter is not None else "?"
    return f"Kios di {name}" if touchpoint.kind == "kiosk" else name


def unit_posters(unit: Unit, touchpoints: list[Touchpoint], base: str) -> list[Poster]:
    """One poster per active counter code of the unit, in the given order."""
    return [
        Poster(unit.name, place_name(touchpoint), survey_url(base, touchpoint.public_code))
        for touchpoint in touchpoints
        if touchpoint.kind == "counter" and touchpoint.active
    ]


def unit_posters_pdf(session: Session, unit: Unit, base: str, size: str) -> bytes | None:
    """All counter posters of `unit` in one PDF, or None when it has no active counter code."""
    posters = unit_posters(unit, unit_touchpoints(session, unit, active_only=True), base)
    if not posters:
        return None
    return posters_pdf(posters, size, title=f"Poster QR {unit.name}")


_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def _safe(text: str) -> str:
    return _UNSAFE.sub("-", text).strip("-.") or "x"


def file_stem(touchpoint: Touchpoint) -> str:
    """A file name for a touchpoint's code, e.g. `loket-L1-AbC123xyz`."""
    if touchpoint.kind == "staff":
        target = touchpoint.staff.nip if touchpoint.staff is not None else "petugas"
        prefix = "petugas"
    else:
        target = touchpoint.counter.code if touchpoint.counter is not None else "loket"
        prefix = "kios" if touchpoint.kind == "kiosk" else "loket"
    return f"{prefix}-{_safe(target)}-{_safe(touchpoint.public_code)}"


@dataclass(frozen=True)
class ExportedUnit:
    unit: Unit
    files: list[Path]


def export_qr_files(
    session: Session, out_dir: Path, base: str, size: str, unit_code: str | None = None
) -> list[ExportedUnit]:
    """Per active touchpoint a PNG and an SVG, per unit one PDF of all its counter posters.

    Files go to `out_dir/<unit code>/`. Raises UnitNotFound for an unknown `unit_code`.
    """
    query = select(Unit).order_by(Unit.code)
    if unit_code is not None:
        query = query.where(Unit.code == unit_code)
    units = list(session.scalars(query))
    if unit_code is not None and not units:
        raise UnitNotFound(unit_code)
    exported = []
    for unit in units:
        touchpoints = unit_touchpoints(session, unit, active_only=True)
        if not touchpoints:
            exported.append(ExportedUnit(unit, []))
            continue
        folder = out_dir / _safe(unit.code)
        folder.mkdir(parents=True, exist_ok=True)
        files: list[Path] = []
        for touchpoint in touchpoints:
            url = survey_url(base, touchpoint.public_code)
            for suffix, content in ((".png", qr_png(url)), (".svg", qr_svg(url))):
                path = folder / (file_stem(touchpoint) + suffix)
                path.write_bytes(content)
                files.append(path)
        posters = unit_posters(unit, touchpoints, base)
        if posters:
            path = folder / f"poster-{_safe(unit.code)}-{size}.pdf"
            path.write_bytes(posters_pdf(posters, size, title=f"Poster QR {unit.name}"))
            files.append(path)
        exported.append(ExportedUnit(unit, files))
    return exported
