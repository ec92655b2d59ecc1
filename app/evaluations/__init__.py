"""Pages of officers and their evaluators: `/saya` and `/penilaian` (DESIGN §5, §7), and the
co-worker (rekan kerja) rounds with their public one-time form `/rekan/<token>`."""
from flask import Blueprint

bp = Blueprint("evaluations", __name__)

from app.evaluations import routes  # noqa: E402,F401
from app.evaluations import objections  # noqa: E402,F401
from app.evaluations import coworker  # noqa: E402,F401
