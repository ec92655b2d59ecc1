"""The app as the benchmark serves it under gunicorn: the baselines `/_bench/hello` and
`/_bench/db` on, rate limits off (the client sends thousands of answers from one address on purpose), and the
"too fast" check off (the client answers in milliseconds; real citizens' responses are not flagged,
so flagging every benchmark response would measure an unusual path)."""
from app import create_app

app = create_app({"BENCH_ENDPOINTS": True, "RATELIMIT_ENABLED": False, "ABUSE_MIN_SECONDS": 0})
