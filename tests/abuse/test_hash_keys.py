"""The IP and device hashes are keyed by a random key of the UTC day, deleted once the day is over:
yesterday's hashes cannot be recomputed by anyone, not even with SECRET_KEY (issue 15, point 12)."""
from __future__ import annotations

import hashlib
import hmac
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.public import abuse_signals
from surveys.db import utcnow
from surveys.models import HashKey, Response
from surveys.responses.hash_keys import DayHasher, day_key
from tests.factories import full_answers, hidden_fields, make_unit

CITIZEN = "198.51.100.23"


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def submit(client, code: str) -> None:
    form = {**hidden_fields(client.get(f"/s/{code}").text), **full_answers(3)}
    assert client.post(f"/s/{code}", data=form).status_code == 303


def keys(db) -> dict[date, str]:
    db.session.expire_all()
    return dict(db.session.execute(select(HashKey.day, HashKey.key)).all())


def secret_derived_keys(secret: str, kind: str, day: date) -> list[bytes]:
    """Every key the old scheme, or an obvious variant of it, derives from the secret."""
    iso = day.isoformat()
    return [f"{secret}|{kind}|{iso}".encode(), secret.encode(), f"{secret}|{iso}".encode(),
            f"{secret}{iso}".encode(), hashlib.sha256(f"{secret}|{kind}|{iso}".encode()).digest()]


def candidates(key: bytes, kind: str, value: str) -> set[str]:
    return {hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
            for message in (value, f"{kind}|{value}")}


def test_a_get_makes_no_key_and_the_first_submission_of_the_day_does(client, db, unit):
    client.environ_base["REMOTE_ADDR"] = CITIZEN
    client.get(f"/s/{unit.counter_code}")
    assert keys(db) == {}  # a GET never writes
    submit(client, unit.counter_code)
    submit(client.application.test_client(), unit.counter_code)  # another citizen, same key
    today = utcnow().date()
    assert list(keys(db)) == [today]
    saved = db.session.scalars(select(Response.ip_hash).order_by(Response.id)).first()
    assert saved in candidates(bytes.fromhex(keys(db)[today]), "ip", CITIZEN)


def test_yesterdays_hashes_cannot_be_recomputed_once_the_day_is_over(app, client, db, unit,
                                                                      monkeypatch):
    client.environ_base["REMOTE_ADDR"] = CITIZEN
    submit(client, unit.counter_code)
    yesterday = utcnow().date()
    old_hash = db.session.scalars(select(Response.ip_hash)).one()
    assert list(keys(db)) == [yesterday]

    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr(abuse_signals, "utcnow", lambda: tomorrow)
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.99"
    submit(other, unit.counter_code)  # the next day's first submission deletes the old key
    assert list(keys(db)) == [tomorrow.date()]

    secret = app.config["SECRET_KEY"]
    tried = set()
    for key in [*secret_derived_keys(secret, "ip", yesterday),
                *(bytes.fromhex(value) for value in keys(db).values())]:
        tried |= candidates(key, "ip", CITIZEN)
    assert old_hash not in tried
    # The same address, secret and day under a key made anew (as a worker would, were the key
    # gone): a different hash. So the hashes are no function of the secret, whatever the derivation.
    def load(day: date) -> bytes:
        with db.engine.begin() as connection:
            return day_key(connection, day)

    assert DayHasher(load).hash("ip", CITIZEN, yesterday) != old_hash


def test_the_cli_deletes_past_days_keys_on_a_day_without_submissions(app, db, runner):
    today = utcnow().date()
    db.session.add_all([HashKey(day=today - timedelta(days=n), key="ab" * 32) for n in range(3)])
    db.session.commit()
    result = runner.invoke(args=["responses", "purge-hash-keys"])
    assert result.exit_code == 0, result.output
    assert "2 kunci hash" in result.output
    assert list(keys(db)) == [today]


def test_concurrent_workers_agree_on_one_key(app, db):
    """Workers making the day's key at the same moment all end up with the same one."""
    day = date(2026, 12, 2)
    engine = db.engine
    start = threading.Barrier(6)

    def load(for_day: date) -> bytes:
        start.wait()
        with engine.begin() as connection:
            return day_key(connection, for_day)

    workers = [DayHasher(load) for _ in range(6)]  # one per process: each its own cache
    results: list[str] = []
    threads = [threading.Thread(target=lambda w=w: results.append(w.hash("ip", CITIZEN, day)))
               for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 6 and len(set(results)) == 1
    assert list(keys(db)) == [day]
