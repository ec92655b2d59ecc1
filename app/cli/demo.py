"""`flask demo load`: idempotent demo data for Pemerintah Kota Kupang.

The responses are simulated from a stated model with known unit, service, officer, channel and
time effects; the model, its parameters and the true effects are in `surveys/demo/truth.py` (and
`surveys/demo/roster.py`), with functions giving the true expected officer scores and unit IKMs.
"""
from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask.cli import AppGroup

from app.cli import bp
from app.extensions import db
from app.public.abuse_signals import abuse_rules
from surveys.demo.load import DEMO_USERS, DemoSummary, load_demo
from surveys.db import utcnow
from surveys.demo.truth import DEFAULT_SEED, TIMEZONE
from surveys.responses import upkeep

demo = AppGroup("demo", help="Data demo (Pemerintah Kota Kupang). Hanya untuk demo.")
bp.cli.add_command(demo)


ROLE_LABELS = {"admin": "administrator", "unit_manager": "manajer unit",
               "evaluator": "pejabat penilai", "atasan": "atasan penilai", "staff": "pegawai"}


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@demo.command("load")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Tanggal 'hari ini' (WITA), respons dibuat sampai sehari sebelumnya. "
                   "Bawaan: hari ini di Asia/Makassar.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Benih acak; benih yang sama memberi data yang sama.")
def load(today: datetime | None, seed: int) -> None:
    """Memuat data demo (tidak berbuat apa-apa bila sudah ada)."""
    day = today.date() if today else datetime.now(ZoneInfo(TIMEZONE)).date()
    started = time.perf_counter()
    summary = load_demo(db.session, day, seed=seed)
    bursts = upkeep.fold_and_check(db.session, utcnow(), rules=abuse_rules())  # flags the planted burst
    db.session.commit()
    for line in _report(summary, time.perf_counter() - started):
        click.echo(line)
    if bursts is not None and bursts.flagged:
        click.echo(f"Pemeriksaan lonjakan: {bursts.flagged} respons ditandai mencurigakan "
                   "(tinjau di halaman tanda unit).")


def _report(summary: DemoSummary, seconds: float) -> list[str]:
    if not summary.created:
        lines = [f"Data demo {summary.organization} sudah ada: tidak ada yang ditambahkan atau "
                 "diubah."]
    else:
        zone = ZoneInfo(TIMEZONE)
        span = ""
        if summary.first_response is not None:
            first = summary.first_response.astimezone(zone).strftime("%d-%m-%Y")
            last = summary.last_response.astimezone(zone).strftime("%d-%m-%Y")
            span = f" ({first} s.d. {last} WITA)"
        duration = f"{seconds:.1f}".replace(".", ",")
        lines = [
            f"Data demo {summary.organization} dimuat dalam {duration} detik:",
            f"  {summary.units} unit layanan, {summary.services} jenis layanan, "
            f"{summary.counters} loket, {summary.touchpoints} kode QR (loket dan pribadi)",
            f"  {summary.staff} pegawai dengan penugasan loket, "
            f"{summary.populations} data populasi penerima layanan (2026-Q2 s.d. 2026-Q4)",
            f"  {_number(summary.responses)} respons survei{span}, "
            f"{_number(summary.comments)} komentar, {summary.complaints} di antaranya pengaduan "
            "yang meminta balasan",
            f"  {summary.records} rekaman penilaian, {summary.publications} versi publikasi "
            "hasil (terbit, koreksi, dan draf dalam masa tinjauan)",
        ]
        if summary.skipped_users:
            lines.append("  Nama pengguna sudah ada, tidak diubah: "
                         + ", ".join(summary.skipped_users))
    lines.append("")
    lines.append("Akun demo (HANYA UNTUK DEMO - kata sandi ini publik, jangan dipakai di server "
                 "produksi)" + ("" if summary.created else ", bila belum diubah") + ":")
    width = max(len(user.username) for user in DEMO_USERS)
    for user in DEMO_USERS:
        lines.append(f"  {user.username:<{width}}  {user.password:<18}  "
                     f"{ROLE_LABELS[user.role]:<15}  {user.display_name}")
    return lines
