"""On the demo data, whose true officer effects are known, shrinkage and case-mix adjustment move
officer scores toward the truth, and officers with a handful of responses are marked insufficient.

The per-officer sufficient statistics and the case-mix cells come from a plain SQL GROUP BY here;
the planted burst (40 identical top answers, outside the demo's model) is left out, as the truth
functions leave it out.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import and_, case, func, literal, not_, select

from analysis import casemix_adjusted, officer_scores
from surveys.demo import truth
from surveys.demo.load import load_demo
from surveys.models import Counter, Response, Service, Staff, Unit

TODAY = date(2026, 11, 23)
ADJUSTERS = ["service", "channel", "age_band", "gender", "education", "occupation"]


def _answered(column):
    return case((column.is_(None), 0), else_=1)


def _officer_responses(session):
    """One row per genuine response naming an officer: its officer score on the 25-100 scale
    (25 × the mean of the answered items among U6, U7 and the officer rating) and its case mix."""
    items = [Response.u6, Response.u7, Response.officer_rating]
    answered = sum((_answered(c) for c in items), literal(0))
    total = sum((func.coalesce(c, 0) for c in items), literal(0))
    burst_counter = (
        select(Counter.id).join(Unit, Counter.unit_id == Unit.id)
        .where(Unit.code == truth.BURST.unit, Counter.code == truth.BURST.counter)
        .scalar_subquery())
    in_burst = and_(
        Response.counter_id == burst_counter,
        Response.submitted_at >= truth.BURST.start,
        Response.submitted_at < truth.BURST.start + timedelta(minutes=truth.BURST.minutes))
    return (
        select(
            Staff.nip.label("officer"), Unit.code.label("unit"),
            Service.code.label("service"), Response.channel.label("channel"),
            *(func.coalesce(getattr(Response, a), literal("unknown")).label(a)
              for a in ADJUSTERS[2:]),
            (25.0 * total / answered).label("score"))
        .join(Staff, Response.staff_id == Staff.id)
        .join(Unit, Staff.unit_id == Unit.id)
        .join(Service, Response.service_id == Service.id)
        .where(answered > 0, not_(in_burst))
        .subquery())


def _grouped(session, keys):
    scores = _officer_responses(session)
    columns = [scores.c[key] for key in keys]
    rows = session.execute(
        select(*columns, func.count().label("n"), func.sum(scores.c.score).label("sum"),
               func.sum(scores.c.score * scores.c.score).label("sumsq"))
        .group_by(*columns))
    frame = pd.DataFrame(rows.all(), columns=list(rows.keys()))
    frame[["sum", "sumsq"]] = frame[["sum", "sumsq"]].astype(float)
    return frame


def _true_score_at(nip: str, channels: dict[str, float]) -> float:
    """The officer's true expected score (25-100) with the channel mix `channels` and the unit's
    service mix: what an adjusted score estimates when `channels` is the sample's average mix."""
    o, u, model = truth.officer(nip), truth.unit_of(nip), truth.MODEL
    expected = [
        sum(s.share * share * truth.expected_answer(
            model.mu + u.effect + model.item_offsets[item] + u.item_shifts.get(item, 0.0)
            + o.effect + s.effect + model.channel_effects[c], model)
            for s in u.services for c, share in channels.items())
        for item in truth.OFFICER_ITEMS]
    return 25 * float(np.mean(expected))


def test_demo_officer_scores_recover_the_true_officer_effects(db):
    load_demo(db.session, TODAY)
    by_officer = _grouped(db.session, ["officer", "unit"])
    cells = _grouped(db.session, ["officer", "unit", *ADJUSTERS])

    scores = officer_scores(by_officer)
    frame = scores.frame.set_index("officer")
    true = pd.Series({nip: truth.officer_true_score(nip) for nip in frame.index})

    # Shrinkage: closer to each officer's true expected score than the raw mean.
    mse_raw = float(((frame["raw"] - true) ** 2).mean())
    mse_shrunk = float(((frame["shrunk"] - true) ** 2).mean())
    assert mse_shrunk < mse_raw
    # ... and the stand-ins named on a handful of responses are "insufficient data", the regular
    # officers (hundreds of responses each) are not.
    rare = [o.nip for o in truth.officers("rare")]
    assert set(frame.index) >= set(rare)
    assert not frame.loc[rare, "sufficient"].any()
    assert (frame.loc[rare, "n"] < 10).all()
    regular = frame.drop(index=rare)
    assert regular["sufficient"].all()
    # The data show officers differ: τ² is well above zero and the n for 0.70 is a few dozen.
    assert 0 < scores.n_for_reliability(0.70) < regular["n"].min()

    # Case mix: the demo's channel (staff QR +0.12, paper +0.20, kiosk −0.08 on the latent
    # scale) and service effects are things officers do not control.
    casemix = casemix_adjusted(cells, ADJUSTERS, group="unit")
    assert set(casemix.adjusters) == {"service", "channel"}
    assert set(casemix.dropped) == {"age_band", "gender", "education", "occupation"}
    channel = casemix.effects[casemix.effects.adjuster == "channel"].set_index("level")
    assert channel["reference"].iloc[0] == "counter_qr"
    assert channel.loc["paper", "effect"] > 0 > channel.loc["kiosk", "effect"]
    assert channel.loc["staff_qr", "effect"] > 0

    # The adjusted score is at the unit's average case mix: so is its true counterpart.
    mix = cells.pivot_table(index="unit", columns="channel", values="n", aggfunc="sum",
                            fill_value=0)
    mix = mix.div(mix.sum(axis=1), axis=0)
    adjusted = casemix.officers.set_index("officer").drop(index=rare)
    true_common = pd.Series({nip: _true_score_at(nip, mix.loc[truth.unit_of(nip).code].to_dict())
                             for nip in adjusted.index})
    error_adjusted = float(((adjusted["adjusted"] - true_common) ** 2).mean())
    error_unadjusted = float(((adjusted["unadjusted"] - true_common) ** 2).mean())
    corr_adjusted = np.corrcoef(adjusted["adjusted"], true_common)[0, 1]
    corr_unadjusted = np.corrcoef(adjusted["unadjusted"], true_common)[0, 1]
    assert error_adjusted < error_unadjusted
    assert corr_adjusted > corr_unadjusted
    # Where the gain comes from: officers with a personal QR code get more staff-QR responses,
    # a channel with a bonus of its own; adjustment takes it off their scores.
    personal = [nip for nip in adjusted.index if truth.officer(nip).personal_qr]
    shift = adjusted["unadjusted"] - adjusted["adjusted"]
    assert shift[personal].mean() > shift.drop(index=personal).mean()
