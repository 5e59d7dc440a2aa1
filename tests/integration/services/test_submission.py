"""Submission as a use case: what it stores, and how it draws around a taken tracking number."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from chalicelib.services import submission as submission_service
from chalicelib.services.submission import ONLINE
from chalicelib.store.applicants import ApplicantRecord
from chalicelib.store.requests.changes import load_request
from tests.factories import submission

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)  # a Friday in Cairo


def numbers(*drawn: str) -> Iterator[str]:
    yield from drawn


def test_a_taken_tracking_number_is_drawn_again_without_touching_the_first(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(submission_service, "new_tracking_number", lambda: "1234567890128")
    first = submission_service.submit_request(submission(), None, ONLINE, NOW)
    draws = numbers("1234567890128", "9876543210984")
    monkeypatch.setattr(submission_service, "new_tracking_number", lambda: next(draws))

    second = submission_service.submit_request(submission(district_code="warraq"), None, ONLINE, NOW)

    assert (first["tracking_number"], second["tracking_number"]) == ("1234567890128", "9876543210984")
    assert load_request("1234567890128").request.district_code == "dokki"
    assert load_request("9876543210984").request.district_code == "warraq"


def test_it_gives_up_after_a_few_taken_numbers_and_writes_nothing_more(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(submission_service, "new_tracking_number", lambda: "1234567890128")
    submission_service.submit_request(submission(), None, ONLINE, NOW)

    with pytest.raises(RuntimeError):
        submission_service.submit_request(submission(district_code="warraq"), None, ONLINE, NOW)

    assert load_request("1234567890128").request.district_code == "dokki"


def test_the_request_keeps_no_identity_and_the_applicant_is_stored_apart(aws: None) -> None:
    answer = submission_service.submit_request(submission(), None, ONLINE, NOW)

    stored = load_request(answer["tracking_number"])
    request_attributes = stored.request.serialize()
    assert not {"full_name", "national_id", "phone"} & set(request_attributes)
    assert "29001012112349" not in str(request_attributes)
    applicant = ApplicantRecord.get(answer["tracking_number"])
    assert applicant.phone == "+201012345678"
    assert applicant.national_id == "29001012112349"


def test_the_deadline_counts_working_days_in_cairo(aws: None) -> None:
    answer = submission_service.submit_request(submission("road_occupancy_renewal"), None, ONLINE, NOW)

    # 5 working days after Friday 27 November 2026: Sun 29, Mon 30, Tue 1, Wed 2, Thu 3 December.
    assert answer["sla_due_date"] == "2026-12-03"
