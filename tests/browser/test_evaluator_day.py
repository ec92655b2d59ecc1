"""The evaluator's day in Chromium, then the officer's and the atasan's (issue 13).

The evaluator signs in, picks the period, sees on the overview that the thinly rated officer's
citizen evidence is "belum cukup untuk penilaian", opens that officer's record and pulls the
evidence (n, interval, reliability, "Bukti belum cukup untuk penilaian"); then opens the
well-rated officer's record, pulls the evidence (enough), adds an SKP item, rates, sees the
predikat, shares, finalises (refused once without the confirmation box) and downloads the PDF,
which is rendered to an image (A4, not blank) and read back (predikat, evidence hash).
The officer signs in, sees the record with the same evidence, objects to one response naming
them, and files a keberatan on the record; the atasan decides it; the unit manager upholds the
objection to the response; the officer then reads both decisions beside the unchanged record.
Screenshots are kept under the test's tmp_path."""
from __future__ import annotations

import re

import pytest

from surveys.evaluations import records
from tests.evaluations.data import CURRENT
from tests.evaluations.pages import pdf_text
from tests.evaluations.records_data import people, stored_evidence
from tests.factories import PASSWORD
from tests.qr.decode import pdf_pages_as_images

pytestmark = pytest.mark.browser

A4 = 297 / 210
KEBERATAN = "Rating perilaku kerja belum mencerminkan pelayanan saya di loket."
OBJECTION = "Warga ini dilayani petugas lain; nama saya disebut keliru."
DECISION_NOTE = "Penilaian sudah sesuai bukti."


class Tab:
    """One person's signed-in browser tab, with the few steps every page shares."""

    def __init__(self, browser, base: str, username: str, shots):
        self.context = browser.new_context(locale="id-ID")
        self.page = self.context.new_page()
        self.base, self.shots, self.name = base, shots, username
        self.page.goto(f"{base}/auth/masuk")
        self.page.get_by_label("Nama pengguna").fill(username)
        self.page.get_by_label("Kata sandi").fill(PASSWORD)
        self.press("Masuk")

    def press(self, button: str) -> None:
        self.page.get_by_role("button", name=button, exact=True).click()

    def link(self, name: str) -> None:
        self.page.get_by_role("link", name=name, exact=True).click()

    def text(self, selector: str) -> str:
        return " ".join(self.page.locator(selector).inner_text().split())

    def flashed(self) -> list[str]:
        return self.page.get_by_role("status").all_inner_texts()

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{self.name}-{name}.png"), full_page=True)

    def show_period(self, code: str) -> None:
        self.page.get_by_label("Periode (contoh 2026-Q3)").fill(code)
        self.press("Tampilkan")

    def facts(self) -> dict[str, str]:
        """The evidence table (#bukti) as the page shows it: row heading → value."""
        rows = self.page.locator("#bukti tbody tr")
        return {" ".join(rows.nth(i).locator("th").inner_text().split()):
                " ".join(rows.nth(i).locator("td").inner_text().split())
                for i in range(rows.count())}

    def overview_row(self, name: str) -> list[str]:
        """The officer's row of the evaluator's record overview (#rekaman), its cells' texts."""
        row = self.page.locator("#rekaman tbody tr",
                                has=self.page.get_by_role("rowheader", name=name, exact=True))
        return [" ".join(cell.split()) for cell in row.locator("td").all_inner_texts()]

    def close(self) -> None:
        self.context.close()


def shown_evidence(db, record_id: int) -> tuple[dict, str, str, str]:
    """What the #bukti table must show for the stored evidence: n, interval, reliability, and
    the digest."""
    db.session.commit()  # end the test's read transaction: the server has committed since
    evidence, digest = stored_evidence(db, record_id)
    score = evidence["officer_score"]
    low, high = score["ci95"]
    return evidence, str(score["n"]), f"{low:.1f}–{high:.1f}", f"{score['reliability']:.2f}"


