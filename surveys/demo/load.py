"""The idempotent demo loader: Pemerintah Kota Kupang, its officers, demo accounts, IKU targets
and responses.

`load_demo` flushes and never commits. When the demo organization exists it changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from surveys.demo import evaluations, publications
from surveys.demo import complaints, forum
from surveys.reporting import rollup
from surveys.demo.generate import DemoIds, generate, populations
from surveys.demo.truth import DEFAULT_SEED, ORGANIZATION, PERIODS, TIMEZONE, UNITS
from surveys.organization.grants import is_admin
from surveys.responses.instruments import ensure_default_instrument
from surveys.models import (
    Answer,
    Counter,
    CounterAssignment,
    IkuTarget,
    Organization,
    Population,
    Response,
    RoleGrant,
    Service,
    Staff,
    Touchpoint,
    Unit,
    User,
)
from surveys.models.response import new_receipt

ASSIGNED_FROM = date(2026, 1, 1)
# Every unit's IKU targets ("realisation ≥ target") for these periods: IKM ≥ 82, at least 80% of
# respondents waited under 15 minutes, respondents ≥ 100% of the Krejcie–Morgan sample.
IKU_PERIODS = ("2026-Q3", "2026-Q4")
IKU_TARGETS = {"ikm": 82.0, "waiting": 80.0, "responses": 100.0}


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str  # DEMO ONLY: published in the README
    role: str
    display_name: str
    unit: str | None = None  # unit code
    staff_nip: str | None = None


# The one place that defines the demo accounts (quoted in the README).
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "demo-admin-2026", "admin", "Administrator Demo Kota Kupang"),
    DemoUser("manajer.dukcapil", "demo-manajer-2026", "unit_manager",
             "Kepala Disdukcapil (demo)", "kupang-dukcapil"),
    DemoUser("penilai.dukcapil", "demo-penilai-2026", "evaluator",
             "Pejabat Penilai Disdukcapil (demo)", "kupang-dukcapil"),
    DemoUser("atasan.dukcapil", "demo-atasan-2026", "atasan",
             "Sekretaris Disdukcapil, atasan pejabat penilai (demo)", "kupang-dukcapil"),
    DemoUser("petugas.dukcapil", "demo-petugas-2026", "staff", "Fransiska Nenobais",
             "kupang-dukcapil", "198911052014022001"),
    DemoUser("petugas2.dukcapil", "demo-petugas2-2026", "staff", "Marthen Benu",
             "kupang-dukcapil", "197906112005011002"),
)


@dataclass(frozen=True)
class DemoSummary:
    """What `load_demo` did; `created` is False when the demo data were already there."""

    created: bool
    organization: str
    units: int = 0
    services: int = 0
    counters: int = 0
    touchpoints: int = 0
    staff: int = 0
    users: tuple[DemoUser, ...] = ()
    skipped_users: tuple[str, ...] = ()  # usernames that already existed (left unchanged)
    populations: int = 0
    iku_targets: int = 0
    responses: int = 0
    comments: int = 0
    records: int = 0  # evaluation records (final and draft)
    publications: int = 0  # publication versions (published, corrected and draft)
    complaints: int = 0  # comments that asked for a reply, in every status
    first_response: datetime | None = None
    last_response: datetime | None = None


def demo_loaded(session: Session) -> bool:
    return session.scalar(
        select(func.count()).select_from(Organization).where(Organization.code == ORGANIZATION[0])
    ) > 0


def load_demo(session: Session, today: date, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Creates the demo organization with responses submitted before `today` (a WITA date).

    Does nothing when the demo organization exists. Flushes, never commits.
    """
    if demo_loaded(session):
        return DemoSummary(created=False, organization=ORGANIZATION[1])
    instrument = ensure_default_instrument(session)
    ids, counts = _directory(session, instrument.id)
    users, skipped = _users(session)
    population_rows = populations(today)
    session.add_all(Population(unit_id=ids.units[unit_code], period=period, size=size)
                    for unit_code, period, size in population_rows)
    targets = [IkuTarget(unit_id=unit_id, period=period, indicator=indicator, target=target)
               for unit_id in ids.units.values() for period in IKU_PERIODS
               for indicator, target in IKU_TARGETS.items()]
    session.add_all(targets)
    session.flush()

    generated = generate(ids, today, seed)
    for row in generated.responses:
        row["receipt"] = new_receipt()
    if generated.responses:
        # render_nulls: every row has the same columns, so the rows go in a few multi-row INSERTs
        session.execute(insert(Response).execution_options(render_nulls=True), generated.responses)
    comments = {row["receipt"]: text
                for row, text in zip(generated.responses, generated.comments) if text}
    _insert_comments(session, instrument, comments)
    accounts = _accounts(session)
    evaluations.load_objections(session, accounts)
    rollup.rebuild(session)  # bulk inserts bypass the per-response roll-up upkeep
    now = datetime(today.year, today.month, today.day, tzinfo=UTC) - timedelta(hours=8)  # WITA 00:00
    evaluations.load_coworker_rounds(session, accounts, now)  # before the records pull them
    records = evaluations.load_records(session, accounts, now)
    admin = accounts.get("admin")
    published = publications.load_publications(
        session, admin if admin is not None and is_admin(admin) else None, PERIODS, now)
    handler = admin if admin is not None and is_admin(admin) else None
    forum.load_forum(session, handler, now)
    complaint_count = complaints.load_complaints(session, handler, now)
    times = [row["submitted_at"] for row in generated.responses]
    return DemoSummary(
        created=True, organization=ORGANIZATION[1], **counts, users=users, skipped_users=skipped,
        populations=len(population_rows), iku_targets=len(targets),
        responses=len(generated.responses),
        comments=len(comments), records=records, publications=published,
        complaints=complaint_count,
        first_response=min(times, default=None), last_response=max(times, default=None),
    )


