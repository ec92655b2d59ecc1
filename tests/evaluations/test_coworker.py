"""The co-worker (rekan kerja) service: who may open a round and on whom, one-time links kept only
as hashes, answers that cannot be traced to an invitation, results hidden below 3 answers, the
t interval against scipy, hostile answers, and the evidence object a record stores."""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
from scipy import stats
from sqlalchemy import func, inspect, select

from surveys.errors import InvalidPeriod, InvalidSubmission, RecordRefused
from surveys.evaluations import coworker
from surveys.frozen import canonical_sha256
from surveys.models import (
    AuditEvent,
    CoworkerAnswer,
    CoworkerInvitation,
    CoworkerRound,
    Organization,
    Staff,
    Unit,
)
from surveys.models.evaluation import BEHAVIOURS
from tests.access.cast import cast
from tests.evaluations.coworker_data import (
    NAMES,
    NIPS,
    PERIOD,
    add_coworkers,
    answer_all,
    open_round,
    user,
)

NOW = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)
# Three co-workers' answers; the second leaves "loyal" blank, so it has n = 2 and stays hidden.
ROWS = [
    {"berorientasi_pelayanan": 4, "akuntabel": 3, "kompeten": 4, "harmonis": 2, "loyal": 4,
     "adaptif": 3, "kolaboratif": 1, "comment": "Zaman ini beliau cepat membantu."},
    {"berorientasi_pelayanan": 3, "akuntabel": 3, "kompeten": 2, "harmonis": 4,
     "adaptif": 3, "kolaboratif": 2, "comment": "anak baru pun dibimbing."},
    {"berorientasi_pelayanan": 4, "akuntabel": 2, "kompeten": 3, "harmonis": 4, "loyal": 3,
     "adaptif": 3, "kolaboratif": 4},
]


@pytest.fixture
def people(db):
    people = cast(db)
    people.coworkers = add_coworkers(db, people)
    return people


def answers(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(CoworkerAnswer))


def audit_rows(db) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "coworker_round")
                                   .order_by(AuditEvent.id)))


def refused(call, *args) -> str:
    with pytest.raises(RecordRefused) as caught:
        call(*args)
    return caught.value.code


# --- opening and closing ---------------------------------------------------------------------

def test_only_the_evaluator_or_an_admin_opens_a_round(db, people):
    ids = [s.id for s in people.coworkers[:3]]
    for username in ("manajer", "staf", "tanpa.peran"):
        assert refused(coworker.open_round, db.session, user(db, username), people.evaluated,
                       PERIOD, ids) == "not_evaluator"
    # The evaluator of one officer is not the evaluator of another.
    assert refused(coworker.open_round, db.session, user(db, "penilai"), people.own, PERIOD,
                   ids) == "not_evaluator"
    assert coworker.open_round(db.session, user(db, "admin"), people.own, PERIOD, ids).round.id
    assert coworker.open_round(db.session, user(db, "penilai"), people.evaluated, PERIOD,
                               ids).round.id


def test_invitees_are_at_least_three_distinct_active_colleagues_not_the_officer(db, people):
    evaluator, officer = user(db, "penilai"), people.evaluated
    a, b, c, d = (s.id for s in people.coworkers)
    d_staff = people.coworkers[3]
    org = Organization(code="org-lain", name="Pemerintah Lain")
    stranger = Staff(nip="197707072000011007", name="Orang Luar", position="Staf",
                     unit=Unit(organization=org, code="luar", name="Unit Luar",
                               timezone="Asia/Jakarta"))
    db.session.add(stranger)
    d_staff.active = False
    db.session.commit()
    cases = {
        "too_few_invitees": [a, b],
        "duplicate_invitee": [a, b, b],
        "self_invited": [a, b, officer.id],
        "inactive_invitee": [a, b, d],
        "unknown_invitee": [a, b, 987654],
        "too_many_invitees": list(range(10_001, 10_002 + coworker.MAX_INVITEES)),
    }
    for code, ids in cases.items():
        assert refused(coworker.open_round, db.session, evaluator, officer, PERIOD, ids) == code
    assert refused(coworker.open_round, db.session, evaluator, officer, PERIOD,
                   [a, b, stranger.id]) == "unknown_invitee"  # another organization
    assert refused(coworker.open_round, db.session, evaluator, officer, PERIOD,
                   [a, b, "3"]) == "unknown_invitee"
    with pytest.raises(InvalidPeriod):
        coworker.open_round(db.session, evaluator, officer, "2026-Q9", [a, b, c])
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(CoworkerRound)) == 0
    assert audit_rows(db) == []


