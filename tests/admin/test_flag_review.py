"""Flag review: the demo's planted burst is flagged by the fold, a manager excludes it with a
reason and the figures follow (reporting service and roll-up, equal to a rebuild), restoring it
brings every figure back exactly; every decision is in the audit log; bad input gets a 400."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from surveys.demo.load import load_demo
from surveys.demo.truth import BURST
from surveys.models import AuditEvent, DailyRollup, Response, ResponseFlag, Touchpoint, Unit
from surveys.models.rollup import FLAG_CLEAN, FLAG_EXCLUDED, FLAG_SUSPICIOUS
from surveys.reporting import rollup
from surveys.reporting.service import unit_report
from surveys.responses import flag_review
from surveys.responses.instruments import default_instrument
from tests.access.cast import client_as, cast
from tests.factories import add_user, hidden_fields, signed_in
from tests.rollup.test_rollup_matches_raw import _snapshot

REASON = "Diisi massal oleh satu orang di loket SAH, dikonfirmasi rekaman CCTV"


def _checked_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'name="ids" value="(\d+)"', html)]


def _decide(client, code: str, ids, reason: str, action: str):
    token = hidden_fields(client.get(f"/admin/unit/{code}/tanda").text)["csrf_token"]
    return client.post(f"/admin/unit/{code}/tanda/keputusan",
                       data={"csrf_token": token, "ids": [str(i) for i in ids], "reason": reason,
                             action: "1"})


def _figures(db):
    """Both views of the burst unit's quarter as the dashboard gets them (reporting service)."""
    db.session.expire_all()
    report = unit_report(db.session, BURST.unit, period="2026-Q3", officers=False)
    return report.with_flagged.to_dict(), report.without_flagged.to_dict()


def _responses_by_state(db) -> dict[int, int]:
    table = DailyRollup.__table__
    rows = db.session.execute(select(table.c.flag_state, func.sum(table.c.responses))
                              .group_by(table.c.flag_state)).all()
    return {state: int(total) for state, total in rows if total}


def _assert_rollup_equals_rebuild(db):
    db.session.commit()
    kept = _snapshot(db)
    rollup.rebuild(db.session)
    db.session.commit()
    assert _snapshot(db) == kept


def _burst_ids(db) -> set[int]:
    """The planted burst, found from the truth (not from the detector)."""
    touchpoint = db.session.scalars(
        select(Touchpoint.id).join(Unit, Touchpoint.unit_id == Unit.id)
        .where(Unit.code == BURST.unit, Touchpoint.kind == "counter",
               Touchpoint.counter.has(code=BURST.counter))).one()
    return set(db.session.scalars(select(Response.id).where(
        Response.touchpoint_id == touchpoint, Response.submitted_at >= BURST.start,
        Response.submitted_at < BURST.start + timedelta(minutes=BURST.minutes))))


def test_excluding_the_demo_burst_moves_the_figures_and_restoring_brings_them_back(app, db):
    load_demo(db.session, date(2026, 11, 23))
    samsat = db.session.scalars(select(Unit).where(Unit.code == BURST.unit)).one()
    add_user(db, "manajer.samsat", "unit_manager", samsat.id)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ResponseFlag)) == 0

    # The public unit page folds the queue, and the fold runs the burst checks (no cron).
    assert app.test_client().get(f"/unit/{BURST.unit}").status_code == 200
    burst = _burst_ids(db)
    assert len(burst) == BURST.count
    assert set(db.session.scalars(select(ResponseFlag.response_id))) == burst
    flagged_with, flagged_without = _figures(db)
    assert flagged_with["responses"] == flagged_without["responses"] + BURST.count
    assert flagged_with["ikm_exact"] > flagged_without["ikm_exact"]  # forty perfect answers
    _assert_rollup_equals_rebuild(db)
    assert _responses_by_state(db)[FLAG_SUSPICIOUS] == BURST.count

    manager = signed_in(app, "manajer.samsat")
    page = manager.get(f"/admin/unit/{BURST.unit}/tanda")
    assert page.status_code == 200
    assert "lonjakan: 40 respons dalam 10 menit" in page.text
    assert "40 jawaban identik berturut-turut" in page.text
    assert "Menunggu tinjauan" in page.text
    ids = _checked_ids(page.text)
    assert set(ids) == burst  # one burst, every response ticked

    excluded = _decide(manager, BURST.unit, ids, REASON, "exclude")
    assert excluded.status_code == 303
    assert "40 respons dikecualikan" in manager.get(excluded.location).text
    after_with, after_without = _figures(db)
    # The burst leaves every figure: the "with flagged" view no longer counts it, so it equals
    # the "without flagged" one, which never counted it; the roll-up moved it, as a rebuild would.
    assert after_with == after_without == flagged_without
    assert after_with["ikm_exact"] < flagged_with["ikm_exact"]
    assert _responses_by_state(db)[FLAG_EXCLUDED] == BURST.count
    assert FLAG_SUSPICIOUS not in _responses_by_state(db)
    _assert_rollup_equals_rebuild(db)
    assert db.session.scalar(select(func.count()).select_from(Response)) > 11_000  # none deleted

    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "exclude")).all()
    assert {event.entity_id for event in events} == burst and len(events) == BURST.count
    for event in events:
        assert (event.entity, event.reason, event.actor_label) == (
            "response", REASON, "manajer.samsat")
        assert event.unit_id == samsat.id
        assert event.before == {"flags": ["suspicious"]}
        assert event.after == {"flags": ["excluded", "suspicious"]}

    restored = _decide(manager, BURST.unit, ids, "Keliru: rombongan sekolah yang asli", "restore")
    assert restored.status_code == 303
    assert _figures(db) == (flagged_with, flagged_without)  # exactly, to the last digit
    assert _responses_by_state(db)[FLAG_SUSPICIOUS] == BURST.count
    assert FLAG_EXCLUDED not in _responses_by_state(db)
    _assert_rollup_equals_rebuild(db)
    restores = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "restore")).all()
    assert len(restores) == BURST.count
    assert {event.reason for event in restores} == {"Keliru: rombongan sekolah yang asli"}


