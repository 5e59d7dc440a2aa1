"""The inquiry as a use case: where the request stands, as a value its citizen may see."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.inquiry import RequestStanding, StandingChange
from chalicelib.services.inquiry import inquire
from chalicelib.services.submission import ONLINE, submit_request
from tests.factories import free_service_code, submission

NOW = datetime(2026, 11, 27, 9, 30, 15, 250_000, tzinfo=UTC)


def test_a_new_request_stands_as_submitted_with_its_one_change_to_the_second(aws: None) -> None:
    body = submission(free_service_code())
    answer = submit_request(body, None, ONLINE, NOW)
    tracking_number = answer.tracking_number

    standing = inquire(
        {"tracking_number": tracking_number, "national_id_last4": body["applicant"]["national_id"][-4:]}, NOW
    )

    at = NOW.replace(microsecond=0)  # the inquiry's answer is to the second (iso_utc)
    assert standing == RequestStanding(
        tracking_number=tracking_number,
        status=answer.status,
        service_code=body["service_code"],
        district_code="dokki",
        submitted_at=at,
        sla_due_date=answer.sla_due_date,
        payment_status=None,
        history=(StandingChange(status=answer.status, at=at),),
    )
