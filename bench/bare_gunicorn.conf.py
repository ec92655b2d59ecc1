"""gunicorn settings of the bare app: the project's gunicorn.conf.py values (workers, threads,
worker class, keep-alive), without its hooks, which expect our app."""
import runpy
from pathlib import Path

_settings = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
globals().update({name: value for name, value in _settings.items()
                  if not name.startswith("_") and isinstance(value, (int, float, str, bool))})
