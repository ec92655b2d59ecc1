"""Responses naming officers of the access tables' cast, in 2026-Q2 and 2026-Q3, with comments:
enough officers and answers for the empirical-Bayes model, one officer well and one thinly rated."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import select

from surveys.models import (
    Answer,
    Instrument,
    InstrumentItem,
    ReplyRequest,
    Response,
    ResponseFlag,
    Staff,
)
from surveys.reporting import rollup

CURRENT, PREVIOUS = "2026-Q3", "2026-Q2"
STARTS = {CURRENT: datetime(2026, 7, 2, 2, tzinfo=UTC), PREVIOUS: datetime(2026, 4, 2, 2, tzinfo=UTC)}
EXTRA_NIPS = ("197905102005011004", "198211202008012005", "199304152019031006")
COMMENT_OF = {0: "Petugas ramah dan cepat melayani.", 1: "Antrean lama, petugas kurang jelas."}
CONTACT = "0812-3456-7890"
EXCLUDED_COMMENT = "Komentar dari tanggapan yang dikecualikan."


def _answer(rng, level: float) -> int:
    return int(min(4, max(1, round(rng.normal(level, 0.8)))))


def _add(db, instrument, comment_item, staff, count, level, start, rng, comment=None):
    """`count` responses naming `staff`, answers around `level` (1-4), one per 6 hours."""
    made = []
    for i in range(count):
        answers = {f"u{j}": _answer(rng, level) for j in range(1, 10)}
        response = Response(instrument=instrument, channel="paper", unit_id=staff.unit_id,
                            staff_id=staff.id, submitted_at=start + timedelta(hours=6 * i),
                            officer_rating=_answer(rng, level),
                            **answers)
        db.session.add(response)
        if comment and i % 10 == 0:
            response.answers.append(Answer(item=comment_item, value_text=f"{comment} ({i})"))
        made.append(response)
    return made


def rate_officers(db, cast) -> None:
    """Officer 0 (evaluated): 120 responses a quarter; officer 1 (own): 6; three colleagues of
    their unit 40 each; the other unit's officer 40. Comments on officers 0 and 1; one of
    officer 1's commented responses is excluded, one asked for a reply (its contact is private)."""
    rng = np.random.default_rng(12)
    instrument = db.session.scalars(select(Instrument)).first()
    comment_item = db.session.scalars(select(InstrumentItem).where(
        InstrumentItem.instrument_id == instrument.id, InstrumentItem.code == "COMMENT")).one()
    colleagues = [Staff(nip=nip, name=f"Rekan {k}", position="Staf", unit=cast.unit.unit)
                  for k, nip in enumerate(EXTRA_NIPS)]
    db.session.add_all(colleagues)
    db.session.flush()
    for period, start in STARTS.items():
        shift = 0.0 if period == CURRENT else -0.3
        _add(db, instrument, comment_item, cast.evaluated, 120, 3.3 + shift, start, rng,
             COMMENT_OF[0])
        thin = _add(db, instrument, comment_item, cast.own, 6, 2.9 + shift, start, rng,
                    COMMENT_OF[1])
        for k, colleague in enumerate(colleagues):
            _add(db, instrument, comment_item, colleague, 40, 3.0 + 0.1 * k, start, rng)
        _add(db, instrument, comment_item, cast.unit.other_unit_officer, 40, 3.0, start, rng,
             "Komentar untuk petugas unit lain.")
        if period == CURRENT:
            thin[1].answers.append(Answer(item=comment_item, value_text=EXCLUDED_COMMENT))
            thin[1].flags.append(ResponseFlag(kind="excluded", reason="uji"))
            db.session.add(ReplyRequest(response=thin[0], contact=CONTACT))
    db.session.commit()
    rollup.rebuild(db.session)
    db.session.commit()


def rate_one(db, staff, count: int) -> list[Response]:
    """`count` responses naming `staff` alone in the current period, counted in the roll-up."""
    instrument = db.session.scalars(select(Instrument)).first()
    made = _add(db, instrument, None, staff, count, 3.0, STARTS[CURRENT],
                np.random.default_rng(3))
    db.session.commit()
    rollup.rebuild(db.session)
    db.session.commit()
    return made
