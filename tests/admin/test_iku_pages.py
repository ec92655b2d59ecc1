"""A unit's IKU targets in the web UI: set, changed and removed by its managers (audited with
before and after), refused for another unit's manager, for hostile input (a message in Bahasa
Indonesia, 400, nothing saved) and once a final SKP record uses the target (409); the unit
dashboard shows them in its "Target IKU" block with the same status words."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from surveys.evaluations.iku import realisation
from surveys.models import AuditEvent, EvaluationRecord, IkuTarget, SkpItem, User
from tests.access.cast import cast, client_as
from tests.evaluations.iku_data import iku_data
from tests.factories import add_user, hidden_fields

PAGE = "/admin/unit/dukcapil/iku"


def token(client) -> str:
    return hidden_fields(client.get("/auth/akun").text)["csrf_token"]


def post(client, path: str = PAGE, **fields):
    return client.post(path, data={"csrf_token": token(client), **fields})


def targets(db) -> dict[tuple[str, str], float]:
    db.session.expire_all()
    return {(row.period, row.indicator): row.target for row in db.session.scalars(select(IkuTarget))}


def audit_rows(db) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "iku_target")
                                   .order_by(AuditEvent.id)))


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def people(db):
    return cast(db)


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_a_manager_sets_changes_and_removes_a_target(app, db, people, role):
    client = client_as(app, role)
    unit_id = people.unit.unit.id
    saved = post(client, period="2026-Q3", indicator="ikm", target="82")
    assert saved.status_code == 303 and saved.location.endswith(f"{PAGE}?periode=2026-Q3")
    assert targets(db) == {("2026-Q3", "ikm"): 82}
    page = text(client.get(f"{PAGE}?periode=2026-Q3"))
    assert "Target Indeks Kepuasan Masyarakat (IKM) untuk 2026-Q3 disimpan: ≥ 82." in page
    assert "≥ 82.00" in page
    assert "tidak dapat dihitung: belum ada responden pada periode ini" in page
    assert [(r.action, r.before, r.after, r.unit_id) for r in audit_rows(db)] == [
        ("create", None, {"unit_id": unit_id, "period": "2026-Q3", "indicator": "ikm",
                          "target": 82}, unit_id)]

    # An Indonesian decimal comma; the same indicator again corrects the value.
    assert post(client, period="2026-Q3", indicator="ikm", target="85,5").status_code == 303
    assert targets(db) == {("2026-Q3", "ikm"): 85.5}
    update = audit_rows(db)[1:]
    assert [(r.action, r.before["target"], r.after["target"]) for r in update] == [
        ("update", 82, 85.5)]
    assert post(client, period="2026-Q3", indicator="ikm", target="85.50").status_code == 303
    assert len(audit_rows(db)) == 2  # no change, no row

    assert post(client, period="2026-Q4", indicator="waiting", target="80").status_code == 303
    assert post(client, period="2026-Q3", indicator="responses", target="100").status_code == 303
    page = text(client.get(f"{PAGE}?periode=2026-Q3"))
    assert "Jumlah responden terhadap target sampel Krejcie–Morgan" in page
    assert "tidak dapat dihitung: populasi pengguna layanan periode ini belum diisi" in page
    assert 'id="iku-waiting"' not in page  # that one is 2026-Q4's
    q4 = text(client.get(f"{PAGE}?periode=2026-Q4"))
    row = q4[q4.index('id="iku-waiting"'):]
    assert row.startswith('id="iku-waiting"><th scope="row">Persentase pengguna layanan yang '
                          'menunggu kurang dari 15 menit</th>')
    assert "tidak dapat dihitung: belum ada responden yang menjawab pertanyaan lama menunggu" in row

    ikm_id = db.session.scalars(select(IkuTarget.id).where(IkuTarget.indicator == "ikm")).one()
    removed = post(client, f"{PAGE}/{ikm_id}/hapus")
    assert removed.status_code == 303
    assert set(targets(db)) == {("2026-Q4", "waiting"), ("2026-Q3", "responses")}
    last = audit_rows(db)[-1]
    assert (last.action, last.entity_id, last.before["target"], last.after) == (
        "delete", ikm_id, 85.5, None)
    assert "Target Indeks Kepuasan Masyarakat (IKM) untuk 2026-Q3 dihapus." in text(
        client.get(removed.location))


def test_another_units_manager_is_refused(app, db, people):
    client = client_as(app, "other_manager")
    assert post(client, period="2026-Q3", indicator="ikm", target="82").status_code == 403
    assert client.get(PAGE).status_code == 403
    other = IkuTarget(unit_id=people.unit.unit.id, period="2026-Q3", indicator="ikm", target=82)
    db.session.add(other)
    db.session.commit()
    assert post(client, f"{PAGE}/{other.id}/hapus").status_code == 403
    # Through their own unit, a target of another unit is not found.
    assert post(client, f"/admin/unit/{people.other.code}/iku/{other.id}/hapus").status_code == 404
    assert targets(db) == {("2026-Q3", "ikm"): 82} and audit_rows(db) == []


TARGET_FORMAT = "Target harus berupa angka 0 sampai 100, mis. 82 atau 82,5."
PERIOD_UNKNOWN = "Periode tidak dikenal. Contoh: 2026, 2026-S1, 2026-Q3, 2026-07."


@pytest.mark.parametrize("fields, message", [
    ({"target": "abc"}, TARGET_FORMAT),
    ({"target": "-1"}, "Target harus antara 0 dan 100."),
    ({"target": "100.001"}, "Target harus antara 0 dan 100."),
    ({"target": "82.125"}, "Target paling banyak 2 angka di belakang koma."),
    ({"target": "1e309"}, TARGET_FORMAT),
    ({"target": "inf"}, TARGET_FORMAT),
    ({"target": "NaN"}, TARGET_FORMAT),
    ({"target": "8\x002"}, TARGET_FORMAT),
    ({"target": "9" * 10_000}, TARGET_FORMAT),
    ({"target": ""}, "Target wajib diisi, mis. 82."),
    ({"period": "2026-Q9"}, PERIOD_UNKNOWN),
    ({"period": "2026\x00"}, PERIOD_UNKNOWN),
    ({"period": "Q" * 10_000}, PERIOD_UNKNOWN),
    ({"period": ""}, "Periode wajib diisi, mis. 2026-Q3."),
    ({"indicator": "kepuasan"}, "Pilih salah satu indikator yang tersedia."),
    ({"indicator": "ikm\x00"}, "Pilih salah satu indikator yang tersedia."),
])
def test_hostile_input_is_refused_with_a_message_and_nothing_saved(app, db, people, fields,
                                                                    message):
    client = client_as(app, "manager")
    refused = post(client, **{"period": "2026-Q3", "indicator": "ikm", "target": "82", **fields})
    assert refused.status_code == 400
    assert message in text(refused)
    assert 'aria-invalid="true"' in refused.text
    assert targets(db) == {} and audit_rows(db) == []


def test_a_form_without_its_csrf_token_is_refused(app, db, people):
    client = client_as(app, "manager")
    refused = client.post(PAGE, data={"period": "2026-Q3", "indicator": "ikm", "target": "82"})
    assert refused.status_code == 400 and "Formulir sudah kedaluwarsa" in text(refused)
    assert targets(db) == {}


def test_a_bad_period_in_the_address_is_a_400_page(app, db, people):
    client = client_as(app, "manager")
    for period in ("2026-Q9", "x" * 10_000, "2026\x00"):
        response = client.get(PAGE, query_string={"periode": period})
        assert response.status_code == 400 and PERIOD_UNKNOWN in text(response)


def _tie(db, people, status: str) -> IkuTarget:
    target = IkuTarget(unit_id=people.unit.unit.id, period="2026-Q3", indicator="ikm", target=82)
    evaluator = db.session.scalars(select(User).where(User.username == "penilai")).one()
    record = EvaluationRecord(staff_id=people.own.id, period="2026-Q3", status=status,
                              evaluator_id=evaluator.id, evaluator_snapshot={"name": "Penilai"})
    db.session.add_all([target, record])
    db.session.flush()
    db.session.add(SkpItem(record_id=record.id, indicator="IKM unit", target="≥ 82",
                           iku_target_id=target.id))
    db.session.commit()
    return target


def test_a_target_used_by_a_final_record_can_be_neither_changed_nor_removed(app, db, people):
    target = _tie(db, people, "final")
    client = client_as(app, "manager")
    changed = post(client, period="2026-Q3", indicator="ikm", target="75")
    assert changed.status_code == 409
    assert "acuan butir SKP pada catatan penilaian yang sudah final" in text(changed)
    removed = post(client, f"{PAGE}/{target.id}/hapus")
    assert removed.status_code == 409
    assert "tidak dapat diubah atau dihapus" in text(removed)
    assert targets(db) == {("2026-Q3", "ikm"): 82} and audit_rows(db) == []
    # Saving the value it already has is no change, and not refused.
    assert post(client, period="2026-Q3", indicator="ikm", target="82").status_code == 303


def test_a_target_tied_to_a_draft_record_may_change_but_is_not_removed(app, db, people):
    target = _tie(db, people, "draft")
    client = client_as(app, "manager")
    assert post(client, period="2026-Q3", indicator="ikm", target="80").status_code == 303
    assert targets(db) == {("2026-Q3", "ikm"): 80}
    removed = post(client, f"{PAGE}/{target.id}/hapus")
    assert removed.status_code == 409 and "Lepaskan kaitannya" in text(removed)
    assert targets(db) == {("2026-Q3", "ikm"): 80}
    assert [row.action for row in audit_rows(db)] == ["update"]


def test_the_dashboard_and_the_page_show_realisation_and_status_in_words(app, db):
    data = iku_data(db, population=1000)
    add_user(db, "manajer", "unit_manager", data.unit.id)
    client = client_as(app, "manager")
    for indicator, value in (("ikm", "70"), ("waiting", "99"), ("responses", "100")):
        assert post(client, period="2026-Q3", indicator=indicator, target=value).status_code == 303

    for path in (f"{PAGE}?periode=2026-Q3", "/admin/unit/dukcapil?periode=2026-Q3"):
        page = text(client.get(path))
        assert "Target IKU" in page
        assert "Indeks Kepuasan Masyarakat (IKM)" in page
        block = page[page.index("Target IKU"):]
        # IKM well above 70: reached beyond doubt; waiting ≈ 60% of 99%: not reached;
        # 100 of the 278 respondents needed for N = 1000: 35.97%, not reached.
        assert ">tercapai<" in block
        assert ">belum tercapai<" in block
        assert "35.97%" in block and "n = 100" in block
        assert "interval 95%" in block
    board = text(client.get("/admin/unit/dukcapil?periode=2026-Q3"))
    assert 'href="/admin/unit/dukcapil/iku?periode=2026-Q3"' in board
    assert 'href="/admin/unit/dukcapil/iku"' in board  # the unit menu


def test_an_uncertain_target_says_so(app, db):
    data = iku_data(db, population=1000)
    add_user(db, "manajer", "unit_manager", data.unit.id)
    client = client_as(app, "manager")
    probe = IkuTarget(unit_id=data.unit.id, unit=data.unit, period="2026-Q3", indicator="ikm",
                      target=50)
    db.session.add(probe)
    db.session.commit()
    value = realisation(db.session, probe).value
    db.session.delete(probe)
    db.session.commit()
    assert post(client, period="2026-Q3", indicator="ikm", target=f"{value:.2f}").status_code == 303
    page = text(client.get(f"{PAGE}?periode=2026-Q3"))
    assert "tercapai, tetapi belum pasti (interval melewati target)" in page
