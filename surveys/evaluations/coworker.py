"""Co-worker input (rekan kerja, DESIGN §5): an evaluator opens a short round on one officer and
period, hands each named co-worker a one-time link, and sees the answers only as summaries, from
MIN_COWORKERS answers on and never with a name.

Anonymity, by construction: only a SHA-256 of each token is stored; an answer row has no link to
its invitation and only the day it came in; the invitation's `used_at` is cut to the same day, so
the order of answers within a day cannot be matched to the order invitations were used; nothing
about an answer is audited; comments are shown sorted by their text, never in the order they came.
Services flush, never commit.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from analysis.coworker import BehaviourSummary, summarise
from analysis.version import METHOD
from surveys import audit
from surveys.db import row_by_id
from surveys.errors import InvalidSubmission, RecordRefused
from surveys.frozen import json_number, json_pair
from surveys.models import CoworkerAnswer, CoworkerInvitation, CoworkerRound, Staff, User
from surveys.models.evaluation import BEHAVIOURS
from surveys.organization import grants
from surveys.periods import Period
from surveys.responses.form_values import answer_value

MIN_COWORKERS = 3  # results stay hidden below this many answers (and a behaviour below this n)
MAX_INVITEES = 30
COMMENT_MAX_CHARS = 2000
TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 43 characters, 256 random bits
EVIDENCE_SCHEMA = "suara-warga/coworker-evidence/1"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class OpenedRound:
    """A new round and its links' tokens, in plain text this once (only their hashes are kept)."""

    round: CoworkerRound
    links: list[tuple[Staff, str]]  # (invitee, token), in the invitees' name order


@dataclass(frozen=True)
class BehaviourResult:
    code: str
    summary: BehaviourSummary

    @property
    def shown(self) -> bool:
        """A behaviour fewer than MIN_COWORKERS answered (others left it blank) stays hidden too."""
        return self.summary.n >= MIN_COWORKERS


@dataclass(frozen=True)
class CoworkerResults:
    """What anyone may see of a round: counts always; figures and comments only when `shown`."""

    round_id: int
    staff_id: int
    period: str
    opened_at: datetime
    closed_at: datetime | None
    invited: int
    answered: int
    needed: int = MIN_COWORKERS
    behaviours: list[BehaviourResult] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.answered >= MIN_COWORKERS

    @property
    def open(self) -> bool:
        return self.closed_at is None


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def may_manage(user: User, staff_id: int) -> bool:
    """Rounds on an officer are for that officer's evaluator (pejabat penilai) and admins."""
    return grants.is_admin(user) or staff_id in grants.evaluated_staff_ids(user)


def _check_manager(actor: User, staff_id: int) -> None:
    if not may_manage(actor, staff_id):
        raise RecordRefused("not_evaluator")


def candidate_coworkers(session: Session, staff: Staff) -> list[Staff]:
    """Whom the open form offers: the active staff of the officer's unit but the officer."""
    return list(session.scalars(select(Staff).where(
        Staff.unit_id == staff.unit_id, Staff.active.is_(True), Staff.id != staff.id)
        .order_by(Staff.name, Staff.id)))


def _invitees(session: Session, staff: Staff, invitee_ids: Iterable) -> list[Staff]:
    """The named co-workers: at least MIN_COWORKERS active staff of the officer's organization,
    each once, never the officer; RecordRefused(code, "invitees") otherwise."""
    ids = list(invitee_ids)
    if any(not isinstance(i, int) or isinstance(i, bool) for i in ids):
        raise RecordRefused("unknown_invitee", "invitees")
    if len(set(ids)) != len(ids):
        raise RecordRefused("duplicate_invitee", "invitees")
    if staff.id in ids:
        raise RecordRefused("self_invited", "invitees")
    if len(ids) < MIN_COWORKERS:
        raise RecordRefused("too_few_invitees", "invitees")
    if len(ids) > MAX_INVITEES:
        raise RecordRefused("too_many_invitees", "invitees")
    found = list(session.scalars(select(Staff).where(Staff.id.in_(ids)).order_by(Staff.name,
                                                                                   Staff.id)))
    organization = staff.unit.organization_id
    if len(found) != len(ids) or any(s.unit.organization_id != organization for s in found):
        raise RecordRefused("unknown_invitee", "invitees")
    if any(not s.active for s in found):
        raise RecordRefused("inactive_invitee", "invitees")
    return found


