"""The app as the benchmark serves it under gunicorn: the normal app plus the baselines of
bench/endpoints.py (`/_bench/hello`, `/_bench/db`, `/_bench/fold`), rate limits off (the client
sends thousands of answers from one address on purpose), and the "too fast" check off (the client
answers in milliseconds; real citizens' responses are not flagged, so flagging every benchmark
response would measure an unusual path)."""
from app import create_app
from bench.endpoints import register

app = register(create_app({"RATELIMIT_ENABLED": False, "ABUSE_MIN_SECONDS": 0}))
