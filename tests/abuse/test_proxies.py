"""Behind a reverse proxy every request comes from the proxy's address; with TRUSTED_PROXIES set,
the per-IP ceiling counts the citizens' own addresses, and without it forged headers change nothing."""
from __future__ import annotations

import pytest

from app import create_app
from app.extensions import db as database
from tests.conftest import _test_config
from tests.factories import full_answers, hidden_fields, make_unit

PROXY = "10.0.0.2"


@pytest.fixture
def unit(db):
    return make_unit(db.session)


@pytest.fixture
def served(database_url):
    """Makes the app as served with `trusted` proxies in front (the wrap happens at creation)."""
    made = []

    def make(trusted: int):
        made.append(create_app({**_test_config(database_url), "TRUSTED_PROXIES": trusted,
                                "RATELIMIT_SUBMIT_PER_IP": "3 per minute"}))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            database.engine.dispose()


def answer_from(app, code: str, client_ip: str) -> int:
    """One new citizen (new device cookie) whose request reaches the app through the proxy."""
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)
    form = {**hidden_fields(client.get(f"/s/{code}").text), **full_answers(3)}
    return client.post(f"/s/{code}", data=form).status_code


def test_citizens_behind_a_trusted_proxy_are_counted_by_their_own_address(served, unit):
    app = served(trusted=1)
    others = [answer_from(app, unit.counter_code, f"36.80.1.{n}") for n in range(1, 6)]
    assert others == [303] * 5  # five citizens, five addresses: under the ceiling of three
    same = [answer_from(app, unit.counter_code, "36.80.9.9") for _ in range(4)]
    assert same == [303, 303, 303, 429]


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(served, unit):
    app = served(trusted=0)
    forged = [answer_from(app, unit.counter_code, f"36.80.1.{n}") for n in range(1, 5)]
    assert forged == [303, 303, 303, 429]  # all one address: the proxy's (or the forger's)
