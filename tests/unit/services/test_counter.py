"""The counter's pure parts: who may file or look up, the service found by typing, the districts
it is filed for, and the national ID read back (chalicelib/services/counter.py). The receipt and
the lookup, which read the store, are in tests/integration/services/test_counter.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.staff import Role, StaffMember
from chalicelib.services.counter import (
    filing_districts,
    find_services,
    may_file,
    may_look_up,
    read_national_id,
)
from tools.testing.synthetic import national_id

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("staff", "files", "looks_up"),
    [
        (StaffMember("clerk-1", Role.CLERK, "dokki"), True, True),
        (StaffMember("manager-1", Role.MANAGER, "dokki"), True, True),
        (StaffMember("officer-1", Role.OFFICER, "dokki"), False, False),
        (StaffMember("hq-1", Role.HQ, None), False, False),
    ],
)
def test_only_the_people_at_a_districts_counter_file_and_look_up(
    staff: StaffMember, files: bool, looks_up: bool
) -> None:
    assert (may_file(staff), may_look_up(staff)) == (files, looks_up)


def test_a_service_is_found_by_any_words_of_its_arabic_or_english_name_or_its_code() -> None:
    codes = {service.code for service in find_services("ترخيص محل", NOW)}
    assert codes == {"shop_licence"}
    assert {service.code for service in find_services("licence renewal", NOW)} == {"road_occupancy_renewal"}
    assert {service.code for service in find_services("building_permit", NOW)} == {"building_permit"}
    assert find_services("no such service anywhere", NOW) == []


def test_an_empty_query_lists_every_service_in_force() -> None:
    everything = find_services("  ", NOW)
    assert len(everything) > 1
    assert {service.code for service in find_services("ترخيص", NOW)} < {service.code for service in everything}


def test_a_service_is_filed_for_the_active_districts_that_offer_it() -> None:
    (shop_licence,) = find_services("shop_licence", NOW)
    districts = filing_districts(shop_licence)
    assert {district.code for district in districts} == {"dokki", "omraniya", "warraq"}
    assert all(district.active for district in districts)


def test_the_national_id_is_read_back_as_a_birth_date_and_a_governorate() -> None:
    reading = read_national_id(national_id(birth="900101", governorate="21"), NOW)

    assert reading is not None
    assert (reading.birth_date, reading.governorate) == ("1 يناير 1990", "الجيزة")


def test_a_national_id_that_cannot_be_read_is_not_read_back() -> None:
    assert read_national_id("2900101211234", NOW) is None  # thirteen digits
    assert read_national_id("not a number", NOW) is None
