"""The forum pages in the web UI (issue 14): a manager records a session, adds its decisions and
their follow-up actions, moves an action to selesai (refused without evidence, with the message
on the evidence field) and reopens it. Hostile input (bad or NUL dates, negative, huge or
non-numeric head counts, overlong or NUL text, unknown, foreign and huge ids) is a 400 or 404
with an Indonesian message and stores nothing, never a 500. The pages' clock is
`app.admin.forum.utcnow`, moved here with monkeypatch."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.admin import forum as pages
from surveys.forum import service
from surveys.models import AuditEvent, FollowUpAction, ForumDecision, ForumSession
from surveys.models.forum import PARTICIPANT_GROUPS
from tests.access.cast import cast, client_as
from tests.forum.data import (
    NOW,
    add_action,
    field_errors,
    forum_with_actions,
    record,
    text,
    token,
    user,
)

FORUM = "/admin/unit/dukcapil/forum"
ACTIONS = "/admin/unit/dukcapil/tindak-lanjut"


@pytest.fixture
def people(db, monkeypatch):
    monkeypatch.setattr(pages, "utcnow", lambda: NOW)
    return cast(db)


@pytest.fixture
def manager(app, people):
    return client_as(app, "manager")


def session_fields(**changes) -> dict[str, str]:
    fields = {"held_on": "2026-09-10", "place": "Aula Kantor Dukcapil",
              "points": "Antrean pagi panjang\nPapan persyaratan kurang jelas",
              **{f"participants_{group}": "0" for group in PARTICIPANT_GROUPS},
              "participants_masyarakat": "15", "participants_unit": "4"}
    fields.update(changes)
    return fields


def post(client, path: str, **fields):
    return client.post(path, data={"csrf_token": token(client), **fields})


def counts(db) -> tuple[int, int, int, int]:
    db.session.rollback()
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (
        ForumSession, ForumDecision, FollowUpAction, AuditEvent))


def test_record_a_session_its_decisions_and_actions_then_finish_and_reopen(db, manager):
    recorded = post(manager, FORUM, **session_fields())
    assert recorded.status_code == 303
    forum = db.session.scalars(select(ForumSession)).one()
    assert recorded.location.endswith(f"{FORUM}/{forum.id}")
    assert (forum.period, forum.held_on, forum.participants["masyarakat"]) == (
        "2026-Q3", date(2026, 9, 10), 15)
    listing = text(manager.get(f"{FORUM}?periode=2026-Q3"))
    row = re.search(rf'<tr id="forum-{forum.id}">(.*?)</tr>', listing, re.S).group(1)
    assert "10-09-2026" in row and "Aula Kantor Dukcapil" in row and "<td>19</td>" in row

    page = f"{FORUM}/{forum.id}"
    assert post(manager, f"{page}/keputusan", text="Memasang papan persyaratan").status_code \
        == 303
    decision = db.session.scalars(select(ForumDecision)).one()
    added = post(manager, f"{page}/keputusan/{decision.id}/tindak-lanjut", **{
        f"n{decision.id}-what": "Mencetak papan persyaratan",
        f"n{decision.id}-who": "Kepala Subbagian Umum",
        f"n{decision.id}-due_on": "2026-09-30", f"n{decision.id}-status": "berjalan",
        f"n{decision.id}-evidence": ""})
    assert added.status_code == 303
    action = db.session.scalars(select(FollowUpAction)).one()
    assert (action.period, action.status, action.decision_id) == ("2026-Q3", "berjalan",
                                                                  decision.id)
    shown = text(manager.get(page))
    assert "Memasang papan persyaratan" in shown and "Mencetak papan persyaratan" in shown

    # Overdue on the unit's page: berjalan, due 30 September, today 5 October.
    listed = text(manager.get(ACTIONS))
    cells = re.search(rf'<tr id="tindak-lanjut-{action.id}" class="overdue">(.*?)</tr>',
                      listed, re.S).group(1)
    assert "terlambat" in cells and "Kepala Subbagian Umum" in cells

    status = f"{ACTIONS}/{action.id}/status"
    key = f"s{action.id}"
    refused = post(manager, status, **{f"{key}-status": "selesai", f"{key}-evidence": "  "})
    assert refused.status_code == 400
    assert field_errors(text(refused), f"{key}-evidence") == [
        "Status selesai memerlukan bukti penyelesaian: tulis apa yang sudah dilakukan dan di "
        "mana buktinya dapat dilihat."]
    db.session.expire_all()
    assert db.session.get(FollowUpAction, action.id).status == "berjalan"

    done = post(manager, status, **{f"{key}-status": "selesai",
                                    f"{key}-evidence": "Papan terpasang di ruang tunggu."})
    assert done.status_code == 303
    db.session.expire_all()
    row = db.session.get(FollowUpAction, action.id)
    assert (row.status, row.completed_on) == ("selesai", date(2026, 10, 5))
    listed = text(manager.get(ACTIONS))
    assert f'<tr id="tindak-lanjut-{action.id}">' in listed  # no longer overdue
    assert "selesai 05-10-2026" in listed

    reopened = post(manager, status, **{f"{key}-status": "berjalan",
                                        f"{key}-evidence": "Papan terpasang di ruang tunggu."})
    assert reopened.status_code == 303
    db.session.expire_all()
    assert db.session.get(FollowUpAction, action.id).completed_on is None
    actions = [e.action for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "follow_up_action"))]
    assert actions == ["create", "status", "status"]


def test_edit_a_session_a_decision_and_an_action(db, people, manager):
    forum, decision, second, action = forum_with_actions(db, people.unit.unit)
    page = f"{FORUM}/{forum.id}"
    assert post(manager, f"{page}/ubah", **session_fields(place="Balai Kelurahan")) \
        .status_code == 303
    assert post(manager, f"{page}/keputusan/{decision.id}/ubah",
                **{f"d{decision.id}-text": "Memasang papan di dua loket"}).status_code == 303
    assert post(manager, f"{ACTIONS}/{action.id}/ubah", **{
        f"e{action.id}-what": "Papan di dua loket", f"e{action.id}-who": "Kepala Seksi",
        f"e{action.id}-due_on": "2026-11-15"}).status_code == 303
    assert post(manager, f"{page}/keputusan/{second.id}/hapus").status_code == 303
    db.session.expire_all()
    forum = db.session.get(ForumSession, forum.id)
    assert forum.place == "Balai Kelurahan"
    assert [d.text for d in forum.decisions] == ["Memasang papan di dua loket"]
    action = db.session.get(FollowUpAction, action.id)
    assert (action.what, action.who, action.due_on) == ("Papan di dua loket", "Kepala Seksi",
                                                        date(2026, 11, 15))
    # The decision with an action stays: 409 with the reason, nothing removed.
    kept = post(manager, f"{page}/keputusan/{decision.id}/hapus")
    assert kept.status_code == 409 and "tidak dapat dihapus" in text(kept)
    assert counts(db)[1] == 1


HOSTILE_SESSIONS = [
    ({"held_on": "2026-13-01"}, "held_on", "Tanggal tidak sah"),
    ({"held_on": "31-12-2026"}, "held_on", "Tanggal tidak sah"),
    ({"held_on": "2026-09-10\x00"}, "held_on", "Tanggal tidak sah"),
    ({"held_on": "9" * 5000}, "held_on", "Tanggal tidak sah"),
    ({"held_on": ""}, "held_on", "Tanggal wajib diisi"),
    ({"held_on": "2026-12-25"}, "held_on", "tidak boleh setelah hari ini"),
    ({"participants_media": "-5"}, "participants_media", "tidak boleh negatif"),
    ({"participants_media": "99999999999999999999999"}, "participants_media",
     "paling banyak 100000"),
    ({"participants_media": "100001"}, "participants_media", "paling banyak 100000"),
    ({"participants_lsm": "lima"}, "participants_lsm", "bilangan bulat"),
    ({"participants_lsm": "1e3"}, "participants_lsm", "bilangan bulat"),
    ({"participants_lsm": "3\x00"}, "participants_lsm", "bilangan bulat"),
    ({"place": "x" * 201}, "place", "Paling banyak 200 karakter"),
    ({"place": "Aula\x00"}, "place", "karakter kendali"),
    ({"points": "x" * 2001}, "points", "Paling banyak 2000 karakter"),
    ({"points": "   "}, "points", "wajib diisi"),
    ({"points": "Hubungi kami di 0812 3456 7890"}, "points", "nomor telepon"),
]


@pytest.mark.parametrize(("changes", "field", "message"), HOSTILE_SESSIONS)
def test_hostile_session_input_is_a_400_with_the_fields_message(db, manager, changes, field,
                                                                 message):
    before = counts(db)
    answer = post(manager, FORUM, **session_fields(**changes))
    assert answer.status_code == 400
    errors = field_errors(text(answer), field)
    assert any(message in error for error in errors), errors
    assert counts(db) == before


def test_no_participant_at_all_is_said_on_the_form(db, manager):
    empty = {f"participants_{group}": "" for group in PARTICIPANT_GROUPS}
    answer = post(manager, FORUM, **session_fields(**empty))
    assert answer.status_code == 400
    assert "Isi jumlah peserta, paling sedikit satu orang." in text(answer)
    assert counts(db)[0] == 0


HOSTILE_ACTIONS = [
    ({"due_on": "2026-02-30"}, "due_on", "Tanggal tidak sah"),
    ({"due_on": "2026-09-01"}, "due_on", "tidak boleh sebelum tanggal forum"),
    ({"who": "Ibu Maria Ndun"}, "who", "jangan cantumkan nama pegawai"),
    ({"who": "kepala@dukcapil.go.id"}, "who", "alamat e-mail"),
    ({"who": "x" * 300}, "who", "Paling banyak 200 karakter"),
    ({"what": "a\x00b"}, "what", "karakter kendali"),
    ({"what": "x" * 5000}, "what", "Paling banyak 2000 karakter"),
    ({"status": "batal"}, "status", "Status tidak dikenal"),
    ({"status": "selesai"}, "evidence", "memerlukan bukti penyelesaian"),
]


@pytest.mark.parametrize(("changes", "field", "message"), HOSTILE_ACTIONS)
def test_hostile_action_input_is_a_400_with_the_fields_message(db, people, manager, changes,
                                                                field, message):
    forum, decision, _second, _action = forum_with_actions(db, people.unit.unit)
    key = f"n{decision.id}"
    fields = {"what": "Papan", "who": "Kepala Seksi", "due_on": "2026-10-30",
              "status": "rencana", "evidence": "", **changes}
    before = counts(db)
    answer = post(manager, f"{FORUM}/{forum.id}/keputusan/{decision.id}/tindak-lanjut",
                  **{f"{key}-{name}": value for name, value in fields.items()})
    assert answer.status_code == 400
    errors = field_errors(text(answer), f"{key}-{field}")
    assert any(message in error for error in errors), errors
    assert counts(db) == before


def test_hostile_status_and_edit_input_on_the_actions_page(db, people, manager):
    _forum, _decision, _second, action = forum_with_actions(db, people.unit.unit)
    before = counts(db)
    s, e = f"s{action.id}", f"e{action.id}"
    for path, fields, field in (
        ("status", {f"{s}-status": "selesai", f"{s}-evidence": "Bukti\x00"}, f"{s}-evidence"),
        ("status", {f"{s}-status": "x" * 5000, f"{s}-evidence": ""}, f"{s}-status"),
        ("ubah", {f"{e}-what": "Papan", f"{e}-who": "Kepala", f"{e}-due_on": "2026-9-1"},
         f"{e}-due_on"),
        ("ubah", {f"{e}-what": "", f"{e}-who": "Kepala", f"{e}-due_on": "2026-10-01"},
         f"{e}-what"),
    ):
        answer = post(manager, f"{ACTIONS}/{action.id}/{path}", **fields)
        assert answer.status_code == 400, (path, fields)
        assert field_errors(text(answer), field), (path, fields)
    assert counts(db) == before


def test_unknown_foreign_and_huge_ids_are_not_found(db, people, manager):
    forum, decision, _second, action = forum_with_actions(db, people.unit.unit)
    other = record(db, people.other, by="manajer.lain")
    other_decision = service.add_decision(db.session, user(db, "manajer.lain"), other, "Lain")
    db.session.commit()
    other_action = add_action(db, other_decision, by="manajer.lain")
    before = counts(db)
    for path in (f"{FORUM}/{other.id}", f"{FORUM}/999999", f"{FORUM}/{2**31}",
                 f"{FORUM}/99999999999999999999"):
        assert manager.get(path).status_code == 404, path
    for path in (
        f"{FORUM}/{forum.id}/keputusan/{other_decision.id}/ubah",
        f"{FORUM}/{forum.id}/keputusan/{other_decision.id}/tindak-lanjut",
        f"{FORUM}/{other.id}/keputusan/{decision.id}/hapus",
        f"{FORUM}/{forum.id}/keputusan/{2**31}/hapus",
        f"{ACTIONS}/{other_action.id}/status",
        f"{ACTIONS}/999999/ubah",
        f"{ACTIONS}/{2**63}/status",
    ):
        answer = post(manager, path, **{"text": "x", f"s{action.id}-status": "selesai"})
        assert answer.status_code == 404, path
    assert counts(db) == before


@pytest.mark.parametrize("period", ["2026-Q9", "x" * 50, "2026\x00", "1999-Q1"])
def test_a_bad_period_is_a_400(manager, period):
    answer = manager.get(FORUM, query_string={"periode": period})
    assert answer.status_code == 400
    assert "Periode tidak dikenal" in text(answer)


def test_the_list_shows_the_latest_period_with_sessions_by_default(db, people, manager):
    record(db, people.unit.unit, held_on="2026-05-04")  # 2026-Q2
    record(db, people.unit.unit)  # 2026-Q3
    page = text(manager.get(FORUM))
    assert "Forum periode 2026-Q3" in page and "10-09-2026" in page and "04-05-2026" not in page
    assert "04-05-2026" in text(manager.get(f"{FORUM}?periode=2026-Q2"))
    year = text(manager.get(f"{FORUM}?periode=2026"))
    assert "04-05-2026" in year and "10-09-2026" in year
    assert "Belum ada forum yang dicatat" in text(manager.get(f"{FORUM}?periode=2026-Q1"))
