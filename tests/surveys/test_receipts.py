"""Receipt numbers: readable aloud (no 0/O, 1/I/L), in the printed format, and uniformly random
(about 59 bits), so that one receipt says nothing about another."""
from __future__ import annotations

import re
from collections import Counter

from scipy.stats import chisquare

from surveys.models.response import _RECEIPT_ALPHABET, new_receipt

FORMAT = re.compile(r"^SW-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}(-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}){2}$")


def test_receipts_have_the_printed_format_and_never_repeat():
    receipts = [new_receipt() for _ in range(5000)]
    assert all(FORMAT.match(receipt) for receipt in receipts)
    assert len(set(receipts)) == len(receipts)


def test_every_character_position_is_uniform_over_the_alphabet():
    positions = [Counter() for _ in range(12)]
    for _ in range(6000):
        chars = new_receipt().replace("SW-", "").replace("-", "")
        for position, char in enumerate(chars):
            positions[position][char] += 1
    for counts in positions:
        observed = [counts[char] for char in _RECEIPT_ALPHABET]
        # 6000 draws over 30 symbols; a biased draw (e.g. modulo of 2**60) fails by far
        assert chisquare(observed).pvalue > 1e-6  # a false alarm once in ~80,000 runs
