"""The one-way imports of DESIGN §2: `analysis` stands alone; `surveys` never imports `app`."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_ANALYSIS = {"flask", "sqlalchemy", "flask_sqlalchemy", "app", "surveys"}

PROBE = """
import importlib, json, pkgutil, sys
import analysis
modules = [importlib.import_module(f"analysis.{m.name}").__name__
           for m in pkgutil.iter_modules(analysis.__path__)]
loaded = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(sys.argv[1])))
print(json.dumps({"modules": modules, "loaded": loaded}))
"""


def imported_roots(path: Path) -> set[str]:
    """Top-level package of every absolute import in a module."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_importing_analysis_loads_no_web_database_or_domain_code():
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(sorted(FORBIDDEN_IN_ANALYSIS))],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
    )
    probe = json.loads(completed.stdout)
    assert {"analysis.ikm", "analysis.sample", "analysis.intervals"} <= set(probe["modules"])
    assert probe["loaded"] == []


def test_analysis_source_imports_only_the_scientific_stack():
    allowed_third_party = {"numpy", "pandas", "scipy", "analysis"}
    for path in sorted((ROOT / "analysis").rglob("*.py")):
        outside = {r for r in imported_roots(path)
                   if r not in sys.stdlib_module_names and r not in allowed_third_party}
        assert not outside, f"{path.relative_to(ROOT)} imports {sorted(outside)}"


def test_surveys_never_imports_app():
    paths = sorted((ROOT / "surveys").rglob("*.py"))
    assert paths
    offenders = [str(p.relative_to(ROOT)) for p in paths if "app" in imported_roots(p)]
    assert offenders == []
