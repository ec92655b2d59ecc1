"""The printable evaluation record (A4 PDF, for signature): officer, period, version, SKP items,
behaviours, ratings, predikat, feedback, the citizen evidence with its SHA-256 digest, the
co-worker evidence with its own, who the evaluator and the atasan were, any keberatan, and
signature lines.

The text is the official Indonesian of the form (a record is a government document). Core
fonts only (no font file, no network), so text is folded to Latin-1 as the posters do.
"""
from __future__ import annotations

from fpdf.enums import XPos, YPos

from surveys.exchange.pdf_pages import MARGIN, A4Document, fixed, pair_text, latin1

from surveys.evaluations.keberatan import last_day
from surveys.models import EvaluationRecord
from surveys.models.evaluation import BEHAVIOURS

RATING_LABELS = {"di_atas": "Di Atas Ekspektasi", "sesuai": "Sesuai Ekspektasi",
                 "di_bawah": "Di Bawah Ekspektasi", None: "-"}
BEHAVIOUR_LABELS = {
    "berorientasi_pelayanan": "Berorientasi Pelayanan", "akuntabel": "Akuntabel",
    "kompeten": "Kompeten", "harmonis": "Harmonis", "loyal": "Loyal", "adaptif": "Adaptif",
    "kolaboratif": "Kolaboratif"}
STATUS_LABELS = {"draft": "Draf", "shared": "Dibagikan kepada pegawai", "final": "Final"}
DECISION_LABELS = {"dikabulkan": "Dikabulkan", "ditolak": "Ditolak", None: "Belum diputuskan"}
POSITION_LABELS = {"inside": "di dalam batas kendali", "above": "di atas batas kendali",
                   "below": "di bawah batas kendali"}


class _Record(A4Document):
    """The record's pages: the shared helpers and its footer."""

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Helvetica", size=7)
        self.cell(0, 4, latin1(f"Suara Warga - rekaman evaluasi kinerja - halaman {self.page_no()}"),
                  align="C")


def _person(pdf: _Record, label: str, person: dict | None) -> None:
    if person is None:
        pdf.pair(label, "(tidak ada)")
        return
    parts = [person.get("name"), person.get("nip") and f"NIP {person['nip']}",
             person.get("jabatan"), person.get("unit")]
    pdf.pair(label, ", ".join(part for part in parts if part))


def _items(pdf: _Record, record: EvaluationRecord) -> None:
    pdf.heading("A. Hasil kerja (SKP)")
    if not record.items:
        pdf.line_text("(belum ada butir hasil kerja)")
    for number, item in enumerate(record.items, start=1):
        pdf.line_text(f"{number}. {item.indicator}", bold=True)
        pdf.pair("   Target", item.target)
        source = " (ditarik dari data IKU)" if item.iku_target_id else ""
        pdf.pair("   Realisasi", (item.realisation or "-") + source)
        if item.evidence_link:
            pdf.pair("   Bukti", item.evidence_link)
        if item.note:
            pdf.pair("   Catatan", item.note)


def _behaviours(pdf: _Record, record: EvaluationRecord) -> None:
    pdf.heading("B. Perilaku kerja (BerAKHLAK)")
    notes = record.behaviour_notes or {}
    for code in BEHAVIOURS:
        pdf.pair(BEHAVIOUR_LABELS[code], notes.get(code) or "-")


