"""The citizen's form: shows the instrument, saves a whole response exactly once, refuses bad input."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveys.db import utcnow
from surveys.models import Answer, Response, Touchpoint
from tests.factories import full_answers, hidden_fields, make_unit


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def response_count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Response))


def open_form(client, code: str, query: str = "") -> dict[str, str]:
    page = client.get(f"/s/{code}{query}")
    assert page.status_code == 200
    return hidden_fields(page.text)


def test_index_lists_units_with_links_to_their_forms(client, unit):
    page = client.get("/")
    assert page.status_code == 200
    assert "Dinas Dukcapil Uji" in page.text
    assert f'href="/s/{unit.counter_code}"' in page.text


def test_form_shows_the_nine_unsur_with_official_labels(client, unit):
    page = client.get(f"/s/{unit.counter_code}")
    assert page.status_code == 200
    for j in range(1, 10):
        for value in range(1, 5):
            assert f'name="U{j}" value="{value}"' in page.text
    assert "Sangat sopan dan ramah" in page.text
    assert "Dikelola dengan baik" in page.text
    assert "Maria Ndun" in page.text  # an officer on duty at this counter


def test_form_in_english(client, unit):
    page = client.get(f"/s/{unit.counter_code}?lang=en")
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert "Very polite and friendly" in page.text
    assert "Sangat sopan dan ramah" not in page.text


def test_valid_submission_is_saved_whole_and_shows_a_receipt(client, db, unit):
    fields = open_form(client, unit.counter_code)
    officer = unit.officers[0]
    form = {**fields, **full_answers(3), "U4": "4", "OFFICER": "4", "COMMENT": "Cepat\x00 dan ramah",
            "staff": str(officer.id), "service": str(unit.services[0].id)}
    posted = client.post(f"/s/{unit.counter_code}", data=form)
    assert posted.status_code == 303
    thanks = client.get(posted.headers["Location"])
    assert thanks.status_code == 200
    saved = db.session.scalars(select(Response)).one()
    assert saved.receipt in thanks.text
    assert saved.unsur() == {**{f"U{j}": 3 for j in range(1, 10)}, "U4": 4}
    assert (saved.officer_rating, saved.staff_id, saved.service_id) == (4, officer.id, unit.services[0].id)
    assert (saved.channel, saved.counter_id) == ("counter_qr", unit.counter.id)
    assert db.session.scalars(select(Answer.value_text)).one() == "Cepat dan ramah"


def test_resubmitting_the_same_form_counts_once(client, db, unit):
    fields = open_form(client, unit.counter_code)
    form = {**fields, **full_answers(4)}
    first = client.post(f"/s/{unit.counter_code}", data=form)
    again = client.post(f"/s/{unit.counter_code}", data=form)
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert response_count(db) == 1
    # A freshly rendered form is a new citizen: it counts.
    client.post(f"/s/{unit.counter_code}", data={**open_form(client, unit.counter_code), **full_answers(2)})
    assert response_count(db) == 2


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"U3": ""}, "U3", "wajib dijawab"),
        ({"U5": "5"}, "U5", "1 sampai 4"),
        ({"U1": "0"}, "U1", "1 sampai 4"),
        ({"U2": "tiga"}, "U2", "angka 1 sampai 4"),
        ({"U6": "3.5"}, "U6", "angka 1 sampai 4"),
        ({"OFFICER": "9"}, "OFFICER", "1 sampai 4"),
        ({"COMMENT": "x" * 2001}, "COMMENT", "terlalu panjang"),
    ],
)
def test_bad_answer_is_refused_naming_the_field_and_nothing_is_saved(client, db, unit, change, field, message):
    form = {**open_form(client, unit.counter_code), **full_answers(4), **change}
    refused = client.post(f"/s/{unit.counter_code}", data=form)
    assert refused.status_code == 422
    assert f'href="#f-{field}">{field}</a>' in refused.text
    assert message in refused.text
    assert response_count(db) == 0
    # The citizen's other answers are kept on the page.
    assert 'name="U9" value="4" checked' in refused.text


def test_missing_unsur_field_entirely_is_refused(client, db, unit):
    form = {**open_form(client, unit.counter_code), **full_answers(4)}
    del form["U7"]
    refused = client.post(f"/s/{unit.counter_code}", data=form)
    assert refused.status_code == 422
    assert 'href="#f-U7">U7</a>' in refused.text
    assert response_count(db) == 0


def test_officer_of_another_unit_or_unknown_is_refused(client, db, unit):
    for staff in (str(unit.other_unit_officer.id), "999999", "'; DROP TABLE response; --"):
        form = {**open_form(client, unit.counter_code), **full_answers(4), "staff": staff}
        refused = client.post(f"/s/{unit.counter_code}", data=form)
        assert refused.status_code == 422
        assert 'href="#f-staff">' in refused.text
    assert response_count(db) == 0


def test_personal_code_names_its_officer_whatever_the_form_says(client, db, unit):
    form = {**open_form(client, unit.personal_code), **full_answers(4),
            "staff": str(unit.officers[0].id)}
    assert client.post(f"/s/{unit.personal_code}", data=form).status_code == 303
    saved = db.session.scalars(select(Response)).one()
    assert (saved.staff_id, saved.channel) == (unit.officers[1].id, "staff_qr")


def test_missing_csrf_token_is_refused(client, db, unit):
    form = {**open_form(client, unit.counter_code), **full_answers(4)}
    del form["csrf_token"]
    refused = client.post(f"/s/{unit.counter_code}", data=form)
    assert refused.status_code == 400
    assert "Muat ulang halaman" in refused.text
    assert response_count(db) == 0


def test_unknown_and_revoked_codes_get_polite_pages(client, db, unit):
    unknown = client.get("/s/no-such-code")
    assert unknown.status_code == 404
    assert "tidak dikenal" in unknown.text
    touchpoint = db.session.scalars(select(Touchpoint).where(Touchpoint.public_code == unit.counter_code)).one()
    fields = open_form(client, unit.counter_code)
    touchpoint.revoked_at = utcnow()
    db.session.commit()
    retired = client.get(f"/s/{unit.counter_code}")
    assert retired.status_code == 410
    assert "sudah tidak digunakan lagi" in retired.text
    late = client.post(f"/s/{unit.counter_code}", data={**fields, **full_answers(4)})
    assert late.status_code == 410
    assert response_count(db) == 0


def test_oversized_post_is_refused_cleanly(client, db, unit):
    form = {**open_form(client, unit.counter_code), **full_answers(4), "junk": "x" * 200_000}
    refused = client.post(f"/s/{unit.counter_code}", data=form)
    assert refused.status_code == 413
    assert response_count(db) == 0


def test_unknown_receipt_is_not_found(client, unit):
    assert client.get("/terima-kasih/SW-XXXX-XXXX-XXXX").status_code == 404
