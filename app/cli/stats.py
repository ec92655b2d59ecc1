"""`flask stats rollup` (rebuild the daily roll-up), `flask stats fold` (add the queued responses
to it, then run the burst checks) and `flask stats report` (a unit's results, after folding the
queue)."""
from __future__ import annotations

import json
import math
from datetime import date, timedelta

import click
from sqlalchemy import func, select

from app.cli import bp
from app.public.abuse_signals import abuse_rules
from surveys.db import db, utcnow
from surveys.models import RollupPending
from surveys.reporting import rollup
from surveys.errors import UnitNotFound
from surveys.periods import InvalidPeriod
from surveys.reporting.service import InvalidRange, UnitReport, unit_report
from surveys.responses import upkeep


@bp.cli.group("stats")
def stats() -> None:
    """Statistik kepuasan dari roll-up harian."""


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.ClickException(f"{option} harus tanggal YYYY-MM-DD, bukan {value!r}") from None


@stats.command("rollup")
@click.option("--since", default=None, help="Hitung ulang mulai tanggal lokal ini (YYYY-MM-DD); "
                                             "tanpa opsi ini seluruh roll-up dihitung ulang.")
def rollup_command(since: str | None) -> None:
    """Hitung ulang roll-up harian dari semua respons (setelah impor massal)."""
    cells = rollup.rebuild(db.session, _day(since, "--since"))
    db.session.commit()
    scope = f"sejak {since}" if since else "seluruhnya"
    click.echo(f"Roll-up harian dihitung ulang ({scope}): {cells} sel.")


def _queued() -> int:
    return int(db.session.scalar(select(func.count()).select_from(RollupPending)))


@stats.command("fold")
def fold_command() -> None:
    """Tambahkan respons yang masih antre ke roll-up harian (dan kosongkan antreannya), lalu
    periksa lonjakan pada respons sejak pemeriksaan terakhir."""
    before = _queued()
    report = upkeep.fold_and_check(db.session, utcnow(), every=timedelta(0),
                                    rules=abuse_rules())
    db.session.commit()
    click.echo(f"Antrean roll-up dilipat: {before} respons menunggu, kini {_queued()}.")
    if report is not None:
        click.echo(f"Pemeriksaan lonjakan: {report.inspected} respons diperiksa, "
                   f"{report.flagged} baru ditandai mencurigakan.")


def _number(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _officers(report: UnitReport) -> list[dict] | None:
    if report.officers is None:
        return None
    return [
        {"nip": row.officer, "n": int(row.n), "raw": float(row.raw), "shrunk": float(row.shrunk),
         "ci95": [float(row.ci_low), float(row.ci_high)], "reliability": float(row.reliability),
         "sufficient": bool(row.sufficient),
         "reliable_for_evaluation": bool(row.reliable_for_evaluation)}
        for row in report.officers.itertuples()
    ]


def report_json(report: UnitReport, without_flagged: bool) -> dict:
    """The index of the chosen view under the keys of `flask skm compute`, the other view beside
    it, and each officer of the unit tree."""
    main, other = (report.without_flagged, report.with_flagged) if without_flagged else (
        report.with_flagged, report.without_flagged)
    out = {"unit": report.unit.code, "period": report.period,
           "from": report.start.isoformat(),
           "to": date.fromordinal(report.end.toordinal() - 1).isoformat(),
           "flagged": "excluded" if without_flagged else "included"}
    out.update(main.to_dict())
    out["with_flagged" if without_flagged else "without_flagged"] = other.to_dict()
    out["officers"] = _officers(report)
    if report.officer_problem:
        out["officers_problem"] = report.officer_problem
    out["officer_model"] = {k: _number(v) for k, v in report.officer_model.items()}
    out["method"] = report.method
    return out


def _line(label: str, view) -> str:
    if view.result is None:
        return f"{label}: tidak dapat dihitung ({view.problem}); {view.responses} respons"
    r = view.result
    ci = "tidak ada" if r.ci95 is None else f"{r.ci95[0]:.2f} – {r.ci95[1]:.2f}".replace(".", ",")
    return (f"{label}: IKM {r.ikm:.2f} ({r.grade}), selang 95% {ci}, "
            f"n = {r.n}").replace(".", ",", 1)


def report_text(report: UnitReport, without_flagged: bool) -> str:
    views = [("Tanpa respons bertanda", report.without_flagged),
             ("Dengan respons bertanda", report.with_flagged)]
    if not without_flagged:
        views.reverse()
    last = date.fromordinal(report.end.toordinal() - 1)
    lines = [f"{report.unit.name} ({report.unit.code}), {report.period or ''} "
             f"{report.start.isoformat()} s.d. {last.isoformat()}".replace("  ", " ")]
    lines += [_line(label, view) for label, view in views]
    if report.officers is not None and len(report.officers):
        lines += ["", f"{'NIP':<18} {'n':>5} {'mentah':>7} {'disusutkan':>10} {'reliabilitas':>12}"]
        for row in report.officers.itertuples():
            note = "" if row.sufficient else "  data belum cukup"
            lines.append(f"{row.officer:<18} {row.n:>5} {row.raw:>7.2f} {row.shrunk:>10.2f} "
                         f"{row.reliability:>12.2f}{note}")
    elif report.officer_problem:
        lines.append(f"Skor petugas tidak dapat dihitung: {report.officer_problem}")
    lines.append(f"Metode: {report.method}")
    return "\n".join(lines)


@stats.command("report")
@click.option("--unit", "unit_code", required=True, help="Kode unit (termasuk sub-unitnya).")
@click.option("--period", default=None, help="Periode: 2026, 2026-S1, 2026-Q3 atau 2026-07.")
@click.option("--from", "first", default=None, help="Atau rentang tanggal: hari pertama.")
@click.option("--to", "last", default=None, help="Hari terakhir rentang (termasuk).")
@click.option("--json", "as_json", is_flag=True, help="Cetak satu objek JSON.")
@click.option("--without-flagged", is_flag=True,
              help="Tanpa respons yang ditandai mencurigakan (yang dikecualikan tidak pernah dihitung).")
def report_command(unit_code: str, period: str | None, first: str | None, last: str | None,
                   as_json: bool, without_flagged: bool) -> None:
    """IKM unit untuk satu periode, dengan dan tanpa respons bertanda, serta skor petugasnya."""
    if period is None and first is None and last is None:
        raise click.ClickException("berikan --period atau --from dan --to")
    rollup.fold_pending(db.session)  # the report counts every stored response
    db.session.commit()
    try:
        report = unit_report(db.session, unit_code, period=period,
                             start=_day(first, "--from"), end=_day(last, "--to"))
    except UnitNotFound:
        raise click.ClickException(f"unit {unit_code!r} tidak ditemukan") from None
    except InvalidPeriod:
        raise click.ClickException(
            f"periode {period!r} tidak dikenal; gunakan 2026, 2026-S1, 2026-Q3 atau 2026-07 "
            "(tahun 2000–2100)"
        ) from None
    except InvalidRange:
        raise click.ClickException(
            "rentang tanggal tidak sah: berikan --period saja, atau --from dan --to "
            "dengan --to tidak sebelum --from, tahun 2000–2100") from None
    if not rollup.rollup_is_current(db.session):
        click.echo("Peringatan: roll-up belum memuat semua respons; "
                   "jalankan `flask stats rollup`.", err=True)
    if as_json:
        click.echo(json.dumps(report_json(report, without_flagged), ensure_ascii=False))
    else:
        click.echo(report_text(report, without_flagged))
