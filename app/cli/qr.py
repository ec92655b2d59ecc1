"""`flask qr export`: every active touchpoint's QR code (PNG, SVG) and each unit's posters (PDF)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.cli import bp
from app.extensions import db
from surveys.errors import UnitNotFound
from surveys.exchange.posters import SIZES
from surveys.exchange.qr import InvalidBaseUrl, base_url
from surveys.organization.touchpoints import export_qr_files

qr = AppGroup("qr", help="Kode QR dan poster untuk loket, kios, dan petugas.")
bp.cli.add_command(qr)


@qr.command("export")
@click.option("--out", "out_dir", required=True,
              type=click.Path(file_okay=False, writable=True, path_type=Path),
              help="Folder tujuan (dibuat bila belum ada); satu subfolder per unit.")
@click.option("--unit", "unit_code", default=None, help="Kode unit; bawaan: semua unit.")
@click.option("--base-url", "base", default=None, envvar="PUBLIC_BASE_URL",
              help="Alamat publik situs, mis. https://survei.kupangkota.go.id "
                   "(bawaan: PUBLIC_BASE_URL).")
@click.option("--size", type=click.Choice(SIZES, case_sensitive=False), default="A4",
              show_default=True, help="Ukuran kertas poster.")
def export(out_dir: Path, unit_code: str | None, base: str | None, size: str) -> None:
    """Tulis PNG dan SVG tiap kode QR aktif, dan satu PDF poster loket per unit."""
    resolved = _resolve_base(base)
    try:
        exported = export_qr_files(db.session, out_dir, resolved, size.upper(), unit_code)
    except UnitNotFound:
        raise click.ClickException(f"unit {unit_code!r} tidak ditemukan") from None
    except OSError as error:
        raise click.ClickException(
            f"tidak dapat menulis ke {out_dir}: {error.strerror or error}"
        ) from None
    total = 0
    for item in exported:
        if not item.files:
            click.echo(f"{item.unit.code}: tidak ada kode QR aktif, tidak ada berkas")
            continue
        for path in item.files:
            click.echo(str(path))
        total += len(item.files)
    click.echo(f"{total} berkas ditulis ke {out_dir} (alamat survei {resolved}/s/...)", err=True)


def _resolve_base(given: str | None) -> str:
    raw = given or current_app.config.get("PUBLIC_BASE_URL")
    if not raw:
        raise click.UsageError(
            "alamat publik situs belum diketahui: beri --base-url https://... "
            "atau atur PUBLIC_BASE_URL"
        )
    try:
        return base_url(raw)
    except InvalidBaseUrl:
        raise click.UsageError(
            f"--base-url {raw!r} bukan alamat http(s) lengkap, mis. https://survei.contoh.go.id"
        ) from None
