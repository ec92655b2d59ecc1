"""The public unit page and its downloads: published, frozen snapshots only (DESIGN §6, issue 14).

`/unit/<code>?periode=P` shows the period's current published version (default: the unit's
latest published period), `/unit/<code>/versi/<n>?periode=P` any published or superseded
version, and `/unit/<code>/<P>.csv|json` (`/unit/<code>/<P>/versi/<n>.csv|json`) the same
figures as files. Everything is read from the stored snapshot, where small counts are already
"*": no live number, no draft, no review remark and no officer reaches the public. A unit that did
not publish for the period gets "tidak ada data" (200).
"""
from __future__ import annotations

import json
import re

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _

from app import charts
from app.admin.iku import INDICATOR_NAMES
from app.extensions import db
from app.public import bp
from app.public.forms import PROFILE_CHOICES, PROFILE_LABELS
from app.public.routes import KINERJA_LABELS, fold_rollup_queue
from surveys.complaints import reads as complaint_reads
from surveys.db import utcnow
from surveys.errors import UnitNotFound
from surveys.forum import reads as forum_reads
from surveys.models import Publication, Unit
from surveys.periods import Period, local_day
from surveys.publishing import reads
from surveys.reporting.service import find_unit
from surveys.publishing.open_data import UNSUR_NAMES, snapshot_csv, snapshot_json

PUBLISHED_REPLIES = 20  # the newest published replies to complaints on a unit's page
MAX_CODE_CHARS = 64  # longer unit codes exist nowhere: not found, without a query

def check_code(code: str) -> None:
    """A NUL or an overlong code names no unit: 404 (app/errors.py), without a query."""
    if not code or len(code) > MAX_CODE_CHARS or "\x00" in code:
        raise UnitNotFound(code[:MAX_CODE_CHARS])


def public_unit(code: str) -> Unit:
    """The unit of a public URL (UnitNotFound: 404)."""
    check_code(code)
    return find_unit(db.session, code)


def _period(code: str | None, periods: list[str]) -> Period | None:
    """The period asked for (InvalidPeriod: 400), else the unit's latest published one."""
    if code:
        return Period.parse(code)
    return Period.parse(periods[0]) if periods else None


def version_or_404(versions: list[Publication], number: int) -> Publication:
    """One public version by number, compared in Python (a huge number never reaches SQL)."""
    row = next((row for row in versions if row.version == number), None)
    if row is None:
        abort(404, description=_("Versi ini tidak ada untuk periode ini."))
    return row


def _published_day(row: Publication) -> str:
    return local_day(row.published_at, row.unit.timezone).isoformat()


TREND_PERIODS = 8  # the trend shows the latest published periods up to the one shown


def _trend(rows: list[Publication], row: Publication) -> tuple:
    """(period, ikm_exact, low, high, n) of the published periods up to `row`'s, oldest first:
    the trend chart and its table; a period without an index has ikm None."""
    codes = [r.period for r in rows]
    start = codes.index(row.period) if row.period in codes else 0
    out = []
    for r in reversed(rows[start:start + TREND_PERIODS]):
        index = r.snapshot.get("index")
        low, high = (index or {}).get("ci95") or (None, None)
        out.append((r.period, index["ikm_exact"] if index else None, low, high,
                    r.snapshot["respondents"]))
    return tuple(out)


def _charts(unit: Unit, row: Publication, trend: tuple) -> dict[str, str | None]:
    """The trend and per-unsur charts of a shown version, drawn from the same rows as the
    tables beside them (app/charts.py); None where there is nothing to draw."""
    key = (unit.code, row.period, row.version)
    out: dict[str, str | None] = {"trend": None, "unsur": None}
    if sum(point[1] is not None and point[2] is not None for point in trend) >= 2:
        out["trend"] = charts.data_uri(charts.trend_chart(
            key, tuple(point[:4] for point in trend), _("IKM (interval 95%)")))
    unsur = (row.snapshot.get("index") or {}).get("unsur", [])
    if unsur and all(item["ci95"] for item in unsur):
        weakest = min(unsur, key=lambda item: item["nrr"])["code"]
        out["unsur"] = charts.data_uri(charts.unsur_chart(key, tuple(
            (item["code"], item["nrr"], *item["ci95"], item["code"] == weakest)
            for item in unsur), (_("NRR (skala 1–4) dan interval 95%"), _("terendah"))))
    return out


