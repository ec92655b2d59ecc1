"""The public index page of a unit shows the published snapshot, which is read from the daily
roll-up when the period is prepared: the official figure and its interval, sub-units counted from
their respondents, "excluded" responses left out, thin samples suppressed inside the snapshot, the
period in the unit's time zone; the page still folds the roll-up queue (upkeep), yet shows none of
it until the next publication (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sqlalchemy import func, select

from analysis import compute_ikm
from surveys.models import Population, Response, ResponseFlag, RollupPending, Unit
from surveys.reporting import rollup
from surveys.responses.instruments import default_instrument
from surveys.responses.submission import submit_response
from tests.analysis.worked_example import worked_example_rows as example_frame
from tests.factories import make_unit
from tests.public.published import prepare, publish
from tests.rollup.raw import UNSUR, raw_frame
from tests.rollup.test_kept_current import _snapshot

IN_Q3 = datetime(2026, 8, 14, 2, 0, tzinfo=UTC)  # 10:00 WITA


def worked_example_rows() -> list[dict[str, int]]:
    """The issue's worked example (published IKM 91.48) as response column values."""
    frame = example_frame()
    return [{code.lower(): int(value) for code, value in row.items()} for _, row in frame.iterrows()]


def add_responses(session, unit: Unit, rows, when=IN_Q3) -> list[Response]:
    """Responses added as a bulk load adds them, then the roll-up rebuilt (as the load does)."""
    instrument = default_instrument(session)
    responses = [
        Response(instrument=instrument, channel="paper", unit=unit, submitted_at=when + timedelta(minutes=i), **row)
        for i, row in enumerate(rows)
    ]
    session.add_all(responses)
    rollup.rebuild(session)
    session.commit()
    return responses


def queued(session) -> int:
    return session.scalar(select(func.count()).select_from(RollupPending))


@pytest.fixture
def units(db):
    return make_unit(db.session)


@pytest.fixture
def unit(units):
    return units.unit




def test_worked_example_shows_the_official_index_and_its_interval(client, db, unit):
    add_responses(db.session, unit, worked_example_rows())
    publish(db, unit, "2026-Q3")
    page = client.get(f"/unit/{unit.code}?periode=2026-Q3")
    assert page.status_code == 200
    assert "91.48 · A (" in page.text and "Sangat Baik" in page.text
    assert "Jumlah responden: 29" in page.text
    assert "Interval kepercayaan 95%: " in page.text


def test_a_sub_unit_counts_in_its_parent_from_its_respondents(client, db, unit):
    child = Unit(organization=unit.organization, parent=unit, code="dukcapil-kec", name="UPT Kecamatan",
                 timezone=unit.timezone)
    db.session.add(child)
    rows = worked_example_rows()
    add_responses(db.session, unit, rows[:10])
    add_responses(db.session, child, rows[10:])
    publish(db, unit, "2026-Q3")
    page = client.get(f"/unit/{unit.code}?periode=2026-Q3")
    assert "91.48 · A" in page.text  # the same 29 respondents, not an average of two indices
    assert "UPT Kecamatan</th><td>19</td>" in page.text  # the sub-unit's own row


def test_thin_samples_are_suppressed_in_the_snapshot(client, db, unit):
    """Under 10 respondents no index is published; 1–4 respondents are not even counted."""
    add_responses(db.session, unit, worked_example_rows()[:9])
    publish(db, unit, "2026-Q3")
    page = client.get(f"/unit/{unit.code}?periode=2026-Q3")
    assert page.status_code == 200
    assert "Indeks tidak ditampilkan: kurang dari 10 responden." in page.text
    assert "Jumlah responden: 9" in page.text and 'id="ikm"' not in page.text
    add_responses(db.session, unit, worked_example_rows()[:3],
                  when=datetime(2026, 11, 2, 2, tzinfo=UTC))
    publish(db, unit, "2026-Q4")
    page = client.get(f"/unit/{unit.code}?periode=2026-Q4")
    assert "Jumlah responden: *" in page.text and 'id="ikm"' not in page.text
    assert client.get(f"/unit/{unit.code}/2026-Q4.json").json["snapshot"]["respondents"] == "*"


