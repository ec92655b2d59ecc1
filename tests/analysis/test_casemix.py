"""Case-mix adjustment from cell sums is OLS on the raw rows: checked against statsmodels."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from analysis import METHOD, AnalysisError, casemix_adjusted

OFFICERS = ["A", "B", "C", "D", "E"]
SERVICES = ["ktp", "kk", "akta"]
CHANNELS = ["counter_qr", "staff_qr", "kiosk"]


def raw_rows(seed: int, n: int = 900) -> pd.DataFrame:
    """Officers whose case mix differs (B takes most kiosk responses, D most of the akta)."""
    rng = np.random.default_rng(seed)
    officer = rng.choice(OFFICERS, n)
    service = np.where((officer == "D") & (rng.random(n) < 0.6), "akta",
                       rng.choice(SERVICES, n, p=[0.5, 0.3, 0.2]))
    channel = np.where((officer == "B") & (rng.random(n) < 0.5), "kiosk",
                       rng.choice(CHANNELS, n, p=[0.6, 0.3, 0.1]))
    effect = {"A": 0, "B": 3, "C": -2, "D": 1, "E": 4}
    score = (70 + np.vectorize(effect.get)(officer) + np.where(service == "akta", 5, 0)
             + np.where(channel == "kiosk", -6, 0) + rng.normal(0, 12, n))
    return pd.DataFrame({"officer": officer, "service": service, "channel": channel,
                         "score": np.round(score * 3) / 3})


def cells_of(raw: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return (raw.assign(sq=raw.score**2).groupby(keys)
            .agg(n=("score", "size"), sum=("score", "sum"), sumsq=("sq", "sum")).reset_index())


def test_weighted_cell_means_reproduce_ols_on_the_raw_rows():
    raw = raw_rows(1)
    result = casemix_adjusted(cells_of(raw, ["officer", "service", "channel"]),
                              ["service", "channel"])
    effects = result.effects.set_index(["adjuster", "level"])
    reference = dict(zip(result.effects.adjuster, result.effects.reference))
    assert reference == {"service": "ktp", "channel": "counter_qr"}  # the most common levels

    ols = smf.ols("score ~ C(officer) + C(service, Treatment('ktp'))"
                  " + C(channel, Treatment('counter_qr'))", raw).fit()

    assert result.sigma2 == pytest.approx(ols.scale, rel=1e-8)
    assert result.df == ols.df_resid
    for (adjuster, level), row in effects.iterrows():
        ref = "'ktp'" if adjuster == "service" else "'counter_qr'"
        name = f"C({adjuster}, Treatment({ref}))[T.{level}]"
        assert row.effect == pytest.approx(ols.params[name], abs=1e-8)
        assert row.se == pytest.approx(ols.bse[name], abs=1e-8)
    # Adjusted score: each officer predicted at the sample's average case mix.
    average = raw.assign(officer="A")
    for officer in OFFICERS:
        expected = ols.predict(average.assign(officer=officer)).mean()
        got = result.officers.set_index("officer").loc[officer]
        assert got.adjusted == pytest.approx(expected, abs=1e-8)
        assert got.unadjusted == pytest.approx(raw.score[raw.officer == officer].mean(), abs=1e-9)
    assert result.version == METHOD


def test_adjustment_removes_the_handicap_of_a_hard_case_mix():
    raw = raw_rows(2, n=6000)
    result = casemix_adjusted(cells_of(raw, ["officer", "service", "channel"]),
                              ["service", "channel"]).officers.set_index("officer")
    gap = result.adjusted - result.unadjusted
    # B serves many kiosk users (−6 points for reasons not theirs): adjustment raises B most.
    assert gap.idxmax() == "B"
    # Adjusted scores recover the true officer differences; unadjusted ones do not.
    true = pd.Series({"A": 0, "B": 3, "C": -2, "D": 1, "E": 4})
    error = lambda s: ((s - s.mean()) - (true - true.mean())).abs().max()  # noqa: E731
    assert error(result.adjusted) < 1.0 < error(result.unadjusted)


def test_adjusters_with_too_little_data_are_dropped_or_pooled():
    raw = raw_rows(3)
    raw["gender"] = "unknown"
    raw.loc[raw.index[:100], "gender"] = "P"  # known for 11%: dropped
    raw["education"] = np.where(np.arange(len(raw)) % 2 == 0, "sma", "s1")
    raw.loc[raw.index[:12], "education"] = "s2+"  # 12 responses: pooled into the reference
    raw["occupation"] = "swasta"  # a single level: nothing to adjust for
    adjusters = ["service", "channel", "gender", "education", "occupation"]

    result = casemix_adjusted(cells_of(raw, ["officer", *adjusters]), adjusters)

    assert result.adjusters == ["service", "channel", "education"]
    assert set(result.dropped) == {"gender", "occupation"}
    assert "unknown" in result.dropped["gender"]
    assert result.pooled == {"education": ["s2+"]}
    pooled = raw.assign(education=raw.education.replace("s2+", result.effects.set_index(
        "adjuster").loc["education", "reference"]))
    ols = smf.ols("score ~ C(officer) + C(service, Treatment('ktp'))"
                  " + C(channel, Treatment('counter_qr')) + C(education)", pooled).fit()
    assert result.sigma2 == pytest.approx(ols.scale, rel=1e-8)


def test_services_nested_in_units_are_compared_within_the_unit():
    # Officers A-C serve unit 1 (services ktp, kk), D-E unit 2 (services stnk, pkb): service is
    # nested in the unit, so one service dummy per unit is aliased with the officers.
    raw = raw_rows(4)
    unit_two = raw.officer.isin(["D", "E"])
    raw["unit"] = np.where(unit_two, "u2", "u1")
    raw["service"] = np.where(unit_two, np.where(raw.service == "ktp", "stnk", "pkb"),
                              np.where(raw.service == "ktp", "ktp", "kk"))
    cells = cells_of(raw, ["officer", "unit", "service", "channel"])

    result = casemix_adjusted(cells, ["service", "channel"], group="unit")

    assert result.aliased and result.adjusters == ["service", "channel"]
    # The same model with one reference service per unit (full rank, so statsmodels is happy).
    ols = smf.ols("score ~ C(officer) + I(service == 'kk') + I(service == 'pkb') + C(channel)",
                  raw).fit()
    assert result.sigma2 == pytest.approx(ols.scale, rel=1e-8)
    for unit, officers in (("u1", "ABC"), ("u2", "DE")):
        mix = raw[raw.unit == unit]
        for officer in officers:
            expected = ols.predict(mix.assign(officer=officer)).mean()
            got = result.officers.set_index("officer").loc[officer, "adjusted"]
            assert got == pytest.approx(expected, abs=1e-8)


def test_nested_services_without_a_group_are_refused_rather_than_guessed():
    raw = raw_rows(5)
    raw["service"] = np.where(raw.officer.isin(["D", "E"]), "stnk", "ktp")
    raw.loc[raw.officer.isin(["D", "E"]) & (raw.index % 3 == 0), "service"] = "pkb"
    with pytest.raises(AnalysisError, match="nested"):
        casemix_adjusted(cells_of(raw, ["officer", "service", "channel"]), ["service", "channel"])
