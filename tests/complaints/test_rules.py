"""The complaint rules that need no database: due day in working days, overdue, and the personal
data a public reply must not carry (phone, NIK, NIP, e-mail) beside numbers that name no one."""
from __future__ import annotations

from datetime import date

import pytest

from surveys.complaints.rules import due_on, has_personal_data, is_overdue


def test_the_due_day_is_five_working_days_on():
    assert due_on(date(2026, 12, 4)) == date(2026, 12, 11)  # Friday → next Friday
    assert due_on(date(2026, 12, 5)) == date(2026, 12, 11)  # Saturday counts from Monday
    assert due_on(date(2026, 12, 7)) == date(2026, 12, 14)


def test_overdue_only_while_open_and_after_the_due_day():
    due = date(2026, 12, 11)
    assert not is_overdue("baru", due, due)
    assert is_overdue("baru", due, date(2026, 12, 12))
    assert is_overdue("diproses", due, date(2026, 12, 12))
    assert not is_overdue("selesai", due, date(2027, 1, 1))


@pytest.mark.parametrize("reply", [
    "Hubungi 0812-3456-7890", "WA +62 812 3456 7890", "NIK 5371012345678901",
    "NIP 198503122010011001", "tulis ke warga@example.co.id", "(0380) 821 234 5"])
def test_a_reply_with_a_contact_or_an_identity_number_is_personal(reply):
    assert has_personal_data(reply)


@pytest.mark.parametrize("reply", [
    "Loket buka 08.00–16:30 mulai 01-12-2026.", "Biaya Rp 15.000.000 tidak dipungut.", "Denda Rp15.000.000 dihapus.",
    "Antrean turun dari 45 menit menjadi 20 menit pada 2026-12-01.", "Dua petugas tambahan."])
def test_dates_times_amounts_and_small_numbers_are_not_personal(reply):
    assert not has_personal_data(reply)
