"""`flask responses purge-contacts`: the privacy notice promises that a contact given for a reply
is deleted after REPLY_CONTACT_RETENTION_DAYS; the response and its comment stay."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from surveys.db import utcnow
from surveys.models import Answer, ReplyRequest, Response
from surveys.responses.privacy import purge_reply_contacts
from surveys.responses.submission import submit_response
from tests.factories import full_answers, make_unit

WITH_REPLY = {**full_answers(2), "COMMENT": "Antrean terlalu lama", "reply_wanted": "1",
              "reply_contact": "0812 3456 7890"}


def test_contacts_past_their_retention_are_deleted_and_nothing_else(app, runner, db):
    unit = make_unit(db.session)
    now = utcnow()
    for key, age in (("old", 366), ("new", 364)):
        submit_response(db.session, unit.counter_code, WITH_REPLY, submission_key=key * 8,
                        now=now - timedelta(days=age))
    db.session.commit()
    app.config["REPLY_CONTACT_RETENTION_DAYS"] = 365
    result = runner.invoke(args=["responses", "purge-contacts"])
    assert result.exit_code == 0, result.output
    assert "1 kontak balasan" in result.output
    db.session.expire_all()
    kept = db.session.scalars(select(ReplyRequest.created_at)).all()
    assert [round((now - given).total_seconds() / 86400) for given in kept] == [364]
    assert db.session.scalar(select(func.count()).select_from(Response)) == 2
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 2  # both comments
    again = runner.invoke(args=["responses", "purge-contacts"])
    assert "0 kontak balasan" in again.output


def test_a_retention_below_one_day_is_refused(db):
    with pytest.raises(ValueError):
        purge_reply_contacts(db.session, utcnow(), 0)
