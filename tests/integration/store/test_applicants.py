"""Who asked, one item per request, apart from it (chalicelib/store/applicants.py)."""

from __future__ import annotations

import pytest
from pynamodb.exceptions import UpdateError

from chalicelib.store.applicants import (
    MOST_REQUESTS_LOOKED_UP,
    ApplicantRecord,
    load_applicant,
    set_notify_by,
    tracking_numbers_for,
)

NATIONAL_ID_KEY = "hmac-of-29001012112349"


def applicant(tracking_number: str, national_id_key: str | None = NATIONAL_ID_KEY) -> ApplicantRecord:
    record = ApplicantRecord(
        tracking_number, full_name="منى أحمد", national_id="29001012112349", phone="+201012345678",
        national_id_key=national_id_key,
    )  # fmt: skip
    record.save()
    return record


def test_an_applicant_is_read_back_by_tracking_number_and_hears_by_sms_unless_told(aws: None) -> None:
    applicant("1234567890128")

    found = load_applicant("1234567890128")

    assert found is not None
    assert (found.full_name, found.phone, found.notify_by) == ("منى أحمد", "+201012345678", "sms")
    assert load_applicant("9876543210984") is None


def test_how_to_be_told_is_changed_only_for_an_applicant_still_kept(aws: None) -> None:
    applicant("1234567890128")

    set_notify_by("1234567890128", "voice")

    found = load_applicant("1234567890128")
    assert found is not None
    assert found.notify_by == "voice"
    with pytest.raises(UpdateError):
        set_notify_by("9876543210984", "none")  # erased or expired: nothing is made up
    assert load_applicant("9876543210984") is None


def test_a_walk_ins_requests_are_found_by_the_key_of_their_national_id(aws: None) -> None:
    applicant("1234567890128")
    applicant("1234567890135")
    applicant("1234567890142", national_id_key="hmac-of-someone-else")
    applicant("1234567890159", national_id_key=None)  # filed before the key was written

    assert sorted(tracking_numbers_for(NATIONAL_ID_KEY)) == ["1234567890128", "1234567890135"]
    assert tracking_numbers_for("hmac-of-nobody") == []


def test_the_lookup_reads_at_most_its_bound(aws: None) -> None:
    for serial in range(MOST_REQUESTS_LOOKED_UP + 3):
        applicant(f"10000000{serial:05d}")

    assert len(tracking_numbers_for(NATIONAL_ID_KEY)) == MOST_REQUESTS_LOOKED_UP
