"""The predikat kinerja of PermenPANRB 6/2022 from the evaluator's two ratings (DESIGN §5).

Rows: hasil kerja; columns: perilaku kerja. The evaluator sets both ratings; the system only
reads the matrix, it never derives a rating from citizen scores.
"""
from __future__ import annotations

from surveys.models.evaluation import RATINGS

SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN = "Sangat Baik", "Baik", "Butuh Perbaikan"
KURANG, SANGAT_KURANG = "Kurang/Misconduct", "Sangat Kurang"

MATRIX = {  # (hasil kerja, perilaku kerja) → predikat
    ("di_atas", "di_bawah"): KURANG, ("di_atas", "sesuai"): BAIK, ("di_atas", "di_atas"): SANGAT_BAIK,
    ("sesuai", "di_bawah"): KURANG, ("sesuai", "sesuai"): BAIK, ("sesuai", "di_atas"): BAIK,
    ("di_bawah", "di_bawah"): SANGAT_KURANG, ("di_bawah", "sesuai"): BUTUH_PERBAIKAN,
    ("di_bawah", "di_atas"): BUTUH_PERBAIKAN,
}


def predikat(hasil: str | None, perilaku: str | None) -> str | None:
    """The predikat of the two ratings (codes of RATINGS), None until both are set."""
    if hasil is None or perilaku is None:
        return None
    if hasil not in RATINGS or perilaku not in RATINGS:
        raise ValueError(f"unknown rating {hasil!r} or {perilaku!r}")
    return MATRIX[(hasil, perilaku)]
