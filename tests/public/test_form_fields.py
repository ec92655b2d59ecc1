"""The form's optional parts: waiting time, a reply to the comment, the respondent profile.

Each is stored only when given, "prefer not to say" is NULL, and a bad value is refused by name
with nothing saved.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.public.forms import PROFILE_CHOICES, WAITING_LABELS
from surveys.models import ReplyRequest, Response
from surveys.models.response import AGE_BANDS, EDUCATIONS, GENDERS, OCCUPATIONS, WAITING_BANDS
from tests.factories import full_answers, hidden_fields, make_unit


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def counts(db) -> tuple[int, int]:
    """(responses, reply requests) in the database."""
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Response)),
            db.session.scalar(select(func.count()).select_from(ReplyRequest)))


def post(client, code: str, **fields):
    form = {**hidden_fields(client.get(f"/s/{code}").text), **full_answers(3), **fields}
    return client.post(f"/s/{code}", data=form)


def test_form_offers_every_allowed_code_and_prefer_not_to_say(client, unit):
    page = client.get(f"/s/{unit.counter_code}").text
    # The labels cover exactly the codes the database accepts.
    assert tuple(WAITING_LABELS) == WAITING_BANDS
    assert {name: tuple(choices) for name, choices in PROFILE_CHOICES.items()} == {
        "age_band": AGE_BANDS, "gender": GENDERS, "education": EDUCATIONS, "occupation": OCCUPATIONS,
    }
    for band in WAITING_BANDS:
        assert f'name="waiting_band" value="{band}"' in page
    for name, codes in (("age_band", AGE_BANDS), ("gender", GENDERS),
                        ("education", EDUCATIONS), ("occupation", OCCUPATIONS)):
        select_html = re.search(rf'<select name="{name}" id="{name}">(.*?)</select>', page, re.S).group(1)
        offered = re.findall(r'<option value="([^"]*)"', select_html)
        assert offered == ["", *codes]
        assert "Tidak ingin menyebutkan" in select_html
    assert "Kurang dari 15 menit" in page and "Lebih dari 2 jam" in page


def test_optional_parts_come_after_the_nine_unsur_in_their_own_fieldset(client, unit):
    page = client.get(f"/s/{unit.counter_code}").text
    assert page.index('id="f-U9"') < page.index('id="f-waiting_band"') < page.index('id="f-profile"')
    profile = page[page.index('id="f-profile"'):]
    profile = profile[:profile.index("</fieldset>")]
    assert "<legend>Tentang Anda (tidak wajib)</legend>" in profile
    for name in ("age_band", "gender", "education", "occupation"):
        assert f'<label for="{name}">' in profile
    assert "UU 27/2022" in page and "dihapus paling lambat 365 hari" in page


def test_contact_field_is_there_without_javascript_and_says_when_it_is_used(client, unit):
    page = client.get(f"/s/{unit.counter_code}").text
    contact = re.search(r'<div id="f-reply_contact">(.*?)</div>', page, re.S).group(1)
    assert "hanya jika Anda ingin dibalas" in contact
    assert 'name="reply_contact"' in contact and 'maxlength="200"' in contact
    assert " hidden" not in contact  # only the optional script hides it
    assert '<input type="checkbox" name="reply_wanted" id="reply_wanted" value="1">' in page


def test_waiting_time_and_profile_are_stored(client, db, unit):
    posted = post(client, unit.counter_code, waiting_band="4", age_band="35-44", gender="P",
                  education="s2+", occupation="tni_polri")
    assert posted.status_code == 303
    saved = db.session.scalars(select(Response)).one()
    assert (saved.waiting_band, saved.age_band, saved.gender, saved.education, saved.occupation) == (
        4, "35-44", "P", "s2+", "tni_polri")


def test_prefer_not_to_say_and_left_out_are_stored_as_null(client, db, unit):
    assert post(client, unit.counter_code, waiting_band="", age_band="", gender="  ",
                education="").status_code == 303
    saved = db.session.scalars(select(Response)).one()
    assert (saved.waiting_band, saved.age_band, saved.gender, saved.education, saved.occupation) == (
        None, None, None, None, None)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"waiting_band": "6"}, "waiting_band"),
        ({"waiting_band": "0"}, "waiting_band"),
        ({"waiting_band": "2.5"}, "waiting_band"),
        ({"waiting_band": "lama"}, "waiting_band"),
        ({"age_band": "12-16"}, "age_band"),
        ({"age_band": "65"}, "age_band"),
        ({"gender": "X"}, "gender"),
        ({"gender": "l"}, "gender"),
        ({"education": "s3"}, "education"),
        ({"occupation": "x" * 5000}, "occupation"),
        ({"reply_wanted": "yes please"}, "reply_wanted"),
    ],
)
def test_unknown_code_is_refused_naming_the_field(client, db, unit, change, field):
    refused = post(client, unit.counter_code, COMMENT="Antrean panjang", **change)
    assert refused.status_code == 422
    assert f'<a href="#f-{field}">{field}</a>' in refused.text
    assert "Pilihan ini tidak dikenal" in refused.text
    assert counts(db) == (0, 0)
    # What the citizen typed is still there to fix.
    assert "Antrean panjang" in refused.text


def test_unknown_code_is_refused_on_the_english_form_too(client, db, unit):
    client.get(f"/s/{unit.counter_code}?lang=en")
    refused = post(client, unit.counter_code, age_band="99+")
    assert refused.status_code == 422
    assert '<html lang="en">' in refused.text
    assert '<a href="#f-age_band">age_band</a>' in refused.text
    assert counts(db) == (0, 0)


@pytest.mark.parametrize("contact", ["0812 3456 7890", "+62 812-3456-7890", "warga@contoh.id"])
def test_reply_request_is_stored_apart_only_when_the_box_is_ticked(client, db, unit, contact):
    posted = post(client, unit.counter_code, COMMENT="Mohon info syarat KK", reply_wanted="1",
                  reply_contact=f"  {contact} ")
    assert posted.status_code == 303
    saved = db.session.scalars(select(Response)).one()
    assert saved.reply_request.contact == contact
    # The contact is never among the anonymous answers.
    assert all(contact not in (answer.value_text or "") for answer in saved.answers)


def test_contact_without_the_box_is_ignored(client, db, unit):
    posted = post(client, unit.counter_code, COMMENT="Bagus", reply_contact="0812 3456 7890")
    assert posted.status_code == 303
    assert counts(db) == (1, 0)


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ("", "tuliskan nomor HP atau alamat e-mail"),
        ("   \x00 ", "tuliskan nomor HP atau alamat e-mail"),
        ("0812" + "3" * 197, "paling banyak 200 karakter"),
        ("telepon saya", "Tuliskan nomor HP"),
        ("12345", "Tuliskan nomor HP"),
        ("warga@", "Tuliskan nomor HP"),
    ],
)
def test_ticked_box_needs_a_usable_contact(client, db, unit, contact, message):
    refused = post(client, unit.counter_code, COMMENT="Mohon dibalas", reply_wanted="1",
                   reply_contact=contact)
    assert refused.status_code == 422
    assert '<a href="#f-reply_contact">reply_contact</a>' in refused.text
    assert message in refused.text
    assert 'id="e-reply_contact"' in refused.text
    assert counts(db) == (0, 0)
    assert 'name="reply_wanted" id="reply_wanted" value="1" checked' in refused.text


def test_every_bad_optional_field_is_named_at_once(client, db, unit):
    refused = post(client, unit.counter_code, U2="", waiting_band="9", gender="?",
                   reply_wanted="1", reply_contact="")
    assert refused.status_code == 422
    for field in ("U2", "waiting_band", "gender", "reply_contact"):
        assert f'href="#f-{field}"' in refused.text
    assert counts(db) == (0, 0)


def test_unknown_fields_are_ignored(client, db, unit):
    posted = post(client, unit.counter_code, nik="5371010101010001", reply_request_contact="x",
                  channel="paper", staff_id="1")
    assert posted.status_code == 303
    saved = db.session.scalars(select(Response)).one()
    assert (saved.channel, saved.staff_id) == ("counter_qr", None)
    assert counts(db) == (1, 0)


def test_resubmitting_with_a_reply_request_stores_one_of_each(client, db, unit):
    form = {**hidden_fields(client.get(f"/s/{unit.counter_code}").text), **full_answers(2),
            "COMMENT": "Tolong dibalas", "reply_wanted": "1", "reply_contact": "warga@contoh.id"}
    first = client.post(f"/s/{unit.counter_code}", data=form)
    again = client.post(f"/s/{unit.counter_code}", data=form)
    assert first.headers["Location"] == again.headers["Location"]
    assert counts(db) == (1, 1)
