"""A bare "hello" endpoint, the baseline the submission benchmark compares against.

Registered only when the config `BENCH_ENDPOINTS` is true (bench/ sets it); never in production.
"""
from flask import Blueprint

bp = Blueprint("bench", __name__, url_prefix="/_bench")


@bp.get("/hello")
def hello():
    """The cheapest request the app can answer: routing, hooks and a tiny body, no database."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
