"""The forum service's rules (surveys/forum/service.py): selesai needs evidence and sets the day it
was done (the unit's calendar), reopening clears it; every change is audited with its before and
after; only managers of the unit (or a parent unit) and admins change anything; what reaches the
portal carries no contact, number or officer's name; bad dates and head counts are refused per
field and store nothing."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from surveys.errors import ForumRefused, NotAllowed
from surveys.forum import service
from surveys.models import FollowUpAction, ForumDecision, ForumSession
from tests.access.cast import cast
from tests.forum.data import (
    COUNTS,
    NOW,
    add_action,
    audit_rows,
    forum_with_actions,
    record,
    user,
)


@pytest.fixture
def people(db):
    return cast(db)


def refused(call) -> tuple[str, str | None]:
    with pytest.raises(ForumRefused) as caught:
        call()
    return caught.value.code, caught.value.field


def count(db, model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_session_takes_its_triwulan_and_is_audited(db, people):
    forum = record(db, people.unit.unit)
    assert (forum.period, forum.held_on, forum.participants) == ("2026-Q3", date(2026, 9, 10),
                                                                 COUNTS)
    assert forum.created_by_id == user(db, "manajer").id
    [created] = audit_rows(db, "forum_session")
    assert (created.action, created.actor_label, created.unit_id, created.entity_id) == (
        "create", "manajer", people.unit.unit.id, forum.id)
    assert created.before is None and created.after["held_on"] == "2026-09-10"
    assert created.after["participants"]["masyarakat"] == 12


def test_selesai_without_evidence_is_refused_and_stores_nothing(db, people):
    _forum, decision, _second, action = forum_with_actions(db, people.unit.unit)
    manager = user(db, "manajer")
    for evidence in (None, "", "   \n "):
        assert refused(lambda: service.set_action_status(
            db.session, manager, action, "selesai", evidence, NOW)) == (
            "evidence_required", "evidence")
        assert refused(lambda: service.add_action(
            db.session, manager, decision, what="x", who="Kepala Seksi", due_on="2026-10-30",
            status="selesai", evidence=evidence, now=NOW)) == ("evidence_required", "evidence")
    db.session.rollback()
    assert db.session.get(FollowUpAction, action.id).status == "rencana"
    assert count(db, FollowUpAction) == 1


def test_selesai_sets_the_local_day_done_and_reopening_clears_it(db, people):
    _forum, _first, _second, action = forum_with_actions(db, people.unit.unit)
    manager = user(db, "manajer")
    late_evening = datetime(2026, 10, 7, 17, 30, tzinfo=UTC)  # 8 October, 01:30 WITA
    service.set_action_status(db.session, manager, action, "selesai", "Papan terpasang.",
                              late_evening)
    db.session.commit()
    assert (action.status, action.completed_on, action.evidence) == (
        "selesai", date(2026, 10, 8), "Papan terpasang.")
    # Saving it again as selesai later keeps the day it was done.
    service.set_action_status(db.session, manager, action, "selesai", "Papan terpasang; foto.",
                              datetime(2026, 11, 2, 2, tzinfo=UTC))
    db.session.commit()
    assert action.completed_on == date(2026, 10, 8)
    service.set_action_status(db.session, manager, action, "berjalan", "", NOW)
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(FollowUpAction, action.id)
    assert (row.status, row.completed_on, row.evidence) == ("berjalan", None, None)


def test_each_status_change_is_audited_with_before_and_after(db, people):
    _forum, _first, _second, action = forum_with_actions(db, people.unit.unit)
    service.set_action_status(db.session, user(db, "admin"), action, "selesai", "Selesai.",
                              NOW)
    db.session.commit()
    events = audit_rows(db, "follow_up_action")
    assert [event.action for event in events] == ["create", "status"]
    status = events[-1]
    assert (status.actor_label, status.entity_id, status.unit_id) == (
        "admin", action.id, people.unit.unit.id)
    assert (status.before["status"], status.before["completed_on"], status.before["evidence"]) \
        == ("rencana", None, None)
    assert (status.after["status"], status.after["completed_on"], status.after["evidence"]) == (
        "selesai", "2026-10-05", "Selesai.")
    # An unchanged save writes no row.
    service.set_action_status(db.session, user(db, "admin"), action, "selesai", "Selesai.", NOW)
    db.session.commit()
    assert len(audit_rows(db, "follow_up_action")) == 2


def test_a_manager_of_another_unit_is_refused_everywhere(db, people):
    forum, decision, second, action = forum_with_actions(db, people.unit.unit)
    other = user(db, "manajer.lain")
    calls = [
        lambda: service.record_session(db.session, other, people.unit.unit,
                                       held_on="2026-09-01", place="Aula", participants=COUNTS,
                                       points="x", now=NOW),
        lambda: service.edit_session(db.session, other, forum, held_on="2026-09-01",
                                     place="Aula", participants=COUNTS, points="x", now=NOW),
        lambda: service.add_decision(db.session, other, forum, "Keputusan lain"),
        lambda: service.edit_decision(db.session, other, decision, "Diubah"),
        lambda: service.remove_decision(db.session, other, second),
        lambda: service.add_action(db.session, other, decision, what="x", who="Kepala",
                                   due_on="2026-10-30", now=NOW),
        lambda: service.edit_action(db.session, other, action, what="x", who="Kepala",
                                    due_on="2026-10-30"),
        lambda: service.set_action_status(db.session, other, action, "berjalan", None, NOW),
    ]
    for call in calls:
        with pytest.raises(NotAllowed):
            call()
        db.session.rollback()
    assert (count(db, ForumSession), count(db, ForumDecision), count(db, FollowUpAction)) == (
        1, 2, 1)
    assert db.session.get(ForumDecision, decision.id).text == "Memasang papan"


def test_the_manager_of_a_parent_unit_records_for_its_sub_unit(db, people):
    forum = record(db, people.sub)
    assert forum.unit_id == people.sub.id
    with pytest.raises(NotAllowed):
        record(db, people.sub, by="manajer.lain")


@pytest.mark.parametrize(("changes", "expected"), [
    ({"held_on": "10-09-2026"}, ("bad_date", "held_on")),
    ({"held_on": "2026-02-30"}, ("bad_date", "held_on")),
    ({"held_on": "1999-12-31"}, ("bad_date", "held_on")),
    ({"held_on": "2026-10-06"}, ("in_future", "held_on")),  # NOW is 5 October in Kupang
    ({"held_on": "2026-09-10\x00"}, ("bad_date", "held_on")),
    ({"place": "  "}, ("required", "place")),
    ({"place": "x" * 201}, ("too_long", "place")),
    ({"points": "a\x00b"}, ("control", "points")),
    ({"points": "x" * 2001}, ("too_long", "points")),
    ({"points": "Hubungi 0812-3456-7890"}, ("personal_data", "points")),
    ({"place": "Rumah Maria Ndun"}, ("officer_name", "place")),
    ({"participants": {**COUNTS, "media": "-3"}}, ("negative", "participants_media")),
    ({"participants": {**COUNTS, "media": -3}}, ("negative", "participants_media")),
    ({"participants": {**COUNTS, "lsm": "tiga"}}, ("not_a_count", "participants_lsm")),
    ({"participants": {**COUNTS, "lsm": "2.5"}}, ("not_a_count", "participants_lsm")),
    ({"participants": {**COUNTS, "tokoh": "9" * 30}}, ("too_many", "participants_tokoh")),
    ({"participants": {**COUNTS, "tokoh": 100_001}}, ("too_many", "participants_tokoh")),
    ({"participants": {group: 0 for group in COUNTS}}, ("no_participants", "participants")),
    ({"participants": {**COUNTS, "warga": 3}}, ("unknown_group", "participants")),
])
def test_bad_session_input_is_refused_per_field(db, people, changes, expected):
    with pytest.raises(ForumRefused) as caught:
        record(db, people.unit.unit, **changes)
    assert (caught.value.code, caught.value.field) == expected
    assert count(db, ForumSession) == 0


@pytest.mark.parametrize(("changes", "expected"), [
    ({"who": "Ibu Kepala, 081234567890"}, ("personal_data", "who")),
    ({"who": "kepala@dukcapil.go.id"}, ("personal_data", "who")),
    ({"who": "Kasi Pelayanan (NIP 198503122010011001)"}, ("personal_data", "who")),
    ({"who": "Bapak YOHANES LAKE"}, ("officer_name", "who")),
    ({"who": "x" * 201}, ("too_long", "who")),
    ({"what": "Kirim ke warga@contoh.id"}, ("personal_data", "what")),
    ({"status": "selesai", "evidence": "Lapor ke 0380 821 234"}, ("personal_data", "evidence")),
    ({"due_on": "2026-09-09"}, ("before_session", "due_on")),
    ({"due_on": "kemarin"}, ("bad_date", "due_on")),
    ({"status": "batal"}, ("unknown_status", "status")),
    ({"status": None}, ("unknown_status", "status")),
])
def test_bad_action_input_is_refused_per_field(db, people, changes, expected):
    forum = record(db, people.unit.unit)
    decision = service.add_decision(db.session, user(db, "manajer"), forum, "Keputusan")
    db.session.commit()
    with pytest.raises(ForumRefused) as caught:
        add_action(db, decision, **changes)
    assert (caught.value.code, caught.value.field) == expected
    assert count(db, FollowUpAction) == 0


def test_dates_times_and_amounts_are_no_personal_data(db, people):
    forum = record(db, people.unit.unit, points="Rapat 10-09-2026 pukul 09.00, biaya Rp 15.000.000")
    assert "15.000.000" in forum.points


def test_a_decision_with_actions_stays_one_without_goes(db, people):
    forum, first, second, _action = forum_with_actions(db, people.unit.unit)
    manager = user(db, "manajer")
    assert refused(lambda: service.remove_decision(db.session, manager, first)) == (
        "has_actions", None)
    db.session.rollback()
    second_id = second.id
    service.remove_decision(db.session, manager, db.session.get(ForumDecision, second_id))
    db.session.commit()
    assert [d.text for d in db.session.get(ForumSession, forum.id).decisions] == [
        "Memasang papan"]
    removed = audit_rows(db, "forum_decision")[-1]
    assert (removed.action, removed.entity_id, removed.before["text"], removed.after) == (
        "delete", second_id, "Menambah loket", None)


def test_a_session_moved_to_another_triwulan_takes_its_actions_along(db, people):
    forum, _first, _second, action = forum_with_actions(db, people.unit.unit)
    service.edit_session(db.session, user(db, "manajer"), forum, held_on="2026-10-01",
                         place="Aula baru", participants=COUNTS, points="Antrean", now=NOW)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(ForumSession, forum.id).period == "2026-Q4"
    assert db.session.get(FollowUpAction, action.id).period == "2026-Q4"
    update = [e for e in audit_rows(db, "forum_session") if e.action == "update"][-1]
    assert (update.before["period"], update.after["period"]) == ("2026-Q3", "2026-Q4")
    assert (update.before["place"], update.after["place"]) == ("Aula kantor", "Aula baru")
    moved = audit_rows(db, "follow_up_action")[-1]
    assert (moved.action, moved.before["period"], moved.after["period"]) == (
        "update", "2026-Q3", "2026-Q4")
