"""The SKM report's pages and its results chapters (BAB III hasil, BAB IV analisis, BAB V rencana
tindak lanjut, the questionnaire appendix), drawn from a publication's frozen snapshot only.

Numbers are formatted as the public unit page shows them (IKM 2 decimals, NRR 3, intervals 2),
so the report and the portal say the same. Core fonts and Latin-1 folding as the evaluation record
(surveys/exchange/record_pdf.py), whose page helpers this reuses.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fpdf.enums import XPos, YPos

from analysis.compare import Comparison
from analysis.grading import classify
from surveys.exchange.pdf_pages import A4Document, fixed, latin1, pair_text
from surveys.models import Publication
from surveys.publishing.open_data import PROFILE_NAMES, UNSUR_NAMES, profile_name

CAUTION_MARK = "\u00b9"  # superscript one (Latin-1): "fewer than 100 respondents"
CELL_CHARS = 600  # a table cell longer than this is cut: a row must fit on one page
STATUS_NAMES = {"rencana": "Rencana", "berjalan": "Berjalan", "selesai": "Selesai"}
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")


@dataclass(frozen=True)
class Inputs:
    """What a report is made of: the shown version, the previous published period and the
    change from it, the unit's published complaint replies received in the period (published
    day, service, text; how many in all) and its follow-up actions (what, who, due, status)."""

    row: Publication
    organization: str
    previous: Publication | None
    change: Comparison | None
    replies: list[tuple[date, str | None, str]]
    replies_total: int
    actions: list[tuple[str, str, date, str]]


def long_day(day: date | str) -> str:
    """'30 September 2026'."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def ikm_text(index: dict | None) -> str:
    return "-" if not index else f"{index['ikm']:.2f}"


def nrr_text(value) -> str:
    return fixed(value, 3)


def interval_text(pair) -> str:
    return pair_text(pair, 2)


def _cut(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS - 3].rstrip() + "..."


