"""Migration 0018 fills the monthly grains from the daily cells already stored, so an existing
database stays exact, and its downgrade removes them (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date

import flask_migrate
import numpy as np
import pytest
from sqlalchemy import inspect

from app import create_app
from surveys.db import db as _db
from surveys.models import Organization, Unit
from surveys.models.rollup import KEY_COLUMNS, STAT_COLUMNS, DailyRollup
from tests.rollup.grains import assert_grains_agree, grain_cells
from surveys.models.rollup import MONTH, UNIT_MONTH


@pytest.fixture
def migration_app(migration_url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": migration_url,
                      "SECRET_KEY": "migration-tests"})
    app.instance_path = str(tmp_path / "instance")
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _daily_cells(unit_ids) -> list[dict]:
    """Cells over two local months, two flag states, officers and none (consistent counts)."""
    rng = np.random.default_rng(18)
    cells = []
    for unit_id in unit_ids:
        for day in (date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 1)):
            for staff_id, state, channel in ((0, 0, "paper"), (7, 0, "counter_qr"), (7, 1, "kiosk")):
                stats = {name: int(rng.integers(0, 500)) for name in STAT_COLUMNS}
                stats["responses"] = int(rng.integers(1, 40))
                stats["n"] = stats["perfect"] = stats["responses"]
                cells.append({"unit_id": unit_id, "day": day, "service_id": 3, "counter_id": 0,
                              "staff_id": staff_id, "channel": channel, "flag_state": state,
                              **stats})
    return cells


def test_upgrade_to_0018_fills_the_monthly_grains_from_the_daily_cells(migration_app):
    with migration_app.app_context():
        flask_migrate.upgrade(revision="0017")
        org = Organization(code="org", name="Pemerintah Uji")
        units = [Unit(organization=org, code=f"u{i}", name=f"Unit {i}", timezone="Asia/Makassar")
                 for i in range(2)]
        _db.session.add_all([org, *units])
        _db.session.flush()
        _db.session.execute(DailyRollup.__table__.insert(), _daily_cells([u.id for u in units]))
        _db.session.commit()
        flask_migrate.upgrade()
        assert_grains_agree(_db.session)
        assert {key[1] for key in grain_cells(_db.session, UNIT_MONTH)} == {
            date(2026, 9, 1), date(2026, 10, 1)}
        assert len(grain_cells(_db.session, MONTH)) == 2 * 2 * 3  # units × months × (staff, state)
        assert set(KEY_COLUMNS) > set(MONTH.keys) - {"month"}
        _db.session.commit()
        flask_migrate.downgrade(revision="0017")
        tables = set(inspect(_db.engine).get_table_names())
        assert "daily_rollup" in tables and not {"monthly_rollup", "unit_month_rollup"} & tables
