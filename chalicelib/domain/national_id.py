"""The Egyptian national ID number (الرقم القومي) and what can be read from it.

Layout of the 14 digits: century, birth date YYMMDD, governorate of birth (2 digits), serial (4 digits, the
last one odd for men and even for women), check digit.

The governorate code is where the holder was *born*, not where they live: a Giza resident may carry any
code. It must never be used to decide eligibility for a service; it is kept only to describe the number.

The check-digit rule is not officially published. The reverse-engineered rule used here is unconfirmed, so
a mismatch is only reported in ``checksum_matches`` and is never a reason to refuse a number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal

from chalicelib.domain.digits import digits_only
from chalicelib.domain.errors import FieldProblem

GOVERNORATE_CODES: Mapping[str, str] = MappingProxyType(
    {
        "01": "Cairo",
        "02": "Alexandria",
        "03": "Port Said",
        "04": "Suez",
        "11": "Damietta",
        "12": "Dakahlia",
        "13": "Sharqia",
        "14": "Qalyubia",
        "15": "Kafr el-Sheikh",
        "16": "Gharbia",
        "17": "Monufia",
        "18": "Beheira",
        "19": "Ismailia",
        "21": "Giza",
        "22": "Beni Suef",
        "23": "Fayoum",
        "24": "Minya",
        "25": "Asyut",
        "26": "Sohag",
        "27": "Qena",
        "28": "Aswan",
        "29": "Luxor",
        "31": "Red Sea",
        "32": "New Valley",
        "33": "Matrouh",
        "34": "North Sinai",
        "35": "South Sinai",
        "88": "Born abroad",
    }
)

# The same codes in Arabic, for staff to read back to the citizen (the counter shows them).
GOVERNORATE_NAMES_AR: Mapping[str, str] = MappingProxyType(
    {
        "01": "القاهرة", "02": "الإسكندرية", "03": "بورسعيد", "04": "السويس", "11": "دمياط",
        "12": "الدقهلية", "13": "الشرقية", "14": "القليوبية", "15": "كفر الشيخ", "16": "الغربية",
        "17": "المنوفية", "18": "البحيرة", "19": "الإسماعيلية", "21": "الجيزة", "22": "بني سويف",
        "23": "الفيوم", "24": "المنيا", "25": "أسيوط", "26": "سوهاج", "27": "قنا", "28": "أسوان",
        "29": "الأقصر", "31": "البحر الأحمر", "32": "الوادي الجديد", "33": "مطروح", "34": "شمال سيناء",
        "35": "جنوب سيناء", "88": "مولود خارج مصر",
    }
)  # fmt: skip

_CENTURY_BY_DIGIT: Mapping[str, int] = MappingProxyType({"2": 1900, "3": 2000})

_CHECKSUM_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

_FOURTEEN_ASCII_DIGITS = re.compile(r"[0-9]{14}")

# Refusal messages, Arabic then English. A fresh FieldProblem is raised each time: re-raising one shared
# exception object would keep growing its traceback.
_EMPTY = ("يرجى إدخال الرقم القومي.", "Please enter the national ID number.")
_WRONG_LENGTH = (
    "الرقم القومي يتكون من أربعة عشر رقمًا فقط، يرجى مراجعته وإعادة إدخاله.",
    "A national ID number is exactly 14 digits and nothing else; please check it and enter it again.",
)
_UNKNOWN_CENTURY = (
    "يبدأ الرقم القومي بالرقم ٢ أو ٣، يرجى التأكد من الرقم المُدخل.",
    "A national ID number starts with 2 or 3; please check the number you entered.",
)
_IMPOSSIBLE_BIRTH_DATE = (
    "تاريخ الميلاد الوارد في الرقم القومي غير صحيح، يرجى التأكد من الرقم المُدخل.",
    "The birth date within the national ID number is not a real date; please check the number you entered.",
)
_FUTURE_BIRTH_DATE = (
    "تاريخ الميلاد الوارد في الرقم القومي لم يحِن بعد، يرجى التأكد من الرقم المُدخل.",
    "The birth date within the national ID number is in the future; please check the number you entered.",
)
_UNKNOWN_GOVERNORATE = (
    "رمز محافظة الميلاد الوارد في الرقم القومي غير معروف، يرجى التأكد من الرقم المُدخل.",
    "The birth governorate code within the national ID number is unknown; please check the number.",
)


@dataclass(frozen=True, repr=False)
class NationalId:
    """A national ID read into what its digits say; its repr shows none of them."""

    number: str
    birth_date: date
    governorate_code: str
    sex: Literal["male", "female"]
    checksum_matches: bool

    @property
    def last4(self) -> str:
        return self.number[-4:]

    def __repr__(self) -> str:
        # Reprs end up in logs and tracebacks; the number is personal data under Law 151/2020.
        return "NationalId(<redacted>)"


def parse_national_id(raw: str, today: date) -> NationalId:
    """The national ID typed by a citizen, read and checked; raises FieldProblem if it cannot be right."""
    number = digits_only(raw)
    if not number:
        raise FieldProblem(*_EMPTY)
    if not _FOURTEEN_ASCII_DIGITS.fullmatch(number):
        raise FieldProblem(*_WRONG_LENGTH)
    century = _CENTURY_BY_DIGIT.get(number[0])
    if century is None:
        raise FieldProblem(*_UNKNOWN_CENTURY)
    birth_date = _birth_date(century, number[1:7])
    if birth_date > today:
        raise FieldProblem(*_FUTURE_BIRTH_DATE)
    governorate_code = number[7:9]
    if governorate_code not in GOVERNORATE_CODES:
        raise FieldProblem(*_UNKNOWN_GOVERNORATE)
    return NationalId(
        number=number,
        birth_date=birth_date,
        governorate_code=governorate_code,
        sex="male" if int(number[12]) % 2 else "female",
        checksum_matches=number[13] == expected_check_digit(number[:13]),
    )


def expected_check_digit(first13: str) -> str:
    """The check digit the unconfirmed reverse-engineered rule predicts for the first 13 ASCII digits
    (reported, never enforced; tests, the demo and the load test make well-formed numbers with it)."""
    total = sum(weight * int(digit) for weight, digit in zip(_CHECKSUM_WEIGHTS, first13, strict=True))
    return str((11 - total % 11) % 10)


def _birth_date(century: int, yymmdd: str) -> date:
    try:
        return date(century + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        raise FieldProblem(*_IMPOSSIBLE_BIRTH_DATE) from None
