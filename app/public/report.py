"""The SKM report PDF of a unit's published period (issue 14): `/unit/<code>/<P>/laporan-skm.pdf`
for the period's current published version, `/unit/<code>/<P>/versi/<n>/laporan-skm.pdf` for any
published or superseded version. Made from the frozen snapshot (surveys/exchange/skm_report.py);
an unpublished period is "tidak ada data" (404), a malformed period 400. Only reads."""
from __future__ import annotations

import re

from flask import Response

from app.extensions import db
from app.public import bp
from app.public.published import current_or_404, public_unit, version_or_404
from surveys.exchange.skm_report import skm_report_pdf
from surveys.models import Publication, Unit
from surveys.periods import Period
from surveys.publishing import reads


def _pdf(unit: Unit, row: Publication) -> Response:
    name = re.sub(r"[^A-Za-z0-9._-]", "-",
                  f"laporan-skm-{unit.code}-{row.period}-v{row.version}.pdf")
    return Response(skm_report_pdf(db.session, row), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@bp.get("/unit/<code>/<period_code>/laporan-skm.pdf")
def unit_report(code: str, period_code: str):
    """The report of the period's current published version."""
    unit = public_unit(code)
    return _pdf(unit, current_or_404(unit, period_code))


@bp.get("/unit/<code>/<period_code>/versi/<int:version>/laporan-skm.pdf")
def unit_version_report(code: str, period_code: str, version: int):
    """The report of one published or superseded version."""
    unit = public_unit(code)
    period = Period.parse(period_code)
    return _pdf(unit, version_or_404(reads.public_versions(db.session, unit, period.code), version))
