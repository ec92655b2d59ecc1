"""The baselines the submission benchmark compares against: a bare "hello", and the floor of any
request that uses the database; and the roll-up fold whose cost it adds to the submissions'.

Benchmark-only, never part of the app: `register(app)` adds them to an app the benchmark builds
(bench/wsgi_bench.py, bench/profile_submit.py).
"""
from flask import Blueprint, Flask
from sqlalchemy import text

from app.extensions import csrf, db
from surveys.reporting import rollup

bp = Blueprint("bench", __name__, url_prefix="/_bench")
TEXT = {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/hello")
def hello():
    """The cheapest request the app can answer: routing, hooks and a tiny body, no database."""
    return "ok", 200, TEXT


@bp.get("/db")
def database_floor():
    """The floor of any request that touches the database: check out, one query, commit."""
    db.session.execute(text("SELECT 1"))
    db.session.commit()
    return "ok", 200, TEXT


@bp.post("/fold")
def fold():
    """Adds the queued submissions to the roll-up, as `flask stats fold` does (the benchmark
    charges its cost to the submissions)."""
    rollup.fold_pending(db.session)
    db.session.commit()
    return "ok", 200, TEXT


def register(app: Flask) -> Flask:
    """The app with the /_bench endpoints (the client posts /_bench/fold without a form)."""
    app.register_blueprint(bp)
    csrf.exempt(bp)
    return app
