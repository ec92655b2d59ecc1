"""All models, importable from one place so Alembic sees every table."""
from surveys.models.api_key import UnitApiKey
from surveys.models.audit import AuditEvent
from surveys.models.burst_check import BurstCheck
from surveys.models.complaint import Complaint
from surveys.models.coworker import CoworkerAnswer, CoworkerInvitation, CoworkerRound
from surveys.models.evaluation import EvaluationRecord, Keberatan, SkpItem
from surveys.models.forum import FollowUpAction, ForumDecision, ForumSession
from surveys.models.grant import ROLES, RoleGrant
from surveys.models.hash_key import HashKey
from surveys.models.iku import IkuTarget
from surveys.models.instrument import Instrument, InstrumentItem
from surveys.models.organization import Counter, Organization, Service, Unit
from surveys.models.objection import ResponseObjection
from surveys.models.population import Population
from surveys.models.publication import Publication, PublicationComment
from surveys.models.rollup import DailyRollup, RollupPending
from surveys.models.response import (
    Answer,
    ReplyRequest,
    Response,
    ResponseFlag,
    TicketRedemption,
)
from surveys.models.staff import CounterAssignment, Staff
from surveys.models.touchpoint import Touchpoint
from surveys.models.user import User

__all__ = [
    "SkpItem",
    "ResponseObjection",
    "Keberatan",
    "IkuTarget",
    "EvaluationRecord",
    "CoworkerRound",
    "CoworkerInvitation",
    "CoworkerAnswer",
    "Answer",
    "AuditEvent",
    "BurstCheck",
    "Complaint",
    "Counter",
    "FollowUpAction",
    "ForumDecision",
    "ForumSession",
    "CounterAssignment",
    "DailyRollup",
    "HashKey",
    "Instrument",
    "InstrumentItem",
    "Organization",
    "Population",
    "Publication",
    "PublicationComment",
    "ReplyRequest",
    "RollupPending",
    "Response",
    "ResponseFlag",
    "ROLES",
    "RoleGrant",
    "Service",
    "Staff",
    "TicketRedemption",
    "Touchpoint",
    "Unit",
    "UnitApiKey",
    "User",
]
