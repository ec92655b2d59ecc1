"""Error pages in the visitor's language; never a bare 500 trace. Under /api/ errors are JSON."""
from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = _("Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman dan coba lagi.")
        return render_template("errors/error.html", code=400, message=message), 400

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
