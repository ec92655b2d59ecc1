"""The public unit page and its downloads: published, frozen snapshots only (DESIGN §6, issue 14).

`/unit/<code>?periode=P` shows the period's current published version (default: the unit's
latest published period), `/unit/<code>/versi/<n>?periode=P` any published or superseded
version, and `/unit/<code>/<P>.csv|json` (`/unit/<code>/<P>/versi/<n>.csv|json`) the same
figures as files. Everything is read from the stored snapshot, where small counts are already
"*": no live number, no draft, no review remark and no officer reaches the public. A unit that did
not publish for the period gets "tidak ada data" (200).
"""
from __future__ import annotations

import csv
import io
import json
import re

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.public import bp
from app.public.routes import KINERJA_LABELS, fold_rollup_queue
from surveys.errors import UnitNotFound
from surveys.models import Publication, Unit
from surveys.periods import Period, local_day
from surveys.publishing import reads
from surveys.reporting.service import find_unit
from surveys.responses.instruments import SKM_ITEMS

MAX_CODE_CHARS = 64  # longer unit codes exist nowhere: not found, without a query
UNSUR_NAMES = {item.code: item for item in SKM_ITEMS}

# The data dictionary of the downloads (open data: in Bahasa Indonesia, as the files are).
KAMUS_DATA = {
    "publikasi.versi": "Nomor versi publikasi periode ini (1 = pertama; koreksi menambah versi).",
    "publikasi.status": "published = versi yang berlaku; superseded = versi lama yang sudah "
                        "dikoreksi.",
    "publikasi.diterbitkan": "Waktu penerbitan versi ini (UTC, ISO 8601).",
    "publikasi.alasan_koreksi": "Alasan koreksi (kosong untuk versi pertama).",
    "publikasi.sha256": "SHA-256 dari snapshot (JSON kanonik) untuk memeriksa keutuhan data.",
    "snapshot.schema": "Nama dan versi format snapshot.",
    "snapshot.method": "Versi metode perhitungan.",
    "snapshot.prepared_at": "Waktu angka dibekukan (draf disiapkan), UTC.",
    "snapshot.unit": "Unit layanan: code (kode), name (nama), timezone (zona waktu).",
    "snapshot.period": "Periode: code (kode), from dan to (hari pertama dan terakhir, inklusif).",
    "snapshot.rules": "Aturan penyembunyian: hidden_counts (jumlah yang ditampilkan \"*\"), "
                      "index_min (responden minimal untuk indeks), caution_below (di bawah ini: "
                      "gunakan dengan hati-hati).",
    "snapshot.respondents": "Jumlah responden unit beserta sub-unitnya; \"*\" bila 1–4.",
    "snapshot.population": "Jumlah pengguna layanan periode ini, bila diketahui (null: tidak).",
    "snapshot.target": "Sampel minimal Krejcie–Morgan untuk populasi itu (null: tidak diketahui).",
    "snapshot.below_target": "true bila jumlah responden di bawah sampel minimal (catatan mutu "
                             "data).",
    "snapshot.index": "Indeks unit; null bila kurang dari 10 responden atau disembunyikan.",
    "index.ikm": "Indeks Kepuasan Masyarakat (skala 25–100, dua desimal, PermenPANRB 14/2017).",
    "index.ikm_exact": "IKM sebelum pembulatan tampilan (empat desimal).",
    "index.ci95": "Interval kepercayaan 95% IKM [bawah, atas].",
    "index.mutu": "Mutu pelayanan A–D menurut PermenPANRB 14/2017.",
    "index.kinerja": "Kinerja unit pelayanan (Sangat Baik, Baik, Kurang Baik, Tidak Baik).",
    "index.grade": "Mutu dan peluang bahwa IKM sebenarnya berada di rentang mutu itu, mis. "
                   "\"B (97%)\".",
    "index.band_probability": "Peluang (0–1) bahwa IKM sebenarnya berada di rentang mutu itu.",
    "index.caution": "true bila kurang dari 100 responden: gunakan dengan hati-hati.",
    "index.below_target": "true bila di bawah sampel minimal Krejcie–Morgan.",
    "index.unsur": "Per unsur: code (U1–U9), n (responden yang menjawab), nrr (nilai rata-rata "
                   "1–4; null di bawah 10 responden), ci95 (interval 95% NRR).",
    "snapshot.services": "Per layanan: code, name, unit (kode unit pemilik layanan), n (responden "
                         "atau \"*\"), index (seperti index di atas, atau null).",
    "snapshot.sub_units": "Per sub-unit langsung: code, name, n (responden atau \"*\"), index "
                          "(atau null).",
    "*": "Disembunyikan: 1–4 responden, atau sel terkecil berikutnya di bawah induk yang sama "
         "agar jumlah induk tidak membuka sel yang disembunyikan (aturan sekunder).",
}
CSV_COLUMNS = ("unit", "periode", "versi", "status", "diterbitkan", "tingkat", "kode", "nama",
               "responden", "ikm", "nrr", "ci95_bawah", "ci95_atas", "mutu", "mutu_kepastian",
               "kinerja", "gunakan_hati_hati", "di_bawah_target", "populasi", "sampel_minimal")


