"""The demo's forum (issue 14): every demo unit has one session in 2026-Q3 with two or three
decisions, each linked to a follow-up action, the actions in all three states (the done one with
its evidence and day, one past its due day and not done); loading again adds nothing; the unit
page shows it and names no officer."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from surveys.demo import forum as demo_forum
from surveys.demo.load import load_demo
from surveys.models import FollowUpAction, ForumSession, Staff, Unit, User

TODAY = date(2026, 12, 2)


def test_every_demo_unit_has_a_q3_forum_with_actions_in_every_state(app, db):
    load_demo(db.session, TODAY)
    db.session.commit()
    units = list(db.session.scalars(select(Unit).order_by(Unit.code)))
    assert len(units) >= 5
    for unit in units:
        sessions = list(db.session.scalars(select(ForumSession).where(
            ForumSession.unit_id == unit.id)))
        assert [s.period for s in sessions] == ["2026-Q3"], unit.code
        [forum] = sessions
        assert date(2026, 7, 1) <= forum.held_on < date(2026, 10, 1)
        assert 2 <= len(forum.decisions) <= 3, unit.code
        actions = [action for decision in forum.decisions for action in decision.actions]
        assert all(decision.actions for decision in forum.decisions), unit.code
        assert {a.status for a in actions} == {"rencana", "berjalan", "selesai"}, unit.code
        assert all(a.unit_id == unit.id and a.period == "2026-Q3" for a in actions)
        for action in actions:
            done = action.status == "selesai"
            assert (action.evidence is not None and action.completed_on is not None) == done
        assert any(a.status != "selesai" and a.due_on < TODAY for a in actions), unit.code
        assert sum(forum.participants.values()) > 0

    sessions = db.session.scalar(select(func.count()).select_from(ForumSession))
    actions = db.session.scalar(select(func.count()).select_from(FollowUpAction))
    admin = db.session.scalars(select(User).where(User.username == "admin")).one()
    assert demo_forum.load_forum(db.session, admin, datetime(2026, 12, 2, tzinfo=UTC)) == 0
    assert load_demo(db.session, TODAY).created is False
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ForumSession)) == sessions
    assert db.session.scalar(select(func.count()).select_from(FollowUpAction)) == actions

    page = app.test_client().get("/unit/kupang-dukcapil?periode=2026-Q3")
    assert page.status_code == 200
    shown = re.search(r'<section id="forum-konsultasi">.*?</section>', page.text, re.S).group(0)
    assert "Rencana tindak lanjut" in shown and "terlambat" in shown and "selesai" in shown
    for name, nip in db.session.execute(select(Staff.name, Staff.nip)):
        assert name not in shown and nip not in shown