def test_one_open_round_per_officer_and_period_and_the_audit_rows(db, people):
    round_id, _tokens = open_round(db, people, people.coworkers[:3])
    assert refused(coworker.open_round, db.session, user(db, "admin"), people.evaluated, PERIOD,
                   [s.id for s in people.coworkers]) == "exists"
    db.session.rollback()
    open_round(db, people, people.coworkers[:3], period="2026-Q4")  # another period: fine
    round_ = coworker.round_by_id(db.session, round_id)
    assert refused(coworker.close_round, db.session, user(db, "manajer"), round_) \
        == "not_evaluator"
    coworker.close_round(db.session, user(db, "penilai"), round_, NOW)
    db.session.commit()
    assert refused(coworker.close_round, db.session, user(db, "penilai"), round_) == "closed"
    db.session.rollback()
    open_round(db, people, people.coworkers[1:])  # a closed round makes room for a new one

    rows = audit_rows(db)
    assert [(r.action, r.entity_id) for r in rows[:3]] == [
        ("coworker_round.open", round_id), ("coworker_round.open", round_id + 1),
        ("coworker_round.close", round_id)]
    assert rows[0].actor_label == "penilai" and rows[0].unit_id == people.unit.unit.id
    assert rows[0].after == {"staff": people.evaluated.nip, "period": PERIOD, "invited": 3}
    assert rows[2].before == {"closed_at": None}
    assert rows[2].after == {"closed_at": NOW.isoformat(), "answered": 0, "invited": 3}
    logged = json.dumps([(r.before, r.after, r.reason) for r in rows])
    assert not any(name in logged for name in NAMES)  # who was invited is not in the log


# --- one-time links and anonymous answers ----------------------------------------------------

def test_only_the_hash_of_each_token_is_stored(db, people):
    round_id, tokens = open_round(db, people, people.coworkers[:3])
    assert len(set(tokens.values())) == 3 and all(len(t) >= 43 for t in tokens.values())
    stored = {i.invitee_id: i.token_sha256 for i in db.session.scalars(
        select(CoworkerInvitation).where(CoworkerInvitation.round_id == round_id))}
    assert stored == {sid: hashlib.sha256(t.encode()).hexdigest() for sid, t in tokens.items()}


def test_an_answer_is_stored_once_and_cannot_be_traced_to_its_invitation(db, people):
    round_id, tokens = open_round(db, people, people.coworkers[:3])
    token = tokens[people.coworkers[1].id]
    coworker.answer(db.session, token, {"akuntabel": "3", "loyal": " 4 "}, "Rajin.",
                    now=datetime(2026, 10, 5, 13, 47, 12, tzinfo=UTC))
    db.session.commit()
    stored = db.session.scalars(select(CoworkerAnswer)).one()
    assert (stored.round_id, stored.akuntabel, stored.loyal, stored.kompeten, stored.comment) \
        == (round_id, 3, 4, None, "Rajin.")
    assert stored.submitted_on.isoformat() == "2026-10-05"
    used = db.session.scalars(select(CoworkerInvitation).where(
        CoworkerInvitation.used_at.is_not(None))).one()
    assert used.invitee_id == people.coworkers[1].id
    assert used.used_at == datetime(2026, 10, 5, tzinfo=UTC)  # the day only, as the answer's
    # The answer table names no invitation and keeps no time finer than the day.
    columns = inspect(CoworkerAnswer).columns
    assert not any(fk.column.table.name == "coworker_invitation"
                   for column in columns for fk in column.foreign_keys)
    assert {c.name for c in columns} == {"id", "round_id", *BEHAVIOURS, "comment", "submitted_on"}
    # Answering is not audited.
    assert [r.action for r in audit_rows(db)] == ["coworker_round.open"]

    # The second use of the link is refused and changes nothing.
    assert refused(coworker.answer, db.session, token, {"akuntabel": "1"}, None) == "token_used"
    db.session.rollback()
    assert answers(db) == 1
    assert db.session.scalars(select(CoworkerAnswer)).one().akuntabel == 3


