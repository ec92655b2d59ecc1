"""The independent side of the comparisons: raw response rows filtered in pandas, then
`analysis.compute_ikm` and a direct per-officer score, with no roll-up involved."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy import select

from surveys.models import Response, ResponseFlag, ResponseObjection, Staff, Unit

UNSUR = [f"U{j}" for j in range(1, 10)]


def raw_frame(session) -> pd.DataFrame:
    """Every response with its local day (in its unit's zone) and its flag kinds; a response whose
    objection was upheld keeps counting for its unit but no longer names its officer."""
    rows = session.execute(
        select(Response.id, Response.unit_id, Response.service_id, Response.counter_id,
               Response.staff_id, Response.channel, Response.submitted_at, Unit.timezone,
               *(getattr(Response, f"u{j}") for j in range(1, 10)), Response.officer_rating)
        .join(Unit, Unit.id == Response.unit_id)
    ).all()
    frame = pd.DataFrame(rows, columns=["id", "unit_id", "service_id", "counter_id", "staff_id",
                                        "channel", "submitted_at", "timezone", *UNSUR, "OFFICER"])
    frame["day"] = [moment.astimezone(ZoneInfo(zone)).date()
                    for moment, zone in zip(frame["submitted_at"], frame["timezone"])]
    flags = session.execute(select(ResponseFlag.response_id, ResponseFlag.kind)).all()
    kinds: dict[int, set] = {}
    for response_id, kind in flags:
        kinds.setdefault(response_id, set()).add(kind)
    frame["excluded"] = [("excluded" in kinds.get(i, ())) for i in frame["id"]]
    frame["suspicious"] = [("suspicious" in kinds.get(i, ())) for i in frame["id"]]
    for column in [*UNSUR, "OFFICER"]:
        frame[column] = frame[column].astype("float64")
    upheld = set(session.scalars(select(ResponseObjection.response_id).where(
        ResponseObjection.status == "upheld")))
    frame["staff_id"] = frame["staff_id"].astype("float64").where(~frame["id"].isin(upheld))
    return frame


def select_rows(frame, *, units=None, start: date, end: date, service_id=None, counter_id=None,
                staff_id=None, without_flagged=False) -> pd.DataFrame:
    keep = (frame["day"] >= start) & (frame["day"] < end) & ~frame["excluded"]
    if units is not None:
        keep &= frame["unit_id"].isin(units)
    for column, value in (("service_id", service_id), ("counter_id", counter_id),
                          ("staff_id", staff_id)):
        if value is not None:
            keep &= frame[column] == value
    if without_flagged:
        keep &= ~frame["suspicious"]
    return frame[keep]


def officer_raw_scores(frame: pd.DataFrame, session) -> pd.DataFrame:
    """n, mean and variance of 25 × mean(U6, U7, OFFICER) per named officer, by NIP."""
    named = frame[frame["staff_id"].notna()].copy()
    named["score"] = 25 * named[["U6", "U7", "OFFICER"]].mean(axis=1, skipna=True)
    named = named[named["score"].notna()]
    nips = dict(session.execute(select(Staff.id, Staff.nip)).all())
    named["nip"] = [nips[int(s)] for s in named["staff_id"]]
    return named.groupby("nip")["score"].agg(["count", "mean", lambda s: np.var(s, ddof=0)])
