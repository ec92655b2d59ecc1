"""Pemerintah Kota Kupang as the demo knows it: units, services, counters and officers, each
with its TRUE effect on the latent satisfaction and its share of the responses (the data of the
model stated in `surveys.demo.truth`, which re-exports everything here)."""
from __future__ import annotations

from dataclasses import dataclass, field


# Effects are additive shifts of the latent satisfaction (truth.MODEL: sigma_total is about
# 0.78, and +0.5 moves a typical officer's score by about 8 points); shares sum to 1 per unit.


@dataclass(frozen=True)
class ServiceTruth:
    code: str
    name: str
    effect: float
    share: float


@dataclass(frozen=True)
class CounterTruth:
    code: str
    name: str
    share: float


@dataclass(frozen=True)
class OfficerTruth:
    nip: str
    name: str
    position: str
    counter: str
    effect: float = 0.0
    weight: float = 1.0  # relative share of the counter's citizens this officer serves
    personal_qr: bool = False
    profile: str = "typical"  # "better" / "worse" than the unit, or "rare"
    # rare: a stand-in named on exactly this many counter-QR responses over the whole span
    # (fewer when the span is cut at `today`); left out of the unit's regular draw.
    rare_count: int | None = None


@dataclass(frozen=True)
class UnitTruth:
    code: str
    short: str
    name: str
    effect: float
    daily_responses: float  # expected responses per working day
    daily_users: int  # service users per working day (the population)
    services: tuple[ServiceTruth, ...]
    counters: tuple[CounterTruth, ...]
    officers: tuple[OfficerTruth, ...]
    parent: str | None = None
    item_shifts: dict[str, float] = field(default_factory=dict)
    period_shifts: dict[str, dict[str, float]] = field(default_factory=dict)  # never U6/U7/OFFICER


