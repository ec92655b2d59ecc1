"""The demo's publications (issue 14): every unit has 2026-Q2 and 2026-Q3 published and 2026-Q4 as a
draft in its review; Disdukcapil's Q3 is corrected as version 2 with its reason, version 1 kept;
each snapshot's digest verifies and no officer appears in any."""
from __future__ import annotations

import hashlib
import json
from datetime import date

from sqlalchemy import select

from surveys.demo.load import load_demo
from surveys.models import Publication, Staff, Unit


def test_every_demo_unit_publishes_its_ended_quarters_and_drafts_the_current_one(db):
    load_demo(db.session, date(2026, 12, 2))
    db.session.commit()
    rows = list(db.session.scalars(select(Publication).order_by(Publication.id)))
    units = set(db.session.scalars(select(Unit.code)))
    seen = {(row.unit.code, row.period, row.version): row for row in rows}
    for code in units:
        assert seen[(code, "2026-Q2", 1)].status == "published"
        assert seen[(code, "2026-Q4", 1)].status == "draft"
        assert seen[(code, "2026-Q4", 1)].review_until >= date(2026, 12, 2)
    corrected = [row for row in rows if row.version == 2]
    assert [(row.unit.code, row.period, row.status) for row in corrected] == [
        ("kupang-dukcapil", "2026-Q3", "published")]
    first = seen[("kupang-dukcapil", "2026-Q3", 1)]
    assert first.status == "superseded" and corrected[0].supersedes_id == first.id
    assert "salah ketik" in corrected[0].correction_reason
    assert first.snapshot["target"] != corrected[0].snapshot["target"]
    assert all(seen[(code, "2026-Q3", 1)].status == "published"
               for code in units - {"kupang-dukcapil"})

    officers = [(name, nip) for name, nip in db.session.execute(select(Staff.name, Staff.nip))]
    for row in rows:
        text = json.dumps(row.snapshot, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False)
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == row.snapshot_sha256
        for name, nip in officers:
            assert name not in text and nip not in text