def check_code(code: str) -> None:
    """A NUL or an overlong code names no unit: 404 (app/errors.py), without a query."""
    if not code or len(code) > MAX_CODE_CHARS or "\x00" in code:
        raise UnitNotFound(code[:MAX_CODE_CHARS])


def _unit(code: str) -> Unit:
    check_code(code)
    return find_unit(db.session, code)


def _period(code: str | None, periods: list[str]) -> Period | None:
    """The period asked for (InvalidPeriod: 400), else the unit's latest published one."""
    if code:
        return Period.parse(code)
    return Period.parse(periods[0]) if periods else None


def _version(versions: list[Publication], number: int) -> Publication:
    """One public version by number, compared in Python (a huge number never reaches SQL)."""
    row = next((row for row in versions if row.version == number), None)
    if row is None:
        abort(404, description=_("Versi ini tidak ada untuk periode ini."))
    return row


def _published_day(row: Publication) -> str:
    return local_day(row.published_at, row.unit.timezone).isoformat()


def _page(unit: Unit, period: Period | None, row: Publication | None,
          versions: list[Publication], periods: list[str]):
    current = next((v for v in versions if v.status == "published"), None)
    links = None if row is None else download_links(unit, row, row is current)
    return render_template(
        "public/unit.html", unit=unit, period=period, row=row,
        snapshot=None if row is None else row.snapshot, current=current, versions=versions,
        periods=periods, links=links, names=UNSUR_NAMES, kinerja=KINERJA_LABELS,
        published_day=_published_day)


@bp.get("/unit/<code>")
def unit_results(code: str):
    check_code(code)
    asked = request.args.get("periode")
    period = Period.parse(asked) if asked else None  # InvalidPeriod: 400, nothing written
    # Upkeep only, before any read (app/public/routes.py: the roll-up queue and the burst
    # checks); what this page shows is the stored snapshot, which no later response changes.
    fold_rollup_queue()
    unit = _unit(code)
    periods = reads.published_periods(db.session, unit)
    period = period or _period(None, periods)
    if period is None:
        return _page(unit, None, None, [], periods)
    versions = reads.public_versions(db.session, unit, period.code)
    row = next((v for v in versions if v.status == "published"), None)
    return _page(unit, period, row, versions, periods)


@bp.get("/unit/<code>/versi/<int:version>")
def unit_version(code: str, version: int):
    unit = _unit(code)
    periods = reads.published_periods(db.session, unit)
    period = _period(request.args.get("periode"), periods)
    if period is None:
        abort(404, description=_("Versi ini tidak ada untuk periode ini."))
    versions = reads.public_versions(db.session, unit, period.code)
    return _page(unit, period, _version(versions, version), versions, periods)


def _file_name(unit: Unit, row: Publication, ext: str) -> str:
    name = f"ikm-{unit.code}-{row.period}-v{row.version}.{ext}"
    return re.sub(r"[^A-Za-z0-9._-]", "-", name)


