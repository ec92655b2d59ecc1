"""API routes: one-time survey tickets for queue machines and receipt printers, the units' published
results and, with the unit's key, its officers' live citizen evidence and evaluation records.

`POST /api/v1/tickets` (header `X-API-Key`, a per-unit key from `flask apikey create`) returns a
signed one-time token, its survey URL, its expiry and where to get its QR; issuing writes nothing.
`GET /staff/{nip}/satisfaction` (live figures) folds the roll-up queue first; the public GETs read
published snapshots and `GET /evaluations` frozen records, and write nothing.
Errors are JSON `{"error": code, "message": text}` with a proper status; the OpenAPI document
(app/api/openapi.py) is served at `GET /api/v1/openapi.json`.
"""
from __future__ import annotations

import io
from datetime import date

import qrcode
from flask import current_app, g, jsonify, request, send_file
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app.api import bp
from app.errors import allow_header, message_for
from app.api.openapi import DOCUMENT
from app.extensions import db, limiter
from app.public.routes import fold_rollup_queue
from app.request_body import MAX_DEPTH, JSONRefused
from app.public.tickets import max_age
from app.urls import public_url
from surveys.db import utcnow
from surveys.errors import (
    StaffNotFound,
    NotAllowed,
    StaffOfAnotherUnit,
    TicketExpired,
    TicketForbidden,
    TicketInvalid,
    TicketRequestInvalid,
    UnitNotFound,
)
from surveys.evaluations.exports import (
    LISTED_STATUSES,
    MAX_CODE_CHARS,
    api_unit_records,
    live_evidence,
)
from surveys.models import UnitApiKey
from surveys.models.api_key import hash_api_key
from surveys.periods import InvalidPeriod, Period
from surveys.organization import directory
from surveys.publishing import reads
from surveys.reporting.service import find_unit
from surveys.responses.tickets import issue_ticket, read_ticket

API_KEY_HEADER = "X-API-Key"
FIELD_MAX_CHARS = 64
TICKET_FIELDS = ("touchpoint", "officer", "service")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    body = {"error": error.code, "message": error.message}
    if error.fields:
        body["fields"] = error.fields
    return jsonify(body), error.status


@bp.errorhandler(HTTPException)
def json_http_error(error: HTTPException):
    """Every HTTP error under /api/ is JSON, never an HTML page (also used by app/errors.py)."""
    response = jsonify({"error": error.name.lower().replace(" ", "_"),
                        "message": message_for(error)})
    return response, error.code, allow_header(error)


def _api_key() -> UnitApiKey:
    """The unit's active key named by the request's header, or 401."""
    plain = request.headers.get(API_KEY_HEADER, "")
    key = None
    if plain and len(plain) <= 200:
        key = db.session.scalars(
            select(UnitApiKey).where(UnitApiKey.key_hash == hash_api_key(plain))).one_or_none()
    if key is None or key.revoked_at is not None:
        raise ApiError(401, "invalid_api_key",
                       _("Kunci API tidak ada, salah, atau sudah dicabut (header X-API-Key)."))
    g.api_key = key
    return key


def _key_scope() -> str:
    return "apikey:" + hash_api_key(request.headers.get(API_KEY_HEADER, ""))[:16]


def _json_body():
    """The parsed JSON body, or None when it is not JSON; 400 naming the place of a string that is
    no UTF-8 text, or of nesting too deep (app/request_body.py)."""
    if not request.is_json:
        return None
    try:
        return current_app.json.loads(request.get_data())
    except JSONRefused as refused:
        if refused.code == "invalid_text":
            raise ApiError(400, refused.code, _("Isian %(field)s berisi teks yang tidak sah "
                                                "(bukan UTF-8).", field=refused.field),
                           {refused.field: refused.code}) from None
        message = _("Isi permintaan bersarang terlalu dalam (paling banyak %(depth)d tingkat).",
                    depth=MAX_DEPTH)
        raise ApiError(400, refused.code, message) from None
    except ValueError:
        return None


