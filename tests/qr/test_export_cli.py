"""`flask qr export`: a PNG and an SVG per active code and one poster PDF per unit, listed."""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from surveys.db import utcnow
from surveys.models import Counter, Touchpoint
from tests.factories import make_unit
from tests.qr.decode import decode_png, decode_svg, pdf_page_count, pdf_text

BASE = "https://survei.kupangkota.go.id"


def _export(runner, out: Path, *args: str):
    return runner.invoke(args=["qr", "export", "--out", str(out), *args])


def test_export_writes_and_lists_every_active_code_and_the_unit_posters(db, runner, tmp_path):
    unit = make_unit(db.session)
    second = Counter(unit=unit.unit, code="L2", name="Loket 2")
    kiosk = Touchpoint(kind="kiosk", unit=unit.unit, counter=unit.counter)
    retired = Touchpoint(kind="counter", unit=unit.unit, counter=second, revoked_at=utcnow())
    live_second = Touchpoint(kind="counter", unit=unit.unit, counter=second)
    db.session.add_all([second, kiosk, retired, live_second])
    db.session.commit()

    result = _export(runner, tmp_path, "--unit", "dukcapil", "--base-url", BASE + "/", "--size", "A5")
    assert result.exit_code == 0, result.output
    listed = [Path(line) for line in result.stdout.splitlines()]
    assert all(path.exists() for path in listed)
    assert {path.parent for path in listed} == {tmp_path / "dukcapil"}

    expected = {unit.counter_code, unit.personal_code, kiosk.public_code, live_second.public_code}
    pngs = [path for path in listed if path.suffix == ".png"]
    svgs = [path for path in listed if path.suffix == ".svg"]
    assert sorted(decode_png(path.read_bytes())[0] for path in pngs) == sorted(
        f"{BASE}/s/{code}" for code in expected)
    assert sorted(decode_svg(path.read_bytes())[0] for path in svgs) == sorted(
        f"{BASE}/s/{code}" for code in expected)
    assert not any(retired.public_code in str(path) for path in listed)

    [pdf] = [path for path in listed if path.suffix == ".pdf"]
    assert pdf.name == "poster-dukcapil-A5.pdf"
    content = pdf.read_bytes()
    assert pdf_page_count(content) == 2  # the two counters' posters; kiosk and personal code have none
    text = pdf_text(content)
    assert f"{BASE}/s/{unit.counter_code}" in text and f"{BASE}/s/{live_second.public_code}" in text
    assert "Loket 1" in text and "Loket 2" in text and "Dinas Dukcapil Uji" in text


def test_export_of_every_unit_says_when_a_unit_has_no_code(db, runner, tmp_path):
    make_unit(db.session)
    result = _export(runner, tmp_path, "--base-url", BASE)
    assert result.exit_code == 0, result.output
    assert "dukcapil-lain: tidak ada kode QR aktif" in result.stdout
    assert (tmp_path / "dukcapil" / "poster-dukcapil-A4.pdf").exists()
    assert not (tmp_path / "dukcapil-lain").exists()


def test_export_refuses_missing_or_bad_base_url_and_unknown_unit(db, runner, tmp_path, monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    make_unit(db.session)
    missing = _export(runner, tmp_path)
    assert missing.exit_code != 0 and "--base-url" in missing.output
    bad = _export(runner, tmp_path, "--base-url", "survei.go.id")
    assert bad.exit_code != 0 and "bukan alamat http(s) lengkap" in bad.output
    unknown = _export(runner, tmp_path, "--unit", "tidak-ada", "--base-url", BASE)
    assert unknown.exit_code != 0 and "unit 'tidak-ada' tidak ditemukan" in unknown.output
    assert list(tmp_path.iterdir()) == []


def test_base_url_comes_from_config_when_not_given(db, runner, tmp_path, monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    unit = make_unit(db.session)
    # The command runs in the app context that is current (the `db` fixture's app).
    monkeypatch.setitem(current_app.config, "PUBLIC_BASE_URL", "https://dari-konfigurasi.go.id")
    result = _export(runner, tmp_path, "--unit", "dukcapil")
    assert result.exit_code == 0, result.output
    png = next(Path(line) for line in result.stdout.splitlines() if unit.counter_code in line
               and line.endswith(".png"))
    assert decode_png(png.read_bytes()) == [f"https://dari-konfigurasi.go.id/s/{unit.counter_code}"]
