"""Limits on guessing a request's proof, on lookups by national ID, and on flooding a phone; and
the keyed digests the store keeps instead of what they stand for (chalicelib/services/limits.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.errors import NotFound, TooManyRequests
from chalicelib.domain.inquiry import Inquiry
from chalicelib.services.limits import (
    count_reveal,
    give_back_message_slot,
    online_submissions,
    proven,
    proven_request,
    stored_inquiry_check,
    stored_national_id_key,
    take_lookup,
    take_message_slot,
)
from chalicelib.store.limits import LimitCounter
from chalicelib.store.requests.changes import insert_submission
from tests.integration.store.requests.test_changes import records

TRACKING_NUMBER = "1234567890128"
LAST4 = "2349"  # of the applicant records() builds
PHONE = "+201012345678"
NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def filed() -> None:
    insert_submission(*records(TRACKING_NUMBER, key=None), [], stored_inquiry_check(TRACKING_NUMBER, LAST4))


def test_the_store_keeps_keyed_digests_never_the_digits_or_the_number() -> None:
    check = stored_inquiry_check(TRACKING_NUMBER, LAST4)
    key = stored_national_id_key("29001012112349")

    assert check == stored_inquiry_check(TRACKING_NUMBER, LAST4)
    assert check != stored_inquiry_check(TRACKING_NUMBER, "2348")
    assert check != stored_inquiry_check("9876543210984", LAST4)
    assert LAST4 not in check
    assert key == stored_national_id_key("29001012112349")
    assert key != stored_national_id_key("29001012112348")
    assert "29001012112349" not in key


def test_the_right_digits_prove_the_request_and_are_never_counted(aws: None) -> None:
    filed()
    inquiry = Inquiry(TRACKING_NUMBER, LAST4)

    for _ in range(12):  # more than the hour's limit of failed attempts
        assert proven(inquiry, NOW).citizen_view()["status"] == "awaiting_payment"

    stored = proven_request(inquiry, NOW)
    assert (stored.request.tracking_number, len(stored.history)) == (TRACKING_NUMBER, 1)


def test_wrong_digits_and_an_unknown_number_are_not_found_alike(aws: None) -> None:
    filed()

    with pytest.raises(NotFound):
        proven(Inquiry(TRACKING_NUMBER, "0000"), NOW)
    with pytest.raises(NotFound):
        proven(Inquiry("9876543210984", LAST4), NOW)
    with pytest.raises(NotFound):
        proven_request(Inquiry(TRACKING_NUMBER, "0000"), NOW)


def test_once_the_hours_attempts_failed_even_the_right_digits_wait_for_the_next_hour(aws: None) -> None:
    filed()
    for _ in range(10):  # FAILED_ATTEMPTS_PER_HOUR's default
        with pytest.raises(NotFound):
            proven(Inquiry(TRACKING_NUMBER, "0000"), NOW)

    with pytest.raises(TooManyRequests) as refused:
        proven(Inquiry(TRACKING_NUMBER, LAST4), NOW)

    assert refused.value.retry_after == datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert proven(Inquiry(TRACKING_NUMBER, LAST4), NOW + timedelta(hours=1)) is not None


def test_a_member_of_staff_looks_up_three_national_ids_a_minute(aws: None) -> None:
    for _ in range(3):
        take_lookup("officer-1", NOW)

    with pytest.raises(TooManyRequests):
        take_lookup("officer-1", NOW + timedelta(seconds=20))
    take_lookup("officer-2", NOW)
    take_lookup("officer-1", NOW + timedelta(minutes=1))


def test_a_phones_submissions_count_against_its_cairo_day(aws: None) -> None:
    counted = online_submissions(PHONE, NOW)

    assert counted.limit == 5
    assert counted.counted_against.key.startswith("submissions#")
    assert counted.counted_against.key.endswith("#2026-11-27")
    assert PHONE not in counted.counted_against.key
    assert online_submissions(PHONE, datetime(2026, 11, 27, 22, 30, tzinfo=UTC)).window.key.endswith("#2026-11-28")
    assert isinstance(counted.refusal(), TooManyRequests)


def test_a_phone_gets_ten_messages_a_day_and_one_given_back_may_be_sent_again(aws: None) -> None:
    slots = [take_message_slot(PHONE, NOW) for _ in range(10)]
    assert all(slot is not None for slot in slots)
    assert take_message_slot(PHONE, NOW) is None

    give_back_message_slot(slots[0])

    assert take_message_slot(PHONE, NOW) is not None
    assert take_message_slot(PHONE, NOW) is None


def test_reveals_past_the_hours_threshold_are_alerted_each_time(aws: None, caplog: pytest.LogCaptureFixture) -> None:
    for _ in range(10):
        count_reveal("manager-huda", NOW)
    assert not [r for r in caplog.records if getattr(r, "alert", None) == "many_identity_reveals"]

    count_reveal("manager-huda", NOW)
    count_reveal("manager-huda", NOW)

    alerts = [r for r in caplog.records if getattr(r, "alert", None) == "many_identity_reveals"]
    assert [r.reveals_this_hour for r in alerts] == [11, 12]
    assert LimitCounter.get("reveals#manager-huda#2026-11-27T09").count == 12
