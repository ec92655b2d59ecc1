"""The app as the load tests serve it under gunicorn: DATABASE_URL and SECRET_KEY from the
environment, rate limits off (the tests send hundreds of answers from one address on purpose)."""
from app import create_app

app = create_app({"RATELIMIT_ENABLED": False})
