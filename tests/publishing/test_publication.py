"""Publishing a unit's results (issue 14, DESIGN §6): the snapshot's figures equal `compute_ikm`
over the raw answers; small counts are suppressed in it (primary, secondary, cascade) so no
format made from it can show them; no officer appears; the draft is frozen, reviewed for 10
working days, then published; later responses change nothing public; a correction is a new
version with its reason beside the old one; every step is in the audit log."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from analysis import compute_ikm
from surveys.errors import InvalidPeriod, NotAllowed, PublicationRefused
from surveys.models import AuditEvent, Instrument, Population, Response, Service, Unit
from surveys.publishing import reads, service
from surveys.periods import after_working_days
from surveys.reporting import rollup
from tests.access.cast import cast
from tests.evaluations.coworker_data import user

PERIOD = "2026-Q3"
PREPARED = datetime(2026, 10, 2, 1, 0, tzinfo=UTC)  # Friday 2 October, 09:00 WITA
UNSUR = [f"u{j}" for j in range(1, 10)]


def respond(db, unit: Unit, service_row: Service | None, count: int, level: float, seed: int,
            staff=None, start=datetime(2026, 7, 6, 2, tzinfo=UTC)) -> pd.DataFrame:
    """`count` responses to `unit` (and `service_row`), answers around `level`; the answers."""
    rng = np.random.default_rng(seed)
    instrument = db.session.scalars(select(Instrument)).first()
    rows = []
    for i in range(count):
        answers = {u: int(min(4, max(1, round(rng.normal(level, 0.7))))) for u in UNSUR}
        db.session.add(Response(instrument=instrument, channel="paper", unit_id=unit.id,
                                service_id=service_row.id if service_row else None,
                                staff_id=staff.id if staff else None,
                                submitted_at=start + timedelta(hours=5 * i), **answers))
        rows.append(answers)
    db.session.commit()
    rollup.rebuild(db.session)
    db.session.commit()
    return pd.DataFrame(rows).rename(columns=str.upper)


@pytest.fixture
def office(db):
    """The cast's unit with four services (30, 12, 3 and 0 respondents, the 12 naming an
    officer) and its sub-unit (6), 400 service users; the sub-unit's own service has 6."""
    people = cast(db)
    unit, sub = people.unit.unit, people.sub
    ktp, kk = people.unit.services
    akta = Service(unit=unit, code="akta", name="Akta Kelahiran")
    pindah = Service(unit=unit, code="pindah", name="Surat Pindah")
    kec = Service(unit=sub, code="kec-ktp", name="KTP-el Kecamatan")
    db.session.add_all([akta, pindah, kec, Population(unit_id=unit.id, period=PERIOD, size=400)])
    db.session.commit()
    people.answers = pd.concat([
        respond(db, unit, ktp, 30, 3.2, 1),
        respond(db, unit, kk, 12, 2.8, 2, staff=people.evaluated),
        respond(db, unit, akta, 3, 3.5, 3),
        respond(db, sub, kec, 6, 3.0, 4),
    ], ignore_index=True)
    people.code = unit.code
    return people


def prepared(db, people, now=PREPARED):
    row = service.prepare(db.session, user(db, "manajer"), people.unit.unit, PERIOD, now)
    db.session.commit()
    return row


def test_the_snapshot_index_equals_compute_ikm_over_the_raw_answers(db, office):
    snapshot = prepared(db, office).snapshot
    expected = compute_ikm(office.answers, population=400)
    index = snapshot["index"]
    assert snapshot["respondents"] == expected.n == 51
    assert index["ikm"] == expected.ikm
    assert index["ikm_exact"] == pytest.approx(expected.ikm_exact, abs=1e-4)
    assert index["ci95"] == pytest.approx(list(expected.ci95), abs=1e-4)
    assert (index["mutu"], index["grade"]) == (expected.mutu, expected.grade)
    assert [u["nrr"] for u in index["unsur"]] == pytest.approx(
        [u.nrr for u in expected.unsur], abs=1e-4)
    # 51 respondents: shown with a caution (under 100) and below the Krejcie–Morgan target (196).
    assert (index["caution"], index["below_target"], snapshot["target"]) == (True, True, 196)


def test_small_counts_are_suppressed_in_the_snapshot_itself(db, office):
    snapshot = prepared(db, office).snapshot
    services = {row["name"]: row for row in snapshot["services"]}
    # 3 by count; 12 (the next smallest above zero among the unit's own services, whose part
    # is the total less the sub-unit: 51 - 6 = 45) so that part cannot give it away.
    assert services["Akta Kelahiran"]["n"] == "*" and services["Akta Kelahiran"]["index"] is None
    assert services["Kartu Keluarga"]["n"] == "*"
    assert services["Surat Pindah"]["n"] == 0
    # The sub-unit's only service has the sub-unit's 6: it gives nothing away.
    assert (services["KTP-el Kecamatan"]["n"], services["KTP-el"]["n"]) == (6, 30)
    assert services["KTP-el"]["index"]["ikm"] == compute_ikm(office.answers.iloc[:30]).ikm
    # The sub-unit alone under the unit: 6 is shown (more than 4) but too few for an index.
    [sub] = snapshot["sub_units"]
    assert (sub["n"], sub["index"]) == (6, None)
    text = json.dumps(snapshot)
    for secret in (office.evaluated.name, office.evaluated.nip, office.own.name):
        assert secret not in text


