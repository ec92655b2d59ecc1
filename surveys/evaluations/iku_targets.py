"""A unit's IKU targets per period: set (create or correct), remove, and list with their
realisation (issue 13). Only the unit's managers and admins change them; every change is audited.

A target that an SKP item of a final evaluation record is tied to is frozen: its record was
judged against it, so changing or removing it is refused (RecordRefused 'in_use'). One tied to
a record not yet final cannot be removed either ('linked': the evaluator unlinks it first), but
its value may be corrected. Functions flush, never commit.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from surveys import audit
from surveys.errors import InvalidPeriod, RecordRefused
from surveys.evaluations.iku import Realisation, realisation
from surveys.models import EvaluationRecord, IkuTarget, SkpItem, Unit, User
from surveys.models.iku import IKU_INDICATORS
from surveys.organization.grants import require_manager
from surveys.periods import Period

ENTITY = "iku_target"
FIELDS = ("unit_id", "period", "indicator", "target")
MIN_TARGET, MAX_TARGET = Decimal(0), Decimal(100)
MAX_TARGET_TEXT = 20
# A plain decimal number, the decimal mark a point or (as Indonesians write it) a comma.
_NUMBER = re.compile(r"[+-]?\d{1,20}(?:[.,]\d{1,20})?", re.ASCII)
_HUNDREDTH = Decimal("0.01")


def parse_period(period: str | Period) -> str:
    """The canonical period code; RecordRefused('invalid_period', 'period') otherwise."""
    if isinstance(period, Period):
        return period.code
    try:
        return Period.parse(period).code
    except InvalidPeriod:
        raise RecordRefused("invalid_period", "period") from None


def parse_target(value: object) -> Decimal:
    """A target 0–100 with at most 2 decimals, from a number or a text ("82", "82.5", "82,5").

    RecordRefused('target_format' | 'target_range' | 'target_decimals', 'target') otherwise.
    """
    if isinstance(value, bool) or value is None:
        raise RecordRefused("target_format", "target")
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_TARGET_TEXT or not _NUMBER.fullmatch(text):
            raise RecordRefused("target_format", "target")
        number = Decimal(text.replace(",", "."))
    elif isinstance(value, (int, float, Decimal)):
        try:
            number = value if isinstance(value, Decimal) else Decimal(repr(value))
        except InvalidOperation:
            raise RecordRefused("target_format", "target") from None
        if not number.is_finite():
            raise RecordRefused("target_format", "target")
    else:
        raise RecordRefused("target_format", "target")
    if not MIN_TARGET <= number <= MAX_TARGET:
        raise RecordRefused("target_range", "target")
    if number != number.quantize(_HUNDREDTH):
        raise RecordRefused("target_decimals", "target")
    return number.quantize(_HUNDREDTH)


def parse_indicator(indicator: object) -> str:
    if not isinstance(indicator, str) or indicator not in IKU_INDICATORS:
        raise RecordRefused("unknown_indicator", "indicator")
    return indicator


def in_final_use(session: Session, target: IkuTarget) -> bool:
    """Whether an SKP item of a final evaluation record is tied to `target`."""
    return bool(session.scalar(select(exists().where(
        SkpItem.iku_target_id == target.id, SkpItem.record_id == EvaluationRecord.id,
        EvaluationRecord.status == "final"))))


def _linked(session: Session, target: IkuTarget) -> bool:
    return bool(session.scalar(select(exists().where(SkpItem.iku_target_id == target.id))))


def find_target(session: Session, unit: Unit, period: str, indicator: str) -> IkuTarget | None:
    return session.scalars(select(IkuTarget).where(
        IkuTarget.unit_id == unit.id, IkuTarget.period == period,
        IkuTarget.indicator == indicator)).one_or_none()


def unit_target(session: Session, unit: Unit, target_id: int) -> IkuTarget | None:
    """The unit's own target with this id (None for another unit's or an unknown one)."""
    return session.scalars(select(IkuTarget).where(
        IkuTarget.id == target_id, IkuTarget.unit_id == unit.id)).one_or_none()


def set_target(session: Session, actor: User, unit: Unit, period: str | Period,
               indicator: str, target: object) -> IkuTarget:
    """Creates the unit's target for the period and indicator, or corrects its value.

    Raises NotAllowed (not a manager of the unit), RecordRefused for a bad period, indicator or
    target, and RecordRefused('in_use') when a final record was judged against the old value.
    Saving the same value again changes nothing and writes no audit row.
    """
    require_manager(session, actor, unit)
    code = parse_period(period)
    indicator = parse_indicator(indicator)
    value = parse_target(target)
    row = find_target(session, unit, code, indicator)
    if row is not None and Decimal(str(row.target)).quantize(_HUNDREDTH) == value:
        return row
    if row is not None and in_final_use(session, row):
        raise RecordRefused("in_use", "target")
    before = None if row is None else audit.values(row, *FIELDS)
    if row is None:
        row = IkuTarget(unit_id=unit.id, unit=unit, period=code, indicator=indicator,
                        created_by_id=actor.id)
        session.add(row)
    row.target = float(value)
    session.flush()
    audit.record(session, actor=actor, action="update" if before else "create", entity=ENTITY,
                 entity_id=row.id, unit_id=unit.id, before=before,
                 after=audit.values(row, *FIELDS))
    return row


def remove_target(session: Session, actor: User, target: IkuTarget) -> None:
    """Deletes a target nothing is tied to; RecordRefused('in_use') when a final record is,
    RecordRefused('linked') when a record not yet final is (unlink it there first)."""
    require_manager(session, actor, target.unit)
    if in_final_use(session, target):
        raise RecordRefused("in_use", "target")
    if _linked(session, target):
        raise RecordRefused("linked", "target")
    before = audit.values(target, *FIELDS)
    target_id, unit_id = target.id, target.unit_id
    session.delete(target)
    session.flush()
    audit.record(session, actor=actor, action="delete", entity=ENTITY, entity_id=target_id,
                 unit_id=unit_id, before=before, after=None)


def unit_targets(session: Session, unit: Unit,
                 period: str | Period) -> list[tuple[IkuTarget, Realisation]]:
    """The unit's targets for the period (in the order of IKU_INDICATORS), each with its
    realisation from the data. Only reads (fold the roll-up first)."""
    code = parse_period(period)
    rows = session.scalars(select(IkuTarget).where(IkuTarget.unit_id == unit.id,
                                                   IkuTarget.period == code))
    ordered = sorted(rows, key=lambda row: IKU_INDICATORS.index(row.indicator))
    return [(row, realisation(session, row)) for row in ordered]