def test_excluded_responses_do_not_count_and_population_gives_the_sample_target(client, db, unit):
    responses = add_responses(db.session, unit, worked_example_rows())
    extra = add_responses(db.session, unit, [{f"u{j}": 1 for j in range(1, 10)}] * 5)
    for response in extra:  # flagged as the review does: the roll-up moves each response
        before = rollup.flag_state_of(db.session, response.id)
        db.session.add(ResponseFlag(response=response, kind="excluded", reason="uji"))
        rollup.refresh_flags(db.session, response, before)
    db.session.add(Population(unit_id=unit.id, period="2026-Q3", size=1000))
    db.session.commit()
    publish(db, unit, "2026-Q3")
    page = client.get(f"/unit/{unit.code}?periode=2026-Q3")
    assert "91.48" in page.text and "Jumlah responden: 29" in page.text
    assert "sampel minimal (Krejcie–Morgan) 278 dari 1000 pengguna layanan" in page.text
    assert "Catatan mutu data" in page.text  # 29 of the 278 needed
    assert len(responses) == 29


def test_period_is_the_calendar_quarter_in_the_units_time_zone(client, db, unit):
    # 30 September 16:30 UTC is 1 October 00:30 in Kupang (WITA): it belongs to Q4, not Q3.
    add_responses(db.session, unit, worked_example_rows(), when=datetime(2026, 9, 30, 16, 30, tzinfo=UTC))
    publish(db, unit, "2026-Q3")
    publish(db, unit, "2026-Q4")
    q3 = client.get(f"/unit/{unit.code}?periode=2026-Q3").text
    assert "Jumlah responden: 0" in q3 and 'id="ikm"' not in q3
    assert "91.48" in client.get(f"/unit/{unit.code}?periode=2026-Q4").text


def test_unknown_unit_and_bad_period_get_clear_pages(client, unit):
    assert client.get("/unit/tidak-ada").status_code == 404
    bad = client.get(f"/unit/{unit.code}?periode=2026-Q9")
    assert bad.status_code == 400
    assert "Periode tidak dikenal" in bad.text


def test_a_view_folds_the_queue_but_shows_only_what_was_published(client, db, units, unit):
    """100 citizens' submissions are only queued; one view of the page folds them all (its one
    write, upkeep) and leaves the roll-up equal to a rebuild, but shows "tidak ada data" until
    the period is published; the snapshot then holds the index of all 100."""
    default_instrument(db.session)
    db.session.commit()
    for i in range(100):
        form = {f"U{j}": str(1 + (i * j + i // 7) % 4) for j in range(1, 10)}
        submit_response(db.session, units.counter_code, form, submission_key=f"view-{i:04d}-abcdefgh",
                        now=IN_Q3 + timedelta(minutes=i))
    db.session.commit()
    assert queued(db.session) == 100
    page = client.get(f"/unit/{unit.code}?periode=2026-Q3")
    assert page.status_code == 200
    assert "Tidak ada data." in page.text and 'id="ikm"' not in page.text
    db.session.expire_all()
    assert queued(db.session) == 0
    folded = _snapshot(db)
    rollup.rebuild(db.session)
    db.session.commit()
    assert _snapshot(db) == folded
    draft = prepare(db, unit, "2026-Q3")
    expected = compute_ikm(raw_frame(db.session)[UNSUR])
    assert (draft.snapshot["respondents"], draft.snapshot["index"]["ikm"]) == (100, expected.ikm)
    assert "Tidak ada data." in client.get(f"/unit/{unit.code}?periode=2026-Q3").text  # a draft


def test_a_refused_period_writes_nothing(client, db, units, unit):
    default_instrument(db.session)
    submit_response(db.session, units.counter_code, {f"U{j}": "3" for j in range(1, 10)},
                    submission_key="refused-period-abcdefgh")
    db.session.commit()
    assert client.get(f"/unit/{unit.code}?periode=2026-Q9").status_code == 400
    assert queued(db.session) == 1
