"""Who may open the organization pages: admins everything; a unit's managers (of the unit or a
parent unit) its data, services, counters, population, API keys and new codes; nobody else."""
from __future__ import annotations

from surveys.models import Organization
from tests.access.cast import MANAGERS, Route, allowed, cast, check

ORG_MANAGERS = ("admin", "manager", "other_manager")  # every manager has a unit in org-dukcapil
OTHER = ("admin", "other_manager")


ACCESS = [
    Route("GET", "/admin/", allowed(200, *ORG_MANAGERS)),
    Route("GET", "/admin/organisasi/baru", allowed(200, "admin")),
    Route("POST", "/admin/organisasi/baru", allowed(400, "admin")),
    Route("GET", "/admin/organisasi/{org}/ubah", allowed(200, "admin")),
    # An edit form posted without its fields keeps the stored values: saved, unchanged.
    Route("POST", "/admin/organisasi/{org}/ubah", allowed(303, "admin")),
    Route("GET", "/admin/organisasi/tidak-ada/ubah", allowed(404, "admin")),
    Route("GET", "/admin/organisasi/{org}/unit/baru", allowed(200, *ORG_MANAGERS)),
    Route("POST", "/admin/organisasi/{org}/unit/baru", allowed(400, *ORG_MANAGERS)),
    Route("GET", "/admin/organisasi/org-lain/unit/baru", allowed(200, "admin")),
    Route("GET", "/admin/organisasi/tidak-ada/unit/baru", allowed(404, *ORG_MANAGERS)),
    Route("GET", "/admin/unit/{unit}/ubah", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{sub}/ubah", allowed(200, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/ubah", allowed(303, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/ubah", allowed(200, *OTHER)),
    Route("GET", "/admin/unit/tidak-ada/ubah", allowed(404, *ORG_MANAGERS)),
    Route("POST", "/admin/unit/{sub}/hapus", allowed(200, *MANAGERS)),  # the question first
    Route("POST", "/admin/unit/{sub}/nonaktifkan", allowed(303, *MANAGERS)),
    Route("POST", "/admin/unit/{sub}/aktifkan", allowed(303, *MANAGERS)),
    Route("POST", "/admin/unit/{other}/nonaktifkan", allowed(303, *OTHER)),
    Route("GET", "/admin/unit/{unit}/layanan", allowed(200, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/layanan", allowed(400, *MANAGERS)),
    Route("GET", "/admin/unit/{unit}/loket", allowed(200, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/loket", allowed(400, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/loket", allowed(200, *OTHER)),
    Route("GET", "/admin/unit/{unit}/layanan/{service}/ubah", allowed(200, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/layanan/{service}/ubah", allowed(303, *MANAGERS)),
    Route("GET", "/admin/unit/{unit}/loket/{counter}/ubah", allowed(200, *MANAGERS)),
    # Another unit's service through one's own unit: not found, not another unit's data.
    Route("GET", "/admin/unit/{other}/layanan/{service}/ubah", allowed(404, *OTHER)),
    Route("GET", "/admin/unit/{unit}/layanan/999999/ubah", allowed(404, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/layanan/{service}/nonaktifkan", allowed(303, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/layanan/{service}/aktifkan", allowed(303, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/loket/{counter}/nonaktifkan", allowed(303, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/loket/{counter}/aktifkan", allowed(303, *MANAGERS)),
    Route("GET", "/admin/unit/{unit}/populasi", allowed(200, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/populasi", allowed(400, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/populasi/impor", allowed(400, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/populasi", allowed(200, *OTHER)),
    Route("GET", "/admin/unit/{unit}/kunci-api", allowed(200, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/kunci-api", allowed(400, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/kunci-api", allowed(200, *OTHER)),
    Route("POST", "/admin/unit/{unit}/kunci-api/999999/cabut", allowed(404, *MANAGERS)),
    Route("GET", "/admin/unit/{unit}/kode/baru", allowed(200, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/kode/baru", allowed(400, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/kode/baru", allowed(200, *OTHER)),
]


def test_organization_pages_access(app, db):
    people = cast(db)
    db.session.add(Organization(code="org-lain", name="Pemerintah Kabupaten Lain"))
    db.session.commit()
    people.names.update(org=people.unit.unit.organization.code,
                        service=people.unit.services[0].id, counter=people.unit.counter.id)
    check(app, people, ACCESS)