def test_unknown_and_closed_links_are_refused(db, people):
    round_id, tokens = open_round(db, people, people.coworkers[:3])
    for token in ("tidak-dikenal-abcdefghijklmnopqrstuvwxyz", "", "x" * 10_000, "a\x00b" * 10,
                  next(iter(tokens.values()))[:-1] + "?"):
        assert refused(coworker.answer, db.session, token, {"akuntabel": "3"}, None) \
            == "unknown_token"
    coworker.close_round(db.session, user(db, "penilai"),
                         coworker.round_by_id(db.session, round_id))
    db.session.commit()
    assert refused(coworker.answer, db.session, next(iter(tokens.values())), {"akuntabel": "3"},
                   None) == "round_closed"
    db.session.rollback()
    assert answers(db) == 0


@pytest.mark.parametrize("values, comment, problems", [
    ({"akuntabel": "0"}, None, {"akuntabel": "out_of_range"}),
    ({"akuntabel": "5", "loyal": "-1"}, None, {"akuntabel": "out_of_range",
                                               "loyal": "out_of_range"}),
    ({"kompeten": "x"}, None, {"kompeten": "not_an_integer"}),
    ({"kompeten": "3\x00"}, None, {"kompeten": "not_an_integer"}),
    ({"kompeten": "3.0"}, None, {"kompeten": "not_an_integer"}),
    ({"kompeten": "3" * 10_000}, None, {"kompeten": "out_of_range"}),
    ({"adaptif": "4"}, "a" * 10_000, {"comment": "too_long"}),
    ({}, None, {"answers": "empty"}),
    ({code: "" for code in BEHAVIOURS}, " \x00\x07 ", {"answers": "empty"}),
])
def test_hostile_answers_are_refused_and_leave_the_link_unused(db, people, values, comment,
                                                                problems):
    _round_id, tokens = open_round(db, people, people.coworkers[:3])
    token = next(iter(tokens.values()))
    with pytest.raises(InvalidSubmission) as caught:
        coworker.answer(db.session, token, values, comment)
    assert caught.value.errors == problems
    db.session.rollback()
    assert answers(db) == 0
    assert coworker.invitation_for(db.session, token).used_at is None


def test_control_characters_leave_a_comment_and_a_comment_alone_is_an_answer(db, people):
    _round_id, tokens = open_round(db, people, people.coworkers[:3])
    coworker.answer(db.session, next(iter(tokens.values())), {"kompeten": ""},
                    "Teliti\x00 dan\x1b sabar.")
    db.session.commit()
    assert db.session.scalars(select(CoworkerAnswer.comment)).one() == "Teliti dan sabar."


# --- results ---------------------------------------------------------------------------------

