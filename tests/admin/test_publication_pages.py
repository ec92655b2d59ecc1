"""A unit's publications in the web UI (issue 14, DESIGN §6): a manager prepares a draft (the page
shows the frozen figures, equal to the stored snapshot, small counts as "*"), remarks on it, is
refused publishing during the review with the last review day named, publishes after it and
corrects the published version with a reason, both versions then listed with it. Hostile input
(blank, overlong or NUL text, a bad period, ids past PostgreSQL's integer, another unit's
publication through one's own unit) is a 400, 404 or 409 with a message, never a 500, and stores
nothing. The page's clock is `app.admin.publications.utcnow`, moved here with monkeypatch."""
from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.admin import publications as pages
from surveys.models import AuditEvent, Population, Publication, PublicationComment, Service
from surveys.publishing import service
from tests.access.cast import cast, client_as
from tests.evaluations.coworker_data import user
from tests.factories import hidden_fields
from tests.publishing.test_publication import respond

PERIOD = "2026-Q3"
PAGE = "/admin/unit/dukcapil/publikasi"
PREPARED = datetime(2026, 10, 2, 1, 0, tzinfo=UTC)  # Friday 2 October, 09:00 WITA
IN_REVIEW = datetime(2026, 10, 16, 8, 0, tzinfo=UTC)  # 16:00 WITA on the last review day
AFTER = datetime(2026, 10, 17, 1, 0, tzinfo=UTC)  # Saturday 17 October, 09:00 WITA
CORRECTED = datetime(2026, 10, 21, 2, 0, tzinfo=UTC)


def token(client) -> str:
    return hidden_fields(client.get("/auth/akun").text)["csrf_token"]


def post(client, path: str, **fields):
    return client.post(path, data={"csrf_token": token(client), **fields})


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def table(page: str, table_id: str) -> str:
    """The HTML of the table with this id (unescaped page text)."""
    match = re.search(rf'<table id="{table_id}">.*?</table>', page, re.S)
    assert match, f"no table {table_id}"
    return match.group(0)


def row_cells(fragment: str, row_id: str) -> list[str]:
    """The text of each cell of the row with this id, tags stripped."""
    match = re.search(rf'<tr id="{row_id}">(.*?)</tr>', fragment, re.S)
    assert match, f"no row {row_id}"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", match.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def publications(db) -> list[tuple[int, str, str | None]]:
    db.session.expire_all()
    return [(row.version, row.status, row.correction_reason) for row in db.session.scalars(
        select(Publication).order_by(Publication.unit_id, Publication.version))]


def remarks(db) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(PublicationComment.body)
                                   .order_by(PublicationComment.id)))


def actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity == "publication").order_by(AuditEvent.id)))


@pytest.fixture
def clock(monkeypatch):
    """Sets the publication pages' `now`."""
    def set_now(moment: datetime) -> None:
        monkeypatch.setattr(pages, "utcnow", lambda: moment)
    set_now(PREPARED)
    return set_now


@pytest.fixture
def office(db):
    """The cast's unit with 30 (KTP-el), 12 (Kartu Keluarga) and 3 (Akta Kelahiran) respondents
    in 2026-Q3, 400 service users."""
    people = cast(db)
    unit = people.unit.unit
    ktp, kk = people.unit.services
    akta = Service(unit=unit, code="akta", name="Akta Kelahiran")
    db.session.add_all([akta, Population(unit_id=unit.id, period=PERIOD, size=400)])
    db.session.commit()
    respond(db, unit, ktp, 30, 3.2, 1)
    respond(db, unit, kk, 12, 2.8, 2, staff=people.evaluated)
    respond(db, unit, akta, 3, 3.5, 3)
    return people


def draft(db, office) -> Publication:
    row = service.prepare(db.session, user(db, "manajer"), office.unit.unit, PERIOD, PREPARED)
    db.session.commit()
    return row


def published(db, office) -> Publication:
    row = draft(db, office)
    service.publish(db.session, user(db, "manajer"), row, AFTER)
    db.session.commit()
    return row


