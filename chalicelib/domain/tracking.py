"""Tracking numbers citizens read out on the phone and type into the portal to follow an application.

The last digit is a Damm check digit: it catches every single mistyped digit and every swap of two
neighbouring digits, the two slips people make most. Numbers are random, not sequential, so that one
application's number says nothing about anyone else's.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from chalicelib.domain.digits import digits_only

PAYLOAD_LENGTH = 12
READING_GROUP_SIZE = 4

_VALID_LENGTH = re.compile(r"[0-9]{12,14}")
_ASCII_DIGITS = re.compile(r"[0-9]*")

# The standard order-10 weakly totally anti-symmetric quasigroup of Damm's algorithm.
_DAMM_TABLE = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm_check_digit(digits: str) -> str:
    """The Damm check digit of a string of ASCII digits; a number ending in its check digit gives "0"."""
    if not _ASCII_DIGITS.fullmatch(digits):
        raise ValueError("damm_check_digit expects ASCII digits only")
    interim = 0
    for digit in digits:
        interim = _DAMM_TABLE[interim][int(digit)]
    return str(interim)


def is_valid_tracking_number(text: str) -> bool:
    """Whether the text, however typed, is 12 to 14 digits that pass the Damm check."""
    number = digits_only(text)
    return bool(_VALID_LENGTH.fullmatch(number)) and damm_check_digit(number) == "0"


def new_tracking_number(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """A fresh 13-digit tracking number: 12 random digits, the first never 0, then the Damm check digit.

    A leading zero would be lost by spreadsheets and by people reading the number aloud, and the Damm check
    cannot notice a lost leading zero.
    """
    payload = str(1 + randbelow(9)) + "".join(str(randbelow(10)) for _ in range(PAYLOAD_LENGTH - 1))
    return payload + damm_check_digit(payload)


def grouped_for_reading(number: str) -> str:
    """The number in groups of four and three digits from the left, never a lone digit at the end:
    ``1234 567 890 123`` (13 digits), ``1234 5678 9012 3456 789`` (a 19-digit payment reference).

    As many groups as fours would need, the digits shared out evenly and the longer groups first:
    a number is read aloud and typed from the left, and a lone last digit (the check digit, in
    ``1234 5678 9012 3``) is the one a listener drops or runs into the group before. Spaces or
    dashes already in the text are dropped first, so grouping a grouped number changes nothing.
    """
    digits = digits_only(number)
    if not digits:
        return ""
    count = -(-len(digits) // READING_GROUP_SIZE)
    shortest, longer = divmod(len(digits), count)
    sizes = [shortest + 1] * longer + [shortest] * (count - longer)
    starts = [sum(sizes[:position]) for position in range(count)]
    return " ".join(digits[start : start + size] for start, size in zip(starts, sizes, strict=True))
