"""The survey form's page, labels and messages: its fields are rendered from the instrument, its CSRF
token comes from `app.public.form_token`, and the domain (`surveys.responses.submission`) validates every
answer."""
from __future__ import annotations

import secrets

from flask import current_app, make_response, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.public import form_token
from surveys.models.response import AGE_BANDS, EDUCATIONS, GENDERS, OCCUPATIONS, WAITING_BANDS
from surveys.responses.submission import SurveyPage

PROBLEM_MESSAGES = {
    "required": _l("Pertanyaan ini wajib dijawab: pilih salah satu jawaban."),
    "out_of_range": _l("Jawaban harus bernilai 1 sampai 4."),
    "not_an_integer": _l("Jawaban harus berupa angka 1 sampai 4."),
    "too_long": _l("Teks terlalu panjang (paling banyak 2000 karakter)."),
    "unknown": _l("Pilihan ini tidak dikenal; pilih dari daftar."),
    "contact_required": _l("Anda meminta balasan: tuliskan nomor HP atau alamat e-mail Anda."),
    "contact_too_long": _l("Kontak terlalu panjang (paling banyak 200 karakter)."),
    "contact_invalid": _l("Tuliskan nomor HP (mis. 0812 3456 7890) atau alamat e-mail "
                          "(mis. nama@contoh.id)."),
}

# Optional items beyond the instrument: the answer codes the domain accepts, with their labels.
WAITING_LABELS = dict(zip(WAITING_BANDS, (
    _l("Kurang dari 15 menit"), _l("15–30 menit"), _l("30–60 menit"), _l("1–2 jam"),
    _l("Lebih dari 2 jam"),
), strict=True))
PROFILE_CHOICES = {
    "age_band": dict(zip(AGE_BANDS, (
        _l("17–24 tahun"), _l("25–34 tahun"), _l("35–44 tahun"), _l("45–54 tahun"),
        _l("55–64 tahun"), _l("65 tahun ke atas"),
    ), strict=True)),
    "gender": dict(zip(GENDERS, (_l("Laki-laki"), _l("Perempuan")), strict=True)),
    "education": dict(zip(EDUCATIONS, (
        _l("SD atau sederajat"), _l("SMP atau sederajat"), _l("SMA/SMK atau sederajat"),
        _l("Diploma (D1–D4)"), _l("Sarjana (S1)"), _l("Pascasarjana (S2/S3)"),
    ), strict=True)),
    "occupation": dict(zip(OCCUPATIONS, (
        _l("PNS/ASN"), _l("TNI/Polri"), _l("Pegawai swasta"), _l("Wirausaha"),
        _l("Pelajar/Mahasiswa"), _l("Lainnya"),
    ), strict=True)),
}
PROFILE_LABELS = {
    "age_band": _l("Usia"),
    "gender": _l("Jenis kelamin"),
    "education": _l("Pendidikan terakhir"),
    "occupation": _l("Pekerjaan"),
}
# How the error summary names the fields that are not instrument items.
FIELD_LABELS = {
    "service": _l("Layanan yang Anda terima"),
    "staff": _l("Petugas yang melayani Anda"),
    "waiting_band": _l("Lama menunggu"),
    "reply_wanted": _l("Saya ingin mendapat balasan"),
    "reply_contact": _l("Kontak untuk balasan"),
    **PROFILE_LABELS,
}


def submission_key(posted: str | None) -> str:
    """The one-time key that makes a resubmitted form count once: a refused form keeps its own
    (one we issued: the form's token is bound to it)."""
    return posted or secrets.token_urlsafe(24)


def field_messages(errors: dict[str, str]) -> dict[str, str]:
    """Translated, user-facing messages for the domain's problem codes."""
    return {field: str(PROBLEM_MESSAGES.get(code, PROBLEM_MESSAGES["unknown"]))
            for field, code in errors.items()}


def private(html: str, status: int):
    """A kiosk page: never cached, so the back button cannot bring a citizen's answers back."""
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _error_labels(page, language: str) -> dict[str, str]:
    """What the error summary calls each field (built only when there is an error to name)."""
    return {**{item.code: item.text(language) for item in page.instrument.items},
            **{field: str(label) for field, label in FIELD_LABELS.items()}}


def render_survey(page: SurveyPage, *, submission_key: str, form_token: str,
                  errors: dict[str, str], values, ticket_token: str | None = None,
                  **context) -> str:
    """public/survey.html for `page`: the one context of every form page (a touchpoint's cached
    page, a refused answer's, a ticket's); `context` adds to or shadows it."""
    return render_template(
        "public/survey.html",
        submission_key=submission_key,
        form_token=form_token,
        page=page,
        errors=errors,
        values=values,
        kiosk=page.touchpoint.kind == "kiosk",
        ticket_token=ticket_token,
        error_labels=_error_labels(page, str(get_locale())) if errors else {},
        waiting_labels=WAITING_LABELS,
        profile_choices=PROFILE_CHOICES,
        profile_labels=PROFILE_LABELS,
        retention_days=current_app.config["REPLY_CONTACT_RETENTION_DAYS"],
        **context,
    )


def survey_page(page: SurveyPage, errors: dict[str, str], ticket_token: str | None = None):
    """The form page of `page`, with a refused answer's values and messages; a ticket's form
    carries its token and offers only its service, already chosen."""
    key = submission_key(request.form.get("submission_key"))  # a refused form keeps its own
    values = request.form
    if page.fixed_service is not None:
        values = {**values, "service": str(page.fixed_service.id)}
    html = render_survey(page, submission_key=key, form_token=form_token.issue(key),
                         errors=errors, values=values, ticket_token=ticket_token)
    status = 422 if errors else 200
    return private(html, status) if page.touchpoint.kind == "kiosk" else (html, status)
