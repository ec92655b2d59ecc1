"""`flask apikey create|list|revoke` (per-unit keys for ticket machines) and
`flask responses flag-bursts` (the window checks of `surveys.responses.abuse`)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.cli import bp
from app.cli.groups import responses
from app.extensions import db
from app.public.abuse_signals import abuse_rules
from surveys.responses.abuse import flag_bursts
from surveys.db import utcnow
from surveys.models import Unit, UnitApiKey
from surveys.organization import api_keys

apikey = AppGroup("apikey", help="Kunci API per unit untuk mesin antrean dan integrasi.")
bp.cli.add_command(apikey)

CHECK_LABELS = {
    "touchpoint_volume": "lonjakan di satu titik survei",
    "device_volume": "banyak respons dari satu perangkat",
    "identical_run": "jawaban identik berturut-turut",
    "too_fast": "diisi terlalu cepat",
}


@apikey.command("create")
@click.option("--unit", "unit_code", required=True, help="Kode unit pemilik kunci.")
@click.option("--name", required=True, help="Nama kunci, mis. 'Mesin antrean loket 1'.")
def create(unit_code: str, name: str) -> None:
    """Membuat kunci API; kunci hanya ditampilkan sekali ini dan tidak disimpan."""
    unit = db.session.scalars(select(Unit).where(Unit.code == unit_code)).one_or_none()
    if unit is None:
        raise click.ClickException(f"Unit '{unit_code}' tidak dikenal.")
    try:
        key, plain = api_keys.issue_key(db.session, None, unit, name)
    except ValueError:
        raise click.ClickException("Nama kunci wajib diisi, paling banyak 100 karakter.") from None
    db.session.commit()
    click.echo(f"Kunci API #{key.id} untuk {unit.name} ({unit.code}), '{key.name}':")
    click.echo(plain)
    click.echo("Simpan kunci ini sekarang: kunci tidak dapat ditampilkan lagi. "
               "Kirim dalam header X-API-Key.")


@apikey.command("list")
@click.option("--unit", "unit_code", default=None, help="Hanya kunci unit ini.")
def list_keys(unit_code: str | None) -> None:
    """Daftar kunci API (tanpa kuncinya sendiri)."""
    query = select(UnitApiKey, Unit.code).join(Unit).order_by(UnitApiKey.id)
    if unit_code:
        query = query.where(Unit.code == unit_code)
    for key, code in db.session.execute(query):
        state = f"dicabut {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "aktif"
        click.echo(f"#{key.id}\t{code}\t{key.name}\t{state}")


@apikey.command("revoke")
@click.argument("key_id", type=click.IntRange(1, 2**63 - 1))
def revoke(key_id: int) -> None:
    """Mencabut kunci API nomor KEY_ID; mesin yang memakainya langsung ditolak."""
    key = api_keys.unit_key(db.session, None, key_id)
    if key is None:
        raise click.ClickException(f"Kunci API #{key_id} tidak ada.")
    api_keys.revoke_key(db.session, None, key)
    db.session.commit()
    click.echo(f"Kunci API #{key_id} ('{key.name}') dicabut.")


@responses.command("flag-bursts")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Periksa respons sejak tanggal ini (UTC). Bawaan: 7 hari terakhir.")
@click.option("--all", "everything", is_flag=True, help="Periksa semua respons.")
def flag_bursts_command(since: datetime | None, everything: bool) -> None:
    """Menandai respons mencurigakan (lonjakan, satu perangkat, jawaban identik, terlalu cepat).

    Respons hanya ditandai 'suspicious' dengan alasannya, tidak pernah dihapus; perintah ini
    aman diulang.
    """
    start = None if everything else (
        since.replace(tzinfo=UTC) if since else utcnow() - timedelta(days=7))
    report = flag_bursts(db.session, since=start, rules=abuse_rules())
    db.session.commit()
    scope = "semua respons" if start is None else f"respons sejak {start:%Y-%m-%d %H:%M} UTC"
    click.echo(f"Diperiksa: {report.inspected} {scope}.")
    for check, count in report.by_check.items():
        click.echo(f"  {CHECK_LABELS[check]}: {count} respons")
    click.echo(f"Ditandai mencurigakan: {len(report.ids)} respons "
               f"({report.flagged} baru atau dengan alasan baru).")
