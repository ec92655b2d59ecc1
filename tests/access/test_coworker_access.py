"""Who may open the co-worker (rekan kerja) pages: an officer's rounds, a round's results and its
invitation list, and closing, only that officer's evaluator and admins (a unit's managers, the
officer themselves and everyone else 403); the co-worker's form `/rekan/<token>` is public: a
valid link 200, an unknown one 404, a used one 410, a post without the form's token 400."""
from __future__ import annotations

from surveys.evaluations import coworker
from tests.access.cast import ROLES, Route, allowed, cast, check
from tests.evaluations.coworker_data import add_coworkers, open_round, user

MANAGES = ("admin", "evaluator")  # the evaluated officer's evaluator, and admins
SEES_SOME_ROUND = MANAGES  # who gets past "manages no officer's rounds at all"


def everyone(status: int) -> dict[str, int]:
    return {role: status for role in ROLES}


ACCESS = [
    Route("GET", "/penilaian/pegawai/{evaluated_ref}/rekan", allowed(200, *MANAGES)),
    Route("GET", "/penilaian/pegawai/{evaluated_ref}/rekan?periode=2026-Q4",
          allowed(200, *MANAGES)),
    Route("GET", "/penilaian/pegawai/{own_ref}/rekan", allowed(200, "admin")),
    Route("GET", "/penilaian/pegawai/tidak-ada/rekan", allowed(404, *SEES_SOME_ROUND)),
    Route("POST", "/penilaian/pegawai/{evaluated_ref}/rekan", allowed(400, *MANAGES)),
    Route("POST", "/penilaian/pegawai/{own_ref}/rekan", allowed(400, "admin")),
    Route("GET", "/penilaian/rekan/{round}", allowed(200, *MANAGES)),
    Route("GET", "/penilaian/rekan/{own_round}", allowed(200, "admin")),
    Route("GET", "/penilaian/rekan/987654", allowed(404, *SEES_SOME_ROUND)),
    Route("GET", "/penilaian/rekan/{round}/undangan", allowed(200, *MANAGES)),
    Route("GET", "/penilaian/rekan/{own_round}/undangan", allowed(200, "admin")),
    Route("POST", "/penilaian/rekan/{closed_round}/tutup", allowed(409, *MANAGES)),
    Route("POST", "/penilaian/rekan/{own_round}/tutup", allowed(409, "admin")),
    Route("GET", "/rekan/{token}", everyone(200)),
    Route("GET", "/rekan/{used_token}", everyone(410)),
    Route("GET", "/rekan/{closed_token}", everyone(410)),
    Route("GET", "/rekan/tidak-dikenal-sama-sekali-abcdefghijkl", everyone(404)),
    Route("GET", "/rekan/" + "x" * 3000, everyone(404)),
    Route("POST", "/rekan/{token}", everyone(400)),  # the Flask-WTF token is not the form's
    Route("GET", "/rekan/terima-kasih", everyone(200)),
]


def test_coworker_pages_access(app, db):
    people = cast(db)
    colleagues = add_coworkers(db, people)
    round_id, tokens = open_round(db, people, colleagues[:3])
    closed_id, closed_tokens = open_round(db, people, colleagues[1:], period="2026-Q2")
    coworker.close_round(db.session, user(db, "penilai"), coworker.round_by_id(db.session,
                                                                              closed_id))
    db.session.commit()
    own_id = coworker.open_round(db.session, user(db, "admin"), people.own, "2026-Q3",
                                 [s.id for s in colleagues]).round.id
    coworker.close_round(db.session, user(db, "admin"), coworker.round_by_id(db.session, own_id))
    db.session.commit()
    first, second, _third = tokens.values()
    coworker.answer(db.session, second, {"akuntabel": "3"}, None)
    db.session.commit()
    people.names.update(round=round_id, own_round=own_id, closed_round=closed_id, token=first,
                        used_token=second, closed_token=next(iter(closed_tokens.values())))
    check(app, people, ACCESS)
