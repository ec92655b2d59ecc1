"""Every period parser answers hostile or edge-of-calendar periods (years 0, 1, 9999, arbitrary
text, arbitrary year and month numbers) with a clear 400 or message, never a 500 (issue 15,
point 5): the public unit page, both API GETs that take `?period=`, `flask stats report`
(`--period`, `--from`/`--to`) and `flask responses import --period`. Property-based
(hypothesis), on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from surveys.periods import InvalidPeriod, Period

EDGES = ["0000", "0001", "9999", "0000-Q1", "0001-01", "9999-12", "9999-Q4", "9999-S2",
         "1999-12", "2100-12", "2101", "٢٠٢٦", "2026-Q3\n", " 2026 ", "+2026", "2026-7"]
numbers = st.integers(-10**6, 10**6)
formatted = st.one_of(
    st.builds(lambda y: f"{y:04d}", numbers),
    st.builds(lambda y, k: f"{y:04d}-S{k}", numbers, numbers),
    st.builds(lambda y, k: f"{y:04d}-Q{k}", numbers, numbers),
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", numbers, numbers),
)
periods = st.one_of(st.sampled_from(EDGES), formatted,
                    st.text(st.characters(codec="utf-8"), max_size=20))
FAST = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _accepted(code: str) -> bool:
    try:
        Period.parse(code)
    except InvalidPeriod:
        return False
    return True


@pytest.mark.parametrize("code", ["0000", "0001", "9999", "9999-12", "9999-Q4", "0001-01",
                                  "1999-12", "2101", "٢٠٢٦"])
def test_years_outside_the_sane_range_are_refused_with_a_clear_message(code):
    with pytest.raises(InvalidPeriod, match="2000|unknown period"):
        Period.parse(code)


@pytest.mark.parametrize("code", ["2000", "2100-12", "2100-Q4", "2026-Q3\n"])
def test_the_edges_of_the_range_have_utc_bounds(code):
    period = Period.parse(code)
    start, end = period.utc_bounds("Asia/Jayapura")
    assert start < end


@FAST
@given(period=periods)
def test_the_public_unit_page_never_fails_on_a_period(client, unit, period):
    page = client.get(f"/unit/{unit.unit.code}", query_string={"periode": period})
    event(f"status {page.status_code}")
    expected = 200 if not period or _accepted(period) else 400
    assert page.status_code == expected, page.text[:300]
    if expected == 400:
        assert "Periode tidak dikenal" in page.text


@FAST
@given(period=periods)
def test_the_public_indices_api_never_fails_on_a_period(client, unit, period):
    answer = client.get(f"/api/v1/public/units/{unit.unit.code}/indices",
                        query_string={"period": period})
    expected = 200 if not period or _accepted(period) else 400
    assert (answer.status_code, answer.mimetype) == (expected, "application/json"), answer.text
    if expected == 400:
        assert answer.json["error"] == "invalid_period" and "2026-Q3" in answer.json["message"]


@FAST
@given(period=periods)
def test_the_staff_satisfaction_api_never_fails_on_a_period(client, unit, api_key, period):
    answer = client.get(f"/api/v1/staff/{unit.officers[0].nip}/satisfaction",
                        query_string={"period": period}, headers={"X-API-Key": api_key})
    expected = 200 if not period or _accepted(period) else 400
    assert (answer.status_code, answer.mimetype) == (expected, "application/json"), answer.text
    if expected == 400:
        assert answer.json["error"] == "invalid_period"


days = st.one_of(st.sampled_from(["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"]),
                 st.dates().map(lambda d: d.isoformat()),
                 st.text(st.characters(codec="utf-8"), min_size=1, max_size=12))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(period=periods, first=days, last=days)
def test_flask_stats_report_refuses_bad_periods_with_a_message(runner, unit, period, first, last):
    for args in (["--period", period], ["--from", first, "--to", last]):
        result = runner.invoke(args=["stats", "report", "--unit", unit.unit.code, *args])
        assert result.exit_code in (0, 1, 2), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args, repr(result.exception))
        if result.exit_code != 0:
            assert "Error:" in result.output


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(period=periods)
def test_a_paper_import_refuses_bad_periods_with_a_message(runner, unit, tmp_path, period):
    sheet = tmp_path / "kertas.csv"
    sheet.write_text("U1,U2,U3,U4,U5,U6,U7,U8,U9\n3,3,3,3,3,3,3,3,3\n", encoding="utf-8")
    result = runner.invoke(args=["responses", "import", str(sheet), "--unit", unit.unit.code,
                                 "--period", period])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        period, repr(result.exception))
    assert result.exit_code == 0 or "Error:" in result.output
    if not _accepted(period):
        assert result.exit_code != 0 and "periode" in result.output
