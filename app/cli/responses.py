"""`flask responses import` (digitised paper questionnaires), `flask responses export` (CSV) and
`flask responses purge-contacts` (the privacy notice's deletion of reply contacts) and
`flask responses purge-hash-keys` (past days' hash keys)."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import click
from flask import current_app

from app.cli.groups import responses
from app.extensions import db
from surveys.db import utcnow
from surveys.exchange.export import export_rows
from surveys.errors import UnitNotFound
from surveys.exchange.paper import PaperImportError, import_paper
from surveys.responses.hash_keys import purge_hash_keys
from surveys.responses.privacy import purge_reply_contacts


@responses.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--unit", "unit_code", required=True, help="Kode unit pemilik kuesioner.")
@click.option("--period", required=True, help="Periode survei, mis. 2026-Q3, 2026-07, 2026.")
def import_command(file: str, unit_code: str, period: str) -> None:
    """Impor kuesioner kertas dari FILE.csv (kanal "paper"); semua baris atau tidak sama sekali.

    Kolom: U1..U9 (1-4, kosong = tidak dijawab) dan, bila ada, OFFICER, counter (kode loket),
    service (kode layanan), nip, submitted_at (tanggal = pukul 12.00 waktu unit, atau waktu
    ISO 8601; harus di dalam periode), waiting_band, age_band, gender, education, occupation,
    COMMENT. Baris tanpa submitted_at disebar merata di bagian periode yang sudah berlalu.
    """
    try:
        if file == "-":
            result = import_paper(db.session, click.get_binary_stream("stdin"), unit_code, period)
        else:
            result = import_paper(db.session, file, unit_code, period)
    except PaperImportError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(f"{file}: {problem}", err=True)
        raise click.ClickException(
            f"{file}: {len(error.problems)} masalah; tidak ada respons yang disimpan"
        ) from None
    except FileNotFoundError:
        raise click.ClickException(f"berkas {file} tidak ditemukan") from None
    except OSError as error:
        raise click.ClickException(f"berkas {file} tidak dapat dibaca: {error.strerror}") from None
    db.session.commit()
    click.echo(
        f"{result.count} respons kertas disimpan untuk unit {result.unit}, periode {result.period} "
        f"({result.first.isoformat(timespec='minutes')} s.d. "
        f"{result.last.isoformat(timespec='minutes')} UTC)"
    )


@responses.command("export")
@click.option("--unit", "unit_code", default=None, help="Kode unit; bawaan: semua unit.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Hanya respons sejak tanggal ini (pukul 00.00 waktu unit), mis. 2026-10-01.")
def export_command(unit_code: str | None, since: datetime | None) -> None:
    """Cetak respons sebagai CSV (satu baris per respons, dengan header) ke keluaran standar.

    submitted_at dalam ISO 8601 UTC (+00:00); flags dipisah titik koma (mis. suspicious;excluded).
    """
    try:
        rows = export_rows(db.session, unit_code, since.date() if since else None)
        header = next(rows)
    except UnitNotFound:
        raise click.ClickException(f"unit {unit_code!r} tidak ditemukan") from None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % 1000 == 0:
            click.echo(buffer.getvalue(), nl=False)
            buffer.seek(0)
            buffer.truncate()
    click.echo(buffer.getvalue(), nl=False)


@responses.command("purge-contacts")
def purge_contacts_command() -> None:
    """Hapus kontak balasan yang sudah melewati masa simpan (REPLY_CONTACT_RETENTION_DAYS).

    Jalankan setiap hari (mis. cron). Respons dan komentarnya tetap ada; hanya kontaknya dihapus.
    """
    days = int(current_app.config["REPLY_CONTACT_RETENTION_DAYS"])
    deleted = purge_reply_contacts(db.session, utcnow(), days)
    db.session.commit()
    click.echo(f"{deleted} kontak balasan yang lebih lama dari {days} hari dihapus")


@responses.command("purge-hash-keys")
def purge_hash_keys_command() -> None:
    """Hapus kunci hash IP dan perangkat dari hari-hari (UTC) yang sudah lewat.

    Pengiriman pertama setiap hari sudah menghapusnya; perintah ini untuk hari tanpa pengiriman
    (jalankan setiap hari, mis. cron). Setelah itu hash hari tersebut tidak dapat dihitung ulang.
    """
    deleted = purge_hash_keys(db.session, utcnow().date())
    db.session.commit()
    click.echo(f"{deleted} kunci hash dari hari yang sudah lewat dihapus")
