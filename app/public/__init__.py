"""Public pages: the list of units, the citizen's survey form and its thank-you page."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from app.public import routes  # noqa: E402,F401
from app.public import tickets  # noqa: E402,F401  (one-time ticket pages, abuse guard)
