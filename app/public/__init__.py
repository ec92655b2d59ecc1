"""Public pages: the list of units, the citizen's survey form and its thank-you page, a unit's
published results and their files."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from app.public import portal  # noqa: E402,F401  (the portal: every unit and its latest figures)
from app.public import routes  # noqa: E402,F401
from app.public import tickets  # noqa: E402,F401  (one-time ticket pages, abuse guard)
from app.public import published  # noqa: E402,F401  (published results, app/public/published.py)
from app.public import complaints  # noqa: E402,F401  (the citizen follows a complaint: /lacak)
from app.public import report  # noqa: E402,F401  (the SKM report PDF, app/public/report.py)
