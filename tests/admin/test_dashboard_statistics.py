"""The dashboard's statistics on small controlled data, each against an independent computation
from the raw rows (scipy, statsmodels, the PermenPANRB 14/2017 rule), never against the code:
the change from the previous period and its verdict, the monthly IKM and its interval, the
trend's slope, the case-mix adjusted officer scores on a unit with a sub-unit, and the funnel's
control limits (issue 12)."""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import special, stats

from surveys.periods import Period
from surveys.reporting.compare import officer_funnel
from surveys.reporting.dashboard import dashboard
from surveys.reporting.service import officer_casemix
from tests.admin.dashboard_data import (
    Row,
    answers,
    boundary_data,
    frame,
    ikm,
    local,
    make_world,
    matrix_of,
    pseudo_values,
    scenario,
    store,
)
from tests.admin.chart_reading import table
from tests.factories import PASSWORD, add_user, hidden_fields

PERIOD = Period.parse("2026-Q3")


@pytest.fixture
def world(db):
    world = make_world(db.session)
    world.rows = scenario(world)
    store(db.session, world.rows)
    return world


@pytest.fixture
def board(db, world):
    admin = add_user(db, "admin", "admin")
    return dashboard(db.session, world.fixture.unit, PERIOD, admin)


def _tree(world, raw):
    """The raw rows of the unit's tree that count (an excluded response never does)."""
    return raw[raw.unit_id.isin([world.fixture.unit.id, world.sub.id]) & ~raw.excluded]


def _sign_in(app):
    client = app.test_client()
    fields = hidden_fields(client.get("/auth/masuk").text)
    answer = client.post("/auth/masuk", data={**fields, "username": "admin",
                                              "password": PASSWORD})
    assert answer.status_code == 303
    return client


def _change_row(html: str, name: str) -> list[str]:
    row = re.search(rf'<tr id="perubahan-{name}">(.*?)</tr>', html, re.S).group(1)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]


NOISE = "Masih dalam batas variasi sampel: belum dapat disebut berubah."
REAL = "Perubahan nyata: lebih besar dari variasi sampel."


# 1. The change from the previous period ------------------------------------------------------

def test_the_change_is_welch_on_the_respondents_linearised_scores_both_ways(app, db, world,
                                                                          board):
    raw = _tree(world, frame(world.rows))
    page = _sign_in(app).get(f"/admin/unit/dukcapil?periode={PERIOD.code}").text
    for name, rows in (("with", raw), ("without", raw[~raw.suspicious])):
        before, after = (matrix_of(rows[rows.quarter == q]) for q in ("2026-Q2", "2026-Q3"))
        expected = stats.ttest_ind(pseudo_values(after), pseudo_values(before), equal_var=False)
        low, high = expected.confidence_interval(0.95)
        change = board.changes[name]
        got = change.comparison

        assert (change.ikm_a, change.ikm_b) == pytest.approx((ikm(before), ikm(after)),
                                                             abs=1e-9)
        assert got.difference == pytest.approx(ikm(after) - ikm(before), abs=1e-9)
        assert got.df == pytest.approx(expected.df, rel=1e-9)
        assert got.p_value == pytest.approx(expected.pvalue, rel=1e-8)
        assert got.ci == pytest.approx((low, high), abs=1e-8)
        cells = _change_row(page, name)
        assert cells[1:4] == [f"{ikm(after) - ikm(before):+.2f}", f"{low:.2f} – {high:.2f}",
                              f"{expected.pvalue:.3f}"]
        assert cells[4] == (REAL if expected.pvalue < 0.05 else NOISE)


BEFORE, JUST_ABOVE, JUST_BELOW = boundary_data()


@pytest.mark.parametrize("after, verdict", [(JUST_ABOVE, NOISE), (JUST_BELOW, REAL)],
                         ids=["p-just-above-0.05", "p-just-below-0.05"])
