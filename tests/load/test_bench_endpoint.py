"""The benchmark's bare "hello" exists only when the config asks for it, never in production."""
from __future__ import annotations

import pytest

from app import create_app


@pytest.mark.parametrize("enabled", [True, False])
def test_hello_is_served_only_with_bench_endpoints(enabled, tmp_path):
    app = create_app({"BENCH_ENDPOINTS": enabled, "SECRET_KEY": "bench",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.db'}"})
    reply = app.test_client().get("/_bench/hello")
    if enabled:
        assert (reply.status_code, reply.text) == (200, "ok")
    else:
        assert reply.status_code == 404
