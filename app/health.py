"""The baselines the submission benchmark compares against: a bare "hello", and the floor of any
request that uses the database; and the roll-up fold whose cost it adds to the submissions'.

Registered only when the config `BENCH_ENDPOINTS` is true (bench/ sets it); never in production.
"""
from flask import Blueprint
from sqlalchemy import text

from app.extensions import db
from surveys.reporting import rollup
bp = Blueprint("bench", __name__, url_prefix="/_bench")


@bp.get("/hello")
def hello():
    """The cheapest request the app can answer: routing, hooks and a tiny body, no database."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/db")
def database_floor():
    """The floor of any request that touches the database: check out, one query, commit."""
    db.session.execute(text("SELECT 1"))
    db.session.commit()
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.post("/fold")
def fold():
    """Adds the queued submissions to the roll-up, as any report does before it reads (the
    benchmark charges its cost to the submissions)."""
    rollup.fold_pending(db.session)
    db.session.commit()
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
