"""The forms of the organization pages: organization, unit, service or counter, population,
API key and new QR code. Each field has its own message in Bahasa Indonesia; the services
check what needs the database (unique codes, the parent unit, the counter or officer)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from surveys.models.organization import UNIT_TIMEZONES
from surveys.organization.population import MAX_SIZE
from surveys.organization.units import PART_CODE, UNIT_CODE

TIMEZONE_LABELS = {"Asia/Jakarta": "WIB (Asia/Jakarta)", "Asia/Makassar": "WITA (Asia/Makassar)",
                   "Asia/Jayapura": "WIT (Asia/Jayapura)"}


NOT_A_NUMBER = _l("Isi dengan bilangan bulat.")
# Control characters (a NUL above all, which PostgreSQL cannot store) never belong in a name.
NO_CONTROL = Regexp(r"[^\x00-\x1f\x7f]*\Z",
                    message=_l("Nama tidak boleh berisi karakter kendali."))
ID_RANGE = NumberRange(1, 2**31 - 1, message=_l("Pilihan tidak dikenal."))


def _name(label):
    return StringField(label, validators=[
        DataRequired(_l("Nama wajib diisi.")),
        Length(max=200, message=_l("Nama paling banyak 200 karakter.")), NO_CONTROL])


def _code(label, pattern, message):
    return StringField(label, validators=[
        DataRequired(_l("Kode wajib diisi.")),
        Length(max=40, message=_l("Kode paling banyak 40 karakter.")),
        Regexp(pattern, message=message)])


LOWER_CODE = _l("Kode hanya boleh berisi huruf kecil, angka, - _ atau ., diawali huruf atau angka.")
ANY_CODE = _l("Kode hanya boleh berisi huruf, angka, - _ atau ., diawali huruf atau angka.")


class OrganizationForm(FlaskForm):
    code = _code(_l("Kode instansi"), UNIT_CODE.pattern + "$", LOWER_CODE)
    name = _name(_l("Nama instansi"))


class UnitForm(FlaskForm):
    code = _code(_l("Kode unit"), UNIT_CODE.pattern + "$", LOWER_CODE)
    name = _name(_l("Nama unit"))
    timezone = SelectField(
        _l("Zona waktu"), choices=[SelectChoice(zone, TIMEZONE_LABELS[zone]) for zone in UNIT_TIMEZONES],
        validate_choice=False,
        validators=[AnyOf(UNIT_TIMEZONES, message=_l("Pilih WIB, WITA, atau WIT."))])
    parent = SelectField(_l("Unit induk"), validate_choice=False,
                         validators=[Length(max=40, message=_l("Unit induk tidak dikenal."))])


class PartForm(FlaskForm):
    """A service (jenis layanan) or a counter (loket)."""

    code = _code(_l("Kode"), PART_CODE.pattern + "$", ANY_CODE)
    name = _name(_l("Nama"))


class PopulationForm(FlaskForm):
    period = StringField(_l("Periode"), validators=[
        DataRequired(_l("Periode wajib diisi, mis. 2026-Q3.")),
        Length(max=10, message=_l("Periode tidak dikenal. Contoh: 2026, 2026-S1, 2026-Q3, "
                                  "2026-07."))])
    size = IntegerField(_l("Jumlah pengguna layanan"), invalid_value_message=NOT_A_NUMBER, validators=[
        InputRequired(_l("Jumlah wajib diisi dengan bilangan bulat.")),
        NumberRange(1, MAX_SIZE, message=_l("Jumlah harus 1 sampai %(max)s.",
                                            max=f"{MAX_SIZE:,}".replace(",", ".")))])


class PopulationImportForm(FlaskForm):
    file = FileField(_l("Berkas CSV"))


class ApiKeyForm(FlaskForm):
    name = StringField(_l("Nama kunci"), validators=[
        DataRequired(_l("Nama kunci wajib diisi, mis. Mesin antrean loket 1.")),
        Length(max=100, message=_l("Nama kunci paling banyak 100 karakter.")), NO_CONTROL])


class TouchpointForm(FlaskForm):
    """A new QR code: a counter's poster, a kiosk at a counter, or an officer's personal code."""

    kind = SelectField(_l("Jenis kode"), validate_choice=False, validators=[
        AnyOf(("counter", "kiosk", "staff"), message=_l("Pilih jenis kode."))])
    counter = IntegerField(_l("Loket"), invalid_value_message=NOT_A_NUMBER,
                           validators=[Optional(), ID_RANGE])
    staff = IntegerField(_l("Petugas"), invalid_value_message=NOT_A_NUMBER,
                         validators=[Optional(), ID_RANGE])
