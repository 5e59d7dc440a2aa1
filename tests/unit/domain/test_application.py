from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from chalicelib.domain.application import Application, FeeInvoice, Submission, read_application, submission_answer
from chalicelib.domain.catalogue import DATA_DIR, Catalogue, load_catalogue, parse_catalogue_data
from chalicelib.domain.errors import InvalidInput
from tests.factories import national_id, submission

TODAY = date(2026, 11, 27)
CATALOGUE = load_catalogue(rollout_phase=1)
ARABIC_LETTER = re.compile("[\u0621-\u064a]")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_DECIMAL_SEPARATOR = "\u066b"

# road_occupancy_new has a field of each kind: text (max 30 and 200), choice, number (1 to 200) and date.
ALL_KINDS = "road_occupancy_new"
# shop_licence has an optional text field, trade_name.
WITH_OPTIONAL = "shop_licence"


def read(body: dict[str, Any], catalogue: Catalogue = CATALOGUE) -> Application:
    return read_application(body, catalogue, TODAY)


def refusal(body: dict[str, Any], catalogue: Catalogue = CATALOGUE) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        read(body, catalogue)
    error = caught.value
    assert ARABIC_LETTER.search(error.message_ar)
    assert error.message_en.strip()
    assert not ARABIC_LETTER.search(error.message_en)
    for message in error.fields.values():
        assert ARABIC_LETTER.search(message)
    return error


def refused_fields(body: dict[str, Any]) -> dict[str, str]:
    error = refusal(body)
    assert error.code == "invalid_fields"
    return error.fields


def changed(body: dict[str, Any], **values: Any) -> dict[str, Any]:
    return {**body, **values}


def with_detail(service_code: str, name: str, value: Any) -> dict[str, Any]:
    body = submission(service_code)
    body["details"][name] = value
    return body


def detail_read(service_code: str, name: str, value: Any) -> Any:
    return read(with_detail(service_code, name, value)).details[name]


def detail_refused(service_code: str, name: str, value: Any) -> str:
    fields = refused_fields(with_detail(service_code, name, value))
    assert set(fields) == {f"details.{name}"}
    return fields[f"details.{name}"]


# A valid application


def test_a_valid_body_is_read_with_every_value_normalised() -> None:
    body = submission(ALL_KINDS)
    body["applicant"] = {
        "full_name": "  منـــى   أحمدُ  عبد الله ",
        "national_id": "\u200f" + " ".join([national_id()[:7], national_id()[7:]]).translate(ARABIC_INDIC),
        "phone": "+20 (10) 1234-5678".translate(PERSIAN),
    }
    body["details"] = {
        "shop_address": "  ١٢   شارع\u200f التحرير،\tالدقي  ",
        "shop_licence_number": " ٤٥-٢٠٢٤ ",
        "occupancy_type": "tables_chairs",
        "occupied_area_m2": f"١٢{ARABIC_DECIMAL_SEPARATOR}٥",
        "start_date": "٢٠٢٦-١٢-٠١",
    }

    application = read(body)

    assert application.service.code == ALL_KINDS
    assert application.district.code == "dokki"
    assert application.district.active
    assert application.applicant.full_name == "منى أحمد عبد الله"
    assert application.applicant.national_id.number == national_id()
    assert application.applicant.national_id.birth_date == date(1990, 1, 1)
    assert application.applicant.phone == "+201012345678"
    assert application.details == {
        "shop_address": "12 شارع التحرير، الدقي",
        "shop_licence_number": "45-2024",
        "occupancy_type": "tables_chairs",
        "occupied_area_m2": 12.5,
        "start_date": "2026-12-01",
    }


@pytest.mark.parametrize("service_code", [service.code for service in CATALOGUE.services(on=TODAY)])
def test_every_service_accepts_the_factory_body(service_code: str) -> None:
    application = read(submission(service_code))
    assert application.service.code == service_code
    assert set(application.details) == {form_field.name for form_field in application.service.fields}


@pytest.mark.parametrize("district_code", [d.code for d in CATALOGUE.districts() if d.active])
def test_every_active_district_is_accepted(district_code: str) -> None:
    assert read(submission(district_code=district_code)).district.code == district_code


def test_the_applicant_repr_reveals_nothing_personal() -> None:
    applicant = read(submission()).applicant
    for shown in (repr(applicant), str(applicant), repr(read(submission())), f"{applicant}"):
        assert national_id()[-4:] not in shown
        assert "12345678" not in shown
        assert "منى" not in shown


