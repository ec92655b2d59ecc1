"""Everything public on the demo, crawled, names no officer and shows no citizen's contact or
private reply (issue 14, must-show 2; DESIGN §6: "No officer's name, NIP or score is ever public").

The walk (tests/privacy/crawl.py) starts at `/` and follows every same-site link, source, GET
form (with its defaults and each option of its selects) and redirect, breadth-first, each
fetched by a fresh anonymous browser; then it starts again from what a visitor can type or be
given: the public API (`/api/v1/public/units`, every unit's indices for every published period
and version, and for the period still in draft), the OpenAPI document, every public version's
files under their versioned paths, the draft period's page and files ("tidak ada data" / 404),
and `/terima-kasih/<receipt>` and `/lacak?nomor=<receipt>` with the receipts of the demo's
complaints and of a few responses without one.

Left out: /admin and /auth (sign-in and what it guards), /t/ (one-time ticket pages) and /s/:
the survey form lists the officers on duty by name (app/templates/public/survey.html) so that
the citizen can say who served them, which is intended, so the form is kept out of the crawl.
`/lacak?nomor=R` shows the unit's reply to R's citizen by design (the receipt is the bearer
secret, app/public/complaints.py): a private reply and a receipt may appear on their own
receipt's pages and nowhere else.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import select

from surveys.complaints import service as complaints
from surveys.errors import ComplaintRefused
from surveys.models import (
    Complaint,
    Counter,
    Organization,
    Publication,
    ReplyRequest,
    Response,
    Service,
    Staff,
    Unit,
    User,
)
from tests.admin.test_dashboard import demo  # noqa: F401  (the demo, loaded on 2026-11-23)
from tests.factories import signed_in
from tests.privacy.crawl import query_of, readable_text, walk

SKIPPED = ("/admin", "/auth", "/s/", "/t/")
DRAFT_PERIOD = "2026-Q4"  # in review on the demo's day: nothing of it is public
API = "/api/v1/public/units"
EXAMPLE_RECEIPTS = {"SW-7K3M-9QX2-4HTP", "SW-XXXX-XXXX-XXXX"}  # the form's hint and placeholder
RECEIPT = re.compile(r"SW-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}")
NIP_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{18,}(?![0-9A-Za-z])"  # 18 digits in a row
                      r"|(?<!\d)\d{8}[ .\-]\d{6}[ .\-]\d[ .\-]\d{3}(?!\d)")  # or grouped


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text)


def _any_of(texts, flags=re.IGNORECASE) -> re.Pattern:
    """Any of `texts` as whole words (a NIP also with a separator between its digits)."""
    either = "|".join(sorted(texts, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{either})(?!\w)", flags)


def personal_data(db) -> dict:
    """What must stay private: officers' names (in full, and each word of five letters or more
    that no unit, service or counter name uses), NIPs, citizens' contacts, complaints' private
    replies and receipts (by receipt, for the pages of that receipt)."""
    names = [name.strip() for name in db.session.scalars(select(Staff.name))]
    nips = list(db.session.scalars(select(Staff.nip)))
    ordinary = {word.casefold() for model in (Unit, Service, Counter, Organization)
                for name in db.session.scalars(select(model.name)) for word in _words(name)}
    words = {word for name in names for word in _words(name)
             if len(word) >= 5 and word.casefold() not in ordinary}
    replies = {receipt: reply for receipt, reply in db.session.execute(
        select(Response.receipt, Complaint.reply).join(Complaint,
                                                       Complaint.response_id == Response.id))}
    return {
        "names": names, "words": words, "nips": nips,
        "officer": _any_of([re.escape(name) for name in names] +
                           [re.escape(word) for word in words]),
        "nip": _any_of([r"[ .\-]?".join(nip) for nip in nips], 0),
        "contacts": list(db.session.scalars(select(ReplyRequest.contact))),
        "replies": replies,
    }


def own_receipt(path: str) -> str | None:
    """The receipt whose own page `path` is (its thank-you or tracking page), else None."""
    parts = urlsplit(path)
    if parts.path.startswith("/terima-kasih/"):
        return parts.path.rsplit("/", 1)[-1]
    if parts.path == "/lacak":
        return query_of(path).get("nomor", "").strip().upper() or None
    return None


def leaks(path: str, text: str, private: dict) -> list[str]:
    """Every piece of private data in one answer's readable text."""
    found = [f"officer {m.group()!r}" for m in private["officer"].finditer(text)]
    found += [f"NIP {m.group()!r}" for m in private["nip"].finditer(text)]
    found += [f"NIP-like {m.group()!r}" for m in NIP_LIKE.finditer(text)]
    found += [f"contact {contact!r}" for contact in private["contacts"] if contact in text]
    own = own_receipt(path)
    found += [f"private reply of {receipt}" for receipt, reply in private["replies"].items()
              if reply and reply in text and reply != private["replies"].get(own)]
    found += [f"receipt {m.group()}" for m in RECEIPT.finditer(text)
              if m.group() not in EXAMPLE_RECEIPTS | {own}]
    return found


