"""Public pages: the list of units, the citizen's survey form and its thank-you page."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from app.public import routes  # noqa: E402,F401
