"""A ticket token is signed, not encrypted: whoever holds one (from its QR, a URL, a server log) can
read its payload, so it names the officer by an opaque reference, never by NIP or name (issue 15,
point 2). Tickets are issued only by the API (the admin pages issue none)."""
from __future__ import annotations

import zlib

import pytest
from itsdangerous import base64_decode

from surveys.models import Staff


def payload(token: str) -> str:
    """What anyone can read from a token: its payload part, base64url, zlib-compressed when it
    starts with a dot (itsdangerous' URL-safe serializer)."""
    data = token.rsplit(".", 2)[0]
    compressed = data.startswith(".")
    raw = base64_decode(data.lstrip("."))
    return (zlib.decompress(raw) if compressed else raw).decode()


def exposed(text: str, staff: list[Staff]) -> list[str]:
    lowered = text.lower()
    return [value for officer in staff for value in (officer.nip, officer.name)
            if value.lower() in lowered]


@pytest.mark.parametrize("body", [
    {"officer": "NIP0"},
    {"officer": "NIP0", "service": "kk"},
    {"touchpoint": "PERSONAL"},  # the officer implied by a personal code
    {"touchpoint": "PERSONAL", "officer": "NIP1"},
    {},
])
def test_no_issued_token_holds_a_nip_or_a_name(client, db, unit, api_key, body):
    staff = [*unit.officers, unit.other_unit_officer]
    request = {"touchpoint": unit.counter_code, **body}
    if request["touchpoint"] == "PERSONAL":
        request["touchpoint"] = unit.personal_code
    if "officer" in request:
        request["officer"] = unit.officers[int(request["officer"][-1])].nip
    answer = client.post("/api/v1/tickets", json=request, headers={"X-API-Key": api_key})
    assert answer.status_code == 201, answer.json
    token = answer.json["token"]
    readable = payload(token)
    assert unit.counter_code in readable or unit.personal_code in readable  # decoded right
    assert exposed(readable, staff) == []
    assert exposed(token, staff) == []
    for link in ("url", "qr_png", "print_url"):
        assert not any(officer.nip in answer.json[link] for officer in staff)
    # The officer is still the one the ticket names.
    if "officer" in body or request["touchpoint"] == unit.personal_code:
        form = client.get(f"/t/{token}").text
        expected = (unit.officers[1] if request["touchpoint"] == unit.personal_code
                    else unit.officers[0])
        assert f"<strong>{expected.name}</strong>" in form


def test_every_officer_gets_a_distinct_opaque_reference(db, unit):
    refs = [officer.public_ref for officer in [*unit.officers, unit.other_unit_officer]]
    assert len(set(refs)) == len(refs)
    assert all(len(ref) == 22 and not ref.isdigit() for ref in refs)
