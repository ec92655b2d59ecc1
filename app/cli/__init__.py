"""Command-line interface: `flask skm ...` and `flask demo ...` (microblog-style CLI blueprint)."""
from flask import Blueprint

bp = Blueprint("cli", __name__, cli_group=None)

from app.cli import demo, skm  # noqa: E402,F401  (registers the command groups)
