"""The audit log page `/admin/audit`: admins read every event, unit managers their units' events
(changes to the units they manage and their sub-units; sign-ins belong to no unit). Filters by
entity, action, actor and date (UTC); newest first, 100 a page."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.admin import bp
from app.admin.routes import manager_only
from app.auth.access import current_user
from app.extensions import db
from surveys import audit
from surveys.models import AuditEvent, Unit
from surveys.organization import grants

PAGE = 100
ACTIONS = {"create": _l("dibuat"), "update": _l("diubah"), "deactivate": _l("dinonaktifkan"),
           "reactivate": _l("diaktifkan kembali"), "revoke": _l("dicabut"),
           "grant": _l("peran diberikan"), "reset_password": _l("kata sandi diatur ulang"),
           "change_password": _l("kata sandi diganti"), "sign_in": _l("masuk"),
           "sign_in_failed": _l("gagal masuk")}
ENTITIES = {"user": _l("pengguna"), "role_grant": _l("peran"), "unit": _l("unit"),
            "service": _l("layanan"), "counter": _l("loket"), "staff": _l("pegawai"),
            "touchpoint": _l("kode QR")}


def _text(name: str, limit: int = 200) -> str | None:
    value = (request.args.get(name) or "").strip()
    if len(value) > limit:
        abort(400, description=_("Isian penyaring terlalu panjang."))
    return value or None


def _day(name: str) -> date | None:
    value = _text(name, 10)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(400, description=_("Tanggal tidak dikenal. Tulis seperti 2026-11-23."))


def _filters() -> dict:
    """The query string's filters, checked; a bad one is a 400 with its reason."""
    since, until = _day("dari"), _day("sampai")
    if since and until and until < since:
        abort(400, description=_("Tanggal akhir lebih awal dari tanggal mulai."))
    before = _text("sebelum", 12)
    if before is not None and not (before.isascii() and before.isdigit()):
        abort(400, description=_("Halaman log tidak dikenal."))
    return {"entity": _text("entitas", 40), "action": _text("tindakan", 40),
            "actor": _text("pelaku"),
            "since": datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None,
            "until": (datetime(until.year, until.month, until.day, tzinfo=UTC)
                      + timedelta(days=1)) if until else None,
            "before_id": int(before) if before else None}


def _distinct(column) -> list[str]:
    return list(db.session.scalars(select(column).distinct().order_by(column)))


@bp.get("/audit")
@manager_only
def audit_log():
    user = current_user()
    unit_ids = None if grants.is_admin(user) else grants.managed_unit_ids(db.session, user)
    filters = _filters()
    events = audit.events(db.session, unit_ids=unit_ids, limit=PAGE, **filters)
    ids = {event.unit_id for event in events if event.unit_id is not None}
    units = {unit_id: code for unit_id, code in
             db.session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(ids)))}
    query = {name: request.args[name] for name in ("entitas", "tindakan", "pelaku", "dari", "sampai")
             if request.args.get(name)}
    older = {**query, "sebelum": events[-1].id} if len(events) == PAGE else None
    return render_template("admin/audit/log.html", events=events, units=units, query=query,
                           older=older, actions=ACTIONS, entities=ENTITIES,
                           entity_options=_distinct(AuditEvent.entity),
                           action_options=_distinct(AuditEvent.action),
                           everything=unit_ids is None)