def thin_officer_is_not_sufficient(me: Tab, db, thin) -> None:
    row = me.overview_row(thin.name)
    needed = re.fullmatch(r"belum cukup untuk penilaian \(perlu sekitar (\d+) tanggapan\)", row[2])
    assert needed, row
    assert row[3:5] == ["belum ada", "buka rekaman"]
    overview_n, overview_reliability = row[0], row[1]

    me.page.locator("#rekaman tbody tr", has=me.page.get_by_role(
        "rowheader", name=thin.name, exact=True)).get_by_role("link", name="Mulai rekaman").click()
    assert "Belum ada rekaman untuk periode ini." in me.page.content()
    me.press("Buka rekaman")
    assert "Rekaman dibuka sebagai draf." in me.flashed()
    assert me.text("#status") == "Versi 1 · status: draf"
    assert "Bukti belum ditarik." in me.page.content()
    me.press("Tarik bukti")
    assert "Bukti penilaian warga ditarik ke rekaman." in me.flashed()
    db.session.commit()
    record = records.latest(db.session, thin.id, CURRENT)
    evidence, n, interval, reliability = shown_evidence(db, record.id)
    facts = me.facts()
    assert facts["Jumlah tanggapan (n)"] == n == overview_n
    assert facts["Interval 95%"] == interval
    assert facts["Keandalan"] == reliability == overview_reliability
    assert float(reliability) < 0.80
    verdict = me.text("#belum-cukup")
    assert verdict.startswith("Bukti belum cukup untuk penilaian: keandalan di bawah 0,80.")
    assert f"Perlu sekitar {evidence['officer_score']['n_needed_for_evaluation']} tanggapan." \
        in verdict
    assert "Gabungkan periode agar tanggapan cukup:" in verdict
    assert me.page.locator("#cukup").count() == 0
    me.shot("02-bukti-belum-cukup")
    me.link("Kembali ke daftar pegawai")
    assert me.overview_row(thin.name)[3] == "draf"


def well_officer_to_final(me: Tab, db, well) -> tuple[int, str, str]:
    """Opens, evidences, rates, shares and finalises the record; its id, n and digest."""
    row = me.overview_row(well.name)
    assert row[2] == "cukup" and row[3] == "belum ada", row
    me.page.locator("#rekaman tbody tr", has=me.page.get_by_role(
        "rowheader", name=well.name, exact=True)).get_by_role("link", name="Mulai rekaman").click()
    me.press("Buka rekaman")
    me.press("Tarik bukti")
    db.session.commit()
    record_id = records.latest(db.session, well.id, CURRENT).id
    assert me.page.url.endswith(f"/penilaian/rekaman/{record_id}")
    _evidence, n, interval, reliability = shown_evidence(db, record_id)
    digest = stored_evidence(db, record_id)[1]
    facts = me.facts()
    assert (facts["Jumlah tanggapan (n)"], facts["Interval 95%"], facts["Keandalan"]) == \
        (n, interval, reliability) and n == row[0] and reliability == row[1]
    assert float(reliability) >= 0.80
    assert me.text("#cukup") == "Bukti cukup untuk penilaian (keandalan 0,80 ke atas)."
    assert me.page.locator("#belum-cukup").count() == 0
    assert me.text("#sha256") == digest and re.fullmatch(r"[0-9a-f]{64}", digest)
    me.shot("03-bukti-cukup")

    form = me.page.locator("#butir-baru")
    form.get_by_label("Indikator kinerja", exact=True).fill("Pelayanan KTP-el selesai tepat waktu")
    form.get_by_label("Target", exact=True).fill("95%")
    form.get_by_label("Realisasi", exact=True).fill("97%")
    form.get_by_label("Tautan bukti (http/https)").fill("https://arsip.example.go.id/ktp")
    me.press("Tambah butir")
    assert "Butir hasil kerja ditambahkan." in me.flashed()
    assert me.page.locator("#butir tbody tr td").all_inner_texts()[:3] == [
        "Pelayanan KTP-el selesai tepat waktu", "95%", "97%"]

    assert me.text("#predikat") == "Predikat muncul setelah kedua rating diisi."
    rating = me.page.locator("#penilaian")
    rating.get_by_label("Berorientasi Pelayanan").fill("Ramah dan sabar kepada warga.")
    rating.get_by_label("Rating hasil kerja").select_option(label="Sesuai Ekspektasi")
    rating.get_by_label("Rating perilaku kerja").select_option(label="Di Atas Ekspektasi")
    rating.get_by_label("Umpan balik").fill("Pertahankan keramahan di loket.")
    me.press("Simpan penilaian")
    assert "Penilaian disimpan." in me.flashed()
    assert me.text("#rating") == ("Rating hasil kerja: Sesuai Ekspektasi · "
                                  "Rating perilaku kerja: Di Atas Ekspektasi")
    assert me.text("#predikat") == "Predikat kinerja: Baik"
    me.shot("04-predikat")

    me.press("Bagikan kepada pegawai")
    assert "Rekaman dibagikan kepada pegawai." in me.flashed()
    assert me.text("#status") == "Versi 1 · status: dibagikan"
    me.press("Finalkan rekaman")  # without ticking the confirmation: refused, still shared
    assert "Centang konfirmasi untuk memfinalkan." in me.page.content()
    assert me.text("#status") == "Versi 1 · status: dibagikan"
    me.page.get_by_label("Saya yakin: rekaman final tidak dapat diubah lagi").check()
    me.press("Finalkan rekaman")
    assert any(message.startswith("Rekaman difinalkan.") for message in me.flashed())
    assert re.fullmatch(r"Versi 1 · status: final · final sejak \d{4}-\d{2}-\d{2}",
                        me.text("#status"))
    assert me.page.get_by_role("button", name="Tarik bukti").count() == 0  # read-only now
    assert me.page.get_by_role("button", name="Buat koreksi").count() == 1
    me.shot("05-final")
    return record_id, n, digest