def test_flask_demo_load_flags_the_planted_burst(runner, db):
    result = runner.invoke(args=["demo", "load", "--today", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "Pemeriksaan lonjakan: 40 respons ditandai mencurigakan" in result.output
    assert set(db.session.scalars(select(ResponseFlag.response_id))) == _burst_ids(db)


# --- one unit, responses made here ---------------------------------------------------------------

START = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)  # 10:00 WITA


@pytest.fixture
def people(db):
    return cast(db)


def _add(db, code: str, times, answer=4, **extra) -> list[int]:
    touchpoint = db.session.scalars(select(Touchpoint).where(Touchpoint.public_code == code)).one()
    instrument = default_instrument(db.session)
    rows = [Response(instrument=instrument, channel="counter_qr", touchpoint_id=touchpoint.id,
                     unit_id=touchpoint.unit_id, counter_id=touchpoint.counter_id,
                     submitted_at=moment, **{f"u{j}": answer for j in range(1, 10)}, **extra)
            for moment in times]
    db.session.add_all(rows)
    db.session.flush()
    return [row.id for row in rows]


def _flag(db, ids, reason="uji: ditandai"):
    for rid in ids:
        db.session.add(ResponseFlag(response_id=rid, kind="suspicious", reason=reason))
    db.session.commit()
    rollup.rebuild(db.session)
    db.session.commit()


def test_bursts_are_grouped_by_place_and_gap(db, people):
    morning = _add(db, people.names["counter_code"], [START + timedelta(minutes=i) for i in range(6)])
    afternoon = _add(db, people.names["counter_code"],
                     [START + timedelta(hours=4, minutes=i) for i in range(3)])
    personal = _add(db, people.names["personal_code"], [START + timedelta(minutes=2)])
    clean = _add(db, people.names["counter_code"], [START + timedelta(minutes=30)])
    _flag(db, morning + afternoon + personal)
    review = flag_review.flagged_bursts(db.session, [people.unit.unit.id], "Asia/Makassar")
    groups = [[row.id for row in burst.responses] for burst in review.bursts]
    assert groups == [afternoon, personal, morning]  # newest first; the clean one in none
    assert clean[0] not in {rid for group in groups for rid in group}
    assert review.bursts[-1].first.submitted_at.strftime("%H:%M %Z") == "10:00 WITA"


def test_one_response_is_excluded_alone_and_repeats_change_nothing(app, db, people):
    ids = _add(db, people.names["counter_code"], [START + timedelta(minutes=i) for i in range(3)])
    _flag(db, ids)
    manager = client_as(app, "manager")
    assert _decide(manager, "dukcapil", [ids[1]], "Satu respons uji", "exclude").status_code == 303
    page = manager.get("/admin/unit/dukcapil/tanda").text
    assert "1 dari 3 dikecualikan" in page and "Dikecualikan: Satu respons uji" in page
    assert _decide(manager, "dukcapil", [ids[1]], "Lagi", "exclude").status_code == 303
    assert _decide(manager, "dukcapil", [ids[0]], "Belum dikecualikan", "restore").status_code == 303
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "response")).all()
    assert [(e.action, e.entity_id) for e in events] == [("exclude", ids[1])]  # repeats: no row
    # A manager of the parent unit reviews its sub-unit too, from the parent's page.
    assert manager.get("/admin/unit/dukcapil-kec/tanda").status_code == 200


