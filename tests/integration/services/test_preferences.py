"""The notification choice as a use case: what it answers and what it keeps."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.application import NotificationChoice
from chalicelib.services.preferences import choose_notifications
from chalicelib.services.submission import ONLINE, submit_request
from chalicelib.store.applicants import load_applicant
from tests.factories import submission

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def test_the_choice_is_answered_as_the_request_and_the_way_chosen_and_kept(aws: None) -> None:
    body = submission(notify_by="sms")
    tracking_number = submit_request(body, None, ONLINE, NOW).tracking_number

    choice = choose_notifications(
        tracking_number, {"national_id_last4": body["applicant"]["national_id"][-4:], "notify_by": "voice"}, NOW
    )

    assert choice == NotificationChoice(tracking_number=tracking_number, notify_by="voice")
    kept = load_applicant(tracking_number)
    assert kept is not None
    assert kept.notify_by == "voice"
