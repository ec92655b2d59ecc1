"""The unit dashboard `/admin/unit/<code>` (endpoint `admin.unit`): the page a kepala unit opens
every morning, for managers of the unit (or a parent unit) and admins."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _

from app import charts
from app.admin import bp
from app.admin.iku import INDICATOR_NAMES
from app.admin.routes import manager_only
from app.auth.access import current_user
from app.extensions import db
from app.public.routes import KINERJA_LABELS, fold_rollup_queue
from surveys.complaints import reads as complaint_reads
from surveys.db import utcnow
from surveys.organization.touchpoints import managed_unit
from surveys.periods import Period
from surveys.reporting.dashboard import dashboard, default_period
from surveys.responses.instruments import SKM_ITEMS

MAX_PERIOD_LENGTH = 10  # "2026-Q3"; anything longer is not a period


def _period(unit) -> Period:
    code = request.args.get("periode", "").strip()
    if not code:
        return default_period(unit, utcnow())
    if len(code) > MAX_PERIOD_LENGTH:
        abort(400, description=_("Periode tidak dikenal. Contoh: 2026, 2026-S1, 2026-Q3, "
                                 "2026-07."))
    return Period.parse(code)  # InvalidPeriod is a 400 (app/errors.py)


@bp.get("/unit/<code>")
@manager_only
def unit(code: str):
    user = current_user()
    unit = managed_unit(db.session, user, code)
    period = _period(unit)
    fold_rollup_queue()  # the responses of a minute ago count (as on the public pages)
    board = dashboard(db.session, unit, period, user)
    images = charts.dashboard_charts(board, {
        "ikm": _("IKM (25–100)"), "nrr": _("NRR (skala 1–4)"), "weakest": _("terendah"),
        "n": _("Jumlah respons yang menyebut petugas (n)"),
        "difference": _("Selisih dari rata-rata unit"),
        "limits": _("Garis putus-putus: batas 95%; titik-titik: batas 99,8%"),
    })
    names = {item.code: item for item in SKM_ITEMS}
    return render_template("admin/dashboard/unit.html", board=board, unit=board.unit,
                           charts=images, names=names, kinerja=KINERJA_LABELS,
                           iku_names=INDICATOR_NAMES,
                           complaints=complaint_reads.open_counts(db.session, unit, utcnow()))
