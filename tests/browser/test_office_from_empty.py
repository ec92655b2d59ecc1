"""An office sets itself up in Chromium from an empty database: the first admin made with
`flask users create`, then the organization, a unit and its sub-unit, services, counters, 30 staff
from a SIMPEG-like XLSX (a bad NIP refused with its row number first), the duty roster, a manager,
an evaluator of three staff and a staff account, and a poster. A citizen scans the poster's QR
code (decoded from the printed PDF), answers, and the kepala unit sees it on the dashboard.
Screenshots of every step are kept in test-artifacts/office-from-empty/."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from surveys.models import AuditEvent, Response, Unit, User
from surveys.organization.roster import unit_today
from tests.admin.staff_files import FIRST_DATA_ROW, staff_rows, write_staff_xlsx
from tests.browser.test_qr_to_receipt import answer_and_send
from tests.qr.decode import decode_image, pdf_pages_as_images

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "office-from-empty"
ADMIN_PASSWORD = "admin-kupang-2026"
TEMPORARY = "sementara-123456"
STAFF = staff_rows(30)
ANSWERS = (4, 3, 3, 4, 3, 4, 4, 2, 3)


class Journey:
    """One person's browser tab, with the steps every page of the journey shares."""

    def __init__(self, page, base: str, backend: str):
        self.page, self.base, self.backend = page, base, backend

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.backend}-{name}.png"), full_page=True)

    def fill(self, **fields: str) -> None:
        for label, value in fields.items():
            self.page.get_by_label(label.replace("_", " "), exact=True).fill(value)

    def press(self, button: str) -> None:
        self.page.get_by_role("button", name=button, exact=True).click()

    def status(self) -> str:
        return self.page.get_by_role("status").first.inner_text()

    def sign_in(self, username: str, password: str) -> None:
        self.go("/auth/masuk")
        self.page.get_by_label("Nama pengguna").fill(username)
        self.page.get_by_label("Kata sandi").fill(password)
        self.press("Masuk")

    def sign_out(self) -> None:
        self.page.context.clear_cookies()


def first_admin(runner) -> None:
    result = runner.invoke(args=["users", "create", "admin.kupang", "--role", "admin",
                                 "--name", "Admin Kabupaten Kupang", "--password-stdin"],
                           input=ADMIN_PASSWORD + "\n")
    assert result.exit_code == 0, result.output


def build_organization(me: Journey) -> None:
    me.page.get_by_role("link", name="Tambah instansi").click()
    me.fill(Kode_instansi="kab-kupang", Nama_instansi="Pemerintah Kabupaten Kupang")
    me.press("Simpan")
    me.page.get_by_role("link", name="Tambah unit").click()
    me.fill(Nama_unit="Dinas Kependudukan dan Pencatatan Sipil", Kode_unit="dukcapil")
    me.page.get_by_label("Zona waktu").select_option("Asia/Makassar")
    me.press("Simpan")
    me.go("/admin/")
    me.page.get_by_role("link", name="tambah sub-unit").click()
    me.fill(Nama_unit="UPT Dukcapil Kecamatan Kupang Tengah", Kode_unit="dukcapil-kupang-tengah")
    me.page.get_by_label("Zona waktu").select_option("Asia/Makassar")
    me.press("Simpan")
    me.go("/admin/")
    tree = me.page.locator("ul.tree")
    assert tree.locator("ul.tree li", has_text="dukcapil-kupang-tengah").count() == 1
    me.shot("01-organisasi")


def add_parts(me: Journey, kind: str, parts: list[tuple[str, str]]) -> None:
    me.go(f"/admin/unit/dukcapil/{kind}")
    for name, code in parts:
        me.fill(Nama=name, Kode=code)
        me.press("Tambah")
    rows = me.page.locator("tbody tr")
    assert sorted(rows.nth(i).locator("th").inner_text() for i in range(rows.count())) == \
        sorted(name for name, _code in parts)


