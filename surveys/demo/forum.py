"""The demo's Forum Konsultasi Publik (issue 14): every demo unit held one session in 2026-Q3 with
three decisions, each carried out by a follow-up action in another state: one done (with its
evidence), one under way and past its due day, one planned. Made through the forum service, as
a manager would; a unit that already has a Q3 session is left alone."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from surveys.demo.units import demo_units
from surveys.forum import service
from surveys.models import ForumSession, User

PERIOD = "2026-Q3"
HELD_ON = date(2026, 9, 10)
DONE_ON = date(2026, 9, 30)
LATE_DUE = date(2026, 10, 30)  # the action under way: past due once the demo's today is later
PLANNED_DUE = date(2026, 12, 31)
PARTICIPANTS = {"masyarakat": 18, "tokoh": 3, "akademisi": 2, "media": 1, "lsm": 2, "unit": 5}
POINTS = ("Antrean pagi panjang, terutama pada hari Senin.",
          "Persyaratan layanan belum terpasang jelas di ruang tunggu.",
          "Pengaduan lewat kotak saran jarang mendapat jawaban.")
# (decision, action, who (a position), due day, status, evidence)
PLAN = (
    ("Memasang daftar persyaratan dan alur layanan di ruang tunggu dan di laman unit.",
     "Mencetak dan memasang papan persyaratan dan alur layanan; mengunggahnya ke laman unit.",
     "Kepala Subbagian Umum", date(2026, 9, 30), "selesai",
     "Papan persyaratan terpasang di ruang tunggu sejak 28-09-2026; alur layanan terbit di "
     "laman unit."),
    ("Menambah loket pada Senin pagi selama antrean panjang.",
     "Menyusun jadwal petugas cadangan untuk Senin pukul 08.00 sampai 11.00.",
     "Kepala Seksi Pelayanan", LATE_DUE, "berjalan", None),
    ("Menjawab setiap masukan kotak saran dan mengumumkan jawabannya tiap bulan.",
     "Menunjuk pengelola pengaduan dan mengumumkan jawaban bulanan di papan informasi.",
     "Sekretaris Unit", PLANNED_DUE, "rencana", None),
)


def _moment(day: date, zone: str, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def load_forum(session: Session, admin: User | None, now: datetime) -> int:
    """One Q3 session per demo unit held before `now`, with its decisions and actions; returns
    the number of sessions made (none without an admin to make them)."""
    if admin is None:
        return 0
    made = 0
    units = demo_units(session)
    for unit in units:
        held = _moment(HELD_ON, unit.timezone)
        exists = session.scalar(select(func.count(ForumSession.id)).where(
            ForumSession.unit_id == unit.id, ForumSession.period == PERIOD))
        if exists or held > now:
            continue
        yesterday = (now.astimezone(ZoneInfo(unit.timezone)) - timedelta(days=1)).date()
        forum = service.record_session(
            session, admin, unit, held_on=HELD_ON, place=f"Aula {unit.name}",
            participants=PARTICIPANTS, points="\n".join(POINTS), now=held)
        for text, what, who, due, status, evidence in PLAN:
            decision = service.add_decision(session, admin, forum, text)
            if status == "berjalan":  # past due on the demo's today, however early it is
                due = max(HELD_ON, min(due, yesterday))
            done = _moment(min(DONE_ON, now.date()), unit.timezone) if status == "selesai" \
                else held
            service.add_action(session, admin, decision, what=what, who=who, due_on=due,
                               status=status, evidence=evidence, now=min(done, now))
        made += 1
    return made