def test_a_draft_is_frozen_reviewed_for_ten_working_days_then_published(db, office):
    row = prepared(db, office)
    assert row.review_until == date(2026, 10, 16)  # ten working days after Friday 2 October
    assert reads.current(db.session, office.unit.unit, PERIOD) is None  # nothing public yet
    frozen = dict(row.snapshot)
    respond(db, office.unit.unit, office.unit.services[0], 40, 1.5, 9)
    db.session.refresh(row)
    assert row.snapshot == frozen

    manager = user(db, "manajer")
    service.remark(db.session, manager, row, "Angka layanan akta sesuai buku register.",
                   datetime(2026, 10, 16, 8, tzinfo=UTC))
    with pytest.raises(PublicationRefused) as refused:
        service.publish(db.session, manager, row, datetime(2026, 10, 16, 8, tzinfo=UTC))
    assert refused.value.code == "in_review"
    with pytest.raises(PublicationRefused) as late:
        service.remark(db.session, manager, row, "Terlambat.", datetime(2026, 10, 17, 1, tzinfo=UTC))
    assert late.value.code == "review_closed"
    service.publish(db.session, manager, row, datetime(2026, 10, 17, 1, tzinfo=UTC))
    db.session.commit()
    public = reads.current(db.session, office.unit.unit, PERIOD)
    assert public.id == row.id and public.snapshot == frozen
    assert [c.body for c in public.comments] == ["Angka layanan akta sesuai buku register."]

    respond(db, office.unit.unit, office.unit.services[1], 30, 1.2, 10)  # after publishing
    assert reads.current(db.session, office.unit.unit, PERIOD).snapshot == frozen
    with pytest.raises(PublicationRefused) as again:
        prepared(db, office)
    assert again.value.code == "published"


def test_a_correction_is_a_new_version_and_the_old_one_stays(db, office):
    manager = user(db, "manajer")
    row = prepared(db, office)
    service.publish(db.session, manager, row, datetime(2026, 10, 20, tzinfo=UTC))
    db.session.commit()
    first = dict(row.snapshot)
    respond(db, office.unit.unit, office.unit.services[0], 40, 1.5, 11)  # late paper forms
    with pytest.raises(PublicationRefused) as blank:
        service.correct(db.session, manager, row, "  ", datetime(2026, 10, 21, tzinfo=UTC))
    assert (blank.value.code, blank.value.field) == ("required", "reason")
    new = service.correct(db.session, manager, row, "Formulir kertas loket 2 terlambat dientri.",
                          datetime(2026, 10, 21, tzinfo=UTC))
    db.session.commit()
    old = [v for v in service.versions(db.session, office.unit.unit, PERIOD) if v.version == 1][0]
    assert (new.version, new.status, new.supersedes_id) == (2, "published", old.id)
    assert (old.status, old.snapshot) == ("superseded", first)
    assert new.snapshot["respondents"] == 91 != first["respondents"]
    assert reads.current(db.session, office.unit.unit, PERIOD).id == new.id
    actions = list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity == "publication").order_by(AuditEvent.id)))
    assert actions == ["prepare", "publish", "supersede", "correct"]


def test_only_the_units_managers_publish_and_bad_input_is_refused(db, office):
    with pytest.raises(NotAllowed):
        service.prepare(db.session, user(db, "manajer.lain"), office.unit.unit, PERIOD, PREPARED)
    with pytest.raises(InvalidPeriod):
        service.prepare(db.session, user(db, "manajer"), office.unit.unit, "2026-Q9", PREPARED)
    row = prepared(db, office)
    for body, code in (("", "required"), ("a\x00b", "control"), ("x" * 2001, "too_long")):
        with pytest.raises(PublicationRefused) as refused:
            service.remark(db.session, user(db, "manajer"), row, body, PREPARED)
        assert refused.value.code == code
    with pytest.raises(NotAllowed):
        service.publish(db.session, user(db, "manajer.lain"), row,
                        datetime(2026, 12, 1, tzinfo=UTC))


@pytest.mark.parametrize(("day", "days", "expected"), [
    (date(2026, 10, 2), 10, date(2026, 10, 16)),  # Friday → Friday two weeks on
    (date(2026, 10, 3), 1, date(2026, 10, 5)),  # Saturday → Monday
    (date(2026, 10, 5), 5, date(2026, 10, 12)),  # Monday → next Monday
    (date(2026, 10, 5), 0, date(2026, 10, 5)),
])
def test_working_days_skip_weekends(day, days, expected):
    assert after_working_days(day, days) == expected