S, C, O = ServiceTruth, CounterTruth, OfficerTruth
ORGANIZATION = ("pemkot-kupang", "Pemerintah Kota Kupang")
UNITS: tuple[UnitTruth, ...] = (
    UnitTruth(
        "kupang-dukcapil", "Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil Kota Kupang",
        0.0, 22, 170,
        (S("KTP-EL", "KTP-el (Kartu Tanda Penduduk Elektronik)", -0.05, 0.30),
         S("KK", "Kartu Keluarga", 0.05, 0.25), S("AKTA-LAHIR", "Akta Kelahiran", 0.10, 0.15),
         S("AKTA-MATI", "Akta Kematian", 0.0, 0.05), S("PINDAH", "Pindah Datang", -0.15, 0.12),
         S("KIA", "Kartu Identitas Anak", 0.10, 0.08),
         S("LEGALISIR", "Legalisir Dokumen Kependudukan", 0.05, 0.05)),
        (C("L1", "Loket 1 - Pendaftaran dan Informasi", 0.25),
         C("L2", "Loket 2 - Perekaman KTP-el", 0.30),
         C("L3", "Loket 3 - Kartu Keluarga dan Pindah Datang", 0.25),
         C("L4", "Loket 4 - Akta Pencatatan Sipil", 0.20)),
        (O("198703142010032004", "Maria Ndun", "Pengadministrasi Registrasi Kependudukan", "L1",
           0.05),
         O("199108222015031002", "Yohanes Lake", "Operator Layanan Operasional", "L1"),
         O("198911052014022001", "Fransiska Nenobais", "Pranata Komputer Ahli Pertama", "L2",
           0.60, 1.2, True, "better"),
         O("198402172009011003", "Agustinus Tefa", "Operator Layanan Operasional", "L2", -0.10),
         O("199305302019032007", "Debora Manafe", "Pengadministrasi Registrasi Kependudukan", "L2",
           0.10),
         O("197906112005011002", "Marthen Benu", "Verifikator Berkas Kependudukan", "L3",
           -0.65, 1.2, True, "worse"),
         O("199007192017032003", "Yuliana Fanggidae", "Verifikator Berkas Kependudukan", "L3",
           0.05),
         O("198512252011011005", "Kornelis Pellokila",
           "Administrator Database Kependudukan Ahli Pertama", "L4", 0.10),
         O("199602082020122001", "Elisabeth Messakh", "Pengadministrasi Registrasi Kependudukan",
           "L4")),
        item_shifts={"U4": 0.6, "U3": -0.15},  # free by law; long queues
    ),
    UnitTruth(
        "kupang-dukcapil-mpp", "Gerai Dukcapil MPP",
        "Gerai Disdukcapil di Mal Pelayanan Publik Kota Kupang", 0.25, 7, 45,
        (S("KTP-EL", "KTP-el (cetak ulang dan perubahan data)", 0.0, 0.5),
         S("KK", "Kartu Keluarga", 0.05, 0.3), S("AKTA-LAHIR", "Akta Kelahiran", 0.10, 0.2)),
        (C("MPP1", "Gerai Dukcapil 1", 0.55), C("MPP2", "Gerai Dukcapil 2", 0.45)),
        (O("199404102019031004", "Imanuel Ratu", "Operator Layanan Operasional", "MPP1",
           0.10, 1.0, True),
         O("199210032018022002", "Ester Riwu Kaho", "Pengadministrasi Registrasi Kependudukan",
           "MPP2", 0.05),
         O("199812142022032001", "Naomi Kana", "Pengadministrasi Registrasi Kependudukan", "MPP2",
           profile="rare", rare_count=7)),
        parent="kupang-dukcapil",
        item_shifts={"U4": 0.6, "U8": 0.3},  # free; a new, air-conditioned mall
    ),
    UnitTruth(
        "kupang-pkm-oepoi", "Puskesmas Oepoi", "UPTD Puskesmas Oepoi", 0.10, 15, 120,
        (S("POLI-UMUM", "Poli Umum", -0.05, 0.35),
         S("KIA-KB", "Kesehatan Ibu dan Anak (KIA) dan KB", 0.15, 0.20),
         S("POLI-GIGI", "Poli Gigi", 0.0, 0.10), S("LAB", "Laboratorium", 0.05, 0.15),
         S("FARMASI", "Pelayanan Farmasi (Apotek)", -0.15, 0.15),
         S("IMUNISASI", "Imunisasi", 0.20, 0.05)),
        (C("DAFTAR", "Loket Pendaftaran", 0.35), C("UMUM", "Ruang Pemeriksaan Umum", 0.30),
         C("FARMASI", "Loket Farmasi", 0.20), C("LAB", "Loket Laboratorium", 0.15)),
        (O("198806212012022003", "Sarlota Adoe", "Perekam Medis Terampil", "DAFTAR"),
         O("198101302006041001", "Paulus Nalle", "Pengadministrasi Umum", "DAFTAR", -0.05),
         O("199003082016032005", "dr. Grace Dethan", "Dokter Ahli Pertama", "UMUM",
           0.55, 1.0, True, "better"),
         O("198709122011011004", "Matheos Taneo", "Perawat Ahli Pertama", "UMUM", 0.05),
         O("197705042003122002", "Orpa Toelle", "Asisten Apoteker Terampil", "FARMASI",
           -0.60, 1.0, False, "worse"),
         O("199111272017022004", "Ribka Lenggu", "Apoteker Ahli Pertama", "FARMASI", 0.05),
         O("198604062010011006", "Benyamin Lomi", "Pranata Laboratorium Kesehatan Terampil",
           "LAB", 0.10),
         O("199709232021032002", "Welhelmina Saudale", "Pranata Laboratorium Kesehatan Terampil",
           "LAB", profile="rare", rare_count=5)),
        item_shifts={"U4": 0.5},  # free with BPJS
        period_shifts={"2026-Q3": {"U3": -0.35}},  # a doctor on leave: longer waits
    ),
    UnitTruth(
        "kupang-samsat", "Samsat", "Kantor Bersama Samsat Kota Kupang", -0.20, 18, 210,
        (S("PENGESAHAN-STNK", "Pengesahan STNK Tahunan", 0.05, 0.35),
         S("PKB", "Pembayaran Pajak Kendaraan Bermotor (PKB)", 0.10, 0.25),
         S("STNK-5TH", "Penggantian STNK Lima Tahunan", -0.15, 0.15),
         S("BBNKB", "Balik Nama Kendaraan Bermotor (BBNKB)", -0.20, 0.15),
         S("MUTASI", "Mutasi Kendaraan", -0.25, 0.10)),
        (C("DAFTAR", "Loket Pendaftaran", 0.30), C("SAH", "Loket Pengesahan", 0.30),
         C("KASIR", "Loket Kasir", 0.25), C("SERAH", "Loket Penyerahan STNK", 0.15)),
        (O("198308292008011002", "Simon Tallo", "Pengadministrasi Pendapatan Daerah", "DAFTAR"),
         O("199201162015032006", "Veronika Ully", "Pengadministrasi Pendapatan Daerah", "DAFTAR",
           0.05),
         O("197812032006041003", "Stefanus Bessie", "Pengelola Data Kendaraan", "SAH",
           -0.70, 1.0, False, "worse"),
         O("198910102014021005", "Petrus Amalo", "Pengelola Data Kendaraan", "SAH", 0.10),
         O("199106182016022001", "Novita Haning", "Bendahara Penerimaan Pembantu", "KASIR",
           0.50, 1.0, True, "better"),
         O("198502282010011007", "Abdul Rahman Kolo", "Bendahara Penerimaan Pembantu", "KASIR",
           -0.05),
         O("198012072007011004", "Aleksander Seran", "Pengadministrasi Umum", "SERAH")),
        item_shifts={"U4": -0.5},  # a tax, not a fee
        period_shifts={"2026-Q4": {"U8": 0.45, "U3": 0.30}},  # renovated hall, online queue
    ),
    UnitTruth(
        "kupang-dishub", "Dishub", "Dinas Perhubungan Kota Kupang", -0.30, 4, 28,
        (S("UJI-KIR", "Pengujian Kendaraan Bermotor (Uji KIR)", -0.05, 0.7),
         S("IZIN-TRAYEK", "Izin Trayek Angkutan Kota", 0.0, 0.2),
         S("ANDALALIN", "Persetujuan Analisis Dampak Lalu Lintas", -0.10, 0.1)),
        (C("KIR", "Loket Uji KIR", 0.75), C("IZIN", "Loket Perizinan", 0.25)),
        (O("198204252009011005", "Ferdinand Nahak", "Penguji Kendaraan Bermotor Mahir", "KIR"),
         O("199008152015031003", "Jefri Bria", "Penguji Kendaraan Bermotor Terampil", "KIR", -0.10),
         O("199412012019031002", "Melki Mau", "Penguji Kendaraan Bermotor Terampil", "KIR", 0.05),
         O("198803192012022004", "Siti Hadijah", "Pengadministrasi Perizinan", "IZIN", 0.10)),
        item_shifts={"U4": -0.2},
    ),
    UnitTruth(
        "kupang-dpmptsp", "DPMPTSP",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Kupang", 0.20, 9, 60,
        (S("PBG", "Persetujuan Bangunan Gedung (PBG)", -0.20, 0.25),
         S("NIB-OSS", "Nomor Induk Berusaha (NIB) melalui OSS", 0.15, 0.35),
         S("IZIN-USAHA", "Izin Usaha dan Sertifikat Standar", 0.0, 0.20),
         S("SIP-NAKES", "Surat Izin Praktik Tenaga Kesehatan", 0.10, 0.12),
         S("REKLAME", "Izin Penyelenggaraan Reklame", -0.05, 0.08)),
        (C("FO", "Front Office", 0.45), C("OSS", "Meja Konsultasi OSS", 0.35),
         C("AMBIL", "Loket Pengambilan Dokumen", 0.20)),
        (O("198607072011012003", "Ruth Sinlae", "Penata Perizinan Ahli Pertama", "FO",
           0.55, 1.0, True, "better"),
         O("199302112018011001", "Yulius Ataupah", "Pengelola Layanan Perizinan", "FO", 0.05),
         O("198409092010011008", "Daniel Neolaka", "Analis Penanaman Modal Ahli Pertama", "OSS"),
         O("199505262020122003", "Margaretha Koroh", "Analis Perizinan", "OSS", 0.05),
         O("197910302005011006", "Antonius Tualaka", "Pengelola Layanan Perizinan", "AMBIL",
           -0.55, 1.0, False, "worse"),
         O("199111112017031009", "Hendrik Djami", "Pengadministrasi Umum", "AMBIL"),
         O("199906302023022001", "Elsye Lado", "Pengadministrasi Perizinan", "AMBIL",
           profile="rare", rare_count=9)),
        item_shifts={"U4": 0.4, "U2": -0.2},  # mostly free; the OSS system confuses people
    ),
)
del S, C, O