def public_versions(db) -> list[tuple[str, str, int, str]]:
    """(unit code, period, version, status) of every published or superseded version."""
    return list(db.session.execute(
        select(Unit.code, Publication.period, Publication.version, Publication.status)
        .join(Unit, Unit.id == Publication.unit_id)
        .where(Publication.status.in_(("published", "superseded")))
        .order_by(Unit.code, Publication.period, Publication.version)))


def typed_paths(db) -> list[str]:
    """What a visitor can type or be given rather than click: the API, every public version's
    files by version, the draft period, the receipts' pages."""
    codes = list(db.session.scalars(select(Unit.code).order_by(Unit.code)))
    paths = [API, "/api/v1/openapi.json"]
    for code in codes:
        paths += [f"{API}/{code}/indices", f"{API}/{code}/indices?period={DRAFT_PERIOD}",
                  f"{API}/{code}/indices?period={DRAFT_PERIOD}&version=1",
                  f"/unit/{code}?periode={DRAFT_PERIOD}",
                  f"/unit/{code}/{DRAFT_PERIOD}.csv", f"/unit/{code}/{DRAFT_PERIOD}.json",
                  f"/unit/{code}/{DRAFT_PERIOD}/laporan-skm.pdf",
                  f"/unit/{code}/{DRAFT_PERIOD}/versi/1.json",
                  f"/unit/{code}/{DRAFT_PERIOD}/versi/1/laporan-skm.pdf"]
    for code, period, version, _status in public_versions(db):
        paths += [f"{API}/{code}/indices?period={period}",
                  f"{API}/{code}/indices?period={period}&version={version}",
                  f"/unit/{code}/{period}/versi/{version}.csv",
                  f"/unit/{code}/{period}/versi/{version}.json",
                  f"/unit/{code}/{period}/versi/{version}/laporan-skm.pdf"]
    complained = list(db.session.scalars(select(Response.receipt).join(
        Complaint, Complaint.response_id == Response.id).order_by(Response.id)))
    others = list(db.session.scalars(select(Response.receipt).where(
        Response.id.not_in(select(Complaint.response_id))).order_by(Response.id).limit(3)))
    for receipt in complained + others:
        paths += [f"/terima-kasih/{receipt}", f"/lacak?nomor={receipt}"]
    return list(dict.fromkeys(paths))


def crawl(app, db, tmp_path):
    """(answers reached by following links from `/`, all answers)."""
    app.config["RATELIMIT_TRACK_PER_IP"] = "1000 per minute"  # one test address, many receipts
    linked = walk(app, ["/"], SKIPPED, tmp_path)
    everything = walk(app, typed_paths(db), SKIPPED, tmp_path, dict(linked))
    return linked, everything


def test_the_crawl_reaches_every_unit_page_download_report_and_api_answer(app, db, demo,
                                                                          tmp_path):
    linked, everything = crawl(app, db, tmp_path)
    assert {path: a.status for path, a in everything.items() if a.status not in (200, 404)} \
        == {}, "every answer is 200 or 404"

    codes = set(db.session.scalars(select(Unit.code)))
    assert len(codes) >= 6
    for code in codes:  # each unit's page, reached from the portal by its links
        assert linked[f"/unit/{code}"].status == 200, code
    versions = public_versions(db)
    assert len(versions) >= 13  # 6 units × 2026-Q2, 2026-Q3; Disdukcapil's Q3 twice
    reports = set()
    for code, period, version, status in versions:
        if status == "published":  # the current version, under the period's own addresses
            files = [f"/unit/{code}?periode={period}", f"/unit/{code}/{period}.csv",
                     f"/unit/{code}/{period}.json", f"/unit/{code}/{period}/laporan-skm.pdf"]
        else:  # an old version, from the table of versions
            files = [f"/unit/{code}/versi/{version}?periode={period}",
                     f"/unit/{code}/{period}/versi/{version}.csv",
                     f"/unit/{code}/{period}/versi/{version}.json",
                     f"/unit/{code}/{period}/versi/{version}/laporan-skm.pdf"]
        for path in files:
            assert path in linked and linked[path].status == 200, path
        by_version = [f"/unit/{code}/{period}/versi/{version}.{ext}" for ext in ("csv", "json")]
        for path in files + by_version:
            assert everything[path].status == 200, path
        reports |= {files[-1], f"/unit/{code}/{period}/versi/{version}/laporan-skm.pdf"}
        assert everything[by_version[0]].mimetype == "text/csv"
        assert everything[by_version[1]].mimetype == "application/json"
    pdfs = {path for path, a in everything.items()
            if a.status == 200 and a.mimetype == "application/pdf"}
    assert pdfs == reports and len(pdfs) >= 19
    for path in pdfs:  # read through pdftotext, so their words were checked
        assert "BAB I PENDAHULUAN" in everything[path].text, path

    units = everything[API]
    assert units.status == 200 and units.mimetype == "application/json"
    assert {unit["code"] for unit in units.json["units"]} == codes
    api = [path for path, a in everything.items()
           if path.startswith(f"{API}/") and a.status == 200]
    assert len(api) == len(codes) * 2 + len({(c, p) for c, p, _v, _s in versions}) + \
        len(versions)  # default, draft period, each period, each version
    for code, period, version, _status in versions:
        answer = everything[f"{API}/{code}/indices?period={period}&version={version}"].json
        assert (answer["published"], answer["version"]) == (True, version)
        assert answer["snapshot"]["unit"]["code"] == code
    assert "/public/units/{code}/indices" in everything["/api/v1/openapi.json"].json["paths"]

    for code in codes:  # the period in review is "tidak ada data" everywhere
        assert "Tidak ada data." in everything[f"/unit/{code}?periode={DRAFT_PERIOD}"].text
        assert everything[f"/unit/{code}/{DRAFT_PERIOD}.json"].status == 404
        assert everything[f"/unit/{code}/{DRAFT_PERIOD}/laporan-skm.pdf"].status == 404
        draft = everything[f"{API}/{code}/indices?period={DRAFT_PERIOD}"].json
        assert (draft["published"], draft["snapshot"]) == (False, None)
        assert everything[f"{API}/{code}/indices?period={DRAFT_PERIOD}&version=1"].status == 404

    tracked = [path for path in everything if path.startswith("/lacak?nomor=SW-")]
    complained = set(personal_data(db)["replies"])
    assert len(complained) >= 19 and len(tracked) == len(complained) + 3
    for path in tracked:
        text = everything[path].text
        shown = 'id="status-pengaduan"' if own_receipt(path) in complained else \
            'id="tanpa-balasan"'
        assert everything[path].status == 200 and shown in text, path