def test_prepare_remark_publish_after_the_review_and_correct(app, db, office, clock):
    client = client_as(app, "manager")
    assert client.get(f"{PAGE}?periode={PERIOD}").status_code == 200
    prepared = post(client, f"{PAGE}/siapkan", periode=PERIOD)
    assert prepared.status_code == 303 and prepared.location.endswith(f"{PAGE}?periode={PERIOD}")
    assert publications(db) == [(1, "draft", None)]
    row = db.session.scalars(select(Publication)).one()
    snapshot = row.snapshot
    assert row.review_until.isoformat() == "2026-10-16"

    page = text(client.get(prepared.location))
    assert "Draf publikasi 2026-Q3 versi 1 disiapkan. Masa tinjauan sampai 16-10-2026." in page
    assert row_cells(table(page, "versi-publikasi"), "versi-1") == [
        "1", "draf", "02-10-2026 01:00 UTC", "16-10-2026", "–", "–"]
    # The figures on the page are the stored snapshot's.
    summary = table(page, "publikasi-ringkasan")
    index = snapshot["index"]
    assert snapshot["respondents"] == 45
    cells = row_cells(summary, "publikasi-ringkasan-total")
    assert cells[:3] == ["45", f"{index['ikm']:.2f}",
                         f"{index['ci95'][0]:.2f} – {index['ci95'][1]:.2f}"]
    assert cells[3].startswith(f"{index['grade']} {index['kinerja']}")
    assert "gunakan dengan hati-hati" in cells[3]  # 45 respondents, under 100
    assert cells[4].startswith(f"{snapshot['target']} · belum tercapai")
    u1 = index["unsur"][0]
    assert row_cells(table(page, "publikasi-unsur"), "publikasi-unsur-U1") == [
        "U1 Persyaratan", "45", f"{u1['nrr']:.3f}", f"{u1['ci95'][0]:.3f} – {u1['ci95'][1]:.3f}"]
    services = {r["name"]: r for r in snapshot["services"]}
    assert services["Akta Kelahiran"]["n"] == "*"  # 3 respondents, and the next smallest too
    rows = table(page, "publikasi-layanan")
    shown = [row_cells(rows, f"publikasi-layanan-{i}") for i in range(1, len(services) + 1)]
    assert {cells[0]: cells[2] for cells in shown} == {
        name: str(r["n"]) for name, r in services.items()}
    assert ["Akta Kelahiran", "dukcapil", "*", "*"] in shown
    for secret in (office.evaluated.name, office.evaluated.nip):
        assert secret not in page

    remarked = post(client, f"{PAGE}/{row.id}/catatan", body="Angka akta sesuai register.")
    assert remarked.status_code == 303 and remarks(db) == ["Angka akta sesuai register."]
    page = text(client.get(remarked.location))
    assert "Angka akta sesuai register." in page and "Catatan tinjauan untuk 2026-Q3" in page

    clock(IN_REVIEW)
    refused = post(client, f"{PAGE}/{row.id}/terbitkan")
    assert refused.status_code == 409
    assert ("Draf ini masih dalam masa tinjauan sampai 16-10-2026 (hari terakhir tinjauan). "
            "Draf dapat diterbitkan mulai 17-10-2026.") in text(refused)
    assert publications(db) == [(1, "draft", None)] and actions(db) == ["prepare", "remark"]

    clock(AFTER)
    done = post(client, f"{PAGE}/{row.id}/terbitkan")
    assert done.status_code == 303 and publications(db) == [(1, "published", None)]
    page = text(client.get(done.location))
    assert "Publikasi 2026-Q3 versi 1 diterbitkan." in page
    assert row_cells(table(page, "versi-publikasi"), "versi-1")[1:5] == [
        "terbit", "02-10-2026 01:00 UTC", "16-10-2026", "17-10-2026 01:00 UTC"]
    assert 'id="koreksi"' in page and 'id="siapkan"' not in page

    blank = post(client, f"{PAGE}/{row.id}/koreksi", reason="   ")
    assert blank.status_code == 400 and "Alasan koreksi wajib diisi." in text(blank)
    assert 'aria-invalid="true"' in blank.text

    respond(db, office.unit.unit, office.unit.services[0], 20, 3.6, 7)  # late paper forms
    clock(CORRECTED)
    reason = "Formulir kertas loket 2 terlambat dientri."
    corrected = post(client, f"{PAGE}/{row.id}/koreksi", reason=reason)
    assert corrected.status_code == 303
    assert publications(db) == [(1, "superseded", None), (2, "published", reason)]
    page = text(client.get(corrected.location))
    assert "Koreksi 2026-Q3 diterbitkan sebagai versi 2." in page
    versions = table(page, "versi-publikasi")
    assert row_cells(versions, "versi-2") == [
        "2", "terbit", "21-10-2026 02:00 UTC", "16-10-2026", "21-10-2026 02:00 UTC", reason]
    assert row_cells(versions, "versi-1")[1] == "diganti"
    assert row_cells(table(page, "publikasi-ringkasan"), "publikasi-ringkasan-total")[0] == "65"
    assert "Angka versi 2 (terbit)" in page
    assert actions(db) == ["prepare", "remark", "publish", "supersede", "correct"]