def snapshot_json(row: Publication) -> dict:
    """The download: the publication's public facts, the snapshot as stored, the dictionary."""
    return {
        "publikasi": {"versi": row.version, "status": row.status,
                      "diterbitkan": row.published_at.isoformat(timespec="seconds"),
                      "alasan_koreksi": row.correction_reason, "sha256": row.snapshot_sha256},
        "snapshot": row.snapshot,
        "kamus_data": KAMUS_DATA,
    }


def _cell(value) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "ya" if value else "tidak"
    return str(value)


def _index_cells(index: dict | None) -> dict:
    if index is None:
        return {}
    low, high = index["ci95"] or (None, None)
    return {"ikm": index["ikm"], "ci95_bawah": low, "ci95_atas": high, "mutu": index["mutu"],
            "mutu_kepastian": index["grade"], "kinerja": index["kinerja"],
            "gunakan_hati_hati": index["caution"], "di_bawah_target": index["below_target"]}


def snapshot_rows(row: Publication) -> list[dict]:
    """The snapshot as one flat table: the unit, its unsur, its services, its sub-units."""
    snapshot = row.snapshot
    unit, index = snapshot["unit"], snapshot["index"]
    rows = [{"tingkat": "unit", "kode": unit["code"], "nama": unit["name"],
             "responden": snapshot["respondents"], **_index_cells(index),
             "di_bawah_target": snapshot["below_target"], "populasi": snapshot["population"],
             "sampel_minimal": snapshot["target"]}]
    for unsur in (index or {}).get("unsur", []):
        low, high = unsur["ci95"] or (None, None)
        item = UNSUR_NAMES.get(unsur["code"])
        rows.append({"tingkat": "unsur", "kode": unsur["code"],
                     "nama": item.text_id if item else "", "responden": unsur["n"],
                     "nrr": unsur["nrr"], "ci95_bawah": low, "ci95_atas": high})
    for level, key in (("layanan", "services"), ("sub_unit", "sub_units")):
        for part in snapshot[key]:
            rows.append({"tingkat": level, "kode": part["code"], "nama": part["name"],
                         "responden": part["n"], **_index_cells(part["index"])})
    common = {"unit": unit["code"], "periode": row.period, "versi": row.version,
              "status": row.status,
              "diterbitkan": row.published_at.isoformat(timespec="seconds")}
    return [{**common, **cells} for cells in rows]


def snapshot_csv(row: Publication) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for cells in snapshot_rows(row):
        writer.writerow([_cell(cells.get(column)) for column in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM: spreadsheets read it as UTF-8


def _download(unit: Unit, row: Publication, filetype: str) -> Response:
    if filetype == "csv":
        body, mimetype = snapshot_csv(row), "text/csv; charset=utf-8"
    else:
        body = json.dumps(snapshot_json(row), ensure_ascii=False, indent=1).encode("utf-8")
        mimetype = "application/json"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{_file_name(unit, row, filetype)}"'})


@bp.get("/unit/<code>/<period_code>.<any(csv, json):filetype>")
def unit_download(code: str, period_code: str, filetype: str):
    """The period's current published version as a file."""
    unit = _unit(code)
    period = Period.parse(period_code)  # InvalidPeriod: 400
    row = reads.current(db.session, unit, period.code)
    if row is None:
        abort(404, description=_("Tidak ada data: unit ini belum menerbitkan hasil untuk "
                                 "periode ini."))
    return _download(unit, row, filetype)


@bp.get("/unit/<code>/<period_code>/versi/<int:version>.<any(csv, json):filetype>")
def unit_version_download(code: str, period_code: str, version: int, filetype: str):
    """One published or superseded version as a file."""
    unit = _unit(code)
    period = Period.parse(period_code)
    return _download(unit, _version(reads.public_versions(db.session, unit, period.code),
                                    version), filetype)


def download_links(unit: Unit, row: Publication, current: bool) -> dict[str, str]:
    """Where the files of a shown version are (the current one's address does not name it)."""
    if current:
        return {ext: url_for("public.unit_download", code=unit.code, period_code=row.period,
                             filetype=ext) for ext in ("csv", "json")}
    return {ext: url_for("public.unit_version_download", code=unit.code, period_code=row.period,
                         version=row.version, filetype=ext) for ext in ("csv", "json")}