def download_pdf(me: Tab, tmp_path, nip: str, n: str, digest: str) -> None:
    """The PDF as the evaluator downloads it, rendered to an image and read back."""
    link = me.page.get_by_role("link", name="Unduh rekaman (PDF, A4)")
    answer = me.context.request.get(me.base + link.get_attribute("href"))  # the tab's cookies
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    assert f'filename="rekaman-{nip}-{CURRENT}-v1.pdf"' in answer.headers["content-disposition"]
    path = tmp_path / "rekaman-unduhan.pdf"
    path.write_bytes(answer.body())
    [first, *_rest] = pdf_pages_as_images(path, dpi=60)
    width, height = first.size
    assert abs(height / width - A4) < 0.01, first.size  # portrait A4
    grey = first.convert("L")
    dark = sum(grey.histogram()[:128])
    assert grey.getextrema()[0] < 64 and 0.002 < dark / (width * height) < 0.5  # printed, not blank
    first.save(tmp_path / "rekaman-halaman-1.png")
    flat = " ".join(pdf_text(answer.body(), tmp_path).split())
    for expected in ("Predikat kinerja Baik", f"SHA-256 bukti {digest}", CURRENT,
                     "Pelayanan KTP-el selesai tepat waktu", "Pertahankan keramahan di loket.",
                     f"Jumlah tanggapan (n) {n}"):
        assert expected in flat, expected


def officer_objects_and_files_keberatan(me: Tab, record_id: int, n: str, digest: str) -> str:
    assert me.page.locator("h1").inner_text() == "Nilai pelayanan saya"  # the officer's home
    me.link("Rekaman penilaian saya")
    [row] = me.page.locator("#rekaman-saya tbody tr").all()
    assert [" ".join(c.split()) for c in row.locator("th, td").all_inner_texts()[:4]] == \
        [CURRENT, "1", "final", "Baik"]
    me.link(f"Lihat rekaman {CURRENT} versi 1")
    assert me.page.url.endswith(f"/saya/penilaian/{record_id}")
    assert me.text("#predikat") == "Predikat kinerja: Baik"
    assert me.text("#sha256") == digest and me.facts()["Jumlah tanggapan (n)"] == n
    assert "paling lambat" in me.text("#batas")
    me.shot("01-rekaman")

    me.link("Nilai saya")
    me.show_period(CURRENT)
    responses = me.page.locator("#daftar-respons tbody tr")
    assert responses.count() > 0
    target = responses.first
    target_id = target.get_attribute("id")
    target.get_by_role("link", name="Ajukan keberatan atas respons ini").click()
    assert me.page.locator("h1").inner_text() == "Keberatan atas respons"
    me.page.get_by_label("Alasan keberatan (wajib, paling banyak 2000 karakter)").fill(OBJECTION)
    me.shot("02-keberatan-respons")
    me.press("Ajukan keberatan")
    assert "Keberatan Anda tercatat dan menunggu keputusan manajer unit." in me.flashed()
    row = me.page.locator(f"#{target_id}")
    assert row.locator("td").last.inner_text() == "Keberatan menunggu keputusan manajer unit"
    assert me.page.get_by_role("link", name="Ajukan keberatan atas respons ini").count() == \
        responses.count() - 1  # only that one response

    me.link("Rekaman penilaian saya")
    me.link(f"Lihat rekaman {CURRENT} versi 1")
    me.page.get_by_label("Alasan keberatan", exact=True).fill(KEBERATAN)
    me.press("Ajukan keberatan")
    assert "Keberatan diajukan kepada atasan pejabat penilai." in me.flashed()
    assert me.text("#keputusan") == "Menunggu keputusan atasan pejabat penilai."
    assert KEBERATAN in me.page.content()
    assert me.page.get_by_role("button", name="Ajukan keberatan").count() == 0  # once only
    me.shot("03-keberatan-diajukan")
    return target_id