# Refusals: each field by its dotted name


def without(*path: str) -> Callable[[dict[str, Any]], None]:
    def change(body: dict[str, Any]) -> None:
        target = body
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def setting(value: Any, *path: str) -> Callable[[dict[str, Any]], None]:
    def change(body: dict[str, Any]) -> None:
        target = body
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (without("service_code"), "service_code"),
        (setting("", "service_code"), "service_code"),
        (setting(None, "service_code"), "service_code"),
        (setting("no_such_service", "service_code"), "service_code"),
        (setting("Shop_Licence", "service_code"), "service_code"),
        (setting(7, "service_code"), "service_code"),
        (setting(["shop_licence"], "service_code"), "service_code"),
        (without("district_code"), "district_code"),
        (setting("", "district_code"), "district_code"),
        (setting("nowhere", "district_code"), "district_code"),
        (setting("Dokki", "district_code"), "district_code"),
        (setting("الدقي", "district_code"), "district_code"),
        (setting({"code": "dokki"}, "district_code"), "district_code"),
        (without("consent"), "consent"),
        (setting(False, "consent"), "consent"),
        (setting(None, "consent"), "consent"),
        (setting("true", "consent"), "consent"),
        (setting(1, "consent"), "consent"),
        (without("applicant"), "applicant"),
        (setting(None, "applicant"), "applicant"),
        (setting("منى أحمد", "applicant"), "applicant"),
        (setting([], "applicant"), "applicant"),
        (without("applicant", "full_name"), "applicant.full_name"),
        (setting("   ", "applicant", "full_name"), "applicant.full_name"),
        (setting("منى", "applicant", "full_name"), "applicant.full_name"),
        (setting("منى 2 أحمد", "applicant", "full_name"), "applicant.full_name"),
        (setting(["منى", "أحمد"], "applicant", "full_name"), "applicant.full_name"),
        (without("applicant", "national_id"), "applicant.national_id"),
        (setting("", "applicant", "national_id"), "applicant.national_id"),
        (setting("2900101210123", "applicant", "national_id"), "applicant.national_id"),
        (setting("19001012101233", "applicant", "national_id"), "applicant.national_id"),
        (setting(29001012101233, "applicant", "national_id"), "applicant.national_id"),
        (without("applicant", "phone"), "applicant.phone"),
        (setting("0233345678", "applicant", "phone"), "applicant.phone"),
        (setting("+441234567890", "applicant", "phone"), "applicant.phone"),
        (setting(1012345678, "applicant", "phone"), "applicant.phone"),
        (setting(None, "details"), "details"),
        (setting([], "details"), "details"),
        (setting("shop_address=x", "details"), "details"),
    ],
)
def test_each_refusal_names_its_field(change: Callable[[dict[str, Any]], None], field: str) -> None:
    body = submission()
    change(body)
    assert set(refused_fields(body)) == {field}


def test_a_service_not_offered_in_the_district_is_refused_on_the_service() -> None:
    services = json.loads((DATA_DIR / "services.json").read_text(encoding="utf-8"))
    only_in_omraniya = copy.deepcopy(services)
    next(s for s in only_in_omraniya["services"] if s["code"] == WITH_OPTIONAL)["districts"] = ["omraniya"]
    data = parse_catalogue_data(
        json.loads((DATA_DIR / "districts.json").read_text(encoding="utf-8")),
        only_in_omraniya,
        json.loads((DATA_DIR / "holidays.json").read_text(encoding="utf-8")),
    )
    catalogue = Catalogue(data, rollout_phase=1)

    assert read(submission(WITH_OPTIONAL, district_code="omraniya"), catalogue).district.code == "omraniya"
    error = refusal(submission(WITH_OPTIONAL, district_code="dokki"), catalogue)
    assert error.code == "invalid_fields"
    assert set(error.fields) == {"service_code"}
    assert error.fields["service_code"] != refused_fields(changed(submission(), service_code="nope"))["service_code"]


def test_an_empty_body_names_every_top_level_field() -> None:
    assert set(refused_fields({})) == {"service_code", "district_code", "applicant", "consent"}


