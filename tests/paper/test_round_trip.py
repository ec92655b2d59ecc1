"""Round trip on the demo data: responses exported, the responses deleted, the CSV imported again
(channel "paper") give the same IKM per unit and period; the exported QR codes open the forms."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import delete, func, select

from analysis import compute_ikm
from surveys.demo.load import load_demo
from surveys.models import Response, Unit
from surveys.periods import Period
from tests.qr.decode import decode_png

PERIODS = ("2026-Q2", "2026-Q3", "2026-Q4")
UNSUR = [f"U{j}" for j in range(1, 10)]


def ikm_by_unit_and_period(session) -> dict[tuple[str, str], dict]:
    """Each unit's IKM per period, from the raw rows (not through the export or import code)."""
    results = {}
    for unit in session.scalars(select(Unit).order_by(Unit.code)):
        for code in PERIODS:
            start, end = Period.parse(code).utc_bounds(unit.timezone)
            rows = session.execute(
                select(*(getattr(Response, c.lower()) for c in UNSUR))
                .where(Response.unit_id == unit.id, Response.submitted_at >= start,
                       Response.submitted_at < end)
            ).all()
            if rows:
                frame = pd.DataFrame([list(r) for r in rows], columns=UNSUR, dtype="float64")
                results[unit.code, code] = compute_ikm(frame).to_dict()
    return results


def delete_every_response(session) -> None:
    """Responses and whatever hangs off them; the units, counters, services and staff stay."""
    tables = [t for t in reversed(Response.metadata.sorted_tables)
              if any(fk.column.table is Response.__table__ for fk in t.foreign_keys)]
    for table in tables:
        session.execute(delete(table))
    session.execute(delete(Response))
    session.commit()


def test_demo_responses_survive_export_and_paper_import(db, runner, client, tmp_path):
    load_demo(db.session, today=date(2026, 11, 23))
    db.session.commit()
    before = ikm_by_unit_and_period(db.session)
    total = db.session.scalar(select(func.count()).select_from(Response))
    assert len(before) >= 12 and total > 10_000

    units = db.session.scalars(select(Unit.code).order_by(Unit.code)).all()
    files: dict[str, Path] = {}
    for code in units:
        result = runner.invoke(args=["responses", "export", "--unit", code])
        assert result.exit_code == 0, result.output
        files[code] = tmp_path / f"{code}.csv"
        files[code].write_text(result.stdout)
    exported = sum(len(list(csv.DictReader(io.StringIO(path.read_text())))) for path in files.values())
    assert exported == total

    delete_every_response(db.session)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    for code, path in files.items():
        result = runner.invoke(args=["responses", "import", str(path), "--unit", code,
                                     "--period", "2026"])
        assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == total
    assert set(db.session.scalars(select(Response.channel).distinct())) == {"paper"}
    after = ikm_by_unit_and_period(db.session)
    assert after.keys() == before.keys()
    for key, result in before.items():
        assert after[key]["n"] == result["n"], key
        assert after[key]["ikm_exact"] == pytest.approx(result["ikm_exact"], abs=1e-9), key
        assert after[key]["ci95"] == pytest.approx(result["ci95"], abs=1e-9), key


def test_demo_qr_export_opens_every_units_forms(db, runner, client, tmp_path):
    load_demo(db.session, today=date(2026, 11, 23))
    db.session.commit()
    result = runner.invoke(args=["qr", "export", "--out", str(tmp_path),
                                 "--base-url", "http://localhost"])
    assert result.exit_code == 0, result.output
    listed = [Path(line) for line in result.stdout.splitlines() if line.startswith(str(tmp_path))]
    pdfs = [path for path in listed if path.suffix == ".pdf"]
    pngs = [path for path in listed if path.suffix == ".png"]
    units_with_counters = db.session.scalars(select(Unit.code).join(Unit.counters).distinct()).all()
    assert sorted(path.parent.name for path in pdfs) == sorted(units_with_counters)
    for png in pngs[:: max(1, len(pngs) // 8)]:  # a sample across units: each opens a form
        [url] = decode_png(png.read_bytes())
        assert url.startswith("http://localhost/s/")
        assert client.get(url.removeprefix("http://localhost")).status_code == 200
