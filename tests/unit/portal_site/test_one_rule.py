"""One rule per field: the portal's script (run under node) and the server give the same answer,
word for word, to the same cases: the form's controls as the server renders them, each answer
typed into one of them, and the server reading the same answer in an otherwise valid application."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pytest

from chalicelib.domain.application import read_application
from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.national_id import GOVERNORATE_CODES, expected_check_digit
from chalicelib.portal import render
from chalicelib.portal.assets import STATIC_DIR
from chalicelib.services.catalogue import current_catalogue
from tests.factories import CATALOGUE_DAY, national_id, submission

SERVICE = "demolition_licence"  # a reference number, a date, a number and free text among its questions
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _id(first13: str) -> str:
    return first13 + expected_check_digit(first13)


CASES: list[tuple[str, str]] = [
    *(
        ("applicant.full_name", name)
        for name in [
            "منى أحمد عبد الله",
            "",
            "منى",
            "منى 2",
            "Mona Ahmed",
            "M. Ahmed",
            "منى- أحمد",
            "منى@أحمد علي",
            "مـنـى أحمد",
            "م أحمد",
            "ب" * 101,
            "  منى   أحمد  ",
        ]
    ),
    *(
        ("applicant.national_id", number)
        for number in [
            national_id(),
            national_id().translate(ARABIC_INDIC),
            "",
            "123",
            "4" + national_id()[1:],
            _id("2901301211234"),  # born in month 13
            _id("2900230211234"),  # on 30 February
            _id("3991231211234"),  # born in 2099
            _id("2900101991234"),  # governorate 99
            "2900-1012-1123-4",
            "٢٩٠٠١٠١ ٢١١٢٣٤ ٥",
        ]
    ),
    *(
        ("applicant.phone", phone)
        for phone in [
            "01012345678",
            "٠١٠ ١٢٣٤ ٥٦٧٨",
            "+201012345678",
            "00201012345678",
            "+20 010 1234 5678",
            "201012345678",
            "0101234567",
            "01312345678",
            "0233334444",
            "0403334444",
            "+441234567890",
            "رقمي",
            "",
            "+",
            "(010) 1234.5678",
        ]
    ),
    *(
        ("details.floors_count", number)
        for number in [
            "4",
            "٤",
            "4.5",
            "4٫5",
            "1,000",
            "كثيرة",
            "1e5",
            "9999999999999",
            "1234567890123456",
            "-3",
            "",
        ]
    ),
    *(
        ("details.demolition_decision_number", number)
        for number in [
            "123 لسنة 2024",
            "123/2024",
            "123 / 2024",
            "١٢٣ لسنة ٢٠٢٤",
            "45-2023",
            "45–2023",
            "123",
            "شارع النيل، الوراق",
            "123//2024",
            "abc123",
            "12 34",
            "",
        ]
    ),
    *(("details.engineer_syndicate_number", number) for number in ["54321", "54321/2010", "نقابة 5", "1" * 21]),
    *(
        ("details.demolition_decision_date", day)
        for day in [
            "2026-12-31",
            "2026-13-01",
            "2026-02-30",
            "20261231",
            "31/12/2026",
            "٢٠٢٦-١٢-٣١",
            "",
        ]
    ),
    *(("details.property_address", address) for address in ["١٢ شارع النيل، الوراق", "ب" * 201, "  "]),
]


class _Controls(HTMLParser):
    """Each checked control of the form (an input, a textarea or a fieldset) with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if "data-check" in found:
            self.controls[found.get("name") or found["data-name"]] = {"tagName": tag.upper(), **found}


def _server(name: str, value: str) -> str:
    body = submission(SERVICE)
    section, field = name.split(".")
    body[section][field] = value
    try:
        read_application(body, current_catalogue(), cairo_today(datetime.now(UTC)))
    except InvalidInput as refusal:
        return refusal.fields.get(name, "")
    return ""


def _script(cases: list[dict[str, Any]]) -> list[str]:
    harness = f"""
global.document = {{ addEventListener() {{}}, querySelectorAll() {{ return []; }} }};
const {{ problemWith }} = require({json.dumps(str(STATIC_DIR / "portal.js"))});
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(cases.map(({{ attrs, value }}) => problemWith({{
  tagName: attrs.tagName, value,
  getAttribute: name => (name in attrs ? attrs[name] : null),
  hasAttribute: name => name in attrs,
}}))));
"""
    answer = subprocess.run(["node", "-e", harness], input=json.dumps(cases), capture_output=True, text=True,
                            check=True, timeout=60)  # fmt: skip
    return json.loads(answer.stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the portal's script")
def test_the_script_and_the_server_answer_every_case_alike() -> None:
    catalogue = current_catalogue()
    service, district = catalogue.service(SERVICE, on=CATALOGUE_DAY), catalogue.district("dokki")
    assert service is not None
    assert district is not None
    parser = _Controls()
    parser.feed(render.application_page(render.Site(portal="", api=""), district, service))

    by_script = _script([{"attrs": parser.controls[name], "value": value} for name, value in CASES])
    by_server = [_server(name, value) for name, value in CASES]

    differing = [(case, script, server) for case, script, server in zip(CASES, by_script, by_server, strict=True)
                 if script != server]  # fmt: skip
    assert differing == []
    # The cases reach every kind of answer: accepted, and refused for each reason the issue names.
    said = dict(zip(CASES, by_server, strict=True))
    assert said[("applicant.national_id", _id("2901301211234"))].startswith("تاريخ الميلاد")
    assert said[("details.demolition_decision_number", "123 لسنة 2024")] == ""
    assert said[("details.demolition_decision_number", "123/2024")] == ""
    assert said[("details.demolition_decision_number", "شارع النيل، الوراق")].startswith("رقم قرار الهدم")
    assert said[("applicant.full_name", "")] == "أدخل الاسم الكامل"


@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the portal's script")
def test_every_governorate_code_is_read_alike() -> None:
    catalogue = current_catalogue()
    service, district = catalogue.service(SERVICE, on=CATALOGUE_DAY), catalogue.district("dokki")
    assert service is not None
    assert district is not None
    parser = _Controls()
    parser.feed(render.application_page(render.Site(portal="", api=""), district, service))
    numbers = [_id(f"2900101{code:02d}1234") for code in range(100)]

    by_script = _script([{"attrs": parser.controls["applicant.national_id"], "value": n} for n in numbers])

    assert [number for number, said in zip(numbers, by_script, strict=True) if not said] == [
        _id(f"2900101{code}1234") for code in sorted(GOVERNORATE_CODES)
    ]