def test_every_problem_is_reported_at_once() -> None:
    body = {
        "service_code": ALL_KINDS,
        "district_code": "nowhere",
        "applicant": {"full_name": "", "national_id": "123", "phone": "0233345678"},
        "details": {
            "shop_address": "ش" * 201,
            "shop_licence_number": None,
            "occupancy_type": "stall",
            "occupied_area_m2": 0,
            "start_date": "2026-13-01",
            "colour": "أحمر",
        },
        "consent": False,
    }

    fields = refused_fields(body)

    assert set(fields) == {
        "district_code",
        "applicant.full_name",
        "applicant.national_id",
        "applicant.phone",
        "details.shop_address",
        "details.shop_licence_number",
        "details.occupancy_type",
        "details.occupied_area_m2",
        "details.start_date",
        "details.colour",
        "consent",
    }


def test_an_unknown_service_leaves_the_details_unread() -> None:
    body = changed(submission(), service_code="no_such_service", details={"anything": "x"})
    assert set(refused_fields(body)) == {"service_code"}


def test_refusals_say_why_in_different_words() -> None:
    messages = {
        refused_fields(changed(submission(), service_code=""))["service_code"],
        refused_fields(changed(submission(), service_code="nope"))["service_code"],
        refused_fields(submission(district_code="nowhere"))["district_code"],
        refused_fields(submission(consent=False))["consent"],
        refused_fields(submission(applicant=None))["applicant"],
        refused_fields(submission(details=[]))["details"],
        detail_refused(ALL_KINDS, "occupancy_type", "stall"),
        detail_refused(ALL_KINDS, "start_date", "tomorrow"),
        detail_refused(ALL_KINDS, "occupied_area_m2", "many"),
        detail_refused(ALL_KINDS, "shop_address", 12),
        detail_refused(ALL_KINDS, "shop_address", "ش" * 201),
    }
    assert len(messages) == 11


# Districts not yet switched on


INACTIVE = [d.code for d in CATALOGUE.districts() if not d.active]


def test_agouza_is_not_active_in_phase_one() -> None:
    error = refusal(submission(district_code="agouza"))
    assert error.code == "district_not_active"
    assert set(error.fields) == {"district_code"}
    assert "العجوزة" in error.fields["district_code"]
    assert "العجوزة" in error.message_ar
    assert "Agouza" in error.message_en


@pytest.mark.parametrize("district_code", INACTIVE)
def test_every_district_of_a_later_phase_is_not_active(district_code: str) -> None:
    assert refusal(submission(district_code=district_code)).code == "district_not_active"


def test_a_later_rollout_phase_switches_agouza_on() -> None:
    assert read(submission(district_code="agouza"), load_catalogue(rollout_phase=2)).district.code == "agouza"


@pytest.mark.parametrize(
    "change",
    [
        setting(False, "consent"),
        setting("0233345678", "applicant", "phone"),
        setting("x" * 31, "details", "shop_licence_number"),
        without("details", "start_date"),
        setting("no_such_service", "service_code"),
    ],
)
def test_an_inactive_district_is_only_reported_once_everything_else_is_valid(
    change: Callable[[dict[str, Any]], None],
) -> None:
    body = submission(ALL_KINDS, district_code="agouza")
    change(body)
    error = refusal(body)
    assert error.code == "invalid_fields"
    assert "district_code" not in error.fields
    assert error.fields


# Required and optional details


@pytest.mark.parametrize("missing", [None, "", "   ", "\n\t"])
def test_an_optional_detail_may_be_left_out(missing: Any) -> None:
    assert "trade_name" not in read(with_detail(WITH_OPTIONAL, "trade_name", missing)).details
    body = submission(WITH_OPTIONAL)
    del body["details"]["trade_name"]
    assert "trade_name" not in read(body).details


def test_an_optional_detail_given_is_kept() -> None:
    assert detail_read(WITH_OPTIONAL, "trade_name", " مطعم  النيل ") == "مطعم النيل"


@pytest.mark.parametrize("name", ["shop_address", "occupancy_type", "occupied_area_m2", "start_date"])
@pytest.mark.parametrize("missing", [None, "", "   "])
def test_a_required_detail_left_empty_is_refused_as_required(name: str, missing: Any) -> None:
    body = submission(ALL_KINDS)
    del body["details"][name]
    required = refused_fields(body)[f"details.{name}"]
    assert detail_refused(ALL_KINDS, name, missing) == required


def test_missing_details_name_each_required_field_and_no_optional_one() -> None:
    body = submission(WITH_OPTIONAL)
    del body["details"]
    assert set(refused_fields(body)) == {
        "details.shop_address",
        "details.activity",
        "details.area_m2",
        "details.tenure",
    }


