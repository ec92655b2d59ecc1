"""Pages for unit managers and admins: touchpoints, QR posters, revocation."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.admin import routes  # noqa: E402,F401
from app.admin import staff  # noqa: E402,F401
from app.admin import audit, people  # noqa: E402,F401
from app.admin import units  # noqa: E402,F401
from app.admin import flags  # noqa: E402,F401
from app.admin import dashboard  # noqa: E402,F401
from app.admin import iku  # noqa: E402,F401
from app.admin import objections  # noqa: E402,F401
from app.admin import records  # noqa: E402,F401
from app.admin import publications  # noqa: E402,F401
from app.admin import complaints  # noqa: E402,F401
from app.admin import forum  # noqa: E402,F401
