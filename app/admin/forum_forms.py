"""Forms of the Forum Konsultasi Publik pages, every message in Bahasa Indonesia (WTForms has no
Indonesian catalog). Dates, head counts and statuses travel as text and are checked by the
service (surveys/forum/), whose refusals the pages word per field; WTForms' own messages
("Not a valid integer value") would reach the user in English."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from surveys.forum.rules import SHORT_MAX, TEXT_MAX, participant_field
from surveys.models.forum import PARTICIPANT_GROUPS

TOO_LONG = _l("Paling banyak 2000 karakter.")
TOO_LONG_SHORT = _l("Paling banyak 200 karakter.")
DAY_MAX = 10  # YYYY-MM-DD
COUNT_INPUT_MAX = 12  # longer is no head count: the service says so
STATUS_NAMES = {"rencana": _l("rencana"), "berjalan": _l("berjalan"), "selesai": _l("selesai")}
GROUP_NAMES = {
    "masyarakat": _l("Masyarakat pengguna layanan"),
    "tokoh": _l("Tokoh masyarakat, adat, atau agama"),
    "akademisi": _l("Akademisi"),
    "media": _l("Media"),
    "lsm": _l("LSM atau organisasi masyarakat sipil"),
    "unit": _l("Unit penyelenggara"),
    "lainnya": _l("Lainnya"),
}
WHO_LABEL = _l("Penanggung jawab (jabatan)")


def _day(label) -> StringField:
    return StringField(label, render_kw={"type": "date", "maxlength": DAY_MAX},
                       validators=[DataRequired(_l("Tanggal wajib diisi (TTTT-BB-HH)."))])


class SessionForm(FlaskForm):
    """A forum session: when, where, who came (head counts by group) and what was raised."""

    held_on = _day(_l("Tanggal forum"))
    place = StringField(_l("Tempat"), validators=[
        DataRequired(_l("Tempat wajib diisi.")), Length(max=SHORT_MAX, message=TOO_LONG_SHORT)])
    points = TextAreaField(_l("Hal yang disampaikan peserta"), validators=[
        DataRequired(_l("Hal yang disampaikan wajib diisi.")),
        Length(max=TEXT_MAX, message=TOO_LONG)])

    def participant_fields(self) -> list:
        return [self[participant_field(group)] for group in PARTICIPANT_GROUPS]

    def participants(self) -> dict[str, str]:
        return {group: self[participant_field(group)].data or ""
                for group in PARTICIPANT_GROUPS}


for _group in PARTICIPANT_GROUPS:  # one head count per group, checked by the service
    setattr(SessionForm, participant_field(_group), StringField(
        GROUP_NAMES[_group], default="0",
        render_kw={"inputmode": "numeric", "maxlength": COUNT_INPUT_MAX, "size": 6}))


class DecisionForm(FlaskForm):
    text = TextAreaField(_l("Keputusan forum"), validators=[
        DataRequired(_l("Keputusan wajib diisi.")), Length(max=TEXT_MAX, message=TOO_LONG)])


class RemoveDecisionForm(FlaskForm):
    """Removing a decision recorded by mistake: nothing to fill in but the CSRF token."""


class ActionEditForm(FlaskForm):
    """What is to be done, by which position, by when."""

    what = TextAreaField(_l("Rencana tindak lanjut"), validators=[
        DataRequired(_l("Rencana tindak lanjut wajib diisi.")),
        Length(max=TEXT_MAX, message=TOO_LONG)])
    who = StringField(WHO_LABEL, validators=[
        DataRequired(_l("Penanggung jawab (jabatan) wajib diisi.")),
        Length(max=SHORT_MAX, message=TOO_LONG_SHORT)])
    due_on = _day(_l("Batas waktu"))


class StatusForm(FlaskForm):
    """The action's status and, once done, the evidence of completion."""

    status = SelectField(_l("Status"), validate_choice=False, choices=[
        SelectChoice(value, label) for value, label in STATUS_NAMES.items()])
    evidence = TextAreaField(_l("Bukti penyelesaian"), validators=[
        Length(max=TEXT_MAX, message=TOO_LONG)])


class ActionForm(ActionEditForm, StatusForm):
    """A new follow-up action of a decision, with its first status."""
