"""Who may open a unit's staff and roster pages: admins and the managers of the unit (or of a
parent unit); another unit's manager gets 403, visitors the sign-in page, other roles 403."""
from __future__ import annotations

from tests.access.cast import MANAGERS, Route, allowed, cast, check

NOT_FOUND = ("admin", "manager", "other_manager")

ACCESS = [
    Route("GET", "/admin/unit/{unit}/pegawai", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{sub}/pegawai", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/pegawai", allowed(200, "admin", "other_manager")),
    Route("GET", "/admin/unit/tidak-ada/pegawai", allowed(404, *NOT_FOUND)),
    Route("GET", "/admin/unit/{unit}/pegawai/baru", allowed(200, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/pegawai/baru", allowed(400, *MANAGERS)),
    Route("GET", "/admin/unit/{unit}/pegawai/{own}", allowed(200, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/pegawai/{own}", allowed(400, *MANAGERS)),
    # An officer of dukcapil is not reachable through another unit's pages, even by an admin.
    Route("GET", "/admin/unit/{other}/pegawai/{own}", allowed(404, "admin", "other_manager")),
    Route("GET", "/admin/unit/{unit}/pegawai/99999", allowed(404, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/pegawai/99999/nonaktifkan", allowed(404, *MANAGERS)),
    Route("POST", "/admin/unit/{other}/pegawai/{own}/nonaktifkan",
          allowed(404, "admin", "other_manager")),
    Route("POST", "/admin/unit/{other}/pegawai/{own}/aktifkan",
          allowed(404, "admin", "other_manager")),
    Route("GET", "/admin/unit/{unit}/pegawai/impor", allowed(200, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/pegawai/impor", allowed(400, *MANAGERS)),
    Route("POST", "/admin/unit/{other}/pegawai/impor", allowed(400, "admin", "other_manager")),
    Route("GET", "/admin/unit/{unit}/jadwal", allowed(200, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/jadwal", allowed(400, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/jadwal", allowed(200, "admin", "other_manager")),
    Route("GET", "/admin/unit/{unit}/jadwal/99999", allowed(404, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/jadwal/99999", allowed(404, *MANAGERS)),
]


def test_staff_pages_access(app, db):
    check(app, cast(db), ACCESS)


def test_deactivating_and_reactivating_are_for_managers_of_the_unit(app, db):
    """The state-changing POSTs on a real officer (last, since they change it)."""
    check(app, cast(db), [
        Route("POST", "/admin/unit/{unit}/pegawai/{own}/nonaktifkan", allowed(303, *MANAGERS)),
        Route("POST", "/admin/unit/{unit}/pegawai/{own}/aktifkan", allowed(303, *MANAGERS)),
    ])
