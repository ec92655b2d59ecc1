"""The forum on the portal's unit page (issue 14): the period's sessions with date, place, head
counts, points, decisions and their actions with status; the follow-up table with position, due
day, status, evidence of the done ones and the overdue mark, an earlier period's open action
with it and its done one not; nobody's name or NIP, not even the manager who recorded it."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from app.public import published as portal
from surveys.forum import service
from surveys.models import Staff
from surveys.publishing import service as publishing
from tests.access.cast import cast
from tests.forum.data import NOW, add_action, record, text, user
from tests.publishing.test_publication import respond

PAGE = "/unit/dukcapil?periode=2026-Q3"
TODAY = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 20 November 2026, 10:00 WITA


@pytest.fixture
def published(db, monkeypatch):
    """The cast's unit with 2026-Q3 published and its forum: a Q3 session with three decisions
    (actions selesai, berjalan past due, rencana) and a Q2 session with an open and a done
    action."""
    monkeypatch.setattr(portal, "utcnow", lambda: TODAY)
    people = cast(db)
    unit = people.unit.unit
    respond(db, unit, people.unit.services[0], 12, 3.2, 1)
    admin = user(db, "admin")
    row = publishing.prepare(db.session, admin, unit, "2026-Q3",
                             datetime(2026, 10, 2, 1, tzinfo=UTC))
    publishing.publish(db.session, admin, row, datetime(2026, 10, 20, 1, tzinfo=UTC))
    db.session.commit()

    spring = record(db, unit, held_on="2026-05-04", place="Balai Kelurahan Oebobo",
                    points="Ruang tunggu panas")
    old = [service.add_decision(db.session, user(db, "manajer"), spring, text)
           for text in ("Memasang kipas angin", "Menambah kursi")]
    db.session.commit()
    add_action(db, old[0], what="Pengadaan kipas angin", due_on=date(2026, 6, 30),
               status="berjalan")
    add_action(db, old[1], what="Pengadaan kursi tunggu", due_on=date(2026, 6, 30),
               status="selesai", evidence="Dua puluh kursi baru.")

    forum = record(db, unit, points="Antrean pagi panjang\n\nPapan persyaratan kurang jelas")
    decisions = [service.add_decision(db.session, user(db, "manajer"), forum, text) for text in (
        "Memasang papan persyaratan", "Menambah loket Senin pagi", "Menjawab kotak saran")]
    db.session.commit()
    actions = {
        "selesai": add_action(db, decisions[0], what="Papan persyaratan dipasang",
                              who="Kepala Subbagian Umum", due_on=date(2026, 9, 30),
                              status="selesai", evidence="Terpasang di ruang tunggu.",
                              now=datetime(2026, 9, 29, 2, tzinfo=UTC)),
        "berjalan": add_action(db, decisions[1], what="Jadwal petugas cadangan",
                               who="Kepala Seksi Pelayanan", due_on=date(2026, 10, 30),
                               status="berjalan"),
        "rencana": add_action(db, decisions[2], what="Pengumuman jawaban bulanan",
                              who="Sekretaris Unit", due_on=date(2026, 12, 31)),
    }
    return people, forum, actions


def block(page: str) -> str:
    match = re.search(r'<section id="forum-konsultasi">.*?</section>', page, re.S)
    assert match, "no forum block"
    return match.group(0)


def row_text(fragment: str, row_id: str) -> str:
    match = re.search(rf'<tr id="{row_id}">(.*?)</tr>', fragment, re.S)
    assert match, f"no row {row_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_the_unit_page_shows_the_periods_forum_and_its_follow_up(app, db, published):
    people, forum, actions = published
    response = app.test_client().get(PAGE)
    assert response.status_code == 200
    shown = block(text(response))
    session = re.search(rf'<article id="forum-{forum.id}">.*?</article>', shown, re.S).group(0)
    assert "Forum 10-09-2026 · Aula kantor" in session
    assert "Peserta: 20 orang" in session and "Masyarakat pengguna layanan 12" in session
    assert "Media" not in session  # a group nobody came from is left out
    assert re.findall(r"<li>([^<]+)</li>", session)[:2] == [
        "Antrean pagi panjang", "Papan persyaratan kurang jelas"]
    for decision in ("Memasang papan persyaratan", "Menambah loket Senin pagi",
                     "Menjawab kotak saran"):
        assert decision in session
    assert "Tindak lanjut: Jadwal petugas cadangan · berjalan terlambat" in \
        " ".join(re.sub(r"<[^>]+>", " ", session).split())

    assert row_text(shown, f"tindak-lanjut-{actions['selesai'].id}") == (
        "Papan persyaratan dipasang Kepala Subbagian Umum 30-09-2026 selesai (29-09-2026) "
        "Terpasang di ruang tunggu.")
    assert row_text(shown, f"tindak-lanjut-{actions['berjalan'].id}") == (
        "Jadwal petugas cadangan Kepala Seksi Pelayanan 30-10-2026 terlambat berjalan –")
    assert row_text(shown, f"tindak-lanjut-{actions['rencana'].id}") == (
        "Pengumuman jawaban bulanan Sekretaris Unit 31-12-2026 rencana –")
    assert "Penanggung jawab (jabatan)" in shown
    assert "2 terlambat" in shown  # Q3's berjalan and Q2's open one

    # The earlier period: its session is not this period's, its open action still is followed.
    assert "Balai Kelurahan Oebobo" not in shown
    plain = " ".join(re.sub(r"<[^>]+>", " ", shown).split())
    assert "Pengadaan kipas angin (2026-Q2) Kepala Seksi Pelayanan 30-06-2026 terlambat berjalan" \
        in plain
    assert "Pengadaan kursi tunggu" not in shown


def test_the_portal_names_nobody(app, db, published):
    page = text(app.test_client().get(PAGE))
    names = [(s.name, s.nip) for s in db.session.query(Staff)]
    for name, nip in names:
        assert name not in page and nip not in page
    for username in ("manajer", "admin"):
        account = user(db, username)
        assert account.display_name not in block(page)


def test_another_period_shows_its_own_forum(app, db, published):
    people, _forum, _actions = published
    admin = user(db, "admin")
    row = publishing.prepare(db.session, admin, people.unit.unit, "2026-Q2",
                             datetime(2026, 7, 2, 1, tzinfo=UTC))
    publishing.publish(db.session, admin, row, datetime(2026, 7, 20, 1, tzinfo=UTC))
    db.session.commit()
    shown = block(text(app.test_client().get("/unit/dukcapil?periode=2026-Q2")))
    assert "Balai Kelurahan Oebobo" in shown and "Pengadaan kursi tunggu" in shown
    assert "Aula kantor" not in shown and "Jadwal petugas cadangan" not in shown


def test_a_period_without_sessions_says_so(app, db, monkeypatch):
    monkeypatch.setattr(portal, "utcnow", lambda: NOW)
    people = cast(db)
    unit = people.unit.unit
    respond(db, unit, people.unit.services[0], 12, 3.2, 1)
    admin = user(db, "admin")
    row = publishing.prepare(db.session, admin, unit, "2026-Q3",
                             datetime(2026, 10, 2, 1, tzinfo=UTC))
    publishing.publish(db.session, admin, row, datetime(2026, 10, 20, 1, tzinfo=UTC))
    db.session.commit()
    shown = block(text(app.test_client().get(PAGE)))
    assert "Belum ada forum konsultasi publik yang dicatat untuk periode ini." in shown
    assert '<table id="tindak-lanjut">' not in shown
