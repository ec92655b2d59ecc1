"""Short comments citizens of Kupang might leave, by mood and by unit (demo data only)."""
from __future__ import annotations

PRAISE = (
    "Petugas ramah dan cepat, terima kasih.",
    "Pelayanan sangat baik, tidak perlu menunggu lama.",
    "Terima kasih, petugasnya sabar menjelaskan persyaratan.",
    "Mantap, prosesnya jelas dan tidak dipungut biaya.",
    "Pelayanan sudah jauh lebih baik dari tahun lalu.",
    "Petugas sopan dan membantu orang tua seperti saya.",
    "Cepat selesai, hari yang sama sudah jadi. Puas.",
    "Ruang tunggu bersih dan nyaman.",
    "Sukses selalu untuk semua petugas.",
    "Sangat membantu, semoga dipertahankan.",
)
COMPLAINT = (
    "Antrean terlalu panjang, sudah tunggu dari pagi.",
    "Petugas kurang ramah dan tidak menjelaskan dengan baik.",
    "Persyaratan berubah-ubah, saya harus bolak-balik.",
    "Sistem sering offline, disuruh datang lagi besok.",
    "Ruang tunggu panas dan kursi tidak cukup.",
    "Petugas sibuk main HP waktu jam pelayanan.",
    "Informasi di loket berbeda dengan di papan pengumuman.",
    "Sudah satu minggu belum selesai, tidak ada kabar.",
    "Tidak ada tempat parkir, motor harus parkir di jalan.",
    "Jam istirahat terlalu lama, loket tutup sebelum waktunya.",
)
SUGGESTION = (
    "Mohon ditambah loket supaya antrean lebih cepat.",
    "Sebaiknya ada nomor antrean online.",
    "Tolong pasang papan informasi persyaratan yang jelas.",
    "Perlu kipas angin atau AC di ruang tunggu.",
    "Mohon disediakan kursi prioritas untuk lansia dan ibu hamil.",
    "Sebaiknya ada layanan WhatsApp untuk cek status berkas.",
    "Tolong toilet lebih dijaga kebersihannya.",
    "Semoga ada pelayanan keliling ke kelurahan.",
)
BY_UNIT = {  # unit -> mood -> comments only that unit gets
    "kupang-dukcapil": {
        "happy": ("Urus pindah datang sekarang lebih mudah, terima kasih.",
                  "Akta kelahiran anak saya jadi dalam satu hari, luar biasa."),
        "neutral": ("Perekaman KTP-el cepat tapi cetaknya lama.",),
        "unhappy": ("Blanko KTP-el sering habis, mohon diperhatikan.",
                    "Kartu Keluarga salah ketik nama, harus datang ulang."),
    },
    "kupang-dukcapil-mpp": {
        "happy": ("Di MPP lebih nyaman daripada di kantor dinas.",
                  "Gerai Dukcapil di MPP sangat membantu, dekat dan cepat."),
        "neutral": ("Mohon gerai MPP juga buka hari Sabtu.",),
    },
    "kupang-pkm-oepoi": {
        "happy": ("Dokter ramah dan menjelaskan penyakit dengan baik.",
                  "Bidan sangat sabar melayani ibu hamil. Terima kasih.",
                  "Hasil lab cepat keluar."),
        "unhappy": ("Obat di apotek sering kosong, disuruh beli di luar.",
                    "Antre di farmasi lama sekali."),
    },
    "kupang-samsat": {
        "happy": ("Bayar pajak kendaraan sekarang cepat.",
                  "Ruang tunggu baru lebih nyaman, terima kasih."),
        "neutral": ("Mutasi kendaraan persyaratannya terlalu banyak.",),
        "unhappy": ("Masih ada calo di depan kantor Samsat.",
                    "Pengesahan STNK lama, petugas di loket kurang jelas."),
    },
    "kupang-dishub": {
        "happy": ("Petugas uji KIR teliti dan tegas, bagus.",),
        "neutral": ("Biaya uji KIR tolong diumumkan dengan jelas.",),
        "unhappy": ("Uji KIR antre dari subuh, mohon ditambah jalur.",),
    },
    "kupang-dpmptsp": {
        "happy": ("Dibantu daftar NIB di OSS sampai selesai, terima kasih.",
                  "Petugas front office sangat membantu."),
        "neutral": ("Sistem OSS membingungkan, perlu pendampingan.",),
        "unhappy": ("Proses PBG terlalu lama.",),
    },
}


def pool(unit_code: str, mood: str) -> tuple[str, ...]:
    """Comments fitting a response's mood ("happy", "neutral" or "unhappy") at a unit."""
    general = {"happy": PRAISE, "neutral": SUGGESTION, "unhappy": COMPLAINT}[mood]
    return general + BY_UNIT.get(unit_code, {}).get(mood, ())