def open_round(session: Session, actor: User, staff: Staff, period_code: str,
               invitee_ids: Iterable[int]) -> OpenedRound:
    """Opens a round on `staff` for the period with one invitation per named co-worker; one open
    round per officer and period. The audit row names the officer and period, and only the
    number of invitees: the log is read more widely than the round."""
    _check_manager(actor, staff.id)
    period = Period.parse(period_code)  # InvalidPeriod
    invitees = _invitees(session, staff, invitee_ids)
    existing = session.scalar(select(CoworkerRound.id).where(
        CoworkerRound.staff_id == staff.id, CoworkerRound.period == period.code,
        CoworkerRound.closed_at.is_(None)))
    if existing is not None:
        raise RecordRefused("exists", "period")
    round_ = CoworkerRound(staff=staff, period=period.code, opened_by_id=actor.id)
    session.add(round_)
    links = []
    for invitee in invitees:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        round_.invitations.append(CoworkerInvitation(invitee=invitee,
                                                     token_sha256=token_sha256(token)))
        links.append((invitee, token))
    session.flush()
    audit.record(session, actor=actor, action="coworker_round.open", entity="coworker_round",
                 entity_id=round_.id, unit_id=staff.unit_id,
                 after={"staff": staff.nip, "period": period.code, "invited": len(invitees)})
    return OpenedRound(round_, links)


def _answered(session: Session, round_id: int) -> int:
    return session.scalar(select(func.count()).select_from(CoworkerAnswer).where(
        CoworkerAnswer.round_id == round_id))


def close_round(session: Session, actor: User, round_: CoworkerRound,
                now: datetime | None = None) -> CoworkerRound:
    """Closes an open round: its unused links stop working; its answers stay."""
    _check_manager(actor, round_.staff_id)
    if round_.closed_at is not None:
        raise RecordRefused("closed")
    round_.closed_at = now or datetime.now(UTC)
    session.flush()
    audit.record(session, actor=actor, action="coworker_round.close", entity="coworker_round",
                 entity_id=round_.id, unit_id=round_.staff.unit_id,
                 before={"closed_at": None},
                 after={"closed_at": round_.closed_at.isoformat(),
                        "answered": _answered(session, round_.id),
                        "invited": len(round_.invitations)})
    return round_


def invitation_for(session: Session, token: str) -> CoworkerInvitation:
    """The invitation of a link still to be answered; RecordRefused 'unknown_token' (also for
    text that cannot be a token), 'token_used' or 'round_closed'."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        raise RecordRefused("unknown_token")
    invitation = session.scalar(select(CoworkerInvitation).where(
        CoworkerInvitation.token_sha256 == token_sha256(token)))
    if invitation is None:
        raise RecordRefused("unknown_token")
    if invitation.used_at is not None:
        raise RecordRefused("token_used")
    if invitation.round.closed_at is not None:
        raise RecordRefused("round_closed")
    return invitation


def clean_answer(values: Mapping[str, str], comment: str | None) -> tuple[dict, str | None]:
    """Each behaviour 1–4 or blank, and the comment without control characters; InvalidSubmission
    naming each bad field ('not_an_integer', 'out_of_range', 'too_long', 'empty')."""
    answers, errors = {}, {}
    for code in BEHAVIOURS:
        raw = values.get(code)
        value, problem = answer_value(raw if isinstance(raw, str) else None)
        if problem:
            errors[code] = problem
        answers[code] = value
    text = _CONTROL.sub("", comment if isinstance(comment, str) else "").strip()
    if len(text) > COMMENT_MAX_CHARS:
        errors["comment"] = "too_long"
    if not errors and not text and all(v is None for v in answers.values()):
        errors["answers"] = "empty"
    if errors:
        raise InvalidSubmission(errors)
    return answers, text or None


def answer(session: Session, token: str, values: Mapping[str, str], comment: str | None,
           now: datetime | None = None) -> None:
    """Stores one co-worker's answer and marks the link used, once: a second use (even a
    simultaneous one) is refused with 'token_used' and changes nothing. Not audited."""
    invitation = invitation_for(session, token)
    answers, text = clean_answer(values, comment)
    day = (now or datetime.now(UTC)).astimezone(UTC).date()
    day_start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    used = session.execute(update(CoworkerInvitation).where(
        CoworkerInvitation.id == invitation.id, CoworkerInvitation.used_at.is_(None)
    ).values(used_at=day_start).execution_options(synchronize_session=False))
    if used.rowcount != 1:
        raise RecordRefused("token_used")
    session.add(CoworkerAnswer(round_id=invitation.round_id, comment=text, submitted_on=day,
                               **answers))
    session.flush()
    session.expire(invitation)


def round_by_id(session: Session, round_id: int) -> CoworkerRound | None:
    return row_by_id(session, CoworkerRound, round_id)


def rounds_of(session: Session, staff: Staff) -> list[CoworkerRound]:
    """The officer's rounds, newest first."""
    return list(session.scalars(select(CoworkerRound).where(CoworkerRound.staff_id == staff.id)
                                .order_by(CoworkerRound.id.desc())))


