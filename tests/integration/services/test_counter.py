"""The counter's receipt, first printed and printed again, and a walk-in's requests found by the
national ID on their card (chalicelib/services/counter.py; its pure parts are in
tests/unit/services/test_counter.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound, TooManyRequests
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.domain.tracking import grouped_for_reading
from chalicelib.services.catalogue import current_catalogue
from chalicelib.services.counter import look_up_by_national_id, receipt_of, reprint
from chalicelib.services.intake import Intake, file_at_window
from tools.testing.synthetic import applicant, national_id, submission

CLERK = StaffMember("clerk-1", Role.CLERK, "dokki")


def filed(district: str = "dokki", staff: StaffMember = CLERK, **extra: Any) -> Intake:
    service = current_catalogue().service("shop_licence", on=cairo_today(datetime.now(UTC)))
    assert service is not None
    return file_at_window(staff, {**submission(service, district), **extra}, None, datetime.now(UTC))


def test_the_receipt_names_the_request_the_district_the_window_and_how_to_pay(aws: None) -> None:
    intake = filed(district="warraq", documents_received=["tax_card"])

    receipt = receipt_of(intake)

    payment = intake.answer.payment
    assert payment is not None
    assert receipt.tracking_number == intake.answer.tracking_number
    assert receipt.tracking_grouped == grouped_for_reading(intake.answer.tracking_number)
    assert (receipt.service_name, receipt.district_name, receipt.office_name) == (
        intake.service.name_ar,
        intake.district.name_ar,
        intake.office.name_ar,
    )
    assert receipt.elsewhere is True  # filed at dokki's window for warraq
    assert (receipt.fee_egp, receipt.payment_reference) == (payment.amount_egp, grouped_for_reading(payment.reference))
    assert receipt.documents == (intake.documents_received[0].name_ar,)
    assert receipt.track_url.endswith(f"?tracking_number={intake.answer.tracking_number}")
    assert receipt.copy is False


def test_a_reprint_at_the_filing_window_is_the_same_receipt_marked_as_a_copy(aws: None) -> None:
    intake = filed(documents_received=["national_id_copy", "tax_card"])
    first = receipt_of(intake)

    again = reprint(CLERK, grouped_for_reading(intake.answer.tracking_number))  # as read aloud, spaces and all

    assert again.copy is True
    assert again.elsewhere is False
    for name in ("tracking_number", "service_name", "district_name", "office_name", "full_name", "registered_at",
                 "due_date", "fee_egp", "payment_reference", "pay_by", "documents", "track_url"):  # fmt: skip
        assert getattr(again, name) == getattr(first, name), name


def test_a_receipt_is_reprinted_only_at_the_window_that_filed_it(aws: None) -> None:
    intake = filed()
    number = intake.answer.tracking_number

    with pytest.raises(NotFound):
        reprint(StaffMember("clerk-2", Role.CLERK, "warraq"), number)
    with pytest.raises(NotFound):
        reprint(CLERK, "1234567890128")  # no such request
    with pytest.raises(NotFound):
        reprint(CLERK, "not a number")
    with pytest.raises(Forbidden):
        reprint(StaffMember("officer-1", Role.OFFICER, "dokki"), number)


def test_a_walk_ins_requests_are_found_by_national_id_newest_first_with_nothing_of_who_asked(aws: None) -> None:
    older = filed()
    newer = filed(district="omraniya", staff=StaffMember("clerk-3", Role.CLERK, "omraniya"))
    someone_else = {**applicant(), "national_id": national_id(serial="9876")}
    filed(applicant=someone_else)

    found = look_up_by_national_id(CLERK, applicant()["national_id"], datetime.now(UTC))

    assert [request.tracking_number for request in found] == [
        newer.answer.tracking_number,
        older.answer.tracking_number,
    ]
    assert found[0].service_code == "shop_licence"
    assert found[0].status == newer.answer.status
    assert not {"full_name", "phone", "national_id"} & set(vars(found[0]))


def test_a_lookup_is_refused_to_the_back_office_and_for_an_unreadable_number(aws: None) -> None:
    with pytest.raises(Forbidden):
        look_up_by_national_id(StaffMember("officer-1", Role.OFFICER, "dokki"), national_id(), datetime.now(UTC))
    with pytest.raises(InvalidInput):
        look_up_by_national_id(CLERK, "2900101", datetime.now(UTC))


def test_lookups_are_limited_per_member_of_staff_and_minute(aws: None) -> None:
    now = datetime.now(UTC).replace(second=0)
    for _ in range(3):
        assert look_up_by_national_id(CLERK, national_id(), now) == []

    with pytest.raises(TooManyRequests):
        look_up_by_national_id(CLERK, national_id(), now + timedelta(seconds=30))