def test_the_dashboard_links_to_the_publications(app, db, office):
    page = client_as(app, "manager").get(f"/admin/unit/dukcapil?periode={PERIOD}").text
    assert f'id="tautan-publikasi" href="{PAGE}?periode={PERIOD}"' in page
    assert f'href="{PAGE}"' in page  # the unit menu


def test_a_sub_units_publication_is_the_parents_managers_to_prepare(app, db, office, clock):
    client = client_as(app, "manager")
    prepared = post(client, "/admin/unit/dukcapil-kec/publikasi/siapkan", periode=PERIOD)
    assert prepared.status_code == 303
    page = text(client.get(prepared.location))
    assert "belum ada responden" in page  # the sub-unit has none: no index, no "*" either
    assert row_cells(table(page, "publikasi-ringkasan"), "publikasi-ringkasan-total")[0] == "0"


REMARK_REQUIRED = "Catatan wajib diisi."
REASON_REQUIRED = "Alasan koreksi wajib diisi."
TOO_LONG = "Paling banyak 2000 karakter."
CONTROL = "Teks berisi karakter kendali yang tidak diizinkan."
HOSTILE_TEXT = [("", "required"), ("   \n ", "required"), ("a\x00b", CONTROL),
                ("bel\x07", CONTROL), ("x" * 2001, TOO_LONG),
                ("x" * 60_000, TOO_LONG)]  # 60,000: under the app's 64 KiB MAX_CONTENT_LENGTH


@pytest.mark.parametrize("body, message", HOSTILE_TEXT)
def test_a_hostile_remark_is_refused_with_a_message(app, db, office, clock, body, message):
    row = draft(db, office)
    refused = post(client_as(app, "manager"), f"{PAGE}/{row.id}/catatan", body=body)
    assert refused.status_code == 400
    assert (REMARK_REQUIRED if message == "required" else message) in text(refused)
    assert 'aria-invalid="true"' in refused.text
    assert remarks(db) == []


@pytest.mark.parametrize("reason, message", HOSTILE_TEXT)
def test_a_hostile_reason_is_refused_with_a_message(app, db, office, clock, reason, message):
    row = published(db, office)
    clock(CORRECTED)
    refused = post(client_as(app, "manager"), f"{PAGE}/{row.id}/koreksi", reason=reason)
    assert refused.status_code == 400
    assert (REASON_REQUIRED if message == "required" else message) in text(refused)
    assert 'aria-invalid="true"' in refused.text
    assert publications(db) == [(1, "published", None)]
    assert actions(db) == ["prepare", "publish"]


PERIOD_UNKNOWN = "Periode tidak dikenal. Contoh: 2026, 2026-S1, 2026-Q3, 2026-07."


@pytest.mark.parametrize("period, message", [
    ("2026-Q9", PERIOD_UNKNOWN), ("2026\x00", PERIOD_UNKNOWN), ("Q" * 10_000, PERIOD_UNKNOWN),
    ("1999-Q1", PERIOD_UNKNOWN), ("", "Periode wajib diisi, mis. 2026-Q3."),
])
def test_a_bad_period_to_prepare_is_refused_with_a_message(app, db, office, clock, period,
                                                           message):
    refused = post(client_as(app, "manager"), f"{PAGE}/siapkan", periode=period)
    assert refused.status_code == 400
    assert message in text(refused) and 'aria-invalid="true"' in refused.text
    assert publications(db) == [] and actions(db) == []


