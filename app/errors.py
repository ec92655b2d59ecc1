"""Error pages in the visitor's language; never a bare 500 trace."""
from flask import Flask, render_template
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
        message = error.description if specific else messages.get(error.code, error.name)
        return render_template("errors/error.html", code=error.code, message=message), error.code