def test_the_verdict_turns_where_scipy_s_welch_p_crosses_five_percent(app, db, after, verdict):
    world = make_world(db.session)
    unit = world.fixture.unit
    rows = [Row(unit, local(2026, 5, 1 + i % 28), [int(v) for v in values])
            for i, values in enumerate(BEFORE)]
    rows += [Row(unit, local(2026, 8, 1 + i % 28), [int(v) for v in values])
             for i, values in enumerate(after)]
    store(db.session, rows)
    add_user(db, "admin", "admin")
    expected = stats.ttest_ind(25 * after.mean(axis=1), 25 * BEFORE.mean(axis=1),
                               equal_var=False)
    assert 0.045 < expected.pvalue < 0.055  # the data sit at the boundary

    page = _sign_in(app).get(f"/admin/unit/{unit.code}?periode={PERIOD.code}").text

    cells = _change_row(page, "with")
    assert cells[3] == f"{expected.pvalue:.3f}"
    assert cells[4] == verdict
    low, high = expected.confidence_interval(0.95)
    assert cells[2] == f"{low:.2f} – {high:.2f}"
    assert (low > 0) == (verdict == REAL)  # the interval excludes 0 exactly when it is "real"


# 2. The monthly IKM and its interval ---------------------------------------------------------

def _interval(method: str, values: np.ndarray, n: int):
    """The 95% interval of a month by the method the dashboard names, from scipy."""
    z = pseudo_values(values)
    estimate = ikm(values)
    if method == "linearised-t":
        return stats.ttest_1samp(z, 0).confidence_interval(0.95)
    if method == "logit-t":  # t on logit((IKM − 25)/75), delta method, mapped back
        p = (estimate - 25) / 75
        se_logit = stats.sem(z) / (75 * p * (1 - p))
        half = stats.t.ppf(0.975, n - 1) * se_logit
        return tuple(25 + 75 * special.expit(special.logit(p) + s * half) for s in (-1, 1))
    assert method == "clopper-pearson-ceiling"  # n of n perfect respondents
    return 25 + 75 * stats.binomtest(n, n).proportion_ci(0.95, method="exact").low, 100.0


def test_each_month_is_the_permenpanrb_index_of_its_respondents_with_its_interval(world, board):
    raw = _tree(world, frame(world.rows))
    months = [f"2026-{m:02d}" for m in range(3, 10)]  # first to last answered; May is empty

    assert [month.code for month in board.months] == months
    for month in board.months:
        rows = raw[raw.month == month.code]
        if rows.empty:
            assert month.result is None
            continue
        values = matrix_of(rows)
        n = len(values)
        result = month.result
        # The rule DESIGN §4 sets for each: ceiling, then n < 60, then the linearised t.
        expected_method = ("clopper-pearson-ceiling" if np.nanmin(values) == 4
                           else "logit-t" if n < 60 else "linearised-t")
        assert (result.n, result.ci_method) == (n, expected_method), month.code
        assert result.ikm_exact == pytest.approx(ikm(values), abs=1e-9), month.code
        assert result.ci95 == pytest.approx(_interval(expected_method, values, n), abs=1e-8)
    methods = {month.result.ci_method for month in board.months if month.result}
    assert methods == {"clopper-pearson-ceiling", "logit-t", "linearised-t"}


# 3. The trend --------------------------------------------------------------------------------

def test_the_slope_is_statsmodels_wls_over_the_months_weighted_by_their_variance(world, board):
    raw = _tree(world, frame(world.rows))
    months = [f"2026-{m:02d}" for m in range(3, 10)]
    x, y, se = [], [], []
    for position, code in enumerate(months):
        values = matrix_of(raw[raw.month == code])
        if len(values) and np.nanmin(values) < 4:  # a month with a standard error
            z = pseudo_values(values)
            x.append(position), y.append(ikm(values)), se.append(stats.sem(z))
    assert x == [0, 1, 4, 5, 6]  # May has nobody, June no spread: both left out, gaps kept
    x, y, w = np.array(x, float), np.array(y), 1 / np.array(se) ** 2
    fit = sm.WLS(y, sm.add_constant(x), weights=w).fit()
    known = sm.WLS(y, sm.add_constant(x), weights=w).fit(cov_type="fixed scale",
                                                          use_t=False)

    got = board.trend
    assert got.slope == pytest.approx(fit.params[1], rel=1e-9)
    assert got.slope == pytest.approx(np.polyfit(x, y, 1, w=np.sqrt(w))[0], rel=1e-9)
    assert got.dispersion == pytest.approx(fit.scale, rel=1e-9)
    # The sampling variances are known, so the normal interval; widened to statsmodels' own
    # (t, k − 2 df, estimated scale) when the months scatter more than their se say, as here.
    assert fit.scale > 1  # here they do (the other branch: the test below)
    assert got.se == pytest.approx(fit.bse[1], rel=1e-9)
    assert got.ci == pytest.approx(tuple(fit.conf_int(0.05)[1]), rel=1e-9)
    assert got.df == fit.df_resid
    assert got.se > known.bse[1]


