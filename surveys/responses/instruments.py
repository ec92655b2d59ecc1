"""The default questionnaire: the nine SKM unsur of PermenPANRB 14/2017 with their official
answer labels, plus an officer rating and an optional comment."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from surveys.errors import InstrumentMissing
from surveys.models import Instrument, InstrumentItem

SKM_CODE = "skm"
SKM_VERSION = 1


@dataclass(frozen=True)
class ItemSpec:
    code: str
    kind: str
    required: bool
    text_id: str
    text_en: str
    labels_id: list[str] = field(default_factory=list)
    labels_en: list[str] = field(default_factory=list)


_SESUAI_ID = ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]
_SESUAI_EN = ["Not appropriate", "Less appropriate", "Appropriate", "Very appropriate"]

SKM_ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec("U1", "unsur", True, "Persyaratan",
             "Requirements",
             _SESUAI_ID, _SESUAI_EN),
    ItemSpec("U2", "unsur", True, "Sistem, Mekanisme, dan Prosedur",
             "Systems, mechanisms and procedures",
             ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
             ["Not easy", "Less easy", "Easy", "Very easy"]),
    ItemSpec("U3", "unsur", True, "Waktu Penyelesaian",
             "Completion time",
             ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
             ["Not fast", "Less fast", "Fast", "Very fast"]),
    ItemSpec("U4", "unsur", True, "Biaya/Tarif",
             "Cost/fee",
             ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
             ["Very expensive", "Rather expensive", "Cheap", "Free"]),
    ItemSpec("U5", "unsur", True, "Produk Spesifikasi Jenis Pelayanan",
             "Product specification of the service",
             _SESUAI_ID, _SESUAI_EN),
    ItemSpec("U6", "unsur", True, "Kompetensi Pelaksana",
             "Competence of the officers",
             ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"],
             ["Not competent", "Less competent", "Competent", "Very competent"]),
    ItemSpec("U7", "unsur", True, "Perilaku Pelaksana",
             "Conduct of the officers",
             ["Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
              "Sangat sopan dan ramah"],
             ["Not polite and friendly", "Less polite and friendly", "Polite and friendly",
              "Very polite and friendly"]),
    ItemSpec("U8", "unsur", True, "Sarana dan Prasarana",
             "Facilities and infrastructure",
             ["Buruk", "Cukup", "Baik", "Sangat baik"],
             ["Poor", "Fair", "Good", "Very good"]),
    ItemSpec("U9", "unsur", True, "Penanganan Pengaduan, Saran dan Masukan",
             "Handling of complaints, suggestions and feedback",
             ["Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
              "Dikelola dengan baik"],
             ["None", "Exists but does not work", "Works, but not fully", "Well managed"]),
    ItemSpec("OFFICER", "officer", False, "Penilaian Anda terhadap petugas yang melayani",
             "Your rating of the officer who served you",
             ["Tidak baik", "Kurang baik", "Baik", "Sangat baik"],
             ["Poor", "Fair", "Good", "Very good"]),
    ItemSpec("COMMENT", "text", False, "Saran atau komentar (tidak wajib)",
             "Suggestions or comments (optional)"),
)


def default_instrument(session: Session) -> Instrument:
    """The current SKM instrument with its items, read only (the migrations store it)."""
    instrument = session.scalars(
        select(Instrument)
        .where(Instrument.code == SKM_CODE, Instrument.version == SKM_VERSION)
        .options(joinedload(Instrument.items))  # with its items: one query, not two
    ).unique().one_or_none()
    if instrument is None:
        raise InstrumentMissing(f"{SKM_CODE} v{SKM_VERSION}")
    return instrument


def ensure_default_instrument(session: Session) -> Instrument:
    """The SKM instrument, stored with its items when it is not yet (flushes, never commits).

    Run by migration 0007 (so `flask db upgrade` seeds it), the demo loader and the tests'
    schema; never by a request.
    """
    try:
        return default_instrument(session)
    except InstrumentMissing:
        pass
    instrument = Instrument(
        code=SKM_CODE, version=SKM_VERSION, title="Survei Kepuasan Masyarakat (PermenPANRB 14/2017)"
    )
    for position, spec in enumerate(SKM_ITEMS, start=1):
        instrument.items.append(
            InstrumentItem(
                code=spec.code, kind=spec.kind, position=position, required=spec.required,
                text_id=spec.text_id, text_en=spec.text_en,
                labels_id=list(spec.labels_id), labels_en=list(spec.labels_en),
            )
        )
    session.add(instrument)
    session.flush()
    return instrument
