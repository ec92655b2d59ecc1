"""Every route of the app is in an access table (route × role → status), so a new page cannot
ship without saying who may open it."""
from __future__ import annotations

import importlib
import pkgutil

import tests.access
from tests.access.cast import Route

IGNORED_METHODS = {"HEAD", "OPTIONS"}
EXAMPLE_NAMES = {"unit": "u", "sub": "s", "other": "o", "evaluated": 1, "own": 2,
                 "evaluated_ref": "r1", "own_ref": "r2", "counter_code": "c", "personal_code": "p",
                 "touchpoint": 1, "nobody": 3}
EXAMPLE_NAMES.update(org="g", service=1, counter=1)  # the organization pages' names
EXAMPLE_NAMES.update(final_well=1, draft_well=2, final_own=3, draft_own=4, keberatan=1,
                     period="2026-Q3")  # the evaluation records' names
EXAMPLE_NAMES.update(iku_other=1, iku_sub=2)  # the IKU target pages' names
EXAMPLE_NAMES.update(pub=1, pub_other=2)  # the publication pages' names
EXAMPLE_NAMES.update(complaint=1, complaint_other=2)  # the complaint pages' names
EXAMPLE_NAMES.update(forum=1, forum_other=2, decision=1, action=1,
                     action_other=2)  # the forum and follow-up pages' names
EXAMPLE_NAMES.update(round=1, own_round=2, closed_round=3, token="t", used_token="u",
                     closed_token="c")  # the co-worker pages' names


def access_tables() -> list[Route]:
    rows = []
    for module in pkgutil.iter_modules(tests.access.__path__):
        if module.name.startswith("test_") and module.name.endswith("_access"):
            rows.extend(importlib.import_module(f"tests.access.{module.name}").ACCESS)
    return rows


def test_every_route_and_method_is_in_an_access_table(app):
    adapter = app.url_map.bind("localhost")
    covered = set()
    for route in access_tables():
        path = route.path.split("?")[0].format(**EXAMPLE_NAMES)
        endpoint, _args = adapter.match(path, method=route.method)
        covered.add((endpoint, route.method))
    missing = sorted(
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules() if rule.endpoint != "static"
        for method in rule.methods - IGNORED_METHODS
        if (rule.endpoint, method) not in covered
    )
    assert not missing, "routes missing from every access table:\n" + "\n".join(missing)
