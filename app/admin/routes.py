"""Admin routes."""
from app.admin import bp  # noqa: F401
