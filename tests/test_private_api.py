"""No code in app/ or surveys/ uses a private (`_`-prefixed) name of SQLAlchemy or psycopg: their
private API changes without notice between releases (DESIGN §2)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ("sqlalchemy", "psycopg")


def _library(module: str | None) -> bool:
    return module is not None and module.split(".")[0] in LIBRARIES


def _private(dotted: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in dotted.split("."))


def private_uses(source: str) -> list[str]:
    """Every private name of the libraries the source imports or reaches by attribute, and every
    private attribute of an object other than `self` or `cls` (without types, an attribute of a
    library's object, e.g. `statement.type._cached_bind_processor`, cannot be told from ours)."""
    tree = ast.parse(source)
    aliases: dict[str, str] = {}  # local name: the library module it stands for
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _library(alias.name):
                    aliases[(alias.asname or alias.name).split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0])
                    if _private(alias.name):
                        found.append(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _library(node.module):
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                aliases[alias.asname or alias.name] = dotted
                if _private(dotted):
                    found.append(dotted)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            chain, inner = [node.attr], node.value
            while isinstance(inner, ast.Attribute):
                chain.append(inner.attr)
                inner = inner.value
            if isinstance(inner, ast.Name) and inner.id in aliases:
                dotted = ".".join([aliases[inner.id], *reversed(chain)])
                if _private(dotted) and dotted not in found:
                    found.append(dotted)
            elif _private(node.attr) and not (isinstance(node.value, ast.Name)
                                              and node.value.id in ("self", "cls")):
                found.append(f"…{ast.unparse(node)}")
    return found


@pytest.mark.parametrize("source", [
    "from sqlalchemy.engine import _foo",
    "from sqlalchemy.sql._x import y",
    "import sqlalchemy._private",
    "import sqlalchemy\nsqlalchemy.x._y",
    "import sqlalchemy as sa\nsa.sql._elements",
    "from sqlalchemy import orm\norm._state",
    "from psycopg import pq\npq._pq_ctypes",
    "from psycopg._encodings import conn_encoding",
    "from sqlalchemy.engine import Engine\nEngine._run_ddl_visitor",
    "processor = compiled.binds[name].type._cached_bind_processor(dialect)",
])
def test_the_check_finds_a_private_use(source):
    assert private_uses(source)


@pytest.mark.parametrize("source", [
    "from sqlalchemy import select, func\nfunc.count()",
    "from sqlalchemy.orm import Session\nSession.__init__",
    "from ._private import thing",  # our own relative import, not the library's
    "class A:\n    def f(self):\n        return self._cache, type(self).__name__",
])
def test_the_check_leaves_public_uses_alone(source):
    assert not private_uses(source)


def test_no_private_api_of_sqlalchemy_or_psycopg_in_the_app_or_the_domain():
    offenders = {}
    for package in ("app", "surveys"):
        for path in sorted((ROOT / package).rglob("*.py")):
            uses = private_uses(path.read_text(encoding="utf-8"))
            if uses:
                offenders[str(path.relative_to(ROOT))] = uses
    assert offenders == {}
