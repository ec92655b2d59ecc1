"""The sign-in and password-change forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from surveys.organization.accounts import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(), Length(max=200)])


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Kata sandi sekarang"), validators=[
        DataRequired(_l("Isi kata sandi Anda sekarang.")), Length(max=200)])
    new = PasswordField(_l("Kata sandi baru"), validators=[
        DataRequired(_l("Isi kata sandi baru.")),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("Kata sandi baru harus %(min)d sampai %(max)d karakter.",
                          min=MIN_PASSWORD_LENGTH, max=200))])
    repeat = PasswordField(_l("Ulangi kata sandi baru"), validators=[
        DataRequired(_l("Ulangi kata sandi baru.")),
        EqualTo("new", message=_l("Kedua kata sandi baru tidak sama."))])
