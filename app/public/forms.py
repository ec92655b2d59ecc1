"""The survey form: fields are rendered from the instrument; WTForms supplies CSRF protection,
and the domain (`surveys.submission`) validates every answer."""
from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField

PROBLEM_MESSAGES = {
    "required": _l("Pertanyaan ini wajib dijawab: pilih salah satu jawaban."),
    "out_of_range": _l("Jawaban harus bernilai 1 sampai 4."),
    "not_an_integer": _l("Jawaban harus berupa angka 1 sampai 4."),
    "too_long": _l("Teks terlalu panjang (paling banyak 2000 karakter)."),
    "unknown": _l("Pilihan ini tidak dikenal; pilih dari daftar."),
}


class SurveyForm(FlaskForm):
    """CSRF token plus the one-time key that makes a resubmitted form count once."""

    submission_key = HiddenField()

    def ensure_submission_key(self) -> None:
        if not self.submission_key.data:
            self.submission_key.data = secrets.token_urlsafe(24)


def field_messages(errors: dict[str, str]) -> dict[str, str]:
    """Translated, user-facing messages for the domain's problem codes."""
    return {field: str(PROBLEM_MESSAGES.get(code, PROBLEM_MESSAGES["unknown"]))
            for field, code in errors.items()}