def _page(unit: Unit, period: Period | None, row: Publication | None,
          versions: list[Publication], periods: list[str]):
    current = next((v for v in versions if v.status == "published"), None)
    links = None if row is None else download_links(unit, row, row is current)
    shown = reads.published_rows(db.session, unit) if row is not None else []
    previous = None if row is None else reads.previous_of(shown, row.period)
    trend = () if row is None else _trend(shown, row)
    return render_template(
        "public/unit.html", unit=unit, period=period, row=row,
        snapshot=None if row is None else row.snapshot, current=current, versions=versions,
        periods=periods, links=links, names=UNSUR_NAMES, kinerja=KINERJA_LABELS,
        published_day=_published_day, previous=previous,
        change=None if row is None else reads.change(previous, row), trend=trend,
        charts={} if row is None else _charts(unit, row, trend),
        profile_names=PROFILE_CHOICES, profile_labels=PROFILE_LABELS,
        iku_names=INDICATOR_NAMES,
        forum=None if row is None else forum_reads.public_block(db.session, unit, period,
                                                                utcnow()),
        replies=complaint_reads.published_replies(db.session, unit, PUBLISHED_REPLIES))


@bp.get("/unit/<code>")
def unit_results(code: str):
    check_code(code)
    asked = request.args.get("periode")
    period = Period.parse(asked) if asked else None  # InvalidPeriod: 400, nothing written
    # Upkeep only, before any read (app/public/routes.py: the roll-up queue and the burst
    # checks); what this page shows is the stored snapshot, which no later response changes.
    fold_rollup_queue()
    unit = public_unit(code)
    periods = reads.published_periods(db.session, unit)
    period = period or _period(None, periods)
    if period is None:
        return _page(unit, None, None, [], periods)
    versions = reads.public_versions(db.session, unit, period.code)
    row = next((v for v in versions if v.status == "published"), None)
    return _page(unit, period, row, versions, periods)


@bp.get("/unit/<code>/versi/<int:version>")
def unit_version(code: str, version: int):
    unit = public_unit(code)
    periods = reads.published_periods(db.session, unit)
    period = _period(request.args.get("periode"), periods)
    if period is None:
        abort(404, description=_("Versi ini tidak ada untuk periode ini."))
    versions = reads.public_versions(db.session, unit, period.code)
    return _page(unit, period, version_or_404(versions, version), versions, periods)


def _file_name(unit: Unit, row: Publication, ext: str) -> str:
    name = f"ikm-{unit.code}-{row.period}-v{row.version}.{ext}"
    return re.sub(r"[^A-Za-z0-9._-]", "-", name)


def _download(unit: Unit, row: Publication, filetype: str) -> Response:
    if filetype == "csv":
        body, mimetype = snapshot_csv(row), "text/csv; charset=utf-8"
    else:
        body = json.dumps(snapshot_json(row), ensure_ascii=False, indent=1).encode("utf-8")
        mimetype = "application/json"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{_file_name(unit, row, filetype)}"'})


def current_or_404(unit: Unit, period_code: str) -> Publication:
    """The period's current published version (a bad period: 400; none: 404 "tidak ada data")."""
    period = Period.parse(period_code)  # InvalidPeriod: 400
    row = reads.current(db.session, unit, period.code)
    if row is None:
        abort(404, description=_("Tidak ada data: unit ini belum menerbitkan hasil untuk "
                                 "periode ini."))
    return row


@bp.get("/unit/<code>/<period_code>.<any(csv, json):filetype>")
def unit_download(code: str, period_code: str, filetype: str):
    """The period's current published version as a file."""
    unit = public_unit(code)
    return _download(unit, current_or_404(unit, period_code), filetype)


@bp.get("/unit/<code>/<period_code>/versi/<int:version>.<any(csv, json):filetype>")
def unit_version_download(code: str, period_code: str, version: int, filetype: str):
    """One published or superseded version as a file."""
    unit = public_unit(code)
    period = Period.parse(period_code)
    return _download(unit, version_or_404(reads.public_versions(db.session, unit, period.code),
                                    version), filetype)


def download_links(unit: Unit, row: Publication, current: bool) -> dict[str, str]:
    """Where the files of a shown version are (the current one's address does not name it)."""
    if current:
        return {ext: url_for("public.unit_download", code=unit.code, period_code=row.period,
                             filetype=ext) for ext in ("csv", "json")}
    return {ext: url_for("public.unit_version_download", code=unit.code, period_code=row.period,
                         version=row.version, filetype=ext) for ext in ("csv", "json")}