def _ticket_request() -> dict[str, str | None]:
    """The JSON body's fields, each a short string or absent; 400/422 otherwise."""
    body = _json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", _("Isi permintaan harus berupa objek JSON."))
    unknown = sorted(set(body) - set(TICKET_FIELDS))
    problems = {name: "unknown_field" for name in unknown[:10]}
    values: dict[str, str | None] = {}
    for name in TICKET_FIELDS:
        value = body.get(name)
        if value is None or value == "":
            values[name] = None
        elif not isinstance(value, str) or len(value) > FIELD_MAX_CHARS or "\x00" in value:
            problems[name] = "invalid"
        else:
            values[name] = value.strip()
    if values.get("touchpoint") is None and "touchpoint" not in problems:
        problems["touchpoint"] = "required"
    if problems:
        raise ApiError(422, "invalid_fields", _("Beberapa isian tidak sah."), problems)
    return values


@bp.get("/openapi.json")
def openapi():
    """The API's OpenAPI document; public, like any API description."""
    return jsonify(DOCUMENT)


@bp.post("/tickets")
@limiter.limit(lambda: current_app.config.get("RATELIMIT_API_PER_KEY", "600 per minute"),
               key_func=_key_scope)
def create_ticket():
    key = _api_key()
    fields = _ticket_request()
    try:
        issued = issue_ticket(
            db.session, current_app.config["SECRET_KEY"], unit_id=key.unit_id,
            touchpoint_code=fields["touchpoint"], officer_nip=fields["officer"],
            service_code=fields["service"], max_age_seconds=max_age(),
        )
    except TicketForbidden:
        raise ApiError(403, "forbidden_touchpoint",
                       _("Kode titik survei ini milik unit lain.")) from None
    except TicketRequestInvalid as refused:
        raise ApiError(422, "invalid_fields", _("Beberapa isian tidak sah."),
                       refused.errors) from None
    finally:
        db.session.rollback()  # issuing writes nothing
    token = issued.token
    return jsonify({
        "token": token,
        "url": public_url("public.ticket", token=token),
        "expires_at": issued.expires_at.isoformat().replace("+00:00", "Z"),
        "qr_png": public_url("api.ticket_qr", token=token),
        "print_url": public_url("public.ticket_print", token=token),
        "touchpoint": issued.claims.touchpoint_code,
        "officer": issued.officer_nip,  # the integrator's own NIP back; never in the token
        "service": issued.claims.service_code,
    }), 201