class ReportPdf(A4Document):
    """A4 pages with the record's headings and label/value pairs, chapters and tables."""

    running_title = "Laporan SKM"

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Helvetica", size=7)
        self.cell(0, 4, latin1(f"{self.running_title} - halaman {self.page_no()}"), align="C")

    def chapter(self, title: str) -> None:
        """A chapter starts a page: 'BAB I PENDAHULUAN' centred."""
        self.add_page()
        self.set_font("Helvetica", style="B", size=13)
        self.multi_cell(0, 7, latin1(title), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)
        self.set_font("Helvetica", size=9)

    def paragraph(self, text: str) -> None:
        self.set_font("Helvetica", size=9)
        self.multi_cell(0, 4.8, latin1(text), align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def grid(self, widths: tuple[float, ...], head: tuple[str, ...], rows: list[tuple]) -> None:
        """A bordered table, the head row repeated on each page; widths are relative."""
        self.set_font("Helvetica", size=8.5)
        with self.table(col_widths=widths, width=self.epw, line_height=4.4, text_align="LEFT",
                        v_align="TOP", padding=1) as table:
            for values in (head, *rows):
                cells = table.row()
                for value in values:
                    cells.cell(latin1(_cut(value)))
        self.ln(2)
        self.set_font("Helvetica", size=9)


def _parts_rows(parts: list[dict], with_unit: bool) -> list[tuple]:
    rows = []
    for part in parts:
        index = part["index"]
        if index:
            ikm = ikm_text(index) + (CAUTION_MARK if index["caution"] else "")
            shown = (ikm, interval_text(index["ci95"]), index["grade"])
        else:
            shown = ("*" if part["n"] == "*" else "-", "", "")
        rows.append((part["name"], *((part["unit"],) if with_unit else ()), part["n"], *shown))
    return rows


def _profile(pdf: ReportPdf, profile: dict) -> None:
    pdf.heading("3.1 Profil Responden")
    if not profile:
        pdf.paragraph("Profil responden tidak tersedia untuk periode ini.")
    for dimension, groups in profile.items():
        pdf.line_text(PROFILE_NAMES.get(dimension, (dimension,))[0], bold=True)
        rows = []
        for group in groups:
            index = group["index"]
            rows.append((profile_name(dimension, group["code"]), group["n"],
                         ikm_text(index) + (CAUTION_MARK if index and index["caution"] else "")
                         if index else ("*" if group["n"] == "*" else "-"),
                         interval_text(index["ci95"]) if index else ""))
        pdf.grid((50, 15, 15, 20), ("Kelompok", "n", "IKM", "Interval 95%"), rows)


def _unsur_table(pdf: ReportPdf, index: dict) -> None:
    pdf.heading("3.2 Nilai Rata-rata per Unsur (NRR)")
    rows = [(u["code"], UNSUR_NAMES[u["code"]].text_id if u["code"] in UNSUR_NAMES else "",
             u["n"], nrr_text(u["nrr"]), interval_text(u["ci95"])) for u in index["unsur"]]
    pdf.grid((8, 50, 10, 12, 20), ("Kode", "Unsur", "n", "NRR", "Interval 95%"), rows)
    pdf.line_text("NRR pada skala 1-4; n = responden yang menjawab unsur itu (jawaban kosong "
                  "berarti tidak relevan dan tidak dihitung).", size=8)


def _index(pdf: ReportPdf, snapshot: dict, index: dict) -> None:
    pdf.heading("3.3 Indeks Kepuasan Masyarakat (IKM)")
    pdf.pair("Nilai IKM", ikm_text(index))
    pdf.pair("Mutu pelayanan", f"{index['mutu']} ({index['kinerja']})")
    pdf.pair("Kepastian mutu", f"{index['grade']}: peluang bahwa IKM sebenarnya berada dalam "
             f"rentang mutu {index['mutu']}")
    if index["ci95"]:
        low, high = index["ci95"]
        pdf.pair("Interval kepercayaan 95%", f"{low:.2f} sampai {high:.2f}")
        if classify(max(low, 25.0)).mutu != classify(min(high, 100.0)).mutu:
            pdf.line_text("Interval ini melintasi batas rentang mutu: mutu sebenarnya bisa "
                          "berbeda dari mutu yang dilaporkan.")
    pdf.pair("Jumlah responden", str(snapshot["respondents"]))
    if index["caution"]:
        pdf.line_text(f"Gunakan dengan hati-hati: kurang dari "
                      f"{snapshot['rules']['caution_below']} responden.", bold=True)


def results(pdf: ReportPdf, snapshot: dict) -> None:
    """BAB III: profile, NRR per unsur, the IKM, per service and per sub-unit."""
    pdf.chapter("BAB III HASIL PENGOLAHAN DATA SURVEI")
    _profile(pdf, snapshot.get("profile") or {})
    index = snapshot["index"]
    if index:
        _unsur_table(pdf, index)
        _index(pdf, snapshot, index)
    else:
        pdf.heading("3.2 Nilai per Unsur dan IKM")
        pdf.paragraph(f"Indeks tidak ditampilkan: kurang dari {snapshot['rules']['index_min']} "
                      "responden (atau jumlahnya disembunyikan).")
    with_unit = bool(snapshot["sub_units"])
    head = ("Layanan", *(("Unit",) if with_unit else ()), "n", "IKM", "Interval 95%", "Mutu")
    pdf.heading("3.4 Hasil per Jenis Layanan")
    if snapshot["services"]:
        pdf.grid((40, *((28,) if with_unit else ()), 9, 12, 19, 13), head,
                 _parts_rows(snapshot["services"], with_unit))
    else:
        pdf.paragraph("Tidak ada jenis layanan yang tercatat.")
    if snapshot["sub_units"]:
        pdf.heading("3.5 Hasil per Sub-unit")
        pdf.grid((55, 10, 12, 20, 14), ("Sub-unit", "n", "IKM", "Interval 95%", "Mutu"),
                 _parts_rows(snapshot["sub_units"], False))
    pdf.line_text(f"* disembunyikan: 1-4 responden, atau baris terkecil berikutnya di bawah "
                  f"induk yang sama, agar jumlah induk tidak membuka baris yang disembunyikan. "
                  f"Indeks hanya dihitung dari minimal {snapshot['rules']['index_min']} "
                  f"responden; {CAUTION_MARK} kurang dari {snapshot['rules']['caution_below']} "
                  "responden: gunakan dengan hati-hati.", size=8)


def weakest(index: dict | None) -> dict | None:
    """The unsur with the lowest NRR (the first in questionnaire order on a tie)."""
    shown = [u for u in (index or {}).get("unsur", []) if u["nrr"] is not None]
    return min(shown, key=lambda u: u["nrr"]) if shown else None


def _unsur_name(code: str) -> str:
    item = UNSUR_NAMES.get(code)
    return f"{code} {item.text_id}" if item else code


def noise_words(p_value: float) -> str:
    """Whether a change is more than noise, in the public page's words (p < 0.05)."""
    if p_value < 0.05:
        return f"Perubahan ini lebih besar dari variasi acak (p = {p_value:.3f})."
    return (f"Perubahan ini masih dalam batas variasi acak (p = {p_value:.3f}): belum bisa "
            "disebut naik atau turun.")


def _comparison(pdf: ReportPdf, inputs: Inputs) -> None:
    pdf.heading("4.3 Perbandingan dengan Periode Sebelumnya")
    row, previous, change = inputs.row, inputs.previous, inputs.change
    if change is not None:
        before = previous.snapshot["index"]["ikm_exact"]
        after = row.snapshot["index"]["ikm_exact"]
        pdf.paragraph(
            f"IKM {before:.2f} ({previous.period}) menjadi {after:.2f} ({row.period}): berubah "
            f"{change.difference:+.2f} poin, interval 95% perubahan {change.ci[0]:+.2f} sampai "
            f"{change.ci[1]:+.2f}. {noise_words(change.p_value)}")
    elif previous is not None:
        pdf.paragraph(f"Tidak dapat dibandingkan dengan {previous.period}: salah satu periode "
                      "tidak memiliki indeks.")
    else:
        pdf.paragraph("Belum ada periode sebelumnya yang diterbitkan.")


def analysis(pdf: ReportPdf, inputs: Inputs) -> None:
    """BAB IV: the weakest unsur, saran (published replies, never raw comments), the change."""
    pdf.chapter("BAB IV ANALISIS HASIL SURVEI")
    index = inputs.row.snapshot["index"]
    low = weakest(index)
    pdf.heading("4.1 Unsur dengan Nilai Terendah")
    if low is None:
        pdf.paragraph("Tidak dapat ditentukan: nilai per unsur tidak ditampilkan untuk periode "
                      "ini.")
    else:
        ranked = sorted((u for u in index["unsur"] if u["nrr"] is not None),
                        key=lambda u: u["nrr"])
        pdf.paragraph(f"Unsur dengan NRR terendah adalah {_unsur_name(low['code'])}, NRR "
                      f"{nrr_text(low['nrr'])} (interval 95%: {interval_text(low['ci95'])}).")
        pdf.grid((10, 8, 50, 12, 20), ("Urutan", "Kode", "Unsur", "NRR", "Interval 95%"),
                 [(rank, u["code"], _unsur_name(u["code"])[len(u["code"]) + 1:],
                   nrr_text(u["nrr"]), interval_text(u["ci95"]))
                  for rank, u in enumerate(ranked, start=1)])
    pdf.heading("4.2 Saran dan Masukan")
    pdf.paragraph("Komentar warga tidak dikutip dalam laporan ini karena dapat memuat data "
                  "pribadi (UU 27/2022). Saran disusun dari nilai per unsur dan dari balasan "
                  "pengaduan yang telah diumumkan unit untuk pengaduan yang diterima pada "
                  "periode ini.")
    if low is not None:
        pdf.line_text(f"Prioritas perbaikan: unsur {_unsur_name(low['code'])} (NRR "
                      f"{nrr_text(low['nrr'])}).", bold=True)
    if inputs.replies:
        pdf.line_text(f"Balasan pengaduan yang diumumkan ({inputs.replies_total}):", bold=True)
        for day, service, text in inputs.replies:
            where = f" ({service})" if service else ""
            pdf.line_text(f"- {day.strftime('%d-%m-%Y')}{where}: {' '.join(text.split())}")
        if inputs.replies_total > len(inputs.replies):
            pdf.line_text(f"... dan {inputs.replies_total - len(inputs.replies)} balasan lain "
                          "(lihat halaman unit di portal).")
    else:
        pdf.paragraph("Tidak ada balasan pengaduan yang diumumkan untuk pengaduan yang diterima "
                      "pada periode ini.")
    _comparison(pdf, inputs)


def follow_up(pdf: ReportPdf, inputs: Inputs) -> None:
    """BAB V: the unit's follow-up actions of the period, or a sentence when there are none."""
    pdf.chapter("BAB V RENCANA TINDAK LANJUT")
    if not inputs.actions:
        pdf.paragraph("Belum ada rencana tindak lanjut yang dicatat untuk periode ini.")
        return
    pdf.paragraph("Rencana tindak lanjut atas hasil survei dan keputusan Forum Konsultasi "
                  "Publik, dengan penanggung jawab, batas waktu dan statusnya:")
    pdf.grid((6, 60, 30, 17, 14), ("No", "Rencana tindak lanjut", "Penanggung jawab",
                                   "Batas waktu", "Status"),
             [(number, what, who, due.strftime("%d-%m-%Y"), STATUS_NAMES.get(status, status))
              for number, (what, who, due, status) in enumerate(inputs.actions, start=1)])


def questionnaire(pdf: ReportPdf, codes: list[str]) -> None:
    """Lampiran: the nine unsur of the instrument with their answer labels 1-4."""
    pdf.chapter("LAMPIRAN KUESIONER SURVEI KEPUASAN MASYARAKAT")
    pdf.paragraph("Responden memilih satu jawaban untuk setiap unsur, pada skala 1 sampai 4 "
                  "(1 terendah, 4 tertinggi). Unsur yang tidak relevan boleh dikosongkan: "
                  "jawaban kosong tidak dihitung, bukan bernilai nol.")
    for number, code in enumerate((code for code in codes if code in UNSUR_NAMES), start=1):
        item = UNSUR_NAMES[code]
        pdf.line_text(f"{number}. ({code}) {item.text_id}", bold=True)
        pdf.line_text("   " + "; ".join(f"{value} = {label}" for value, label
                                         in enumerate(item.labels_id, start=1)))
    pdf.heading("Profil responden (tidak wajib)")
    for title, labels in PROFILE_NAMES.values():
        pdf.pair(title, "; ".join([*labels.values(), "Tidak menjawab"]))
    pdf.line_text("Survei tidak menanyakan nama, NIK atau nomor telepon; kontak hanya diminta "
                  "bila warga menginginkan balasan atas pengaduannya.", size=8)