def test_no_officer_nip_contact_or_private_reply_in_anything_public(app, db, demo, tmp_path):
    private = personal_data(db)
    assert len(private["names"]) >= 30 and len(private["words"]) >= 30
    assert len(private["contacts"]) >= 19
    replied = {r: reply for r, reply in private["replies"].items() if reply}
    assert len(replied) >= 6  # one answered complaint in every unit
    _linked, everything = crawl(app, db, tmp_path)
    assert len(everything) >= 300
    found = {path: leaks(path, a.text, private) for path, a in everything.items()}
    assert {path: what for path, what in found.items() if what} == {}

    # The one place a private reply shows: its own receipt's page, to its bearer.
    receipt, reply = next(iter(replied.items()))
    page = everything[f"/lacak?nomor={receipt}"].text
    assert reply in page and receipt in page
    assert leaks("/", page, private)  # anywhere else, the same text would be a leak

    # The detector finds what the pages for the unit's staff do show.
    admin = signed_in(app, "admin", "demo-admin-2026")
    staff = admin.get("/admin/unit/kupang-dukcapil/pegawai")
    assert staff.status_code == 200
    shown = " ".join(leaks("/", staff.text, private))
    assert "officer 'Fransiska Nenobais'" in shown and "NIP '198911052014022001'" in shown
    complaint_id = db.session.scalar(select(Complaint.id).where(Complaint.reply.is_not(None))
                                     .order_by(Complaint.id))
    unit_code = db.session.scalar(select(Unit.code).join(Complaint).where(
        Complaint.id == complaint_id))
    case = admin.get(f"/admin/unit/{unit_code}/pengaduan/{complaint_id}")
    assert case.status_code == 200
    shown = " ".join(leaks("/", case.text, private))
    assert "contact '0812-0000-" in shown and "private reply" in shown


def test_an_officer_named_in_a_reply_to_publish_never_reaches_the_portal(app, db, demo,
                                                                        tmp_path):
    """A manager moderates the public reply by hand and may name the officer concerned: either
    the reply is refused, or the portal leaves the name out, as the SKM report does."""
    admin = db.session.scalars(select(User).where(User.username == "admin")).one()
    row = db.session.scalars(select(Complaint).join(Unit).where(
        Unit.code == "kupang-dukcapil", Complaint.public_reply.is_not(None))).first()
    officer = db.session.scalars(select(Staff).where(Staff.unit_id == row.unit_id)
                                 .order_by(Staff.id)).first()
    try:
        complaints.publish_reply(db.session, admin, row,
                                 f"Terima kasih. {officer.name} di loket sudah kami tegur.",
                                 datetime(2026, 11, 23, 2, tzinfo=UTC))
        db.session.commit()
    except ComplaintRefused:
        db.session.rollback()
    private = personal_data(db)
    for path in ("/unit/kupang-dukcapil", "/unit/kupang-dukcapil?periode=2026-Q2",
                 f"/lacak?nomor={row.response.receipt}"):
        answer = app.test_client().get(path)
        assert answer.status_code == 200, path
        text = readable_text(answer.data, answer.mimetype, tmp_path)
        assert leaks(path, text, private) == [], path
