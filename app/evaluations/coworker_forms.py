"""Forms and words of the co-worker (rekan kerja) pages, every message in Bahasa Indonesia (WTForms
has no Indonesian catalog, so no built-in message may reach a user)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, StringField
from wtforms.validators import ValidationError

from surveys.errors import InvalidPeriod
from surveys.evaluations.coworker import COMMENT_MAX_CHARS, MAX_INVITEES, MIN_COWORKERS
from surveys.periods import Period

# The seven BerAKHLAK core values (SE MenPANRB 20/2021), as a co-worker reads them.
BEHAVIOUR_LABELS = {
    "berorientasi_pelayanan": _l("Berorientasi Pelayanan"),
    "akuntabel": _l("Akuntabel"),
    "kompeten": _l("Kompeten"),
    "harmonis": _l("Harmonis"),
    "loyal": _l("Loyal"),
    "adaptif": _l("Adaptif"),
    "kolaboratif": _l("Kolaboratif"),
}
BEHAVIOUR_HINTS = {
    "berorientasi_pelayanan": _l("Memahami dan memenuhi kebutuhan masyarakat; ramah, cekatan, "
                                 "solutif, dan dapat diandalkan."),
    "akuntabel": _l("Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan "
                    "berintegritas."),
    "kompeten": _l("Terus belajar dan mengembangkan kemampuan, membantu orang lain belajar, dan "
                   "melaksanakan tugas dengan kualitas terbaik."),
    "harmonis": _l("Menghargai setiap orang apa pun latar belakangnya, suka menolong, dan "
                   "membangun lingkungan kerja yang kondusif."),
    "loyal": _l("Berdedikasi, menjaga nama baik instansi, pimpinan, dan negara, serta menjaga "
                "rahasia jabatan."),
    "adaptif": _l("Cepat menyesuaikan diri dengan perubahan, terus berinovasi, dan bertindak "
                  "proaktif."),
    "kolaboratif": _l("Memberi kesempatan pihak lain berkontribusi, terbuka bekerja sama, dan "
                      "menggerakkan sumber daya untuk tujuan bersama."),
}
SCALE_LABELS = (_l("Sangat kurang"), _l("Kurang"), _l("Baik"), _l("Sangat baik"))

ANSWER_MESSAGES = {
    "out_of_range": _l("Pilih nilai 1 sampai 4, atau kosongkan."),
    "not_an_integer": _l("Pilih nilai 1 sampai 4, atau kosongkan."),
    "too_long": _l("Komentar terlalu panjang (paling banyak %(n)s karakter).", n=COMMENT_MAX_CHARS),
    "empty": _l("Isi paling sedikit satu perilaku atau tulis komentar."),
}
TOKEN_REFUSALS = {  # status and message of a link that cannot be answered
    "unknown_token": (404, _l("Tautan ini tidak dikenal. Periksa kembali alamat yang Anda "
                              "terima dari pejabat penilai.")),
    "token_used": (410, _l("Tautan ini sudah dipakai untuk menjawab. Setiap tautan hanya dapat "
                           "dipakai sekali; jawaban yang sudah dikirim tetap tersimpan dan tidak "
                           "diubah.")),
    "round_closed": (410, _l("Putaran masukan rekan kerja ini sudah ditutup oleh pejabat penilai, "
                             "jadi jawaban tidak dapat dikirim lagi. Terima kasih.")),
}
ROUND_REFUSALS = {
    "exists": _l("Sudah ada putaran yang masih terbuka untuk pegawai ini pada periode tersebut. "
                 "Tutup putaran itu dulu."),
    "too_few_invitees": _l("Pilih paling sedikit %(n)s rekan kerja: hasil baru ditampilkan bila "
                           "%(n)s orang menjawab.", n=MIN_COWORKERS),
    "too_many_invitees": _l("Pilih paling banyak %(n)s rekan kerja.", n=MAX_INVITEES),
    "duplicate_invitee": _l("Setiap rekan kerja hanya dapat dipilih sekali."),
    "self_invited": _l("Pegawai yang dinilai tidak dapat menjadi rekan kerjanya sendiri."),
    "unknown_invitee": _l("Pilih rekan kerja dari daftar."),
    "inactive_invitee": _l("Pilih rekan kerja yang masih aktif."),
    "closed": _l("Putaran ini sudah ditutup."),
    "not_evaluator": _l("Hanya pejabat penilai pegawai ini dan admin yang dapat mengelola masukan "
                        "rekan kerja."),
}


def valid_period(_form, field) -> None:
    try:
        field.data = Period.parse(field.data or "").code
    except InvalidPeriod:
        raise ValidationError(_l("Periode tidak dikenal. Contoh: 2026, 2026-S1, 2026-Q3, "
                                 "2026-07.")) from None


class IdsField(Field):
    """Checked boxes posting ids: the list of ids, each one of `choices` (id → label)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.choices: dict[int, str] = {}
        self.data: list[int] = []

    def process_formdata(self, valuelist) -> None:
        self.raw = list(valuelist)[:MAX_INVITEES * 4]
        self.data = []
        for value in self.raw:
            if not (isinstance(value, str) and value.isascii() and value.isdigit()
                    and len(value) < 10):
                raise ValueError(_l("Pilih rekan kerja dari daftar."))
            self.data.append(int(value))

    def pre_validate(self, form) -> None:
        if any(value not in self.choices for value in self.data or []):
            raise ValidationError(_l("Pilih rekan kerja dari daftar."))


class OpenRoundForm(FlaskForm):
    period = StringField(_l("Periode (contoh 2026-Q3)"), validators=[valid_period])
    invitees = IdsField(_l("Rekan kerja yang diundang"))


class CloseRoundForm(FlaskForm):
    """Only the CSRF token: closing needs no field."""
