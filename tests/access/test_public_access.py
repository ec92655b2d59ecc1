"""The citizen's pages, sign-in pages and the JSON API: open to everyone alike (a session
changes nothing in the API, which knows only unit keys)."""
from __future__ import annotations

from tests.access.cast import ROLES, Route, cast, check


def everyone(status: int) -> dict[str, int]:
    return {role: status for role in ROLES}


def signed_in(status: int) -> dict[str, int]:
    return {role: 302 if role == "anonymous" else status for role in ROLES}


ACCESS = [
    Route("GET", "/", everyone(200)),
    Route("GET", "/s/{counter_code}", everyone(200)),
    Route("GET", "/s/{personal_code}", everyone(200)),
    Route("POST", "/s/{counter_code}", everyone(400)),  # no answers: the form says what is missing
    Route("GET", "/terima-kasih/SW-AAAA-BBBB-CCCC", everyone(404)),
    Route("GET", "/t/bukan-tiket", everyone(400)),
    Route("GET", "/t/bukan-tiket/cetak", everyone(400)),
    Route("GET", "/lacak", everyone(200)),  # the receipt number asked for
    Route("GET", "/lacak?nomor=SW-AAAA-BBBB-CCCC", everyone(404)),  # no such receipt
    Route("GET", "/unit/{unit}", everyone(200)),
    Route("GET", "/unit/{unit}/2026-Q3/laporan-skm.pdf", everyone(404)),  # nothing published
    Route("GET", "/unit/{unit}/2026-Q3/versi/1/laporan-skm.pdf", everyone(404)),  # "tidak ada data": nothing published
    # Nothing published yet: no version page and no file, for anyone.
    Route("GET", "/unit/{unit}/versi/1?periode=2026-Q3", everyone(404)),
    Route("GET", "/unit/{unit}/2026-Q3.csv", everyone(404)),
    Route("GET", "/unit/{unit}/2026-Q3/versi/1.json", everyone(404)),
    Route("GET", "/api/v1/public/units", everyone(200)),
    Route("GET", "/api/v1/openapi.json", everyone(200)),
    Route("GET", "/api/v1/public/units/{unit}/indices", everyone(200)),
    Route("GET", "/api/v1/staff/198503122010011001/satisfaction", everyone(401)),
    Route("POST", "/api/v1/tickets", everyone(401)),
    Route("GET", "/api/v1/tickets/bukan-tiket/qr.png", everyone(400)),
    Route("GET", "/auth/masuk", everyone(200)),
    Route("POST", "/auth/masuk", everyone(400)),
    Route("GET", "/auth/akun", signed_in(200)),
    Route("GET", "/auth/kata-sandi", signed_in(200)),
    Route("POST", "/auth/kata-sandi", signed_in(400)),
    Route("POST", "/auth/keluar", everyone(303)),  # last: it ends the session
]


def test_public_and_sign_in_pages_access(app, db):
    check(app, cast(db), ACCESS)
