"""Forms of the staff and roster pages, every message in Bahasa Indonesia (WTForms has no
Indonesian catalog, so no built-in message may reach a user)."""
from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import TextInput

from surveys.models.staff import nip_problem_code

NIP_MESSAGES = {
    "length": _l("NIP harus tepat 18 angka."),
    "birth_date": _l("Angka 1–8 NIP harus tanggal lahir yang mungkin (TTTTBBHH, lahir 1930 "
                     "atau sesudahnya)."),
    "appointment_month": _l("Angka 13–14 NIP harus bulan TMT 01–12."),
    "appointment_age": _l("Angka 9–14 NIP (TMT CPNS, TTTTBB) harus 17 sampai 60 tahun setelah "
                          "tahun lahir."),
    "sex": _l("Angka ke-15 NIP (jenis kelamin) harus 1 atau 2."),
}
TEXT_MAX = 200


def compact(value):
    """A NIP as typed, with the spaces of the printed form (19850312 201001 1 001) removed."""
    return re.sub(r"\s+", "", value) if isinstance(value, str) else value


def tidy(value):
    return " ".join(value.split()) if isinstance(value, str) else value


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def valid_nip(_form, field) -> None:
    code = nip_problem_code(field.data or "")
    if code is not None:
        raise ValidationError(NIP_MESSAGES[code])


class Chosen:
    """The select's value must be one of its choices (refuses other units' ids, say)."""

    def __init__(self, message):
        self.message = message

    def __call__(self, _form, field) -> None:
        if field.data is None or field.data not in {value for value, _label in field.choices}:
            raise ValidationError(self.message)


class StaffForm(FlaskForm):
    nip = StringField(_l("NIP"), filters=[compact], validators=[
        DataRequired(_l("Isi NIP (18 angka).")),
        Length(max=40, message=_l("NIP harus tepat 18 angka.")), valid_nip])
    name = StringField(_l("Nama (dengan gelar)"), filters=[tidy], validators=[
        DataRequired(_l("Isi nama pegawai.")),
        Length(max=TEXT_MAX, message=_l("Nama paling panjang 200 karakter."))])
    position = StringField(_l("Jabatan"), filters=[tidy], validators=[
        DataRequired(_l("Isi jabatan pegawai.")),
        Length(max=TEXT_MAX, message=_l("Jabatan paling panjang 200 karakter."))])
    unit = SelectField(_l("Unit"), coerce=int_or_none, validate_choice=False,
                       validators=[Chosen(_l("Pilih unit dari daftar."))])


DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


class DayField(Field):
    """A calendar day typed as 2026-07-01, 01-07-2026 or 01/07/2026 (years 2000–2100)."""

    widget = TextInput(input_type="date")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0][:20]
        return self.data.isoformat() if isinstance(self.data, date) else ""

    def process_formdata(self, valuelist) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        for pattern in DATE_FORMATS:
            try:
                day = datetime.strptime(text[:20], pattern).date()
            except ValueError:
                continue
            if 2000 <= day.year <= 2100:
                self.data = day
                return
        raise ValueError(_l("Tanggal tidak dikenal. Contoh: 2026-07-01 atau 01-07-2026."))


def required_day(_form, field) -> None:
    if field.data is None and not field.errors:
        raise ValidationError(_l("Isi tanggal mulai bertugas."))


class DatesForm(FlaskForm):
    starts_on = DayField(_l("Mulai bertugas"), validators=[required_day])
    ends_on = DayField(_l("Selesai bertugas (kosongkan bila belum ditentukan)"))


class AssignmentForm(DatesForm):
    counter = SelectField(_l("Loket"), coerce=int_or_none, validate_choice=False,
                          validators=[Chosen(_l("Pilih loket dari daftar."))])
    staff = SelectField(_l("Petugas"), coerce=int_or_none, validate_choice=False,
                        validators=[Chosen(_l("Pilih petugas dari daftar."))])
