"""Forms of a complaint's page, every message in Bahasa Indonesia (WTForms has no Indonesian
catalog). Choices are checked by the service (surveys/complaints/service.py), not by WTForms,
whose own "Not a valid choice" would reach the user in English."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from surveys.complaints.rules import TEXT_MAX

TOO_LONG = _l("Paling banyak %(n)s karakter.", n=TEXT_MAX)
STATUS_NAMES = {"baru": _l("baru"), "diproses": _l("diproses"), "selesai": _l("selesai")}


class AssignForm(FlaskForm):
    """Who handles the complaint: a person with a grant on its unit, or nobody ("")."""

    handler = SelectField(_l("Penanggung jawab"), choices=[], validate_choice=False)


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), validate_choice=False,
                         choices=[SelectChoice(value, label)
                                  for value, label in STATUS_NAMES.items()])


class ReplyForm(FlaskForm):
    """The reply to the citizen's contact, also shown on their tracking page."""

    reply = TextAreaField(_l("Balasan kepada warga"), validators=[
        DataRequired(_l("Balasan wajib diisi.")), Length(max=TEXT_MAX, message=TOO_LONG)])


class PublicReplyForm(FlaskForm):
    """The moderated reply for the portal: no name, contact or number of a person."""

    public_reply = TextAreaField(_l("Balasan publik"), validators=[
        DataRequired(_l("Balasan publik wajib diisi.")), Length(max=TEXT_MAX, message=TOO_LONG)])


class UnpublishForm(FlaskForm):
    """Taking the public reply off the portal: nothing to fill in but the CSRF token."""
