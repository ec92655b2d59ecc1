"""The SQLite database holds citizens' answers next to a 0600 secret key: `flask db upgrade` on a
fresh instance folder makes the folder 0700 and the database, its -wal and -shm files 0600, even
under a permissive umask (surveys/db.py)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from app import create_app
from surveys.db import db

ROOT = Path(__file__).resolve().parents[1]
FLASK = Path(sys.executable).parent / "flask"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_flask_db_upgrade_creates_an_owner_only_database(tmp_path):
    instance = tmp_path / "instance"
    database = instance / "suarawarga.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "permissions"}
    done = subprocess.run([str(FLASK), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                          umask=0, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert mode(instance) == 0o700
    assert mode(database) == 0o600

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "x"})
    previous = os.umask(0)
    try:
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(text("CREATE TABLE permission_probe (x INTEGER)"))
            logs = [instance / "suarawarga.db-wal", instance / "suarawarga.db-shm"]
            assert {path: mode(path) for path in logs} == {path: 0o600 for path in logs}
    finally:
        os.umask(previous)
        with app.app_context():
            db.engine.dispose()
