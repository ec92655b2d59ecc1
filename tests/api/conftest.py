"""Fixtures of the API tests: a unit with its directory and one active API key."""
from __future__ import annotations

import pytest

from surveys.models import UnitApiKey
from tests.factories import make_unit


@pytest.fixture
def unit(db):
    return make_unit(db.session)


@pytest.fixture
def api_key(db, unit) -> str:
    key, plain = UnitApiKey.issue(unit.unit, "Mesin antrean")
    db.session.add(key)
    db.session.commit()
    return plain
