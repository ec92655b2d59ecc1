"""A unit's evaluation records for a period as files, `/admin/unit/<code>/penilaian.xlsx` and
`.csv` (`?periode=`, default the current triwulan). The unit's managers and admins may ask;
the rows are only the officers the asker may see (surveys/exchange/records_export.py says why:
managing a unit does not open its officers' evaluations), and someone who may see none is refused.
"""
from __future__ import annotations

from flask import Response, abort, request
from flask_babel import gettext as _

from app.admin import bp
from app.admin.routes import manager_only
from app.auth.access import current_user
from app.extensions import db
from app.public.routes import public_period
from surveys.errors import NotAllowed
from surveys.exchange.records_export import export_records
from surveys.organization.touchpoints import managed_unit

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.get("/unit/<code>/penilaian.<any(xlsx, csv):ext>")
@manager_only
def records_file(code: str, ext: str):
    unit = managed_unit(db.session, current_user(), code)  # UnitNotFound 404, NotAllowed 403
    period = public_period(request.args.get("periode"))  # InvalidPeriod: 400 (app/errors.py)
    try:
        content = export_records(db.session, current_user(), unit, period, ext)
    except NotAllowed:
        abort(403, description=_("Penilaian pegawai hanya untuk pegawai itu, pejabat penilainya, "
                                 "dan admin. Anda bukan pejabat penilai pegawai unit ini."))
    filename = f"penilaian-{unit.code}-{period.code}.{ext}"
    return Response(content, mimetype=MIMETYPES[ext], headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store",  # personal data: no shared cache keeps it
    })
