"""The SKM report of a unit and period (issue 14): an A4 PDF in the customary structure of
PermenPANRB 14/2017 — cover, BAB I pendahuluan, BAB II pengumpulan data, BAB III hasil, BAB IV
analisis, BAB V rencana tindak lanjut, the questionnaire as appendix — in Bahasa Indonesia.

Every figure comes from the publication's frozen snapshot (small counts already "*"), so the
report equals the portal and never shifts under its readers; the only live reads are the unit's
published complaint replies and follow-up actions of the period. Raw citizen comments are never
printed, and no officer's name or NIP appears: any that a unit typed into a reply or an action
is blanked. Only reads.
"""
from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.grading import BANDS
from surveys.exchange.pdf_pages import MARGIN, latin1
from surveys.exchange.skm_report_chapters import (
    Inputs,
    ReportPdf,
    analysis,
    follow_up,
    long_day,
    questionnaire,
    results,
)
from surveys.models import Complaint, Publication, Response, Service, Staff
from surveys.models.forum import FollowUpAction
from surveys.periods import Period, local_day
from surveys.publishing import reads
from surveys.reporting.service import unit_and_descendant_ids
from surveys.responses.instruments import SKM_ITEMS

REPLIES_SHOWN = 30  # the newest published replies printed; the rest are counted
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
HIDDEN_OFFICER = "(nama petugas tidak ditampilkan)"
HIDDEN_NIP = "(NIP tidak ditampilkan)"
_NIP_LIKE = re.compile(r"(?<!\d)\d(?:[ .\-]?\d){17}(?!\d)")  # 18 digits, maybe grouped


def period_name(code: str) -> str:
    """'Triwulan III Tahun 2026', 'Semester I Tahun 2026', 'Juli 2026', 'Tahun 2026'."""
    period = Period.parse(code)
    year = period.start.year
    months = (period.end.year - year) * 12 + period.end.month - period.start.month
    if months == 12:
        return f"Tahun {year}"
    if months == 6:
        return f"Semester {ROMAN[period.start.month // 6 + 1]} Tahun {year}"
    if months == 3:
        return f"Triwulan {ROMAN[period.start.month // 3 + 1]} Tahun {year}"
    return long_day(period.start).split(" ", 1)[1]


def _blanker(session: Session, unit_ids: list[int]):
    """A function blanking the unit tree's officer names and any NIP-like number in a text."""
    names = sorted({name.strip() for (name,) in session.execute(
        select(Staff.name).where(Staff.unit_id.in_(unit_ids))) if len(name.strip()) >= 3},
        key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in names),
                         re.IGNORECASE) if names else None

    def blank(text: str) -> str:
        text = _NIP_LIKE.sub(HIDDEN_NIP, text or "")
        return pattern.sub(HIDDEN_OFFICER, text) if pattern else text
    return blank


def report_inputs(session: Session, row: Publication) -> Inputs:
    """The shown version with what the report reads beside its snapshot."""
    unit = row.unit
    previous = reads.previous_of(reads.published_rows(session, unit), row.period)
    blank = _blanker(session, unit_and_descendant_ids(session, unit))
    start, end = Period.parse(row.period).utc_bounds(unit.timezone)
    received = (Complaint.unit_id == unit.id, Complaint.published_at.is_not(None),
                Complaint.public_reply.is_not(None), Complaint.received_at >= start,
                Complaint.received_at < end)
    replies = session.execute(
        select(Complaint.published_at, Service.name, Complaint.public_reply)
        .join(Response, Response.id == Complaint.response_id)
        .outerjoin(Service, Service.id == Response.service_id)
        .where(*received).order_by(Complaint.published_at.desc(), Complaint.id.desc())
        .limit(REPLIES_SHOWN)).all()
    total = session.scalar(select(func.count()).select_from(Complaint).where(*received))
    actions = session.execute(
        select(FollowUpAction.what, FollowUpAction.who, FollowUpAction.due_on,
               FollowUpAction.status)
        .where(FollowUpAction.unit_id == unit.id, FollowUpAction.period == row.period)
        .order_by(FollowUpAction.due_on, FollowUpAction.id)).all()
    return Inputs(
        row=row, organization=unit.organization.name, previous=previous,
        change=reads.change(previous, row),
        replies=[(local_day(at, unit.timezone), service, blank(text))
                 for at, service, text in replies],
        replies_total=total or 0,
        actions=[(blank(what), blank(who), due, status) for what, who, due, status in actions])


