"""Submission as a use case: what it stores, and how it draws around a taken tracking number."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.application import FeeInvoice, Submission, submission_answer
from chalicelib.services import submission as submission_service
from chalicelib.services.submission import ONLINE
from chalicelib.store.applicants import ApplicantRecord
from chalicelib.store.idempotency import find_idempotency_record
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

    assert (first.tracking_number, second.tracking_number) == ("1234567890128", "9876543210984")
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

    stored = load_request(answer.tracking_number)
    request_attributes = stored.request.serialize()
    assert not {"full_name", "national_id", "phone"} & set(request_attributes)
    assert "29001012112349" not in str(request_attributes)
    applicant = ApplicantRecord.get(answer.tracking_number)
    assert applicant.phone == "+201012345678"
    assert applicant.national_id == "29001012112349"


def test_the_deadline_counts_working_days_in_cairo(aws: None) -> None:
    answer = submission_service.submit_request(submission("road_occupancy_renewal"), None, ONLINE, NOW)

    # 5 working days after Friday 27 November 2026: Sun 29, Mon 30, Tue 1, Wed 2, Thu 3 December.
    assert answer.sla_due_date == "2026-12-03"


def test_a_submission_answers_its_value_to_the_second_and_a_retry_reads_back_the_same_value(aws: None) -> None:
    moment = NOW.replace(second=42, microsecond=987_654)
    body = submission("shop_licence")

    first = submission_service.submit_request(body, "portal-value-0001-abcdef", ONLINE, moment)
    again = submission_service.submit_request(body, "portal-value-0001-abcdef", ONLINE, moment + timedelta(minutes=3))

    expires_at = load_request(first.tracking_number).request.payment.expires_at
    assert first == Submission(
        tracking_number=first.tracking_number,
        status="awaiting_payment",
        submitted_at=moment.replace(microsecond=0),
        fee_egp=first.fee_egp,
        sla_due_date=first.sla_due_date,
        payment=FeeInvoice(
            reference=f"{first.tracking_number}01",
            amount_egp=first.fee_egp,
            status="unpaid",
            expires_at=expires_at.replace(microsecond=0),
        ),
    )
    assert first.fee_egp > 0
    assert again == first
    kept = find_idempotency_record("portal-value-0001-abcdef")
    assert kept is not None
    assert kept.answer == json.dumps(submission_answer(first), ensure_ascii=False)  # what the API answered
