"""Forms of an officer's objection to a response and of the manager's decision, and the words
and statuses of the service's refusals (`RecordRefused` codes of surveys/evaluations/objections.py)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from surveys.errors import RecordRefused
from surveys.evaluations.objections import TEXT_MAX

ID_DIGITS = 18


def parse_id(value) -> int | None:
    """A positive whole number as typed in a form or a query, or None."""
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()):
        return None
    if len(value) > ID_DIGITS or int(value) < 1:
        return None
    return int(value)


def strip(value):
    return value.strip() if isinstance(value, str) else value


def shown_text(value) -> str:
    """What a refused form shows again of a typed text: control characters left out."""
    if not isinstance(value, str):
        return ""
    return "".join(char for char in value if char in "\n\r\t" or not (
        ord(char) < 32 or ord(char) == 127))


class IdField(Field):
    """A record's id from a hidden field: a positive whole number."""

    def __init__(self, label=None, message=None, **kwargs):
        super().__init__(label, **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        self.data = parse_id(valuelist[0]) if valuelist else None
        if valuelist and self.data is None:
            raise ValueError(self.message)

    def pre_validate(self, form):
        if self.data is None and not self.errors:
            raise ValidationError(self.message)


def _text(label, required):
    return TextAreaField(label, validators=[
        DataRequired(required),
        Length(max=TEXT_MAX, message=_l("Paling banyak %(max)d karakter.", max=TEXT_MAX))],
        filters=[strip])


class ObjectionForm(FlaskForm):
    respons = IdField(_l("Respons"), message=_l("Nomor respons tidak sah. Buka lagi daftar "
                                                "respons di halaman Anda."))
    reason = _text(_l("Alasan keberatan"), _l("Tuliskan alasan keberatan Anda."))
    submit = SubmitField(_l("Ajukan keberatan"))


class DecisionForm(FlaskForm):
    objection = IdField(_l("Keberatan"), message=_l("Nomor keberatan tidak sah. Muat ulang "
                                                    "halaman dan coba lagi."))
    note = _text(_l("Catatan keputusan"), _l("Tuliskan catatan keputusan ini."))
    upheld = SubmitField(_l("Terima keberatan"))
    rejected = SubmitField(_l("Tolak keberatan"))

    def validate_rejected(self, field):
        if not self.upheld.data and not field.data:
            raise ValidationError(_l("Pilih Terima atau Tolak."))

    @property
    def decision(self) -> str:
        return "upheld" if self.upheld.data else "rejected"


def refusal(error: RecordRefused) -> tuple[int, str]:
    """The status and message of a refused objection or decision."""
    field = error.field
    answers = {
        ("required", "reason"): (400, _l("Tuliskan alasan keberatan Anda.")),
        ("required", "note"): (400, _l("Tuliskan catatan keputusan ini.")),
        ("too_long", "reason"): (400, _l("Alasan paling banyak %(max)d karakter.", max=TEXT_MAX)),
        ("too_long", "note"): (400, _l("Catatan paling banyak %(max)d karakter.", max=TEXT_MAX)),
        ("control", "reason"): (400, _l("Alasan berisi karakter yang tidak dapat disimpan "
                                        "(karakter kontrol). Hapus lalu kirim lagi.")),
        ("control", "note"): (400, _l("Catatan berisi karakter yang tidak dapat disimpan "
                                      "(karakter kontrol). Hapus lalu kirim lagi.")),
        ("not_found", "response"): (404, _l("Respons ini tidak ditemukan di antara respons yang "
                                            "menyebut Anda.")),
        ("exists", "response"): (409, _l("Anda sudah mengajukan keberatan atas respons ini. "
                                         "Satu respons hanya dapat diajukan keberatan satu kali.")),
        ("not_found", "objection"): (404, _l("Keberatan ini tidak ditemukan di unit ini.")),
        ("decided", "objection"): (409, _l("Keberatan ini sudah diputuskan. Keputusan tidak "
                                           "dapat diubah.")),
        ("own_objection", "objection"): (403, _l("Anda tidak dapat memutuskan keberatan Anda "
                                                 "sendiri. Manajer unit lain atau admin yang "
                                                 "memutuskannya.")),
        ("invalid", "decision"): (400, _l("Pilih Terima atau Tolak.")),
    }
    return answers.get((error.code, field), (400, _l("Permintaan tidak dapat diproses.")))
