"""Admin routes for unit managers: QR codes, posters, revoking and reissuing codes."""
from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.admin import bp
from app.auth.access import current_user, role_required
from app.extensions import db
from app.urls import public_base
from surveys.organization import touchpoints as service
from surveys.models import Touchpoint, Unit
from surveys.exchange.posters import SIZES, Poster, posters_pdf
from surveys.exchange.qr import qr_png, qr_svg, survey_url
from surveys.periods import Period
from surveys.reporting.dashboard import default_period
from surveys.db import utcnow

manager_only = role_required(*service.MANAGER_ROLES)
PERIOD_MAX = 10  # "2026-Q3"; anything longer is not a period
PERIOD_EXAMPLE = _l("Periode tidak dikenal. Contoh: 2026, 2026-S1, 2026-Q3, 2026-07.")


def asked_period(unit: Unit, fallback: str | None = None) -> Period:
    """The period of a unit page's `?periode=` (a 400 for what cannot be one), else `fallback`,
    else the unit's current quarter."""
    code = request.args.get("periode", "").strip()
    if not code:
        return Period.parse(fallback) if fallback else default_period(unit, utcnow())
    if len(code) > PERIOD_MAX:
        abort(400, description=str(PERIOD_EXAMPLE))
    return Period.parse(code)  # InvalidPeriod (a NUL too) is a 400 (app/errors.py)


def _unit(code: str) -> Unit:
    return service.managed_unit(db.session, current_user(), code)


def _touchpoint(unit: Unit, touchpoint_id: int, *, active: bool = False) -> Touchpoint:
    touchpoint = service.unit_touchpoint(db.session, unit, touchpoint_id)
    if active and not touchpoint.active:
        abort(410, description=_("Kode ini sudah dicabut. Cetak kode yang baru."))
    return touchpoint


def _size() -> str:
    size = (request.args.get("size") or "A4").upper()
    if size not in SIZES:
        abort(400, description=_("Ukuran kertas tidak dikenal. Pilih A4 atau A5."))
    return size


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    return Response(content, mimetype=mimetype, headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "private, no-store",
    })


@bp.get("/unit/<code>/kode")
@manager_only
def touchpoints(code: str):
    unit = _unit(code)
    touchpoints = service.unit_touchpoints(db.session, unit)
    base = public_base()
    urls = {touchpoint.id: survey_url(base, touchpoint.public_code) for touchpoint in touchpoints}
    return render_template("admin/unit.html", unit=unit, touchpoints=touchpoints, urls=urls,
                           place_name=service.place_name, sizes=SIZES)


@bp.get("/unit/<code>/poster.pdf")
@manager_only
def unit_posters(code: str):
    unit = _unit(code)
    size = _size()
    content = service.unit_posters_pdf(db.session, unit, public_base(), size)
    if content is None:
        abort(404, description=_("Unit ini belum punya kode QR loket yang aktif."))
    return _download(content, "application/pdf", f"poster-{unit.code}-{size}.pdf")


# The same code as an image, PNG for printing or SVG for a designer's layout.
QR_FORMATS = {"png": (qr_png, "image/png"), "svg": (qr_svg, "image/svg+xml")}


@bp.get("/unit/<code>/kode/<int:touchpoint_id>/qr.<any(png, svg):fmt>")
@manager_only
def touchpoint_qr(code: str, touchpoint_id: int, fmt: str):
    touchpoint = _touchpoint(_unit(code), touchpoint_id, active=True)
    render, mimetype = QR_FORMATS[fmt]
    content = render(survey_url(public_base(), touchpoint.public_code))
    return _download(content, mimetype, f"{service.file_stem(touchpoint)}.{fmt}")


@bp.get("/unit/<code>/kode/<int:touchpoint_id>/poster.pdf")
@manager_only
def touchpoint_poster(code: str, touchpoint_id: int):
    unit = _unit(code)
    touchpoint = _touchpoint(unit, touchpoint_id, active=True)
    size = _size()
    poster = Poster(unit.name, service.place_name(touchpoint),
                    survey_url(public_base(), touchpoint.public_code))
    content = posters_pdf([poster], size, title=f"Poster QR {unit.name}")
    return _download(content, "application/pdf", f"{service.file_stem(touchpoint)}-{size}.pdf")


def _confirmed() -> bool:
    """A change happens only on the confirmation page's button; the list's button asks first."""
    return request.form.get("konfirmasi") == "ya"


def _confirmation_page(unit, touchpoint, action: str) -> str:
    return render_template("admin/confirm.html", unit=unit, touchpoint=touchpoint, action=action,
                           place=service.place_name(touchpoint),
                           url=survey_url(public_base(), touchpoint.public_code))


@bp.post("/unit/<code>/kode/<int:touchpoint_id>/cabut")
@manager_only
def revoke(code: str, touchpoint_id: int):
    unit = _unit(code)
    touchpoint = _touchpoint(unit, touchpoint_id)
    if not _confirmed():
        return _confirmation_page(unit, touchpoint, "revoke")
    service.revoke(db.session, touchpoint, actor=current_user())
    db.session.commit()
    flash(_("Kode %(code)s sudah dicabut. Poster lama kini menampilkan pesan bahwa kode "
            "tidak digunakan lagi.", code=touchpoint.public_code))
    return redirect(url_for("admin.touchpoints", code=unit.code), code=303)


@bp.post("/unit/<code>/kode/<int:touchpoint_id>/baru")
@manager_only
def reissue(code: str, touchpoint_id: int):
    unit = _unit(code)
    touchpoint = _touchpoint(unit, touchpoint_id)
    if not _confirmed():
        return _confirmation_page(unit, touchpoint, "reissue")
    fresh = service.reissue(db.session, touchpoint, actor=current_user())
    db.session.commit()
    flash(_("Kode baru %(code)s dibuat. Cetak posternya dan ganti poster lama.",
            code=fresh.public_code))
    return redirect(url_for("admin.touchpoints", code=unit.code), code=303)