def test_a_bad_period_in_the_address_is_a_400_page(app, db, office):
    client = client_as(app, "manager")
    for period in ("2026-Q9", "x" * 10_000, "2026\x00"):
        refused = client.get(PAGE, query_string={"periode": period})
        assert refused.status_code == 400 and PERIOD_UNKNOWN in text(refused)


def test_ids_no_row_can_have_and_another_units_publication_are_not_found(app, db, office,
                                                                        clock):
    other = service.prepare(db.session, user(db, "manajer.lain"), office.other, PERIOD, PREPARED)
    db.session.commit()
    client = client_as(app, "manager")
    clock(AFTER)
    for path, fields in ((f"{PAGE}/{other.id}/catatan", {"body": "Bukan unit saya."}),
                         (f"{PAGE}/{other.id}/terbitkan", {}),
                         (f"{PAGE}/{other.id}/koreksi", {"reason": "Bukan unit saya."}),
                         (f"{PAGE}/{2**31}/terbitkan", {}),
                         (f"{PAGE}/{2**63}/catatan", {"body": "x"}),
                         (f"{PAGE}/0/koreksi", {"reason": "x"}),
                         (f"{PAGE}/999999/terbitkan", {})):
        refused = post(client, path, **fields)
        assert refused.status_code == 404, path
        assert "Halaman tidak ditemukan." in text(refused)
    assert publications(db) == [(1, "draft", None)] and remarks(db) == []
    # The other unit's manager cannot reach ours through their unit either.
    ours = draft(db, office)
    theirs = client_as(app, "other_manager")
    assert post(theirs, f"/admin/unit/{office.other.code}/publikasi/{ours.id}/terbitkan") \
        .status_code == 404
    assert post(theirs, f"{PAGE}/{ours.id}/terbitkan").status_code == 403
    assert publications(db) == [(1, "draft", None), (1, "draft", None)]


def test_steps_the_state_does_not_allow_are_409_with_a_message(app, db, office, clock):
    client = client_as(app, "manager")
    row = draft(db, office)
    clock(AFTER)
    late = post(client, f"{PAGE}/{row.id}/catatan", body="Terlambat.")
    assert late.status_code == 409
    assert ("Masa tinjauan draf ini sudah berakhir pada 16-10-2026; catatan tidak dapat "
            "ditambahkan lagi.") in text(late)
    early = post(client, f"{PAGE}/{row.id}/koreksi", reason="Belum terbit.")
    assert early.status_code == 409
    assert "Hanya versi yang sedang terbit yang dapat dikoreksi." in text(early)
    assert post(client, f"{PAGE}/{row.id}/terbitkan").status_code == 303

    again = post(client, f"{PAGE}/siapkan", periode=PERIOD)
    assert again.status_code == 409
    assert "Periode ini sudah diterbitkan." in text(again)
    assert post(client, f"{PAGE}/{row.id}/terbitkan").status_code == 409
    remark = post(client, f"{PAGE}/{row.id}/catatan", body="Sudah terbit.")
    assert remark.status_code == 409 and "Versi ini bukan draf lagi" in text(remark)
    clock(CORRECTED)
    assert post(client, f"{PAGE}/{row.id}/koreksi", reason="Koreksi pertama.").status_code == 303
    old = post(client, f"{PAGE}/{row.id}/koreksi", reason="Versi lama.")  # superseded now
    assert old.status_code == 409
    assert "Hanya versi yang sedang terbit yang dapat dikoreksi." in text(old)
    assert publications(db) == [(1, "superseded", None), (2, "published", "Koreksi pertama.")]
    assert remarks(db) == []
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.entity == "publication")) == 4


def test_preparing_a_draft_again_refreezes_it_and_restarts_the_review(app, db, office, clock):
    client = client_as(app, "manager")
    row = draft(db, office)
    respond(db, office.unit.unit, office.unit.services[0], 10, 3.0, 8)
    clock(datetime(2026, 10, 5, 1, tzinfo=UTC))  # Monday
    again = post(client, f"{PAGE}/siapkan", periode=PERIOD)
    assert again.status_code == 303
    assert "Masa tinjauan sampai 19-10-2026." in text(client.get(again.location))
    db.session.expire_all()
    assert db.session.get(Publication, row.id).snapshot["respondents"] == 55
    assert publications(db) == [(1, "draft", None)] and actions(db) == ["prepare", "refreeze"]