def _directory(session: Session, instrument_id: int) -> tuple[DemoIds, dict[str, int]]:
    """The organization, units, services, counters, officers, assignments and touchpoints."""
    organization = Organization(code=ORGANIZATION[0], name=ORGANIZATION[1])
    units: dict[str, Unit] = {}
    services: dict[tuple[str, str], Service] = {}
    counters: dict[tuple[str, str], Counter] = {}
    counter_tps: dict[tuple[str, str], Touchpoint] = {}
    staff: dict[str, Staff] = {}
    personal_tps: dict[str, Touchpoint] = {}
    for u in UNITS:
        unit = units[u.code] = Unit(organization=organization, code=u.code, name=u.name,
                                    timezone=TIMEZONE, parent=units[u.parent] if u.parent else None)
        for s in u.services:
            services[u.code, s.code] = Service(unit=unit, code=s.code, name=s.name)
        for c in u.counters:
            counter = counters[u.code, c.code] = Counter(unit=unit, code=c.code, name=c.name)
            counter_tps[u.code, c.code] = Touchpoint(kind="counter", unit=unit, counter=counter)
        for o in u.officers:
            officer = staff[o.nip] = Staff(nip=o.nip, name=o.name, position=o.position, unit=unit)
            session.add(CounterAssignment(staff=officer, counter=counters[u.code, o.counter],
                                          starts_on=ASSIGNED_FROM))
            if o.personal_qr:
                personal_tps[o.nip] = Touchpoint(kind="staff", unit=unit, staff=officer)
    session.add(organization)
    session.add_all([*units.values(), *services.values(), *counters.values(), *staff.values(),
                     *counter_tps.values(), *personal_tps.values()])
    session.flush()

    def id_map(objects: dict) -> dict:
        return {key: obj.id for key, obj in objects.items()}

    ids = DemoIds(instrument_id, id_map(units), id_map(services), id_map(counters),
                  id_map(counter_tps), id_map(staff), id_map(personal_tps))
    counts = dict(units=len(units), services=len(services), counters=len(counters),
                  touchpoints=len(counter_tps) + len(personal_tps), staff=len(staff))
    return ids, counts


def _accounts(session: Session) -> dict[str, User]:
    """The demo accounts by username (those that existed before the demo included)."""
    names = [demo.username for demo in DEMO_USERS]
    return {user.username: user for user in session.scalars(
        select(User).where(User.username.in_(names)))}


def _users(session: Session) -> tuple[tuple[DemoUser, ...], tuple[str, ...]]:
    """One account per role; a username already taken is left alone and reported."""
    taken = set(session.scalars(
        select(User.username).where(User.username.in_([u.username for u in DEMO_USERS]))))
    created = []
    for demo in DEMO_USERS:
        if demo.username in taken:
            continue
        unit_id = session.scalars(select(Unit.id).where(Unit.code == demo.unit)).one() \
            if demo.unit else None
        staff_id = session.scalars(select(Staff.id).where(Staff.nip == demo.staff_nip)).one() \
            if demo.staff_nip else None
        user = User(username=demo.username, display_name=demo.display_name, staff_id=staff_id,
                    grants=_grants(session, demo.role, unit_id, staff_id))
        user.set_password(demo.password)
        session.add(user)
        created.append(demo)
    return tuple(created), tuple(sorted(taken))


def _grants(session: Session, role: str, unit_id: int | None,
            staff_id: int | None) -> list[RoleGrant]:
    """A demo account's grants: the admin's, the manager's unit, the evaluator's and the atasan's
    every officer of the unit (as pejabat penilai, as atasan), the staff member's own record."""
    if role == "admin":
        return [RoleGrant(role=role)]
    if role == "unit_manager":
        return [RoleGrant(role=role, unit_id=unit_id)]
    if role in ("evaluator", "atasan"):
        officers = session.scalars(select(Staff.id).where(Staff.unit_id == unit_id)
                                   .order_by(Staff.id))
        return [RoleGrant(role=role, staff_id=officer) for officer in officers]
    return [RoleGrant(role=role, staff_id=staff_id)]


def _insert_comments(session: Session, instrument, comments: dict[str, str]) -> None:
    """The comments as answers to the instrument's text item, found by receipt."""
    if not comments:
        return
    item_id = next(item.id for item in instrument.items if item.code == "COMMENT")
    receipts = list(comments)
    answers = []
    for start in range(0, len(receipts), 500):
        chunk = receipts[start:start + 500]
        for response_id, receipt in session.execute(
            select(Response.id, Response.receipt).where(Response.receipt.in_(chunk))
        ):
            answers.append({"response_id": response_id, "item_id": item_id,
                            "value_text": comments[receipt]})
    session.execute(insert(Answer), sorted(answers, key=lambda row: row["response_id"]))
