"""Every GET route of the app with real objects behind its path parameters: a unit with its
touchpoints, a stored response's receipt, a ticket issued through the API and a signed-in admin.
Used by the security-header and trusted-host tests."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from flask import Flask, url_for
from sqlalchemy import select

from surveys.complaints.rules import due_on
from surveys.evaluations import coworker, records
from surveys.forum import service as forum
from surveys.models import (
    Complaint,
    CounterAssignment,
    Response,
    RoleGrant,
    Staff,
    Touchpoint,
    UnitApiKey,
    User,
)
from surveys.publishing import service as publishing
from tests.factories import full_answers, hidden_fields, make_unit

STATIC = Path(__file__).resolve().parents[1] / "app" / "static"
PASSWORD = "rahasia-uji-123"


@dataclass
class Site:
    unit_code: str
    counter_code: str
    touchpoint_id: int
    receipt: str
    api_key: str
    ticket: dict
    nip: str
    staff_id: int = 0
    assignment_id: int = 0
    user_id: int = 0
    organization: str = ""
    service_id: int = 0
    public_ref: str = ""
    coworker_round_id: int = 0
    coworker_token: str = ""
    record_id: int = 0
    complaint_id: int = 0
    forum_session_id: int = 0


def build_site(client, db) -> Site:
    """The objects, made through the pages and the API a user would use; `client` ends signed in
    as an admin."""
    unit = make_unit(db.session)
    key, api_key = UnitApiKey.issue(unit.unit, "Mesin antrean")
    # An admin who is also an officer, evaluates another and is the atasan of the evaluator of a
    # third, as a head of unit often is, so that /saya, /penilaian and the keberatan inbox are on
    # the walk too.
    admin = User(username="admin", display_name="Admin", staff_id=unit.officers[1].id,
                 grants=[RoleGrant(role="admin"),
                         RoleGrant(role="evaluator", staff_id=unit.officers[0].id),
                         RoleGrant(role="staff", staff_id=unit.officers[1].id),
                         RoleGrant(role="atasan", staff_id=unit.other_unit_officer.id)])
    admin.set_password(PASSWORD)
    db.session.add_all([key, admin])
    db.session.commit()
    touchpoint_id = db.session.scalar(
        select(Touchpoint.id).where(Touchpoint.public_code == unit.counter_code))
    form = client.get(f"/s/{unit.counter_code}")
    posted = client.post(f"/s/{unit.counter_code}",
                         data={**hidden_fields(form.text), **full_answers(4)})
    assert posted.status_code == 303, posted.text
    receipt = posted.headers["Location"].rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    ticket = client.post("/api/v1/tickets", json={"touchpoint": unit.counter_code},
                         headers={"X-API-Key": api_key})
    assert ticket.status_code == 201, ticket.text
    sign_in(client)
    assignment_id = db.session.scalar(select(CounterAssignment.id).where(
        CounterAssignment.staff_id == unit.officers[0].id))
    round_id, coworker_token = _coworker_round(db, admin, unit)
    record_id = _shared_record(db, admin, unit)
    _published(db, admin, unit)
    complaint_id, forum_session_id = _complaint_and_forum(db, admin, unit, receipt)
    return Site(unit.unit.code, unit.counter_code, touchpoint_id, receipt, api_key, ticket.json,
                unit.officers[0].nip, unit.officers[0].id, assignment_id, admin.id,
                unit.unit.organization.code, unit.services[0].id, unit.officers[0].public_ref,
                round_id, coworker_token, record_id, complaint_id, forum_session_id)


def _complaint_and_forum(db, admin: User, unit, receipt: str) -> tuple[int, int]:
    """The stored response as a complaint in the inbox (as if its citizen had asked for a
    reply), and a forum session of the unit, so their pages are on the walk."""
    response = db.session.scalars(select(Response).where(Response.receipt == receipt)).one()
    complaint = Complaint(response_id=response.id, unit_id=response.unit_id, status="baru",
                          received_at=response.submitted_at,
                          due_on=due_on(response.submitted_at.date()))
    db.session.add(complaint)
    held = forum.record_session(db.session, admin, unit.unit, held_on=date(2026, 9, 10),
                                place="Aula", participants={"masyarakat": 12}, points="Antrean.",
                                now=datetime(2026, 9, 10, 3, tzinfo=timezone.utc))
    db.session.commit()
    return complaint.id, held.id


def _coworker_round(db, admin: User, unit) -> tuple[int, str]:
    """A co-worker round on the first officer, with one of its unused links."""
    colleagues = [Staff(nip=nip, name=f"Rekan {k}", position="Staf", unit=unit.unit)
                  for k, nip in enumerate(("198101012006041001", "198202022007042002"))]
    db.session.add_all(colleagues)
    db.session.flush()
    opened = coworker.open_round(db.session, admin, unit.officers[0], "2026-Q3",
                                 [unit.officers[1].id] + [s.id for s in colleagues])
    db.session.commit()
    return opened.round.id, opened.links[0][1]


def _shared_record(db, admin: User, unit) -> int:
    """A record on the admin's own officer record, with evidence pulled and shared, so that the
    evaluator's page, its PDF and the officer's page all have it."""
    now = datetime.now(timezone.utc)
    record = records.open_record(db.session, admin, unit.officers[1], "2026-Q3", now)
    records.pull_evidence(db.session, admin, record, now)
    records.share(db.session, admin, record, now)
    db.session.commit()
    return record.id


def _published(db, admin: User, unit) -> None:
    """The unit's 2026-Q3 results published (version 1), so that its public page, version page
    and downloads have a snapshot to show."""
    row = publishing.prepare(db.session, admin, unit.unit, "2026-Q3",
                             datetime(2026, 10, 1, tzinfo=timezone.utc))
    publishing.publish(db.session, admin, row, datetime(2026, 11, 2, tzinfo=timezone.utc))
    db.session.commit()


def sign_in(client, base_url: str = "http://localhost") -> None:
    page = f"{base_url}/auth/masuk"
    fields = hidden_fields(client.get(page).text)
    # Over https, Flask-WTF also wants a same-origin Referer, as a browser sends.
    signed = client.post(page, data={**fields, "username": "admin", "password": PASSWORD},
                         headers={"Referer": page})
    assert signed.status_code == 303, signed.text


def get_paths(app: Flask, site: Site) -> list[str]:
    """One path for every GET route (both formats of the QR download, every static file).

    A new route with a path parameter not named here makes this fail: give it a real value."""
    values = {"token": site.ticket["token"], "receipt": site.receipt,
              "touchpoint_id": site.touchpoint_id, "code": site.unit_code, "nip": site.nip,
              "staff_id": site.staff_id, "assignment_id": site.assignment_id,
              "user_id": site.user_id, "org": site.organization, "part_id": site.service_id,
              "public_ref": site.public_ref, "round_id": site.coworker_round_id,
              "record_id": site.record_id, "period_code": "2026-Q3", "version": 1,
              "complaint_id": site.complaint_id, "session_id": site.forum_session_id}
    per_endpoint = {"public.survey": {"code": site.counter_code},
                    "evaluations.coworker_form": {"token": site.coworker_token},
                    "api.evaluations": {"unit": site.unit_code}}  # ?unit= is required
    variants = {"fmt": ["png", "svg"], "kind": ["layanan"], "ext": ["xlsx", "csv"],
                "filetype": ["csv", "json"],
                "filename": sorted(p.name for p in STATIC.iterdir() if p.is_file())}
    paths = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods:
                continue
            arguments = {name: values[name] for name in rule.arguments if name not in variants}
            arguments.update(per_endpoint.get(rule.endpoint, {}))
            many = [name for name in rule.arguments if name in variants]
            choices = [{}] if not many else [{many[0]: value} for value in variants[many[0]]]
            for choice in choices:
                paths.append(url_for(rule.endpoint, **arguments, **choice))
    return paths
