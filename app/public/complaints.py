"""The citizen follows their complaint: `/lacak` asks for the receipt number, `/lacak?nomor=SW-...`
shows the status in words, the day it came in, its due day and whether it is overdue, the unit's
reply to them and its published reply, with SP4N-LAPOR! for escalation (issue 14).

The receipt number is the bearer secret (about 59 random bits): whoever holds it reads the reply,
so the page is never cached and is sent to no one else. An unknown and a malformed number get the
same message and the same 404; lookups are rate-limited per address.
"""
from __future__ import annotations

from flask import current_app, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db, limiter
from app.public import bp
from surveys.complaints import reads
from surveys.db import utcnow

LAPOR_URL = "https://www.lapor.go.id"
LIMIT_DEFAULT = "30 per minute"  # RATELIMIT_TRACK_PER_IP: a family checks a few numbers
STATUS_WORDS = {
    "baru": _l("Diterima, menunggu ditangani"),
    "diproses": _l("Sedang ditangani"),
    "selesai": _l("Selesai"),
}


def _limit() -> str:
    return current_app.config.get("RATELIMIT_TRACK_PER_IP", LIMIT_DEFAULT)


def _too_many() -> str:
    return _("Terlalu banyak pencarian nomor tanda terima dari jaringan ini. Tunggu satu menit, "
             "lalu coba lagi.")


def _private(html: str, status: int):
    """The receipt's page: never stored by the browser or a proxy, since it carries the reply
    (its address, with the receipt, is never sent on as a Referer: the template's meta tag)."""
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/lacak")
@limiter.limit(_limit, key_func=lambda: f"ip:{request.remote_addr}", error_message=_too_many,
               scope="track-ip")
def track():
    asked = request.args.get("nomor")
    page = {"asked": asked, "lapor_url": LAPOR_URL, "status_words": STATUS_WORDS}
    if asked is None or not asked.strip():
        return _private(render_template("public/track.html", **page, found=None), 200)
    receipt = reads.normal_receipt(asked)
    found = None if receipt is None else reads.tracked(db.session, receipt, utcnow())
    if found is None:
        html = render_template("public/track.html", **page, found=None, problem=_(
            "Nomor tanda terima ini tidak kami temukan. Periksa kembali penulisannya, "
            "misalnya SW-7K3M-9QX2-4HTP."))
        return _private(html, 404)
    return _private(render_template("public/track.html", **page, found=found), 200)
