"""Error pages in the visitor's language; never a bare 500 trace. Under /api/ errors are JSON.

Every domain error a view lets through is mapped to its HTTP answer here, once; the transaction
is rolled back first (a refusal stores nothing). The API blueprint keeps its own JSON answers.
"""
from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from app.extensions import db
from surveys import errors as domain

TICKET_STATUS = {"invalid": 400, "expired": 410, "used": 410, "closed": 410}


def _domain_answer(error: domain.SurveyError) -> tuple[int, str] | None:
    """The status and message of a domain error (None for one nobody mapped: a real 500)."""
    answers = {
        domain.TouchpointNotFound: (404, _("Kode QR ini tidak dikenal. Periksa kembali alamat "
                                           "yang Anda ketik.")),
        domain.TouchpointClosed: (410, _("Kode QR ini sudah tidak digunakan lagi. Terima kasih "
                                         "atas kesediaan Anda; silakan pindai kode yang "
                                         "terpasang di loket.")),
        domain.UnitNotFound: (404, _("Unit tidak ditemukan.")),
        domain.NotAllowed: (403, _("Anda hanya dapat mengelola unit Anda sendiri.")),
        domain.AlreadyReplaced: (409, _("Loket atau petugas ini sudah punya kode aktif yang lain.")),
        domain.InvalidPeriod: (400, _("Periode tidak dikenal. Contoh: 2026, 2026-S1, 2026-Q3, "
                                      "2026-07.")),
        domain.InstrumentMissing: (503, _("Permintaan tidak dapat diproses.")),
        # Views word each refusal; this is the backstop for one that escapes them.
        domain.PublicationRefused: (409, _("Permintaan tidak dapat diproses.")),
        domain.ComplaintRefused: (409, _("Permintaan tidak dapat diproses.")),
        domain.ForumRefused: (409, _("Permintaan tidak dapat diproses.")),
    }
    return next((answer for kind, answer in answers.items() if isinstance(error, kind)), None)


def register(app: Flask) -> None:
    @app.errorhandler(domain.SurveyError)
    def domain_error(error: domain.SurveyError):
        db.session.rollback()
        if isinstance(error, domain.TicketRefused):
            status = TICKET_STATUS[error.reason]
            return render_template("public/ticket_refused.html", reason=error.reason), status
        answer = _domain_answer(error)
        if answer is None:
            raise error
        status, message = answer
        if request.path.startswith("/api/"):
            return jsonify({"error": type(error).__name__, "message": message}), status
        return render_template("errors/error.html", code=status, message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = _("Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman dan coba lagi.")
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(SecurityError)
    def untrusted_host(_error: SecurityError):
        """A Host outside TRUSTED_HOSTS: 400, in a page that builds no URL (Flask has no URL
        adapter for such a request, so the templates' url_for cannot run)."""
        message = _("Permintaan tidak dapat diproses.")  # the catalog's 400 message
        if request.path.startswith("/api/"):
            return jsonify({"error": "untrusted_host", "message": message}), 400
        return message, 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.startswith("/api/"):  # e.g. 404/405: routing fails before the blueprint
            from app.api.routes import json_http_error

            return json_http_error(error)
        message = message_for(error)
        page = render_template("errors/error.html", code=error.code, message=message)
        return page, error.code, allow_header(error)


def message_for(error: HTTPException) -> str:
    """What to tell the visitor: the specific message given to abort(), else the status's own."""
    messages = {
        400: _("Permintaan tidak dapat diproses."),
        404: _("Halaman tidak ditemukan."),
        403: _("Anda tidak berhak membuka halaman ini."),
        405: _("Metode tidak diizinkan."),
        410: _("Halaman ini sudah tidak tersedia."),
        413: _("Data yang dikirim terlalu besar."),
        429: _("Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi."),
    }
    # A description given to abort() is already a translated, specific message.
    specific = error.description != type(error).description
    return error.description if specific else messages.get(error.code, error.name)


def allow_header(error: HTTPException) -> list[tuple[str, str]]:
    """The Allow header a 405 must carry (RFC 9110), which a handler's own response would drop."""
    return [(name, value) for name, value in error.get_headers() if name == "Allow"]