@pytest.mark.parametrize("invisible", ["\u200f", "\u200e\u200f\u061c", "\x00", "\ufeff"])
def test_a_required_text_of_invisible_characters_only_is_refused(invisible: str) -> None:
    detail_refused(ALL_KINDS, "shop_address", invisible)


# Unknown details


@pytest.mark.parametrize("value", ["x", None, 1, {"a": 1}])
def test_an_unknown_detail_is_refused_by_its_name(value: Any) -> None:
    body = submission(ALL_KINDS)
    body["details"]["colour"] = value
    assert set(refused_fields(body)) == {"details.colour"}


def test_a_detail_of_another_service_is_refused() -> None:
    body = submission(ALL_KINDS)
    body["details"]["tenure"] = "owned"  # a shop_licence field
    assert set(refused_fields(body)) == {"details.tenure"}


def test_a_very_long_unknown_name_is_reported_shortened() -> None:
    body = submission(ALL_KINDS)
    body["details"]["x" * 5000] = 1
    (name,) = refused_fields(body)
    assert name.startswith("details.xxx")
    assert len(name) <= 80


# Numbers

NUMBER = "occupied_area_m2"  # min 1, max 200


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (1, 1),
        (200, 200),
        (150, 150),
        (12.5, 12.5),
        (1.0, 1.0),
        ("150", 150),
        ("١٥٠", 150),
        ("۱۵۰", 150),
        ("١٥۰", 150),
        (" ١٥٠ ", 150),
        ("\u200f١٥٠\u200e", 150),
        (f"١٢{ARABIC_DECIMAL_SEPARATOR}٥", 12.5),
        (f"12{ARABIC_DECIMAL_SEPARATOR}5", 12.5),
        ("12.5", 12.5),
        ("٠٠٧", 7),
        ("200.0", 200.0),
    ],
)
def test_a_number_is_read_from_json_or_any_digits(given: Any, expected: float) -> None:
    value = detail_read(ALL_KINDS, NUMBER, given)
    assert value == expected
    assert type(value) is type(expected)


def test_thousands_separated_by_commas_are_read() -> None:
    assert detail_read("building_permit", "plot_area_m2", "١٠,٠٠٠") == 10000


@pytest.mark.parametrize("given", [0, 0.99, -5, "0", "٠٫٩٩"])
def test_a_number_below_the_minimum_is_refused(given: Any) -> None:
    assert "1" in detail_refused(ALL_KINDS, NUMBER, given)


@pytest.mark.parametrize("given", [201, 200.01, "٢٠١", "200.5"])
def test_a_number_above_the_maximum_is_refused(given: Any) -> None:
    assert "200" in detail_refused(ALL_KINDS, NUMBER, given)


@pytest.mark.parametrize(
    "given",
    [
        "abc",
        "12a",
        "1.2.3",
        "١٫",
        ".5",
        "5.",
        "+5",
        "-5",
        "1e2",
        "0x10",
        "١ ٥٠",
        "१५०",  # Devanagari digits: int() accepts them, we do not
        "１５０",  # full-width digits
        "٢٠٫٥٫١",
        True,
        False,
        [150],
        {"value": 150},
    ],
)
def test_what_is_not_a_number_is_refused(given: Any) -> None:
    detail_refused(ALL_KINDS, NUMBER, given)


@pytest.mark.parametrize(
    "given",
    [
        10**12,
        -(10**12),
        10**18,
        1e12,
        1e300,
        float("nan"),
        float("inf"),
        float("-inf"),
        "9" * 15,
        "9" * 16,
        "١" * 40,
    ],
)
def test_huge_and_non_finite_numbers_are_refused(given: Any) -> None:
    detail_refused("building_permit", "plot_area_m2", given)


def test_an_integer_too_large_for_a_float_is_refused() -> None:
    detail_refused("building_permit", "plot_area_m2", 10**400)


# Dates


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2026-12-01", "2026-12-01"),
        ("٢٠٢٦-١٢-٠١", "2026-12-01"),
        ("۲۰۲۶-۱۲-۰۱", "2026-12-01"),
        (" 2026-12-01\u200f ", "2026-12-01"),
        ("2024-02-29", "2024-02-29"),
    ],
)
def test_a_date_is_read_in_any_digits(given: str, expected: str) -> None:
    assert detail_read(ALL_KINDS, "start_date", given) == expected