def test_results_are_hidden_at_two_answers_and_shown_at_three(db, people):
    round_id, tokens = open_round(db, people, people.coworkers)
    links = list(tokens.values())
    answer_all(db, links[:2], ROWS[:2])
    hidden = coworker.results(db.session, coworker.round_by_id(db.session, round_id))
    assert (hidden.shown, hidden.answered, hidden.invited, hidden.needed) == (False, 2, 4, 3)
    assert hidden.behaviours == [] and hidden.comments == []
    assert coworker.results(db.session, people.evaluated, PERIOD) == hidden

    answer_all(db, links[2:3], ROWS[2:])
    shown = coworker.results(db.session, people.evaluated, PERIOD)
    assert (shown.shown, shown.answered) == (True, 3)
    by_code = {r.code: r for r in shown.behaviours}
    assert list(by_code) == list(BEHAVIOURS)
    for code, result in by_code.items():
        values = [row[code] for row in ROWS if code in row]
        assert result.summary.n == len(values)
        if len(values) < 3:  # "loyal": one co-worker left it blank, so it stays hidden
            assert code == "loyal" and not result.shown
            continue
        mean = sum(values) / len(values)
        assert result.summary.mean == pytest.approx(mean)
        assert result.summary.mean_100 == pytest.approx(25 * mean)
        if len(set(values)) == 1:  # "adaptif": all 3; scipy has no interval of scale 0
            low = high = mean
        else:
            low, high = stats.t.interval(0.95, len(values) - 1, loc=mean,
                                         scale=stats.sem(values))
        want = (max(low, 1.0), min(high, 4.0))  # a mean cannot leave the 1–4 scale
        assert result.summary.ci95 == pytest.approx(want)
        assert result.summary.ci95_100 == pytest.approx((25 * want[0], 25 * want[1]))
    # "akuntabel" 3, 3, 2 by hand: 2.667 ± t(2) 4.3027 · s/√3 0.3333, the top clipped at 4.
    assert by_code["akuntabel"].summary.ci95 == pytest.approx((1.2324, 4.0), abs=1e-4)
    assert by_code["berorientasi_pelayanan"].summary.ci95[0] == pytest.approx(
        11 / 3 - stats.t.ppf(0.975, 2) * stats.sem([4, 3, 4]))
    assert by_code["harmonis"].summary.ci95[0] == 1.0  # 10/3 − 2.87 lies below the scale
    # Comments by their text (case-blind), never in the order they came.
    assert shown.comments == ["anak baru pun dibimbing.", "Zaman ini beliau cepat membantu."]


def test_no_round_means_no_results(db, people):
    assert coworker.results(db.session, people.evaluated, PERIOD) is None
    evidence = coworker.coworker_evidence(db.session, people.evaluated, PERIOD, NOW)
    assert (evidence["shown"], evidence["answered"], evidence["round"]) == (False, 0, None)


# --- the evidence object ---------------------------------------------------------------------

def test_evidence_is_hidden_below_three_and_never_names_a_coworker(db, people):
    _round_id, tokens = open_round(db, people, people.coworkers[:3])
    links = list(tokens.values())
    answer_all(db, links[:2], ROWS[:2])
    hidden = coworker.coworker_evidence(db.session, people.evaluated, PERIOD, NOW)
    assert hidden == {
        "schema": coworker.EVIDENCE_SCHEMA, "label": "rekan kerja",
        "officer": {"nip": people.evaluated.nip, "unit": people.unit.unit.code},
        "period": PERIOD, "pulled_at": "2026-10-05T03:00:00+00:00", "method": hidden["method"],
        "min_answers": 3, "round": hidden["round"], "invited": 3, "answered": 2,
        "shown": False, "reason": "fewer than 3 co-workers answered"}

    answer_all(db, links[2:], ROWS[2:])
    evidence = coworker.coworker_evidence(db.session, people.evaluated, PERIOD, NOW)
    assert (evidence["shown"], evidence["answered"]) == (True, 3)
    assert evidence["behaviours"]["loyal"] == {"n": 2, "shown": False}
    akuntabel = evidence["behaviours"]["akuntabel"]
    assert akuntabel == {"n": 3, "shown": True, "mean": 2.6667, "mean_100": 66.6667,
                         "ci95": [1.2324, 4.0], "ci95_100": [30.8112, 100.0]}
    assert evidence["comments"] == ["anak baru pun dibimbing.", "Zaman ini beliau cepat membantu."]
    text = json.dumps(evidence, ensure_ascii=False)
    for name, nip in zip(NAMES, NIPS, strict=True):
        assert name not in text and nip not in text
    for token in links:
        assert token not in text
    # The record stores it with its own digest, by the same recipe as the citizen evidence.
    canonical = json.dumps(evidence, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_sha256(evidence) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    again = coworker.coworker_evidence(db.session, people.evaluated, PERIOD, NOW)
    assert canonical_sha256(again) == canonical_sha256(evidence)
