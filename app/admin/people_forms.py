"""The forms of the people pages, and what each refusal of surveys.organization.people says."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from surveys.organization.accounts import MIN_PASSWORD_LENGTH

ROLE_LABELS = {"admin": _l("Admin"), "unit_manager": _l("Pengelola unit"),
               "evaluator": _l("Pejabat penilai"), "staff": _l("Pegawai")}

# Why a change was refused (AccountRefused.reason), with the value at fault as %(detail)s.
REFUSALS = {
    "username_invalid": _l("Nama pengguna 3 sampai 80 karakter: huruf kecil, angka, titik, garis "
                           "bawah, atau tanda hubung, diawali huruf atau angka."),
    "username_taken": _l("Nama pengguna %(detail)s sudah dipakai."),
    "weak_password": _l("Kata sandi paling sedikit %(min)d karakter.", min=MIN_PASSWORD_LENGTH),
    "name_too_long": _l("Nama paling banyak 200 karakter."),
    "staff_unknown": _l("Tidak ada pegawai dengan NIP %(detail)s."),
    "staff_taken": _l("Pegawai dengan NIP %(detail)s sudah terhubung ke akun lain."),
    "staff_grant_mismatch": _l("Akun ini punya peran pegawai untuk pegawai lain. Cabut dulu "
                               "peran itu, lalu ubah pegawai yang terhubung."),
    "staff_unlinked": _l("Isi NIP pegawai ini, atau hubungkan dulu akunnya ke data pegawai."),
    "staff_one": _l("Peran pegawai hanya untuk satu NIP: pegawai itu sendiri."),
    "self_evaluation": _l("Pegawai dengan NIP %(detail)s adalah pemilik akun ini sendiri: "
                          "seseorang tidak menjadi pejabat penilai dirinya sendiri."),
    "nips_missing": _l("Isi NIP pegawai yang dinilai, satu atau lebih (pisahkan dengan spasi, "
                       "koma, atau baris baru)."),
    "nips_too_many": _l("Paling banyak 100 NIP sekali simpan."),
    "unit_unknown": _l("Pilih unit yang dikelola."),
    "role_unknown": _l("Pilih peran: admin, pengelola unit, pejabat penilai, atau pegawai."),
    "grant_exists": _l("Akun ini sudah punya peran itu (%(detail)s)."),
    "grant_unknown": _l("Peran ini tidak ada (mungkin sudah dicabut)."),
    "last_admin": _l("Ini admin aktif terakhir. Jadikan orang lain admin lebih dulu."),
    "self_deactivate": _l("Anda tidak dapat menonaktifkan akun Anda sendiri."),
}


def refusal_message(error) -> str:
    return str(REFUSALS[error.reason]) % {"detail": error.detail}


def _password_fields():
    return (
        PasswordField(_l("Kata sandi sementara"), validators=[
            DataRequired(_l("Isi kata sandi.")),
            Length(min=MIN_PASSWORD_LENGTH, max=200,
                   message=_l("Kata sandi harus %(min)d sampai %(max)d karakter.",
                              min=MIN_PASSWORD_LENGTH, max=200))]),
        PasswordField(_l("Ulangi kata sandi"), validators=[
            DataRequired(_l("Ulangi kata sandi.")),
            EqualTo("password", message=_l("Kedua kata sandi tidak sama."))]),
    )


def _nip_field(label):
    return StringField(label, validators=[
        Optional(), Length(max=40, message=_l("NIP terdiri dari 18 angka."))])


class UserCreateForm(FlaskForm):
    username = StringField(_l("Nama pengguna"), validators=[
        DataRequired(_l("Isi nama pengguna.")),
        Length(max=80, message=_l("Nama pengguna paling banyak 80 karakter."))])
    display_name = StringField(_l("Nama lengkap"), validators=[
        DataRequired(_l("Isi nama lengkap.")),
        Length(max=200, message=_l("Nama paling banyak 200 karakter."))])
    nip = _nip_field(_l("NIP pegawai (bila orang ini pegawai)"))
    password, repeat = _password_fields()


class UserEditForm(FlaskForm):
    display_name = UserCreateForm.display_name
    nip = _nip_field(_l("NIP pegawai yang terhubung (kosongkan bila tidak ada)"))


class GrantForm(FlaskForm):
    role = SelectField(_l("Peran"), choices=[SelectChoice(role, label) for role, label in ROLE_LABELS.items()],
                       validate_choice=False)
    unit = SelectField(_l("Unit (untuk pengelola unit)"), choices=[], validate_choice=False)
    nips = TextAreaField(_l("NIP pegawai (pejabat penilai: pegawai yang dinilai; pegawai: "
                            "dirinya sendiri, boleh kosong bila akun sudah terhubung)"),
                         validators=[Length(max=4000, message=_l("Terlalu banyak NIP."))])


class PasswordResetForm(FlaskForm):
    password, repeat = _password_fields()


class ButtonForm(FlaskForm):
    """A button that changes something: only its CSRF token."""
