"""The duty roster: an assignment made on the page puts the officer in the survey form's "who
served you" list on the days it covers, and ending it takes them out; each change is audited."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from surveys.errors import InvalidSubmission
from surveys.models import Counter, CounterAssignment, Response, Staff
from surveys.organization.roster import unit_today
from surveys.responses.form_content import form_content
from surveys.responses.submission import submit_response, survey_form
from tests.admin.test_staff_pages import (  # noqa: F401 (fixtures)
    NEW_NIP,
    audit_rows,
    manager,
    post_form,
    unit,
)
from tests.factories import full_answers

PAGE = "/admin/unit/dukcapil/jadwal"


@pytest.fixture
def newcomer(db, unit):
    officer = Staff(nip=NEW_NIP, name="Dewi Baru", position="Operator", unit_id=unit.unit.id)
    db.session.add(officer)
    db.session.commit()
    return officer


def assignments_of(db, staff_id: int) -> list[CounterAssignment]:
    db.session.expire_all()
    return list(db.session.scalars(select(CounterAssignment)
                                   .where(CounterAssignment.staff_id == staff_id)))


def test_an_assignment_puts_the_officer_on_the_form_and_ending_it_takes_them_off(
        manager, db, unit, newcomer):
    today = unit_today(unit.unit)  # the unit's own calendar day (WITA), as the form reads it
    start = today
    assert "Dewi Baru" not in manager.get(f"/s/{unit.counter_code}").text
    response = post_form(manager, PAGE, counter=str(unit.counter.id), staff=str(newcomer.id),
                         starts_on=start.strftime("%d-%m-%Y"), ends_on="")
    assert response.status_code == 303
    page = manager.get(response.headers["Location"]).text
    assert "Jadwal ditambahkan." in page and "Dewi Baru" in page
    assert "Dewi Baru" in manager.get(f"/s/{unit.counter_code}").text
    [assignment] = assignments_of(db, newcomer.id)
    [created] = audit_rows(db, "assignment")
    assert created.action == "create" and created.unit_id == unit.unit.id
    assert created.after == {"staff_id": newcomer.id, "counter_id": unit.counter.id,
                             "starts_on": start.isoformat(), "ends_on": None}

    yesterday = today - timedelta(days=2)
    ended = post_form(manager, f"{PAGE}/{assignment.id}", starts_on=(today - timedelta(days=7)
                                                                    ).isoformat(),
                      ends_on=yesterday.isoformat())
    assert ended.status_code == 303
    assert "Dewi Baru" not in manager.get(f"/s/{unit.counter_code}").text
    updated = audit_rows(db, "assignment")[-1]
    assert updated.action == "update"
    assert (updated.before["ends_on"], updated.after["ends_on"]) == (None, yesterday.isoformat())
    assert "Sudah berakhir" in manager.get(PAGE).text


def test_a_future_assignment_does_not_show_yet(manager, db, unit, newcomer):
    tomorrow = unit_today(unit.unit) + timedelta(days=2)
    assert post_form(manager, PAGE, counter=str(unit.counter.id), staff=str(newcomer.id),
                     starts_on=tomorrow.isoformat()).status_code == 303
    assert "Dewi Baru" not in manager.get(f"/s/{unit.counter_code}").text


@pytest.mark.parametrize(("fields", "message"), [
    ({"starts_on": ""}, "Isi tanggal mulai bertugas."),
    ({"starts_on": "31-02-2026"}, "Tanggal tidak dikenal."),
    ({"starts_on": "kemarin" * 1000}, "Tanggal tidak dikenal."),
    ({"starts_on": "1800-01-01"}, "Tanggal tidak dikenal."),
    ({"starts_on": "2026-07-10", "ends_on": "2026-07-01"}, "Tanggal selesai tidak boleh sebelum"),
    ({"counter": "abc"}, "Pilih loket dari daftar."),
    ({"counter": "99999"}, "Pilih loket dari daftar."),
    ({"staff": "other"}, "Pilih petugas dari daftar."),  # another unit's officer
    ({"staff": "1e9"}, "Pilih petugas dari daftar."),
])
def test_bad_assignments_are_refused_per_field(manager, db, unit, newcomer, fields, message):
    values = {"counter": str(unit.counter.id), "staff": str(newcomer.id),
              "starts_on": "2026-07-01", "ends_on": "", **fields}
    if values["staff"] == "other":
        values["staff"] = str(unit.other_unit_officer.id)
    response = post_form(manager, PAGE, **values)
    assert response.status_code == 400
    assert message in response.text
    assert assignments_of(db, newcomer.id) == [] and audit_rows(db, "assignment") == []


def test_an_overlapping_assignment_at_the_same_counter_is_refused(manager, db, unit):
    maria = unit.officers[0]  # on duty at L1 from 2026-01-01, open-ended
    response = post_form(manager, PAGE, counter=str(unit.counter.id), staff=str(maria.id),
                         starts_on="2026-08-01", ends_on="2026-08-31")
    assert response.status_code == 400
    assert "sudah terjadwal di loket ini" in response.text
    assert len(assignments_of(db, maria.id)) == 1


def test_another_counter_of_the_unit_and_a_deactivated_counter(manager, db, unit, newcomer):
    second = Counter(unit_id=unit.unit.id, code="L2", name="Loket 2")
    closed = Counter(unit_id=unit.unit.id, code="L9", name="Loket Tutup", active=False)
    db.session.add_all([second, closed])
    db.session.commit()
    assert post_form(manager, PAGE, counter=str(second.id), staff=str(newcomer.id),
                     starts_on="2026-07-01").status_code == 303
    refused = post_form(manager, PAGE, counter=str(closed.id), staff=str(newcomer.id),
                        starts_on="2026-07-01")
    assert refused.status_code == 400 and "Pilih loket dari daftar." in refused.text


def test_another_units_assignment_is_not_found_here(manager, db, unit):
    other_counter = Counter(unit_id=unit.other_unit_officer.unit_id, code="X1", name="Lain")
    db.session.add(other_counter)
    db.session.flush()
    assignment = CounterAssignment(staff_id=unit.other_unit_officer.id,
                                   counter_id=other_counter.id,
                                   starts_on=unit_today(unit.unit))
    db.session.add(assignment)
    db.session.commit()
    assert manager.get(f"{PAGE}/{assignment.id}").status_code == 404


def test_the_form_reads_the_roster_on_the_unit_s_own_calendar_day(db, unit, newcomer):
    """At 07:30 WIT on 14 September it is still the 13th in UTC: the officer on duty from the
    14th in Jayapura is offered, and a citizen may name them; the day before, not yet."""
    unit.unit.timezone = "Asia/Jayapura"
    db.session.add(CounterAssignment(staff=newcomer, counter=unit.counter,
                                     starts_on=date(2026, 9, 14), ends_on=date(2026, 9, 14)))
    db.session.commit()
    morning = datetime(2026, 9, 13, 22, 30, tzinfo=UTC)  # 07:30 WIT on the 14th
    evening = datetime(2026, 9, 13, 14, 30, tzinfo=UTC)  # 23:30 WIT on the 13th
    code = unit.counter_code

    def names(page_officers) -> set[str]:
        return {officer.name for officer in page_officers}

    assert "Dewi Baru" in names(survey_form(db.session, code, morning).officers)
    assert "Dewi Baru" in names(form_content(db.session, code, morning).officers)
    assert "Dewi Baru" not in names(survey_form(db.session, code, evening).officers)
    assert "Dewi Baru" not in names(form_content(db.session, code, evening).officers)
    form = {**full_answers(3), "staff": str(newcomer.id)}
    stored = submit_response(db.session, code, form, submission_key="roster-" + "m" * 16,
                             now=morning)
    assert db.session.get(Response, stored.id).staff_id == newcomer.id
    with pytest.raises(InvalidSubmission) as refused:
        submit_response(db.session, code, form, submission_key="roster-" + "e" * 16, now=evening)
    assert refused.value.errors == {"staff": "unknown"}