def import_staff(me: Journey, tmp_path: Path) -> None:
    bad = write_staff_xlsx(tmp_path / "pegawai-simpeg-salah.xlsx", 30, bad_row=11)
    good = write_staff_xlsx(tmp_path / "pegawai-simpeg.xlsx", 30)
    me.go("/admin/unit/dukcapil/pegawai/impor")
    me.page.get_by_label("Berkas pegawai").set_input_files(str(bad))
    me.press("Impor")
    problems = me.page.locator("section.problems")
    assert "Berkas ditolak" in problems.inner_text()
    assert problems.locator("tbody tr").count() == 1
    assert problems.locator("tbody tr td").first.inner_text() == str(FIRST_DATA_ROW + 11)
    me.shot("02-impor-ditolak")
    me.page.get_by_label("Berkas pegawai").set_input_files(str(good))
    me.press("Impor")
    assert "30 pegawai diimpor: 30 baru" in me.status()
    assert me.page.locator("tbody tr").count() == 30
    me.shot("03-pegawai")


def put_on_duty(me: Journey, today, officers: list[tuple]) -> None:
    me.go("/admin/unit/dukcapil/jadwal")
    for counter, (_n, nip, *_rest) in officers:
        me.page.get_by_label("Loket").select_option(label=counter)
        officer = me.page.get_by_label("Petugas")
        officer.select_option(officer.locator("option", has_text=nip).get_attribute("value"))
        me.page.get_by_label("Mulai bertugas").fill(today.isoformat())
        me.press("Simpan jadwal")
        assert "Jadwal ditambahkan." in me.status()
    me.shot("04-jadwal")


def new_account(me: Journey, username: str, name: str, nip: str = "") -> None:
    me.go("/admin/pengguna/baru")
    me.fill(Nama_pengguna=username, Nama_lengkap=name, Kata_sandi_sementara=TEMPORARY,
            Ulangi_kata_sandi=TEMPORARY)
    if nip:
        me.page.get_by_label("NIP pegawai (bila orang ini pegawai)").fill(nip)
    me.press("Buat akun")
    assert me.page.locator("h1").inner_text().startswith(name)


def grant(me: Journey, role: str, *, unit: str = "", nips: str = "") -> None:
    me.page.get_by_label("Peran", exact=True).select_option(label=role)
    if unit:
        me.page.get_by_label("Unit (untuk pengelola unit)").select_option(label=unit)
    if nips:
        me.page.get_by_role("textbox", name="NIP pegawai (pejabat penilai").fill(nips)
    me.press("Tambah peran")
    assert me.page.locator("p.err").count() == 0, me.page.locator("p.err").all_inner_texts()


def first_sign_in(me: Journey, username: str) -> None:
    """A temporary password from the admin: the person must choose their own first."""
    me.sign_in(username, TEMPORARY)
    assert me.page.locator("h1").inner_text() == "Ganti kata sandi"
    me.fill(Kata_sandi_sekarang=TEMPORARY, Kata_sandi_baru="milik-saya-2026",
            Ulangi_kata_sandi_baru="milik-saya-2026")
    me.press("Simpan kata sandi baru")


def print_poster(me: Journey, tmp_path: Path) -> Path:
    me.go("/admin/unit/dukcapil/kode")
    href = me.page.get_by_role("link", name="Poster A4 (PDF)").get_attribute("href")
    poster = me.page.context.request.get(me.base + href)  # the signed-in tab's own cookies
    assert poster.ok and poster.headers["content-type"] == "application/pdf"
    path = tmp_path / "poster-dukcapil.pdf"
    path.write_bytes(poster.body())
    return path


