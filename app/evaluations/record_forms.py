"""The forms of the evaluation-record pages, and what each RecordRefused code says.

The forms only cap sizes and carry the CSRF token; the rules (required fields, http(s) links,
ratings, control characters) are the service's, and its refusal is shown under the field."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from surveys.models.evaluation import BEHAVIOURS

RATING_LABELS = {"di_atas": _l("Di Atas Ekspektasi"), "sesuai": _l("Sesuai Ekspektasi"),
                 "di_bawah": _l("Di Bawah Ekspektasi")}
BEHAVIOUR_LABELS = {
    "berorientasi_pelayanan": _l("Berorientasi Pelayanan"), "akuntabel": _l("Akuntabel"),
    "kompeten": _l("Kompeten"), "harmonis": _l("Harmonis"), "loyal": _l("Loyal"),
    "adaptif": _l("Adaptif"), "kolaboratif": _l("Kolaboratif")}
STATUS_LABELS = {"none": _l("belum ada"), "draft": _l("draf"), "shared": _l("dibagikan"),
                 "final": _l("final"), "keberatan": _l("keberatan")}
DECISION_LABELS = {"dikabulkan": _l("Dikabulkan"), "ditolak": _l("Ditolak")}

REFUSALS = {
    "required": _l("Isian ini wajib diisi."),
    "too_long": _l("Isian ini terlalu panjang."),
    "control_characters": _l("Isian ini memuat karakter kendali yang tidak diizinkan."),
    "invalid_link": _l("Tautan bukti harus alamat lengkap yang diawali http:// atau https://."),
    "unknown_iku": _l("Pilih target IKU unit pegawai ini untuk periode rekaman."),
    "unknown_rating": _l("Pilih Di Atas, Sesuai, atau Di Bawah Ekspektasi."),
    "unknown_item": _l("Butir hasil kerja ini tidak ada (mungkin sudah dihapus)."),
    "unknown_decision": _l("Pilih keputusan: dikabulkan atau ditolak."),
    "final_read_only": _l("Rekaman ini sudah final dan tidak dapat diubah. Percobaan perubahan "
                          "dicatat di log audit. Untuk memperbaikinya, buat koreksi (versi baru)."),
    "not_draft": _l("Rekaman ini sudah dibagikan."),
    "not_shared": _l("Bagikan rekaman kepada pegawai lebih dulu, baru finalkan."),
    "not_final": _l("Rekaman ini belum final."),
    "incomplete_ratings": _l("Isi kedua rating (hasil kerja dan perilaku kerja) sebelum "
                             "memfinalkan."),
    "incomplete_evidence": _l("Tarik bukti penilaian warga sebelum memfinalkan."),
    "exists": _l("Rekaman pegawai ini untuk periode itu sudah ada. Perbaikan rekaman final "
                 "dilakukan dengan koreksi."),
    "superseded": _l("Versi ini sudah dikoreksi; koreksi versi terbaru."),
    "window_closed": _l("Batas waktu keberatan (14 hari sejak rekaman final) sudah lewat."),
    "keberatan_exists": _l("Keberatan atas versi rekaman ini sudah diajukan."),
    "acknowledged": _l("Anda sudah menyatakan menerima rekaman ini."),
    "no_atasan": _l("Rekaman ini tidak mencatat atasan pejabat penilai, jadi keberatan tidak "
                    "dapat dialamatkan. Hubungi pejabat penilai atau admin kepegawaian."),
    "decided": _l("Keberatan ini sudah diputuskan; keputusan itu final."),
    "not_allowed": _l("Anda tidak berhak mengubah rekaman ini."),
}
# A refusal's HTTP status: a field's bad value is 400, a state that forbids the step 409.
FIELD_CODES = {"required", "too_long", "control_characters", "invalid_link", "unknown_iku",
               "unknown_rating", "unknown_decision"}


def refusal_message(error) -> str:
    key = f"{error.code}_{error.field}" if error.code == "incomplete" else error.code
    return str(REFUSALS.get(key, REFUSALS["not_allowed"]))


def refusal_status(error) -> int:
    if error.code == "not_allowed":
        return 403
    return 400 if error.code in FIELD_CODES or error.code == "unknown_item" else 409


def _text(label, limit, area=False):
    field = TextAreaField if area else StringField
    return field(label, validators=[Length(max=limit, message=_l("Isian ini terlalu panjang."))])


class ItemForm(FlaskForm):
    indicator = _text(_l("Indikator kinerja"), 500)
    target = _text(_l("Target"), 200)
    realisation = _text(_l("Realisasi"), 200)
    evidence_link = _text(_l("Tautan bukti (http/https)"), 500)
    note = _text(_l("Catatan penilai"), 4000, area=True)
    iku_target_id = SelectField(_l("Terkait target IKU unit (realisasi ditarik dari data)"),
                                choices=[], validate_choice=False)


class AssessmentForm(FlaskForm):
    hasil_rating = SelectField(_l("Rating hasil kerja"), choices=[], validate_choice=False)
    perilaku_rating = SelectField(_l("Rating perilaku kerja"), choices=[], validate_choice=False)
    feedback = _text(_l("Umpan balik"), 8000, area=True)


for _code in BEHAVIOURS:  # one note per BerAKHLAK behaviour
    setattr(AssessmentForm, f"behaviour_{_code}",
            _text(BEHAVIOUR_LABELS[_code], 4000, area=True))


class ButtonForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


class FinalizeForm(FlaskForm):
    confirm = BooleanField(_l("Saya yakin: rekaman final tidak dapat diubah lagi"),
                           validators=[DataRequired(_l("Centang konfirmasi untuk memfinalkan."))])


class CorrectionForm(FlaskForm):
    reason = _text(_l("Alasan koreksi"), 4000, area=True)


class KeberatanForm(FlaskForm):
    reasons = _text(_l("Alasan keberatan"), 8000, area=True)


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Keputusan"), choices=[], validate_choice=False)
    note = _text(_l("Catatan keputusan"), 8000, area=True)
