"""A posted survey form turned into clean values, with no database: every answer, code, comment
and contact is checked here. Whether the chosen officer and service belong to the touchpoint is
checked in the database when the response is stored (`surveys.responses.store`)."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from surveys.models.response import AGE_BANDS, EDUCATIONS, GENDERS, OCCUPATIONS, WAITING_BANDS

COMMENT_MAX_CHARS = 2000
CONTACT_MAX_CHARS = 200
REPLY_TICKED = "1"  # the value of the "I want a reply" checkbox
# Optional items stored as columns; blank ("prefer not to say") is NULL.
OPTIONAL_CODES: dict[str, tuple[str, ...]] = {
    "waiting_band": tuple(str(band) for band in WAITING_BANDS),
    "age_band": AGE_BANDS,
    "gender": GENDERS,
    "education": EDUCATIONS,
    "occupation": OCCUPATIONS,
}
NO_OFFICER = "unknown"  # the form's "I don't know / not served by one person" choice
_ANSWER = re.compile(r"^[1-4]$")
_SIGNED_INTEGER = re.compile(r"^-?[0-9]+$")
_ID = re.compile(r"^[0-9]{1,9}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class FormValues:
    """The clean content of one form. `answers` holds u1..u9 and officer_rating (None = blank);
    `texts` maps a text item's id to its text; staff and service are ids not yet checked."""

    answers: dict[str, int | None] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)
    staff_id: int | None = None
    service_id: int | None = None
    optional: dict[str, int | str | None] = field(default_factory=dict)
    reply_contact: str | None = None


def clean_form(items: Iterable, form: Mapping[str, str]) -> tuple[FormValues, dict[str, str]]:
    """(values, problems) of `form` for the instrument `items` (objects with id, code, kind,
    required); problems map each bad field to a code ('required', 'out_of_range', ...)."""
    values, errors = FormValues(), {}
    for item in items:
        if item.kind == "text":
            text = _CONTROL.sub("", form.get(item.code) or "").strip()
            if len(text) > COMMENT_MAX_CHARS:
                errors[item.code] = "too_long"
            elif text:
                values.texts[item.id] = text
            continue
        value, problem = answer_value(form.get(item.code))
        if problem is None and value is None and item.required:
            problem = "required"
        if problem:
            errors[item.code] = problem
        column = "officer_rating" if item.code == "OFFICER" else item.code.lower()
        values.answers[column] = value
    for name in ("staff", "service"):
        chosen, problem = chosen_id(form.get(name))
        setattr(values, f"{name}_id", chosen)
        if problem:
            errors[name] = problem
    for name, allowed in OPTIONAL_CODES.items():
        code, problem = optional_code(form.get(name), allowed)
        if problem:
            errors[name] = problem
        values.optional[name] = int(code) if name == "waiting_band" and code else code
    values.reply_contact, problems = reply_contact(form)
    errors.update(problems)
    return values, errors


def answer_value(raw: str | None) -> tuple[int | None, str | None]:
    """(value, problem) of a 1-4 answer given as text; blank is (None, None)."""
    text = (raw or "").strip()
    if not text:
        return None, None
    if _ANSWER.match(text):
        return int(text), None
    if _SIGNED_INTEGER.match(text):
        return None, "out_of_range"
    return None, "not_an_integer"


def chosen_id(raw: str | None) -> tuple[int | None, str | None]:
    """(id, problem) of an optional choice of officer or service; blank and 'unknown' are None."""
    text = (raw or "").strip()
    if not text or text == NO_OFFICER:
        return None, None
    if _ID.match(text):
        return int(text), None
    return None, "unknown"


def optional_code(raw: str | None, allowed: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(code, problem) of an optional coded answer; blank means "prefer not to say"."""
    text = (raw or "").strip()
    if not text:
        return None, None
    return (text, None) if text in allowed else (None, "unknown")


def reply_contact(form: Mapping[str, str]) -> tuple[str | None, dict[str, str]]:
    """The contact to store for a reply, only when the box is ticked; a contact alone is ignored."""
    ticked = (form.get("reply_wanted") or "").strip()
    if not ticked:
        return None, {}
    if ticked != REPLY_TICKED:
        return None, {"reply_wanted": "unknown"}
    contact = " ".join(_CONTROL.sub("", form.get("reply_contact") or "").split())
    if not contact:
        return None, {"reply_contact": "contact_required"}
    if len(contact) > CONTACT_MAX_CHARS:
        return None, {"reply_contact": "contact_too_long"}
    digits = sum(char.isdigit() for char in contact)
    if _EMAIL.match(contact) or (_PHONE.match(contact) and 8 <= digits <= 15):
        return contact, {}
    return None, {"reply_contact": "contact_invalid"}
