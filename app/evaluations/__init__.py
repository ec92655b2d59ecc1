"""Pages of officers and their evaluators: `/saya` and `/penilaian` (DESIGN §5, §7)."""
from flask import Blueprint

bp = Blueprint("evaluations", __name__)

from app.evaluations import routes  # noqa: E402,F401
from app.evaluations import objections  # noqa: E402,F401