def latest_round(session: Session, staff: Staff, period_code: str) -> CoworkerRound | None:
    """The round that speaks for the officer and period: the one opened last."""
    code = Period.parse(period_code).code
    return session.scalars(select(CoworkerRound).where(
        CoworkerRound.staff_id == staff.id, CoworkerRound.period == code)
        .order_by(CoworkerRound.id.desc())).first()


def results(session: Session, target: CoworkerRound | Staff,
            period_code: str | None = None) -> CoworkerResults | None:
    """A round's results (`target` a round, or an officer with `period_code`: their latest
    round; None when there is none). Below MIN_COWORKERS answers only the counts; no names."""
    round_ = target if isinstance(target, CoworkerRound) else latest_round(session, target,
                                                                           period_code or "")
    if round_ is None:
        return None
    rows = list(session.execute(select(*(getattr(CoworkerAnswer, c) for c in BEHAVIOURS),
                                       CoworkerAnswer.comment)
                                .where(CoworkerAnswer.round_id == round_.id)))
    base = CoworkerResults(round_.id, round_.staff_id, round_.period, round_.opened_at,
                           round_.closed_at, len(round_.invitations), len(rows))
    if not base.shown:
        return base
    behaviours = [BehaviourResult(code, summarise([row[k] for row in rows if row[k] is not None]))
                  for k, code in enumerate(BEHAVIOURS)]
    comments = sorted((row[-1] for row in rows if row[-1]), key=lambda text: (text.casefold(),
                                                                               text))
    return replace(base, behaviours=behaviours, comments=comments)


def _behaviour_json(result: BehaviourResult) -> dict:
    s = result.summary
    if not result.shown:
        return {"n": s.n, "shown": False}
    return {"n": s.n, "shown": True, "mean": json_number(s.mean), "mean_100": json_number(s.mean_100),
            "ci95": json_pair(s.ci95), "ci95_100": json_pair(s.ci95_100)}


def coworker_evidence(session: Session, staff: Staff, period_code: str, now: datetime) -> dict:
    """The co-worker evidence a record stores beside the citizen evidence (its own digest:
    `evidence_sha256` of this object): the latest round's summaries, or `shown` false with n.
    Never a co-worker's name, nor anything about who answered. Only reads."""
    period = Period.parse(period_code)
    found = results(session, staff, period.code)
    out = {"schema": EVIDENCE_SCHEMA, "label": "rekan kerja",
           "officer": {"nip": staff.nip, "unit": staff.unit.code}, "period": period.code,
           "pulled_at": now.isoformat(timespec="seconds"), "method": METHOD,
           "min_answers": MIN_COWORKERS}
    if found is None:
        return {**out, "round": None, "invited": 0, "answered": 0, "shown": False,
                "reason": "no co-worker round for this officer and period"}
    out.update({"round": {"opened_on": found.opened_at.date().isoformat(),
                          "closed_on": None if found.closed_at is None
                          else found.closed_at.date().isoformat()},
                "invited": found.invited, "answered": found.answered, "shown": found.shown})
    if not found.shown:
        return {**out, "reason": f"fewer than {MIN_COWORKERS} co-workers answered"}
    return {**out, "scale": "1-4; ×25 on 25-100",
            "interval": "95% t interval on the mean (df n-1), clipped to the scale",
            "behaviours": {r.code: _behaviour_json(r) for r in found.behaviours},
            "comments": found.comments}