def _cover(pdf: ReportPdf, inputs: Inputs) -> None:
    row, snapshot = inputs.row, inputs.row.snapshot
    pdf.add_page()
    pdf.ln(40)
    pdf.set_font("Helvetica", style="B", size=18)
    pdf.multi_cell(0, 9, "LAPORAN\nSURVEI KEPUASAN MASYARAKAT (SKM)", align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.multi_cell(0, 7, latin1(snapshot["unit"]["name"]), align="C", new_x="LMARGIN",
                   new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, latin1(inputs.organization), align="C", new_x="LMARGIN",
                   new_y="NEXT")
    pdf.ln(10)
    period = snapshot["period"]
    lines = [f"Periode: {period_name(row.period)} ({row.period})",
             f"{long_day(period['from'])} sampai {long_day(period['to'])}",
             f"Versi {row.version}, diterbitkan "
             f"{long_day(local_day(row.published_at, row.unit.timezone))}"]
    if row.status == "superseded":
        lines.append("Versi ini sudah dikoreksi oleh versi yang lebih baru.")
    for line in lines:
        pdf.multi_cell(0, 6, latin1(line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(30)
    if row.correction_reason:
        pdf.pair("Alasan koreksi", row.correction_reason)
    pdf.pair("Angka dibekukan", long_day(snapshot["prepared_at"][:10]))
    pdf.pair("Metode", snapshot["method"])
    pdf.pair("SHA-256 snapshot", row.snapshot_sha256)
    pdf.line_text("Laporan ini disusun dari angka yang diterbitkan di portal Suara Warga; "
                  "berkas JSON dan CSV versi yang sama memuat angka yang sama.", size=8)


def _introduction(pdf: ReportPdf, inputs: Inputs) -> None:
    unit = inputs.row.snapshot["unit"]["name"]
    pdf.chapter("BAB I PENDAHULUAN")
    pdf.heading("1.1 Latar Belakang")
    pdf.paragraph(
        "Pelayanan publik yang baik adalah hak setiap warga negara. Undang-Undang Nomor 25 Tahun "
        "2009 tentang Pelayanan Publik mewajibkan penyelenggara pelayanan untuk menilai kinerja "
        "pelayanannya secara berkala, antara lain melalui survei kepuasan masyarakat. "
        "Peraturan Menteri PANRB Nomor 14 Tahun 2017 menetapkan pedoman survei itu: sembilan "
        "unsur pelayanan yang dinilai masyarakat dan cara menghitung Indeks Kepuasan "
        "Masyarakat (IKM).")
    pdf.paragraph(
        f"{unit} melaksanakan survei ini untuk mengetahui pendapat pengguna layanannya, "
        "menemukan unsur pelayanan yang perlu diperbaiki, dan mempertanggungjawabkan mutu "
        "pelayanannya kepada masyarakat dan Forum Konsultasi Publik.")
    pdf.heading("1.2 Dasar Hukum")
    pdf.paragraph("1. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;\n"
                  "2. Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi "
                  "Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat "
                  "Unit Penyelenggara Pelayanan Publik.")
    pdf.heading("1.3 Maksud dan Tujuan")
    pdf.paragraph(
        "Maksud survei adalah mengukur tingkat kepuasan masyarakat atas pelayanan yang "
        "diterimanya. Tujuannya: (1) mengetahui nilai setiap unsur pelayanan dan IKM unit; "
        "(2) menemukan unsur yang paling perlu diperbaiki; (3) menjadi dasar rencana tindak "
        "lanjut; (4) membandingkan kinerja pelayanan antarperiode; dan (5) memberi masyarakat "
        "informasi yang terbuka tentang mutu pelayanan.")


def _methods(pdf: ReportPdf, snapshot: dict, unsur_count: int) -> None:
    pdf.heading("2.2 Metode Pengumpulan Data")
    pdf.paragraph(
        f"Data dikumpulkan dengan kuesioner {unsur_count} unsur pelayanan PermenPANRB 14/2017 "
        "(lampiran), diisi warga sendiri melalui kode QR di loket, tiket antrean, kios atau "
        "formulir kertas, tanpa nama. Setiap unsur dijawab pada skala 1 sampai 4; jawaban "
        "kosong berarti tidak relevan dan tidak dihitung. Tanggapan yang dikecualikan setelah "
        "pemeriksaan (misalnya pengisian beruntun dari satu perangkat) tidak dihitung.")
    pdf.paragraph(
        "NRR unsur = jumlah nilai jawaban unsur itu / jumlah responden yang menjawabnya. "
        f"IKM = 25 x (1/{unsur_count}) x jumlah NRR {unsur_count} unsur, dengan bobot tepat "
        f"1/{unsur_count} (bukan dibulatkan menjadi 0,111), dihitung penuh lalu dibulatkan ke "
        "dua desimal hanya untuk tampilan.")
    pdf.paragraph(
        "Interval kepercayaan 95% (tambahan atas pedoman): responden diperlakukan sebagai "
        "klaster karena sembilan jawaban satu orang saling berkaitan; galat baku IKM dihitung "
        "dengan linearisasi, dengan koreksi populasi terhingga bila jumlah pengguna layanan "
        "diketahui. Kepastian mutu adalah peluang bahwa IKM sebenarnya berada dalam rentang "
        f"mutu yang dilaporkan. Versi metode: {snapshot['method']}.")
    bands, upper = [], "100.00"
    for band in BANDS:
        bands.append((band.mutu, band.kinerja, f"{band.lower:.2f}-{upper}"))
        upper = f"{band.lower - Decimal('0.01'):.2f}"
    pdf.grid((12, 30, 30), ("Mutu", "Kinerja unit pelayanan", "Nilai IKM"), bands)


def _collection(pdf: ReportPdf, inputs: Inputs) -> None:
    snapshot = inputs.row.snapshot
    index = snapshot["index"]
    unsur_count = len(index["unsur"]) if index else sum(i.kind == "unsur" for i in SKM_ITEMS)
    pdf.chapter("BAB II PENGUMPULAN DATA SURVEI")
    pdf.heading("2.1 Pelaksana")
    pdf.paragraph(f"Survei dilaksanakan secara mandiri oleh {snapshot['unit']['name']} "
                  f"({inputs.organization}) dengan aplikasi Suara Warga.")
    _methods(pdf, snapshot, unsur_count)
    pdf.heading("2.3 Lokasi Pengumpulan Data")
    places = [snapshot["unit"]["name"]] + [part["name"] for part in snapshot["sub_units"]]
    pdf.paragraph("Di tempat pelayanan: " + "; ".join(places) + ".")
    pdf.heading("2.4 Waktu Pelaksanaan")
    period = snapshot["period"]
    pdf.paragraph(f"{period_name(snapshot['period']['code'])}: {long_day(period['from'])} "
                  f"sampai {long_day(period['to'])}.")
    pdf.heading("2.5 Jumlah Responden")
    pdf.pair("Jumlah responden", str(snapshot["respondents"]))
    if snapshot["target"]:
        pdf.pair("Jumlah pengguna layanan", str(snapshot["population"]))
        pdf.pair("Sampel minimal", f"{snapshot['target']} (Krejcie-Morgan)")
    else:
        pdf.pair("Sampel minimal", "tidak dapat ditentukan (Krejcie-Morgan): jumlah pengguna "
                 "layanan tidak diketahui")
    if snapshot["below_target"]:
        pdf.line_text(f"Catatan mutu data: jumlah responden di bawah sampel minimal "
                      f"Krejcie-Morgan ({snapshot['target']}).", bold=True)
    elif snapshot["target"]:
        pdf.line_text("Jumlah responden memenuhi sampel minimal Krejcie-Morgan.")
    rules = snapshot["rules"]
    pdf.line_text(f"Jumlah {rules['hidden_counts']} responden ditampilkan sebagai \"*\"; indeks "
                  f"hanya dihitung dari minimal {rules['index_min']} responden.", size=8)


def skm_report_pdf(session: Session, row: Publication) -> bytes:
    """The report of a published (or superseded) version, as PDF bytes."""
    inputs = report_inputs(session, row)
    snapshot = row.snapshot
    pdf = ReportPdf(orientation="portrait", unit="mm", format=(210, 297))
    pdf.running_title = (f"Laporan SKM {snapshot['unit']['name']} {row.period} "
                         f"versi {row.version}")
    pdf.set_margins(MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=14)
    pdf.set_title(latin1(f"Laporan SKM {snapshot['unit']['name']} {row.period} v{row.version}"))
    pdf.set_creator("Suara Warga")
    _cover(pdf, inputs)
    _introduction(pdf, inputs)
    _collection(pdf, inputs)
    results(pdf, snapshot)
    analysis(pdf, inputs)
    follow_up(pdf, inputs)
    codes = [u["code"] for u in (snapshot["index"] or {}).get("unsur", [])] or \
        [item.code for item in SKM_ITEMS if item.kind == "unsur"]
    questionnaire(pdf, codes)
    return bytes(pdf.output())