@pytest.mark.parametrize(
    "given",
    [
        "2026-13-01",
        "2026-02-30",
        "2025-02-29",
        "01/12/2026",
        "2026/12/01",
        "2026-1-1",
        "tomorrow",
        "2026-12-01T10:00",
        "२०२६-१२-०१",
        20261201,
        2026.12,
        True,
        ["2026-12-01"],
        {"year": 2026},
    ],
)
def test_what_is_not_a_date_is_refused(given: Any) -> None:
    detail_refused(ALL_KINDS, "start_date", given)


# Choices


@pytest.mark.parametrize("option", ["tables_chairs", "goods_display", "other"])
def test_each_offered_choice_is_accepted(option: str) -> None:
    assert detail_read(ALL_KINDS, "occupancy_type", option) == option


@pytest.mark.parametrize("given", ["stall", "Tables_Chairs", " other", "مقاعد وطاولات", "tenure", 1, 1.5, True])
def test_a_choice_not_offered_is_refused(given: Any) -> None:
    detail_refused(ALL_KINDS, "occupancy_type", given)


@pytest.mark.parametrize("given", [["other"], {"value": "other"}])
def test_a_list_or_object_given_for_a_choice_is_refused(given: Any) -> None:
    detail_refused(ALL_KINDS, "occupancy_type", given)


# Text


def test_text_is_cleaned() -> None:
    typed = "\u200f ١٢  شارع   التحرير\u200e\t، الدقي\x07 "
    assert detail_read(ALL_KINDS, "shop_address", typed) == "12 شارع التحرير ، الدقي"


def test_a_textarea_keeps_its_line_breaks() -> None:
    typed = "  سطر   أول \r\nسطر ثانٍ\r"
    assert detail_read("building_violation_reconciliation", "description", typed) == "سطر أول\nسطر ثانٍ"


@pytest.mark.parametrize(("name", "limit"), [("shop_licence_number", 30), ("shop_address", 200)])
def test_text_up_to_its_max_length_is_accepted_and_longer_refused(name: str, limit: int) -> None:
    assert detail_read(ALL_KINDS, name, "ش" * limit) == "ش" * limit
    assert detail_read(ALL_KINDS, name, "  " + "ش" * limit + "\u200f ") == "ش" * limit
    assert str(limit) in detail_refused(ALL_KINDS, name, "ش" * (limit + 1))


def test_the_length_is_counted_after_cleaning() -> None:
    typed = "   ".join(["12345"] * 5)  # 37 characters as typed, 29 once the runs of spaces are one each
    assert len(typed) > 30
    assert detail_read(ALL_KINDS, "shop_licence_number", typed) == " ".join(["12345"] * 5)


def test_textarea_max_length_comes_from_the_catalogue() -> None:
    service = "building_violation_reconciliation"
    assert len(detail_read(service, "description", "ش" * 1000)) == 1000
    assert "1000" in detail_refused(service, "description", "ش" * 1001)


@pytest.mark.parametrize("given", [12345, 1.5, True, ["شارع"], {"street": "التحرير"}])
def test_text_that_is_not_a_string_is_refused(given: Any) -> None:
    detail_refused(ALL_KINDS, "shop_licence_number", given)


# Any body at all

SERVICE_CODES = [service.code for service in CATALOGUE.services(on=TODAY)]
DISTRICT_CODES = [district.code for district in CATALOGUE.districts()]
ACTIVE_DISTRICT_CODES = [district.code for district in CATALOGUE.districts() if district.active]
FIELD_NAMES = sorted({f.name for service in CATALOGUE.services(on=TODAY) for f in service.fields})
OPTION_VALUES = sorted({o.value for service in CATALOGUE.services(on=TODAY) for f in service.fields for o in f.options})

TOP_LEVEL_FIELDS = {
    "service_code", "district_code", "consent", "applicant", "details",
    "applicant.full_name", "applicant.national_id", "applicant.phone",
}  # fmt: skip

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
digit_strings = st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹ -.,\u066b\u200f", max_size=20)
plausible = (
    st.sampled_from(OPTION_VALUES)
    | digit_strings
    | st.dates().map(date.isoformat)
    | st.integers(min_value=-5, max_value=100_001)
)


@st.composite
def nearly_valid(draw: st.DrawFn, detail_values: st.SearchStrategy[Any]) -> dict[str, Any]:
    """A valid body for any service and any district, active or not, with some of its values replaced."""
    district_code = draw(st.sampled_from(ACTIVE_DISTRICT_CODES) | st.sampled_from(DISTRICT_CODES))
    body = submission(draw(st.sampled_from(SERVICE_CODES)), district_code=district_code)
    for part, values in ((body["applicant"], digit_strings | json_values), (body["details"], detail_values)):
        for name in list(part):
            action = draw(st.sampled_from(["keep"] * 6 + ["drop", "replace"]))
            if action == "drop":
                del part[name]
            elif action == "replace":
                part[name] = draw(values)
    if draw(st.booleans()):
        body["details"].update(draw(st.dictionaries(st.sampled_from(FIELD_NAMES), detail_values, max_size=2)))
    body["consent"] = draw(st.just(True) | json_values)
    return body