def test_an_office_sets_itself_up_from_an_empty_database(app, db, runner, live_server, browser,
                                                         database_url, tmp_path):
    app.config["ABUSE_MIN_SECONDS"] = 2  # instead of 10 s, so the citizen below reads for 2.5 s
    backend = database_url.split(":")[0].split("+")[0]
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    first_admin(runner)

    admin = Journey(browser.new_context(locale="id-ID").new_page(),
                    live_server, backend)
    admin.sign_in("admin.kupang", ADMIN_PASSWORD)
    assert admin.page.locator("h1").inner_text() == "Organisasi"  # the admin's home
    build_organization(admin)
    add_parts(admin, "layanan", [("KTP-el", "ktp"), ("Kartu Keluarga", "kk"),
                                 ("Akta Kelahiran", "akta")])
    add_parts(admin, "loket", [("Loket 1", "L1"), ("Loket 2", "L2")])
    import_staff(admin, tmp_path)
    db.session.expire_all()
    unit = db.session.scalars(select(Unit).where(Unit.code == "dukcapil")).one()
    put_on_duty(admin, unit_today(unit), [("Loket 1 (L1)", STAFF[0]), ("Loket 2 (L2)", STAFF[1])])

    new_account(admin, "kepala.dukcapil", "Kepala Dinas Dukcapil")
    grant(admin, "Pengelola unit", unit="Dinas Kependudukan dan Pencatatan Sipil (dukcapil)")
    new_account(admin, "penilai.dukcapil", "Sekretaris Dinas Dukcapil")
    grant(admin, "Pejabat penilai", nips=" ".join(row[1] for row in STAFF[:3]))
    new_account(admin, "petugas.loket1", STAFF[0][2], nip=STAFF[0][1])
    grant(admin, "Pegawai")
    admin.shot("05-akun-pegawai")
    poster = print_poster(admin, tmp_path)

    [first_page, *_] = pdf_pages_as_images(poster)
    [url] = decode_image(first_page)
    assert url.startswith(live_server + "/s/")
    citizen = Journey(browser.new_context(locale="id-ID").new_page(), live_server, backend)
    citizen.page.goto(url)
    assert STAFF[0][2] in citizen.page.content()  # the officer on duty is offered
    citizen.page.wait_for_timeout(2_500)  # reading the questions: not flagged as too fast
    answer_and_send(citizen.page, "Kirim jawaban", values=ANSWERS)
    assert citizen.page.locator("h1").inner_text() == "Terima kasih!"
    citizen.shot("06-tanda-terima")

    manager = Journey(browser.new_context(locale="id-ID").new_page(), live_server, backend)
    first_sign_in(manager, "kepala.dukcapil")
    assert manager.page.url.endswith("/admin/unit/dukcapil")  # the manager's home: the dashboard
    manager.shot("07-dasbor")
    this_period = manager.page.locator("#ringkasan tbody tr").first.locator("td")
    assert this_period.nth(0).inner_text() == "1"
    ikm = f"{sum(ANSWERS) / len(ANSWERS) * 25:.2f}"  # one respondent: the mean of U1..U9 × 25
    assert this_period.nth(1).inner_text() == ikm
    assert this_period.nth(5).inner_text().startswith(f"{ikm} (n 1)")  # not flagged
    weakest = manager.page.locator("#tabel-unsur tbody tr", has_text="(terendah)")
    assert weakest.locator("th").inner_text().startswith("U8")  # the only 2 given
    menu = manager.page.get_by_role("navigation", name="Menu unit")
    for link in ("Layanan", "Loket", "Kode QR", "Populasi", "Kunci API"):
        assert menu.get_by_role("link", name=link, exact=True).count() == 1  # reachable from here

    evaluator = Journey(browser.new_context(locale="id-ID").new_page(), live_server, backend)
    first_sign_in(evaluator, "penilai.dukcapil")
    for _n, nip, name, *_rest in STAFF[:3]:
        assert name in evaluator.page.content()
    evaluator.shot("08-penilai")

    officer = Journey(browser.new_context(locale="id-ID").new_page(), live_server, backend)
    first_sign_in(officer, "petugas.loket1")
    assert officer.page.url.endswith("/saya")
    officer.shot("09-pegawai")

    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    audited = set(db.session.scalars(select(AuditEvent.entity)).all())
    assert {"organization", "unit", "service", "counter", "staff", "assignment", "user",
            "role_grant"} <= audited