def _evidence(pdf: _Record, record: EvaluationRecord) -> None:
    pdf.heading("D. Bukti dukung: penilaian warga (Survei Kepuasan Masyarakat)")
    evidence = record.evidence
    if evidence is None:
        pdf.line_text("Bukti belum ditarik ke rekaman ini.")
        return
    score = evidence.get("officer_score") or {}
    pdf.pair("Jumlah tanggapan (n)", str(score.get("n", 0)))
    pdf.pair("Rata-rata mentah", fixed(score.get("raw")))
    pdf.pair("Perkiraan (empirical Bayes)",
             f"{fixed(score.get('shrunk'))} (interval 95%: {pair_text(score.get('ci95'))})")
    pdf.pair("Keandalan", fixed(score.get("reliability"), 2))
    if score.get("reliable_for_evaluation"):
        pdf.pair("Status bukti", "cukup untuk penilaian (keandalan >= 0,80)")
    else:
        needed = score.get("n_needed_for_evaluation")
        more = f"; perlu sekitar {needed} tanggapan" if needed else ""
        pdf.pair("Status bukti", f"BUKTI BELUM CUKUP UNTUK PENILAIAN (keandalan < 0,80{more})")
    casemix = evidence.get("casemix") or {}
    if casemix.get("available"):
        pdf.pair("Disesuaikan (case-mix)",
                 f"{fixed(casemix.get('adjusted'))} (interval 95%: "
                 f"{pair_text(casemix.get('ci95'))}); tanpa penyesuaian "
                 f"{fixed(casemix.get('unadjusted'))}")
    else:
        pdf.pair("Disesuaikan (case-mix)", "tidak tersedia (data belum cukup)")
    funnel = evidence.get("funnel")
    if funnel:
        pdf.pair("Posisi funnel (95%)",
                 f"{POSITION_LABELS.get(funnel.get('position_95'), funnel.get('position_95'))}"
                 f" (batas {pair_text(funnel.get('limits_95'))}, rata-rata unit "
                 f"{fixed(funnel.get('target'))})")
    unit = evidence.get("unit_ikm") or {}
    pdf.pair("IKM unit", f"{unit.get('name', '')}: {fixed(unit.get('ikm'), 2)} (interval 95%: "
             f"{pair_text(unit.get('ci95'), 2)}; n {unit.get('n', 0)}; mutu {unit.get('mutu') or '-'})")
    comments = evidence.get("comments") or {}
    pdf.pair("Komentar warga", f"{comments.get('total', 0)} komentar; contoh:")
    for comment in (comments.get("sample") or [])[:5]:
        pdf.line_text(f"   - {comment.get('day')}: {comment.get('text')}")
    exclusions = evidence.get("exclusions") or {}
    pdf.pair("Dikecualikan", f"{exclusions.get('excluded_by_flag', 0)} tanggapan bertanda "
             f"'dikecualikan'; {exclusions.get('upheld_objections', 0)} keberatan atas tanggapan "
             "dikabulkan")
    pdf.pair("Metode analisis", evidence.get("method"))
    pdf.pair("Waktu penarikan", evidence.get("pulled_at"))
    pdf.pair("SHA-256 bukti", record.evidence_sha256)
    pdf.line_text("Nilai warga adalah bukti dukung, bukan predikat: pejabat penilai yang "
                  "memutuskan. Hash dihitung atas JSON bukti (kunci terurut, tanpa spasi, UTF-8).",
                  size=7.5)


def _coworkers(pdf: _Record, record: EvaluationRecord) -> None:
    """The second, separately labelled evidence: co-workers' answers, figures only from the
    minimum number of answers, never a name."""
    pdf.heading("E. Bukti dukung kedua: masukan rekan kerja")
    found = record.coworker_evidence
    if found is None:
        pdf.line_text("Bukti belum ditarik ke rekaman ini.")
        return
    if found.get("round") is None:
        pdf.line_text("Tidak ada putaran masukan rekan kerja untuk periode ini.")
    elif not found.get("shown"):
        pdf.line_text(f"Hasil disembunyikan: {found.get('answered')} dari {found.get('invited')} "
                      f"rekan kerja menjawab; hasil ditampilkan bila paling sedikit "
                      f"{found.get('min_answers')} menjawab.")
    else:
        pdf.pair("Rekan kerja menjawab", f"{found.get('answered')} dari {found.get('invited')} "
                 "yang diundang (anonim)")
        for code in BEHAVIOURS:
            row = found["behaviours"].get(code) or {}
            pdf.pair(f"   {BEHAVIOUR_LABELS[code]}",
                     f"{fixed(row.get('mean_100'))} (interval 95%: {pair_text(row.get('ci95_100'))};"
                     f" n {row.get('n', 0)})" if row.get("shown")
                     else f"disembunyikan (n {row.get('n', 0)})")
        for comment in found.get("comments") or []:
            pdf.line_text(f"   - {comment}")
    pdf.pair("SHA-256 bukti rekan", record.coworker_sha256)


