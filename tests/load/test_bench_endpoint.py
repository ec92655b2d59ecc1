"""The benchmark's endpoints live in bench/ and exist only in the app the benchmark builds: the
app itself has no /_bench route, whatever its config."""
from __future__ import annotations

from app import create_app
from bench.endpoints import register


def _app(tmp_path):
    return create_app({"SECRET_KEY": "bench", "BENCH_ENDPOINTS": True,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.db'}"})


def test_the_app_has_no_bench_routes(tmp_path):
    app = _app(tmp_path)
    assert not [rule.rule for rule in app.url_map.iter_rules() if "_bench" in rule.rule]
    assert app.test_client().get("/_bench/hello").status_code == 404


def test_the_benchmarks_app_answers_hello(tmp_path):
    reply = register(_app(tmp_path)).test_client().get("/_bench/hello")
    assert (reply.status_code, reply.text) == (200, "ok")
