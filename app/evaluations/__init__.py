"""Pages of officers, their evaluators and atasan: `/saya`, `/penilaian`, the evaluation
records and their keberatan (DESIGN §5, §7), and the co-worker (rekan kerja) rounds with their
public one-time form `/rekan/<token>`."""
from flask import Blueprint

bp = Blueprint("evaluations", __name__)

from app.evaluations import officer_records, records, routes  # noqa: E402,F401
from app.evaluations import objections  # noqa: E402,F401
from app.evaluations import coworker  # noqa: E402,F401