def _keberatan(pdf: _Record, record: EvaluationRecord) -> None:
    if not record.keberatan:
        if record.status == "final" and (end := last_day(record)) is not None:
            pdf.line_text(f"Keberatan dapat diajukan paling lambat {end.isoformat()} "
                          "(14 hari, PP 30/2019 Pasal 59).", size=8)
        return
    pdf.heading("F. Keberatan (PP 30/2019 Pasal 59)")
    for row in record.keberatan:
        pdf.pair("Diajukan", row.filed_at.date().isoformat())
        pdf.pair("Alasan", row.reasons)
        pdf.pair("Keputusan atasan", DECISION_LABELS.get(row.decision, row.decision))
        if row.decision_note:
            pdf.pair("Catatan keputusan", row.decision_note)


def _signatures(pdf: _Record, record: EvaluationRecord) -> None:
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.ln(8)
    width = (pdf.w - 2 * MARGIN) / 3
    people = [("Pegawai yang dinilai", {"name": record.staff.name, "nip": record.staff.nip}),
              ("Pejabat penilai", record.evaluator_snapshot),
              ("Atasan pejabat penilai", record.atasan_snapshot)]
    top = pdf.get_y()
    for index, (label, person) in enumerate(people):
        x = MARGIN + index * width
        pdf.set_xy(x, top)
        pdf.set_font("Helvetica", style="B", size=9)
        pdf.cell(width - 4, 5, latin1(label), align="C")
        pdf.line(x + 4, top + 28, x + width - 8, top + 28)
        pdf.set_xy(x, top + 29)
        pdf.set_font("Helvetica", size=8)
        name = (person or {}).get("name") or "-"
        nip = (person or {}).get("nip")
        pdf.multi_cell(width - 4, 4, latin1(name + (f"\nNIP {nip}" if nip else "")), align="C")


def record_pdf(record: EvaluationRecord) -> bytes:
    """The record as a one-or-more-page A4 PDF."""
    pdf = _Record(orientation="portrait", unit="mm", format=(210, 297))
    pdf.set_margins(MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=14)
    pdf.set_title(latin1(f"Rekaman evaluasi {record.staff.nip} {record.period} v{record.version}"))
    pdf.set_creator("Suara Warga")
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.multi_cell(0, 7, "REKAMAN EVALUASI KINERJA PEGAWAI", align="C",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=9)
    pdf.multi_cell(0, 5, "PermenPANRB 6/2022 - dengan bukti dukung penilaian warga", align="C",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    staff = record.staff
    pdf.pair("Pegawai", f"{staff.name}, NIP {staff.nip}")
    pdf.pair("Jabatan / unit", f"{staff.position}, {staff.unit.name}")
    pdf.pair("Periode", record.period)
    pdf.pair("Versi / status", f"{record.version} / {STATUS_LABELS.get(record.status)}"
             + (f", final {record.finalized_at.date().isoformat()}" if record.finalized_at else ""))
    if record.supersedes_id:
        pdf.pair("Koreksi atas versi", f"{record.version - 1}: {record.correction_reason}")
    _person(pdf, "Pejabat penilai", record.evaluator_snapshot)
    _person(pdf, "Atasan pejabat penilai", record.atasan_snapshot)
    _items(pdf, record)
    _behaviours(pdf, record)
    pdf.heading("C. Penilaian")
    pdf.pair("Rating hasil kerja", RATING_LABELS.get(record.hasil_rating))
    pdf.pair("Rating perilaku kerja", RATING_LABELS.get(record.perilaku_rating))
    pdf.pair("Predikat kinerja", record.predikat or "-")
    pdf.pair("Umpan balik", record.feedback or "-")
    _evidence(pdf, record)
    _coworkers(pdf, record)
    _keberatan(pdf, record)
    _signatures(pdf, record)
    return bytes(pdf.output())