@pytest.mark.parametrize("data, message", [
    ({"reason": "Alasan cukup", "exclude": "1"}, "Pilih sedikitnya satu respons."),
    ({"ids": ["{own}"], "reason": "  ", "exclude": "1"}, "Tuliskan alasan keputusan ini."),
    ({"ids": ["{own}"], "reason": "x" * 501, "exclude": "1"}, "Alasan harus 3 sampai 500 karakter."),
    ({"ids": ["{own}"], "reason": "Alasan cukup"}, "Pilih Kecualikan atau Pulihkan."),
    ({"ids": ["abc"], "reason": "Alasan cukup", "exclude": "1"}, "Nomor respons tidak sah."),
    ({"ids": ["9" * 40], "reason": "Alasan cukup", "exclude": "1"}, "Nomor respons tidak sah."),
    ({"ids": ["-1"], "reason": "Alasan cukup", "exclude": "1"}, "Nomor respons tidak sah."),
    ({"ids": ["1"] * 1001, "reason": "Alasan cukup", "exclude": "1"},
     "Paling banyak 1000 respons per keputusan."),
    ({"ids": ["{own}", "{other}"], "reason": "Alasan cukup", "exclude": "1"},
     "bukan respons bertanda unit ini"),
    ({"ids": ["{clean}"], "reason": "Alasan cukup", "exclude": "1"},
     "bukan respons bertanda unit ini"),
    ({"ids": ["999999999"], "reason": "Alasan cukup", "restore": "1"},
     "bukan respons bertanda unit ini"),
])
def test_bad_decisions_are_refused_with_a_message_and_change_nothing(app, db, people, data,
                                                                      message):
    own = _add(db, people.names["counter_code"], [START])
    clean = _add(db, people.names["counter_code"], [START + timedelta(hours=3)])
    other_unit = people.other
    instrument = default_instrument(db.session)
    foreign = Response(instrument=instrument, channel="paper", unit_id=other_unit.id,
                       submitted_at=START, u1=1)
    db.session.add(foreign)
    db.session.flush()
    _flag(db, own + [foreign.id])
    names = {"own": own[0], "other": foreign.id, "clean": clean[0]}
    data = {key: [v.format(**names) for v in value] if isinstance(value, list) else value
            for key, value in data.items()}
    manager = client_as(app, "manager")
    token = hidden_fields(manager.get("/admin/unit/dukcapil/tanda").text)["csrf_token"]
    answer = manager.post("/admin/unit/dukcapil/tanda/keputusan",
                          data={"csrf_token": token, **data})
    assert answer.status_code == 400
    assert message in answer.text
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity == "response")) == 0
    assert db.session.scalar(select(func.count()).where(ResponseFlag.kind == "excluded")) == 0


def test_another_units_manager_cannot_decide_on_this_unit(app, db, people):
    ids = _add(db, people.names["counter_code"], [START])
    _flag(db, ids)
    other = client_as(app, "other_manager")
    token = hidden_fields(other.get("/auth/masuk").text)["csrf_token"]
    refused = other.post("/admin/unit/dukcapil/tanda/keputusan",
                         data={"csrf_token": token, "ids": [str(ids[0])], "reason": "Bukan unit saya",
                               "exclude": "1"})
    assert refused.status_code == 403
    # ... nor through their own unit's page, naming this unit's response.
    sideways = other.post("/admin/unit/dukcapil-lain/tanda/keputusan",
                          data={"csrf_token": token, "ids": [str(ids[0])],
                                "reason": "Bukan unit saya", "exclude": "1"})
    assert sideways.status_code == 400
    assert db.session.scalar(select(func.count()).where(ResponseFlag.kind == "excluded")) == 0


def test_a_flagged_response_still_queued_is_counted_by_the_fold_under_its_decision(db, people):
    ids = _add(db, people.names["counter_code"], [START])
    db.session.add(ResponseFlag(response_id=ids[0], kind="suspicious", reason="uji"))
    db.session.execute(rollup.PENDING.insert().values(response_id=ids[0]))
    db.session.commit()
    flag_review.decide(db.session, None, [people.unit.unit.id], ids, exclude=True, reason="uji")
    rollup.fold_pending(db.session)
    db.session.commit()
    assert _responses_by_state(db) == {FLAG_EXCLUDED: 1}
    assert FLAG_CLEAN not in _responses_by_state(db)
    _assert_rollup_equals_rebuild(db)
