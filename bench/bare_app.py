"""The bare Flask application the visit benchmark compares a citizen's visit with: one route, no
extension, no database; what any Flask request costs on this machine (bench/visit_bench.py)."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "ok"
