"""The portal `/`: every unit with its latest published IKM, interval, grade with its
certainty, respondents against the Krejcie–Morgan target, the data-quality flag and a small
trend of its published periods, and links to its counters' survey forms (DESIGN §7).

Published snapshots only (a few fields of each, `surveys.publishing.reads.headlines`), a page
of units at a time, so the page stays light and flat however many responses there are.
"""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _

from app import charts
from app.extensions import db
from app.public import bp
from app.public.routes import KINERJA_LABELS
from surveys.organization import directory
from surveys.publishing import reads

PAGE_SIZE = 50  # units per page: about 1 KB each over the wire
TREND_PERIODS = 4


def _page_number() -> int:
    """The page asked for (`?halaman=`, from 1); anything else is a 400 with a message."""
    text = request.args.get("halaman", "1")
    if not text.isdigit() or not 1 <= int(text) <= 100_000:
        abort(400, description=_("Nomor halaman tidak dikenal."))
    return int(text)


def _trend(entries: list[dict]) -> dict | None:
    """The latest published periods, oldest first, as text and a sparkline (None: under two)."""
    points = [(entry["period"], entry["index"]["ikm"] if entry["index"] else None)
              for entry in reversed(entries[:TREND_PERIODS])]
    if sum(value is not None for _, value in points) < 2:
        return None
    return {"points": points, "image": charts.sparkline(tuple(value for _, value in points))}


@bp.get("/")
def index():
    page = _page_number()
    total = directory.unit_count(db.session)
    pages = max(1, -(-total // PAGE_SIZE))
    if page > pages:
        abort(404, description=_("Halaman ini tidak ada."))
    units = directory.public_units(db.session, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    ids = [unit.id for unit in units]
    published = reads.headlines(db.session, ids)
    return render_template(
        "public/index.html", units=units, touchpoints=directory.counter_touchpoints(db.session, ids),
        latest={i: (published[i] or [None])[0] for i in ids},
        trends={i: _trend(published[i]) for i in ids}, kinerja=KINERJA_LABELS,
        page=page, pages=pages)
