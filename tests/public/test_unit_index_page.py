"""The public index page of a unit: the official figure, its interval, and suppression of thin samples."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from surveys.responses.instruments import default_instrument
from surveys.models import Population, Response, ResponseFlag, Unit
from tests.analysis.worked_example import worked_example_rows as example_frame
from tests.factories import make_unit

IN_Q3 = datetime(2026, 8, 14, 2, 0, tzinfo=UTC)  # 10:00 WITA


def worked_example_rows() -> list[dict[str, int]]:
    """The issue's worked example (published IKM 91.48) as response column values."""
    frame = example_frame()
    return [{code.lower(): int(value) for code, value in row.items()} for _, row in frame.iterrows()]


def add_responses(session, unit: Unit, rows, when=IN_Q3) -> list[Response]:
    instrument = default_instrument(session)
    responses = [
        Response(instrument=instrument, channel="paper", unit=unit, submitted_at=when + timedelta(minutes=i), **row)
        for i, row in enumerate(rows)
    ]
    session.add_all(responses)
    session.commit()
    return responses


@pytest.fixture
def unit(db):
    return make_unit(db.session).unit


def test_worked_example_shows_the_official_index_and_its_interval(client, db, unit):
    add_responses(db.session, unit, worked_example_rows())
    page = client.get(f"/unit/{unit.code}?periode=2026-Q3")
    assert page.status_code == 200
    assert "91.48 · A (Sangat Baik)" in page.text
    assert "dari 29 responden" in page.text


def test_a_sub_unit_counts_in_its_parent_from_its_respondents(client, db, unit):
    child = Unit(organization=unit.organization, parent=unit, code="dukcapil-kec", name="UPT Kecamatan",
                 timezone=unit.timezone)
    db.session.add(child)
    rows = worked_example_rows()
    add_responses(db.session, unit, rows[:10])
    add_responses(db.session, child, rows[10:])
    page = client.get(f"/unit/{unit.code}?periode=2026-Q3")
    assert "91.48 · A" in page.text  # the same 29 respondents, not an average of two indices


def test_thin_samples_are_suppressed(client, db, unit):
    add_responses(db.session, unit, worked_example_rows()[:9])
    page = client.get(f"/unit/{unit.code}?periode=2026-Q3")
    assert page.status_code == 200
    assert "Belum cukup responden" in page.text
    assert 'id="ikm"' not in page.text


def test_excluded_responses_do_not_count_and_population_gives_the_sample_target(client, db, unit):
    responses = add_responses(db.session, unit, worked_example_rows())
    extra = add_responses(db.session, unit, [{f"u{j}": 1 for j in range(1, 10)}] * 5)
    db.session.add_all(ResponseFlag(response=r, kind="excluded", reason="uji") for r in extra)
    db.session.add(Population(unit_id=unit.id, period="2026-Q3", size=1000))
    db.session.commit()
    page = client.get(f"/unit/{unit.code}?periode=2026-Q3")
    assert "91.48" in page.text and "dari 29 responden" in page.text
    assert "sampel minimal (Krejcie–Morgan) 278" in page.text
    assert len(responses) == 29


def test_period_is_the_calendar_quarter_in_the_units_time_zone(client, db, unit):
    # 30 September 16:30 UTC is 1 October 00:30 in Kupang (WITA): it belongs to Q4, not Q3.
    add_responses(db.session, unit, worked_example_rows(), when=datetime(2026, 9, 30, 16, 30, tzinfo=UTC))
    assert "Belum cukup responden" in client.get(f"/unit/{unit.code}?periode=2026-Q3").text
    assert "91.48" in client.get(f"/unit/{unit.code}?periode=2026-Q4").text


def test_unknown_unit_and_bad_period_get_clear_pages(client, unit):
    assert client.get("/unit/tidak-ada").status_code == 404
    bad = client.get(f"/unit/{unit.code}?periode=2026-Q9")
    assert bad.status_code == 400
    assert "Periode tidak dikenal" in bad.text
