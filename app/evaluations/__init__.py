"""Pages of officers, their evaluators and atasan: `/saya`, `/penilaian`, the evaluation
records and their keberatan (DESIGN §5, §7)."""
from flask import Blueprint

bp = Blueprint("evaluations", __name__)

from app.evaluations import officer_records, records, routes  # noqa: E402,F401
