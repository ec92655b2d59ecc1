"""Open data of a publication: the snapshot as CSV and JSON, with its data dictionary and the
Satu Data Indonesia indicator metadata (Perpres 39/2019), in Bahasa Indonesia as the files are.

Everything is read from the stored snapshot, where small counts are already "*".
"""
from __future__ import annotations

import csv
import io

from surveys.models import Publication
from surveys.publishing.profile import NOT_SAID
from surveys.responses.instruments import SKM_ITEMS

UNSUR_NAMES = {item.code: item for item in SKM_ITEMS}
PROFILE_NAMES = {
    "age_band": ("Usia", {"17-24": "17–24 tahun", "25-34": "25–34 tahun", "35-44": "35–44 tahun",
                          "45-54": "45–54 tahun", "55-64": "55–64 tahun", "65+": "65 tahun ke atas"}),
    "gender": ("Jenis kelamin", {"L": "Laki-laki", "P": "Perempuan"}),
    "education": ("Pendidikan terakhir", {
        "sd": "SD atau sederajat", "smp": "SMP atau sederajat", "sma": "SMA/SMK atau sederajat",
        "diploma": "Diploma (D1–D4)", "s1": "Sarjana (S1)", "s2+": "Pascasarjana (S2/S3)"}),
    "occupation": ("Pekerjaan", {
        "pns": "PNS/ASN", "tni_polri": "TNI/Polri", "swasta": "Pegawai swasta",
        "wirausaha": "Wirausaha", "pelajar": "Pelajar/Mahasiswa", "lainnya": "Lainnya"}),
}


def profile_name(dimension: str, code: str) -> str:
    """The Indonesian name of a profile group ("tidak menjawab" for prefer-not-to-say)."""
    return "Tidak menjawab" if code == NOT_SAID else PROFILE_NAMES[dimension][1].get(code, code)


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
    "index.se": "Galat baku IKM (untuk membandingkan dua periode yang diterbitkan).",
    "snapshot.profile": "Per profil responden (age_band usia, gender jenis kelamin, education "
                        "pendidikan, occupation pekerjaan): code, n (responden atau \"*\"), index "
                        "(ikm, ci95, mutu, caution; null di bawah 10 responden); "
                        "tidak_menjawab = memilih tidak menjawab.",
    "snapshot.iku": "Target IKU periode ini: indicator (ikm = IKM; waiting = persen responden "
                    "yang menunggu kurang dari 15 menit; responses = responden sebagai persen "
                    "sampel minimal), target, n, value (realisasi; null di bawah 10 responden), "
                    "ci95, met (tercapai), certain (tercapai/tidak di luar ketidakpastian).",
    "*": "Disembunyikan: 1–4 responden, atau sel terkecil berikutnya di bawah induk yang sama "
         "agar jumlah induk tidak membuka sel yang disembunyikan (aturan sekunder).",
}

CSV_COLUMNS = ("unit", "periode", "versi", "status", "diterbitkan", "tingkat", "kode", "nama",
               "responden", "ikm", "nrr", "ci95_bawah", "ci95_atas", "mutu", "mutu_kepastian",
               "kinerja", "gunakan_hati_hati", "di_bawah_target", "populasi", "sampel_minimal")




# Satu Data Indonesia: the metadata of each indicator in the files (Perpres 39/2019, metadata
# statistik: nama indikator, konsep, definisi, metode/rumus, ukuran, satuan, level estimasi).
SATU_DATA = [
    {"nama_indikator": "Indeks Kepuasan Masyarakat (IKM)",
     "konsep": "Kepuasan masyarakat atas pelayanan publik yang diterimanya (PermenPANRB 14/2017).",
     "definisi": "Rata-rata tertimbang nilai sembilan unsur pelayanan dari jawaban responden "
                 "yang dilayani unit pada periode itu, dikonversi ke skala 25–100.",
     "metode_rumus": "IKM = 25 × Σ_j (1/J × NRR_j), J = 9 unsur, bobot tepat 1/J (bukan 0,111); "
                     "NRR_j = rata-rata jawaban 1–4 unsur j dari responden yang menjawabnya. "
                     "Interval kepercayaan 95%: linearisasi dengan koreksi populasi terhingga.",
     "ukuran": "Indeks", "satuan": "Skala 25–100",
     "level_estimasi": "Unit layanan (beserta sub-unitnya), jenis layanan, sub-unit, profil "
                       "responden; per periode"},
    {"nama_indikator": "Nilai Rata-rata per Unsur (NRR)",
     "konsep": "Penilaian masyarakat atas satu unsur pelayanan (U1–U9).",
     "definisi": "Rata-rata jawaban 1–4 atas satu unsur dari responden yang menjawab unsur itu.",
     "metode_rumus": "NRR_j = Σ jawaban unsur j / jumlah responden yang menjawab unsur j.",
     "ukuran": "Rata-rata", "satuan": "Skala 1–4", "level_estimasi": "Unit layanan; per periode"},
    {"nama_indikator": "Jumlah responden",
     "konsep": "Banyaknya pengguna layanan yang mengisi survei dan dihitung.",
     "definisi": "Responden yang menjawab sekurang-kurangnya satu unsur; tanggapan yang "
                 "dikecualikan setelah pemeriksaan tidak dihitung. 1–4 ditampilkan \"*\".",
     "metode_rumus": "Hitungan; sampel minimal menurut Krejcie–Morgan (1970) atas jumlah "
                     "pengguna layanan periode itu.",
     "ukuran": "Jumlah", "satuan": "Orang",
     "level_estimasi": "Unit layanan, jenis layanan, sub-unit, profil responden; per periode"},
]


def snapshot_json(row: Publication) -> dict:
    """The download: the publication's public facts, the snapshot as stored, the dictionary."""
    return {
        "publikasi": {"versi": row.version, "status": row.status,
                      "diterbitkan": row.published_at.isoformat(timespec="seconds"),
                      "alasan_koreksi": row.correction_reason, "sha256": row.snapshot_sha256},
        "snapshot": row.snapshot,
        "kamus_data": KAMUS_DATA,
        "metadata_satu_data": SATU_DATA,
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
    for dimension, groups in snapshot.get("profile", {}).items():
        for group in groups:
            index = group["index"] or {}
            low, high = index.get("ci95") or (None, None)
            rows.append({"tingkat": f"profil_{dimension}", "kode": group["code"],
                         "nama": profile_name(dimension, group["code"]),
                         "responden": group["n"], "ikm": index.get("ikm"), "ci95_bawah": low,
                         "ci95_atas": high, "mutu": index.get("mutu"),
                         "gunakan_hati_hati": index.get("caution")})
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