def atasan_decides(me: Tab, well) -> None:
    assert me.page.locator("h1").inner_text() == "Keberatan untuk saya"  # the atasan's home
    section = me.page.locator("section.keberatan", has_text=well.name)
    assert section.count() == 1
    assert KEBERATAN in section.inner_text() and "Predikat kinerja: Baik" in section.inner_text()
    section.get_by_label("Keputusan", exact=True).select_option(label="Ditolak")
    section.get_by_label("Catatan keputusan").fill(DECISION_NOTE)
    me.shot("01-keberatan")
    me.press("Simpan keputusan")
    assert "Keputusan atas keberatan disimpan. Keputusan ini final." in me.flashed()
    assert f"Keputusan atasan: Ditolak. {DECISION_NOTE}" in section.inner_text()
    assert section.get_by_role("button", name="Simpan keputusan").count() == 0
    me.shot("02-diputuskan")


def manager_upholds_the_objection(me: Tab) -> None:
    me.page.goto(f"{me.base}/admin/unit/dukcapil/keberatan-respons")
    pending = me.page.locator("section.burst", has_text=OBJECTION)
    assert pending.count() == 1
    pending.get_by_label("Catatan keputusan (wajib, tercatat di log audit)").fill(
        "Menurut jadwal loket, petugas lain yang bertugas.")
    pending.get_by_role("button", name="Terima keberatan").click()
    assert me.flashed()[0].startswith("Keberatan diterima")
    me.shot("01-keberatan-respons")


def test_the_evaluator_the_officer_and_the_atasan_through_a_record(db, live_server, browser,
                                                                   tmp_path):
    rated = people(db)
    evaluator = Tab(browser, live_server, "penilai", tmp_path)
    assert evaluator.page.locator("h1").inner_text() == "Pegawai yang saya nilai"
    evaluator.show_period(CURRENT)
    evaluator.shot("01-daftar")
    thin_officer_is_not_sufficient(evaluator, db, rated.thin)
    record_id, n, digest = well_officer_to_final(evaluator, db, rated.well)
    download_pdf(evaluator, tmp_path, rated.well.nip, n, digest)
    evaluator.link("Kembali ke daftar pegawai")
    row = evaluator.overview_row(rated.well.name)
    assert row[3] == "final" and re.fullmatch(
        r"menunggu tanggapan pegawai \(keberatan paling lambat \d{4}-\d{2}-\d{2}\)", row[4]), row

    officer = Tab(browser, live_server, "maria", tmp_path)
    response_row = officer_objects_and_files_keberatan(officer, record_id, n, digest)

    atasan = Tab(browser, live_server, "atasan", tmp_path)
    atasan_decides(atasan, rated.well)
    manager = Tab(browser, live_server, "manajer", tmp_path)
    manager_upholds_the_objection(manager)

    # The officer reads both decisions beside the record, which they did not change.
    officer.page.reload()
    assert officer.text("#keputusan") == f"Keputusan atasan: Ditolak. {DECISION_NOTE}"
    assert officer.text("#predikat") == "Predikat kinerja: Baik"
    assert officer.text("#sha256") == digest
    assert officer.text("#status").startswith("Status: final")
    officer.shot("04-keputusan-atasan")
    officer.link("Rekaman penilaian saya")
    assert officer.page.locator("#rekaman-saya tbody tr td").all_inner_texts()[:3] == [
        "1", "keberatan", "Baik"]
    officer.link("Nilai saya")
    officer.show_period(CURRENT)
    assert officer.page.locator(f"#{response_row} td").last.inner_text().startswith(
        "Keberatan diterima: respons ini tidak dihitung dalam nilai petugas")
    officer.shot("05-keberatan-respons-diterima")

    # And the evaluator sees the keberatan and its decision on the record, and nothing to do.
    evaluator.page.goto(f"{live_server}/penilaian/rekaman/{record_id}")
    assert "Diajukan" in evaluator.page.content() and KEBERATAN in evaluator.page.content()
    assert f"Keputusan atasan: Ditolak. {DECISION_NOTE}" in evaluator.page.content()
    assert evaluator.text("#predikat") == "Predikat kinerja: Baik"
    evaluator.link("Kembali ke daftar pegawai")
    assert evaluator.overview_row(rated.well.name)[4] == "selesai"
    evaluator.shot("06-selesai")
    for tab in (evaluator, officer, atasan, manager):
        tab.close()
