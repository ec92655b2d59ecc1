"""IKU realisation against independent computations on controlled data: the IKM and its interval
as `flask skm compute` gives them for the same respondents (with the population's finite-
population correction), the waiting share with statsmodels' Wilson interval, the respondents
against the Krejcie–Morgan table; excluded responses out, sub-units in; met and certain at the
boundary; no data gives the reason, never an error."""
from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest
from sqlalchemy import delete
from statsmodels.stats.proportion import proportion_confint

from analysis import round_half_up
from surveys.evaluations.iku import realisation
from surveys.models import IkuTarget, Population
from tests.evaluations.iku_data import PERIOD, Q3_START, UNSUR, add_responses, iku_data, refresh


def _target(db, unit, indicator: str, value: float = 80, period: str = PERIOD) -> IkuTarget:
    target = IkuTarget(unit_id=unit.id, unit=unit, period=period, indicator=indicator,
                       target=value)
    db.session.add(target)
    db.session.commit()
    return target


def _shown(value: float) -> float:
    return float(round_half_up(value))


def _skm_compute(runner, tmp_path, rows: list[dict], population: int | None) -> dict:
    """`flask skm compute --json` on the same respondents, written as the CSV it reads."""
    path = tmp_path / "responses.csv"
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow([code.upper() for code in UNSUR])
        writer.writerows([["" if row[code] is None else row[code] for code in UNSUR]
                          for row in rows])
    args = ["skm", "compute", str(path), "--json"]
    if population is not None:
        args += ["--population", str(population)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("population", [1000, None])
def test_ikm_and_interval_are_those_of_skm_compute_on_the_counted_respondents(
        db, runner, tmp_path, population):
    data = iku_data(db, population=population)
    expected = _skm_compute(runner, tmp_path, data.counted, population)

    got = realisation(db.session, _target(db, data.unit, "ikm", 70))

    # 100 respondents: the unit's 70 and its sub-unit's 30; excluded, Q2 and other-unit left out.
    assert got.n == expected["n"] == 100
    assert got.value == _shown(expected["ikm_exact"])
    assert got.ci95 == tuple(_shown(bound) for bound in expected["ci95"])
    assert got.problem is None and got.met and got.certain


def test_the_population_narrows_the_ikm_interval_by_the_finite_population_correction(db):
    data = iku_data(db, population=120)  # 100 of 120 service users answered
    target = _target(db, data.unit, "ikm", 70)
    corrected = realisation(db.session, target)
    db.session.execute(delete(Population))
    db.session.commit()
    uncorrected = realisation(db.session, target)

    assert corrected.value == uncorrected.value
    half = (corrected.ci95[1] - corrected.ci95[0]) / 2
    half_without = (uncorrected.ci95[1] - uncorrected.ci95[0]) / 2
    # Linearised t interval: the half-width scales by sqrt(1 - n/N) (to display rounding).
    assert half == pytest.approx(half_without * (1 - 100 / 120) ** 0.5, abs=0.01)


def test_waiting_share_and_its_wilson_interval_match_statsmodels(db):
    data = iku_data(db)
    bands = [row["waiting_band"] for row in data.counted if row["waiting_band"] is not None]
    quick = sum(band == 1 for band in bands)
    low, high = proportion_confint(quick, len(bands), alpha=0.05, method="wilson")

    got = realisation(db.session, _target(db, data.unit, "waiting", 80))

    assert got.n == len(bands) and 60 < len(bands) < 100  # blanks left out of the denominator
    assert got.value == _shown(100 * quick / len(bands))
    assert got.ci95 == (_shown(100 * low), _shown(100 * high))


def test_responses_against_the_krejcie_morgan_table(db):
    data = iku_data(db, population=1000)  # the table: N = 1000 needs 278 respondents
    hand = 3.841 * 1000 * 0.25 / (0.05**2 * 999 + 3.841 * 0.25)
    assert round(hand) == 278

    got = realisation(db.session, _target(db, data.unit, "responses", 30))

    assert got.n == 100
    assert got.value == _shown(100 * 100 / 278) == 35.97
    assert got.ci95 is None and got.met and got.certain  # a count, no sampling uncertainty


def test_a_sub_unit_target_counts_only_the_sub_unit(db):
    data = iku_data(db)
    sub_rows = data.counted[70:]
    got = realisation(db.session, _target(db, data.sub, "waiting", 50))
    bands = [row["waiting_band"] for row in sub_rows if row["waiting_band"] is not None]
    assert got.n == len(bands)
    assert got.value == _shown(100 * sum(b == 1 for b in bands) / len(bands))


def test_met_and_certain_at_the_boundary(db):
    data = iku_data(db)
    target = _target(db, data.unit, "ikm", 80)
    value, (low, high) = realisation(db.session, target).value, realisation(db.session, target).ci95

    def judged(goal: float):
        target.target = goal
        db.session.commit()
        got = realisation(db.session, target)
        return got.met, got.certain

    assert judged(value) == (True, False)  # equal to the target: met, interval straddles it
    assert judged(float(Decimal(str(value)) + Decimal("0.01"))) == (False, False)
    assert judged(low) == (True, True)  # the whole interval at or above the target
    assert judged(float(Decimal(str(low)) + Decimal("0.01"))) == (True, False)
    assert judged(float(Decimal(str(high)) + Decimal("0.01"))) == (False, True)
    assert judged(high) == (False, False)

    responses = _target(db, data.unit, "responses", 35.97)  # exactly the realisation
    got = realisation(db.session, responses)
    assert (got.value, got.met, got.certain) == (35.97, True, True)


def test_one_respondent_has_no_interval_and_is_never_certain(db):
    data = iku_data(db, population=None)
    add_responses(db, data.unit, [{**dict.fromkeys(UNSUR, 3), "waiting_band": 1}],
                  Q3_START.replace(month=10))
    refresh(db)
    got = realisation(db.session, _target(db, data.unit, "ikm", 50, period="2026-10"))
    assert (got.n, got.value, got.ci95, got.met, got.certain) == (1, 75.0, None, True, False)


def test_missing_data_gives_the_reason_not_an_error(db):
    data = iku_data(db, population=None, waiting=False)
    nobody = {indicator: realisation(db.session, _target(db, data.unit, indicator,
                                                         period="2026-Q1"))
              for indicator in ("ikm", "waiting", "responses")}
    assert {k: (r.value, r.n, r.met, r.certain, r.problem) for k, r in nobody.items()} == {
        "ikm": (None, 0, None, False, "no_respondents"),
        "waiting": (None, 0, None, False, "no_waiting_answers"),
        "responses": (None, 0, None, False, "no_population"),
    }
    no_waiting = realisation(db.session, _target(db, data.unit, "waiting"))
    assert (no_waiting.value, no_waiting.problem) == (None, "no_waiting_answers")
    no_population = realisation(db.session, _target(db, data.unit, "responses"))
    assert (no_population.value, no_population.n, no_population.problem) == (
        None, 100, "no_population")
    assert no_population.to_dict()["ci95"] is None and no_population.text == "– (n = 100)"


def test_an_unsur_nobody_answered_names_it_and_still_counts_the_respondents(db):
    data = iku_data(db, population=500)
    add_responses(db, data.unit, [{**dict.fromkeys(UNSUR, 3), "u9": None}] * 4,
                  Q3_START.replace(month=11))
    refresh(db)
    ikm = realisation(db.session, _target(db, data.unit, "ikm", period="2026-11"))
    assert (ikm.value, ikm.n, ikm.problem) == (None, 4, "unanswered:U9")
    db.session.add(Population(unit_id=data.unit.id, period="2026-11", size=100))
    db.session.commit()
    responses = realisation(db.session, _target(db, data.unit, "responses", period="2026-11"))
    assert (responses.n, responses.value) == (4, _shown(100 * 4 / 80))  # N = 100 → 80


def test_to_dict_and_text(db):
    data = iku_data(db)
    got = realisation(db.session, _target(db, data.unit, "waiting", 80))
    as_dict = got.to_dict()
    assert as_dict["ci95"] == list(got.ci95) and as_dict["unit"] == data.unit.code
    assert json.loads(json.dumps(as_dict)) == as_dict
    assert got.text == f"{got.value:.2f}% [{got.ci95[0]:.2f}–{got.ci95[1]:.2f}], n = {got.n}"