def bodies(detail_values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    applicant = st.fixed_dictionaries(
        {},
        optional={
            "full_name": st.sampled_from(["منى أحمد عبد الله", "Mona Ahmed"]) | json_values,
            "national_id": st.just(national_id()) | digit_strings | json_values,
            "phone": st.sampled_from(["01012345678", "+٢٠١٠١٢٣٤٥٦٧٨"]) | digit_strings | json_values,
        },
    )
    details = st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), detail_values, max_size=8)
    known = st.fixed_dictionaries(
        {},
        optional={
            "service_code": st.sampled_from(SERVICE_CODES) | json_values,
            "district_code": st.sampled_from(DISTRICT_CODES) | json_values,
            "applicant": applicant | json_values,
            "details": details | json_values,
            "consent": st.just(True) | json_values,
        },
    )
    return known | nearly_valid(detail_values) | st.dictionaries(st.text(max_size=15), json_values, max_size=6)


def read_or_refused_in_arabic(body: dict[str, Any]) -> None:
    try:
        application = read(body)
    except InvalidInput as caught:
        error = caught
    else:
        assert isinstance(application, Application)
        assert application.district.active
        return
    assert error.code in {"invalid_fields", "district_not_active"}
    assert error.fields
    assert ARABIC_LETTER.search(error.message_ar)
    for name, message in error.fields.items():
        assert ARABIC_LETTER.search(message), name
        assert name in TOP_LEVEL_FIELDS or name.startswith("details."), name


@given(bodies(detail_values=plausible | scalars))
def test_any_body_with_plain_detail_values_is_read_or_refused_in_arabic(body: dict[str, Any]) -> None:
    read_or_refused_in_arabic(body)


@given(bodies(detail_values=plausible | json_values))
@example(with_detail(ALL_KINDS, "occupancy_type", []))
def test_any_json_body_is_read_or_refused_in_arabic(body: dict[str, Any]) -> None:
    read_or_refused_in_arabic(body)


def test_a_submission_answers_its_fields_in_order_its_moments_in_utc_and_no_invoice_when_free() -> None:
    filed_at = datetime(2026, 11, 30, 9, 15, 30, tzinfo=UTC)
    invoice = FeeInvoice("FW4829107356122", 150, "unpaid", datetime(2026, 12, 3, 9, 15, 30, tzinfo=UTC))
    paid = submission_answer(Submission("4829107356122", "awaiting_payment", filed_at, 150, "2026-12-28", invoice))
    free = submission_answer(Submission("4829107356122", "submitted", filed_at, 0, "2026-12-28", None))

    assert list(paid) == ["tracking_number", "status", "submitted_at", "fee_egp", "sla_due_date", "payment"]
    assert paid["submitted_at"] == "2026-11-30T09:15:30Z"
    assert paid["payment"] == {"reference": "FW4829107356122", "amount_egp": 150, "status": "unpaid",
                               "expires_at": "2026-12-03T09:15:30Z"}  # fmt: skip
    assert free["payment"] is None


SUBMISSION_FILED = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def test_a_fee_bearing_submission_answers_its_invoice_in_utc() -> None:
    invoice = FeeInvoice("482910735612201", 150, "unpaid", datetime(2026, 3, 17, 9, 30, tzinfo=UTC))
    filed = Submission("4829107356122", "awaiting_payment", SUBMISSION_FILED, 150, "2026-03-24", invoice)

    assert submission_answer(filed) == {
        "tracking_number": "4829107356122",
        "status": "awaiting_payment",
        "submitted_at": "2026-03-10T09:30:00Z",
        "fee_egp": 150,
        "sla_due_date": "2026-03-24",
        "payment": {
            "reference": "482910735612201",
            "amount_egp": 150,
            "status": "unpaid",
            "expires_at": "2026-03-17T09:30:00Z",
        },
    }


def test_a_free_submission_answers_no_payment() -> None:
    free = Submission("4829107356122", "submitted", SUBMISSION_FILED, 0, "2026-03-24", None)
    assert submission_answer(free)["payment"] is None
