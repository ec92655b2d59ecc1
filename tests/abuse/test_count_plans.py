"""The two counts each submission's INSERT returns (the device's and the touchpoint's recent
answers) read through their (value, time) indexes, even in a plan made once for every value
(PostgreSQL's generic plan, which psycopg's automatic preparation leads to): through the index on
the time alone they read every answer of the window on each insert. SQLite's plan is checked too."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, text
from sqlalchemy.dialects.postgresql import psycopg

from surveys.db import utcnow
from surveys.models import Response
from surveys.responses.instruments import default_instrument
from surveys.responses.store import guarded_insert
from tests.factories import make_unit


def _scans(plan: dict) -> list[dict]:
    """Every node of an EXPLAIN (FORMAT JSON) plan that names an index."""
    found = [plan] if "Index Name" in plan else []
    for child in plan.get("Plans", []):
        found += _scans(child)
    return found


def test_the_counts_use_their_value_and_time_indexes_in_a_generic_plan(db, database_url):
    unit = make_unit(db.session)
    instrument = default_instrument(db.session)
    now = utcnow()
    # Three months of answers, each from its own device, with statistics to match.
    db.session.execute(insert(Response), [
        {"receipt": f"SW-TEST-{i:04d}-AAAA", "instrument_id": instrument.id, "channel": "counter_qr",
         "unit_id": unit.unit.id, "touchpoint_id": None, "submitted_at": now - timedelta(hours=5 * i),
         "device_hash": f"{i:064x}"} for i in range(400)])
    db.session.commit()
    db.session.execute(text("ANALYZE response"))
    if database_url.startswith("sqlite"):  # no generic plans: its one plan for the statement
        compiled = guarded_insert("sqlite", False, False).compile(dialect=db.engine.dialect)
        plan = db.session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {compiled}", (None,) * len(compiled.positiontup)).all()
        steps = [row[-1] for row in plan]
        assert any("by_device_hash USING INDEX ix_response_device_hash_submitted_at" in step
                   for step in steps), steps
        assert any("by_touchpoint_id USING INDEX ix_response_touchpoint_id_submitted_at" in step
                   for step in steps), steps
        return
    compiled = guarded_insert("postgresql", False, False).compile(
        dialect=psycopg.dialect(paramstyle="numeric_dollar"))
    db.session.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
    db.session.execute(text(f"PREPARE submission AS {compiled}"))
    try:
        nulls = ", ".join(["NULL"] * len(compiled.positiontup))
        plan = db.session.execute(text(
            f"EXPLAIN (FORMAT JSON) EXECUTE submission({nulls})")).scalar()[0]["Plan"]
    finally:
        db.session.execute(text("DEALLOCATE submission"))
        db.session.rollback()
    used = {scan["Index Name"]: scan.get("Index Cond", "") for scan in _scans(plan)
            if scan.get("Alias", "").startswith("by_")}
    assert set(used) == {"ix_response_device_hash_submitted_at",
                         "ix_response_touchpoint_id_submitted_at"}, plan
    assert all("submitted_at" in condition for condition in used.values()), used
