"""Command-line interface: `flask skm ...` and `flask demo ...` (microblog-style CLI blueprint)."""
from flask import Blueprint

bp = Blueprint("cli", __name__, cli_group=None)

from app.cli import demo, skm  # noqa: E402,F401  (registers the command groups)
from app.cli import groups  # noqa: E402  (command groups shared by several modules)

bp.cli.add_command(groups.responses)

from app.cli import qr  # noqa: E402,F401
from app.cli import responses  # noqa: E402,F401
from app.cli import stats  # noqa: E402,F401
from app.cli import keys  # noqa: E402,F401  (flask apikey, flask responses flag-bursts)
from app.cli import users  # noqa: E402,F401  (flask users create)