def test_months_that_scatter_less_than_their_se_get_the_known_variance_interval(db):
    world = make_world(db.session)
    rng = np.random.default_rng(5)
    rows = [Row(world.fixture.unit, local(2026, month, 1 + i % 28), answers(rng, 3.0))
            for month in range(3, 10) for i in range(80)]
    store(db.session, rows)
    raw = frame(rows)
    x = np.arange(7.0)
    y = np.array([ikm(matrix_of(raw[raw.month == f"2026-{m:02d}"])) for m in range(3, 10)])
    se = np.array([stats.sem(pseudo_values(matrix_of(raw[raw.month == f"2026-{m:02d}"])))
                   for m in range(3, 10)])
    model = sm.WLS(y, sm.add_constant(x), weights=1 / se**2)
    assert model.fit().scale < 1, "the data must scatter less than sampling says"
    known = model.fit(cov_type="fixed scale", use_t=False)

    got = dashboard(db.session, world.fixture.unit, PERIOD, add_user(db, "admin", "admin")).trend

    assert got.slope == pytest.approx(known.params[1], rel=1e-9)
    assert got.se == pytest.approx(known.bse[1], rel=1e-9)
    assert got.ci == pytest.approx(tuple(known.conf_int(0.05)[1]), rel=1e-9)


# 4. Case-mix adjusted officer scores ---------------------------------------------------------

def _ols_adjusted(raw):
    """OLS of the officer score on officer dummies, service (one reference service per unit:
    services are nested in units) and channel; each officer at their own unit's average case
    mix, with its t interval (statsmodels' t_test of that contrast)."""
    officers = sorted(raw.officer.unique())
    design = pd.DataFrame({o: (raw.officer == o).astype(float) for o in officers})
    for column, is_level in (("kk", raw.service == "kk"), ("pindah", raw.service == "pindah"),
                             ("staff_qr", raw.channel == "staff_qr")):
        if is_level.any():
            design[column] = is_level.astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = sm.OLS(raw.score.to_numpy(), design.to_numpy()).fit()
    out = {}
    for officer, unit in raw.groupby("officer").officer_unit.first().items():
        in_unit = (raw.officer_unit == unit).to_numpy()
        contrast = design[in_unit].mean(axis=0)
        contrast[officers] = 0.0
        contrast[officer] = 1.0
        test = fit.t_test(contrast.to_numpy())
        out[officer] = (float(np.squeeze(test.effect)),
                        *(float(v) for v in np.ravel(test.conf_int(0.05))))
    return fit, out


def test_adjusted_scores_are_ols_at_the_unit_s_own_case_mix_on_a_unit_with_a_sub_unit(
        db, world, board):
    raw = frame(world.rows)
    raw = _tree(world, raw)[lambda r: (r.quarter == "2026-Q3") & r.score.notna()]
    fit, expected = _ols_adjusted(raw)

    casemix = officer_casemix(db.session, "dukcapil", PERIOD.code)

    assert casemix.adjusters == ["service", "channel"]
    assert not casemix.dropped and not casemix.pooled  # every level has 30 responses or more
    assert casemix.sigma2 == pytest.approx(fit.scale, rel=1e-9)
    assert casemix.df == fit.df_resid
    got = casemix.officers.set_index("officer")
    assert set(got.index) == set(expected)  # the sub-unit's officers too
    for nip, (adjusted, low, high) in expected.items():
        assert got.loc[nip, "unadjusted"] == pytest.approx(raw.score[raw.officer == nip].mean())
        assert (got.loc[nip, "adjusted"], got.loc[nip, "ci_low"], got.loc[nip, "ci_high"]) == (
            pytest.approx((adjusted, low, high), abs=1e-8))
    # The dashboard shows the same beside each officer of the tree, sub-unit included.
    officers = board.officers
    assert officers.casemix_problem is None and officers.problem is None
    shown = {row.name: row for row in officers.rows}
    nips = {s.name: s.nip for s in [*world.fixture.officers, *world.sub_officers]}
    assert set(shown) == set(nips)
    for name, row in shown.items():
        assert (row.adjusted, row.adjusted_low, row.adjusted_high) == pytest.approx(
            expected[nips[name]], abs=1e-8)

    # The sub-unit's own dashboard: its officers at its own case mix.
    sub_rows = raw[raw.unit_id == world.sub.id]
    _, expected = _ols_adjusted(sub_rows)
    got = officer_casemix(db.session, world.sub.code, PERIOD.code).officers.set_index("officer")
    assert set(got.index) == set(expected) == {s.nip for s in world.sub_officers}
    for nip, (adjusted, low, high) in expected.items():
        assert (got.loc[nip, "adjusted"], got.loc[nip, "ci_low"], got.loc[nip, "ci_high"]) == (
            pytest.approx((adjusted, low, high), abs=1e-8))