@bp.get("/tickets/<token>/qr.png")
def ticket_qr(token: str):
    """The QR code (PNG) of a genuine, unexpired ticket's survey link."""
    try:
        read_ticket(current_app.config["SECRET_KEY"], token, max_age())
    except TicketExpired:
        raise ApiError(410, "ticket_expired", _("Masa berlaku tiket ini sudah habis.")) from None
    except TicketInvalid:
        raise ApiError(400, "ticket_invalid", _("Tiket ini tidak sah.")) from None
    image = qrcode.make(public_url("public.ticket", token=token),
                        box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return send_file(buffer, mimetype="image/png", max_age=3600)


def _period() -> Period:
    """`?period=` (default: the current triwulan), or a JSON 400."""
    code = request.args.get("period")
    try:
        return Period.parse(code) if code else Period.quarter_of(utcnow().date())
    except InvalidPeriod:
        raise ApiError(400, "invalid_period", _(
            "Periode tidak dikenal. Contoh: 2026, 2026-S1, 2026-Q3, 2026-07.")) from None


def _span(period: Period) -> dict:
    last = date.fromordinal(period.end.toordinal() - 1)
    return {"period": period.code, "from": period.start.isoformat(), "to": last.isoformat()}


@bp.get("/public/units")
def public_units():
    """Every unit with the headline of its latest publication (null: "tidak ada data"); no key.
    Published snapshots only, never live figures."""
    units = directory.public_units(db.session)
    published = reads.headlines(db.session, [unit.id for unit in units])
    return jsonify({"units": [
        {"code": unit.code, "name": unit.name, "organization": unit.organization.name,
         "parent": unit.parent.code if unit.parent is not None else None,
         "latest": (published[unit.id] or [None])[0]} for unit in units]})


def _version(row) -> dict:
    return {"version": row.version, "status": row.status,
            "published_at": reads.utc_text(row.published_at),
            "correction_reason": row.correction_reason, "snapshot_sha256": row.snapshot_sha256}


@bp.get("/public/units/<code>/indices")
def public_unit_indices(code: str):
    """A unit's published figures for a period (default: its latest published one): the
    current version, or `?version=N` of the public ones, with the list of versions; no key.
    A period without a publication answers `published: false` ("tidak ada data")."""
    try:
        unit = find_unit(db.session, _lookup(code))
    except UnitNotFound:
        raise ApiError(404, "unknown_unit", _("Unit tidak ditemukan.")) from None
    periods = reads.published_periods(db.session, unit)
    period = Period.parse(periods[0]) if periods and not request.args.get("period") \
        else _period()
    versions = reads.public_versions(db.session, unit, period.code)
    wanted = request.args.get("version")
    if wanted is None:
        shown = next((row for row in versions if row.status == "published"), None)
    else:
        number = int(wanted) if wanted.isascii() and wanted.isdigit() and len(wanted) < 7 else 0
        if number < 1:
            raise ApiError(400, "invalid_version", _("Versi harus berupa bilangan bulat positif."))
        shown = next((row for row in versions if row.version == number), None)
        if shown is None:
            raise ApiError(404, "unknown_version", _("Versi ini tidak ada untuk periode ini."))
    return jsonify({"unit": unit.code, **_span(period), "published": shown is not None,
                    **(dict.fromkeys(("version", "status", "published_at", "correction_reason",
                                      "snapshot_sha256", "snapshot")) if shown is None
                       else {**_version(shown), "snapshot": shown.snapshot}),
                    "versions": [_version(row) for row in versions]})


def _lookup(code: str) -> str:
    """A unit code from the path or query; a NUL or an overlong one names no unit (404)."""
    if not code or len(code) > MAX_CODE_CHARS or "\x00" in code:
        raise ApiError(404, "unknown_unit", _("Unit tidak ditemukan."))
    return code


@bp.get("/staff/<nip>/satisfaction")
@limiter.limit(lambda: current_app.config.get("RATELIMIT_API_PER_KEY", "600 per minute"),
               key_func=_key_scope)
def staff_satisfaction(nip: str):
    """One officer's live citizen evidence for a period (the object a record would pull now,
    with its digest), for a key of the officer's unit or a unit above it."""
    key = _api_key()
    period = _period()
    fold_rollup_queue()
    try:
        evidence = live_evidence(db.session, key.unit_id, nip, period, utcnow())
    except StaffNotFound:
        raise ApiError(404, "unknown_staff", _("Pegawai dengan NIP ini tidak ditemukan.")) from None
    except StaffOfAnotherUnit:
        raise ApiError(403, "forbidden_staff", _("Pegawai ini bekerja di unit lain.")) from None
    return _private(jsonify(evidence))


@bp.get("/evaluations")
@limiter.limit(lambda: current_app.config.get("RATELIMIT_API_PER_KEY", "600 per minute"),
               key_func=_key_scope)
def evaluations():
    """The shared and final evaluation records of a unit's officers (and its sub-units') for a
    period, every version, for a key of that unit or a unit above it."""
    key = _api_key()
    code = request.args.get("unit")
    if not code:
        raise ApiError(400, "missing_unit", _("Sebutkan kode unit: ?unit=KODE."))
    period = _period()
    try:
        listing = api_unit_records(db.session, key.unit_id, _lookup(code), period)
    except UnitNotFound:
        raise ApiError(404, "unknown_unit", _("Unit tidak ditemukan.")) from None
    except NotAllowed:
        raise ApiError(403, "forbidden_unit",
                       _("Kunci API ini hanya untuk unitnya sendiri dan sub-unitnya.")) from None
    return _private(jsonify({**listing, **_span(period), "statuses": list(LISTED_STATUSES)}))


def _private(response):
    """Officers' evaluation data: never kept by a shared cache."""
    response.headers["Cache-Control"] = "private, no-store"
    return response