# 5. The funnel's control limits --------------------------------------------------------------

def test_funnel_limits_are_the_design_formula_with_mixed_model_variances(db, world, board):
    """DESIGN §5: limits by n around the officer's unit, target ± z·sqrt(σ²/n + τ²) (additive
    overdispersion), z from the normal quantile; σ² and τ² as a REML mixed model finds them."""
    raw = frame(world.rows)
    raw = raw[(raw.quarter == "2026-Q3") & ~raw.excluded & raw.score.notna()]
    with warnings.catch_warnings():  # statsmodels warns about its optimiser's progress
        warnings.simplefilter("ignore")
        model = smf.mixedlm("score ~ C(officer_unit)", raw, groups=raw["officer"]).fit(
            reml=True, method="powell")
    funnel = officer_funnel(db.session, "dukcapil", PERIOD.code)
    sigma2, tau2 = funnel.attrs["sigma2"], funnel.attrs["tau2"]
    assert sigma2 == pytest.approx(model.scale, rel=1e-3)
    assert tau2 == pytest.approx(float(model.cov_re.iloc[0, 0]), rel=1e-2)
    assert tau2 > 0  # the officers do differ: the widening is exercised

    z95, z998 = stats.norm.ppf(0.975), stats.norm.ppf(0.999)
    counts = raw.groupby("officer").score.size()
    nips = {s.name: s.nip for s in [*world.fixture.officers, *world.sub_officers]}
    fixed = model.fe_params
    for row in board.officers.rows:
        nip = nips[row.name]
        assert row.n == counts[nip]
        assert row.raw == pytest.approx(raw.score[raw.officer == nip].mean(), abs=1e-9)
        assert row.half_95 == pytest.approx(z95 * np.sqrt(sigma2 / row.n + tau2), rel=1e-12)
        assert row.half_998 == pytest.approx(z998 * np.sqrt(sigma2 / row.n + tau2), rel=1e-12)
        unit = raw.officer_unit[raw.officer == nip].iloc[0]
        assert row.target == pytest.approx(
            fixed["Intercept"] + fixed.get(f"C(officer_unit)[T.{unit}]", 0.0), abs=1e-2)
        for half, position in ((row.half_95, row.position_95), (row.half_998, row.position_998)):
            off = row.raw - row.target
            assert position == ("above" if off > half else "below" if off < -half else "inside")
    for n, half_95, half_998 in board.officers.curve:  # the drawn funnel
        assert half_95 == pytest.approx(z95 * np.sqrt(sigma2 / n + tau2), rel=1e-12)
        assert half_998 == pytest.approx(z998 * np.sqrt(sigma2 / n + tau2), rel=1e-12)
    assert [row.n for row in board.officers.rows] == sorted(row.n for row in board.officers.rows)


def test_a_month_where_nobody_answered_one_unsur_shows_its_respondents_and_why(app, db):
    """Twenty people answered in July but all left U9 blank: the IKM is undefined that month, and
    the table says so with the twenty, instead of claiming nobody answered."""
    world = make_world(db.session)
    rng = np.random.default_rng(9)
    july = [Row(world.fixture.unit, local(2026, 7, 1 + i), [*answers(rng, 3.0, blanks=False)[:8], None])
            for i in range(20)]
    august = [Row(world.fixture.unit, local(2026, 8, 1 + i), answers(rng, 3.0, blanks=False))
              for i in range(20)]
    store(db.session, july + august)
    board = dashboard(db.session, world.fixture.unit, PERIOD, add_user(db, "admin", "admin"))
    months = {month.code: month for month in board.months}
    assert (months["2026-07"].result, months["2026-07"].respondents,
            months["2026-07"].unanswered) == (None, 20, "U9")
    assert months["2026-08"].result.n == 20

    html = _sign_in(app).get(f"/admin/unit/{world.fixture.unit.code}?periode=2026-Q3").text
    rows = {row[0]: row for row in table(html, "tabel-tren")}
    assert rows["2026-07"] == ["2026-07", "20",
                               "IKM tidak dapat dihitung: tidak ada yang menjawab unsur U9"]
