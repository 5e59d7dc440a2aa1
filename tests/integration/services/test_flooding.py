"""Flooding a phone: anyone can file online naming any phone, so online submissions and the
messages sent to one phone are limited per Cairo day; filings at the window are not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import boto3
import pytest
from chalice.test import Client
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from app import app
from chalicelib.domain.errors import TooManyRequests
from chalicelib.services.notifications import deliver_due
from chalicelib.services.submission import ONLINE, Filing, submit_request
from tests.conftest import TEST_REGION
from tests.factories import free_service_code, submission
from tests.integration.api.calls import post_json

WINDOW = Filing(channel="window", actor_role="clerk", actor="clerk-1")
# 21:30 UTC on a November Sunday is 23:30 in Cairo: half an hour before the Cairo day ends.
LATE_EVENING = datetime(2026, 11, 29, 21, 30, tzinfo=UTC)
CAIRO_MIDNIGHT = datetime(2026, 11, 29, 22, 0, tzinfo=UTC)
MORNING = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 10:00 in Cairo


@pytest.fixture
def messaging(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMS_SENDER_ID", "Shobbak")


def applying(phone: str = "01012345678", service_code: str | None = None) -> dict[str, object]:
    body = submission(service_code)
    body["applicant"]["phone"] = phone
    return body


def requests_stored() -> int:
    return boto3.client("dynamodb", region_name=TEST_REGION).scan(TableName="shobbak-local-applicants")["Count"]


def outbox_size() -> int:
    return boto3.client("dynamodb", region_name=TEST_REGION).scan(TableName="shobbak-local-outbox")["Count"]


def sms_sent() -> list[tuple[str, str]]:
    return list(sns_backends[DEFAULT_ACCOUNT_ID][TEST_REGION].sms_messages.values())


def test_the_sixth_online_submission_for_a_phone_in_a_day_is_refused_in_arabic_and_nothing_is_sent(
    aws: None,
) -> None:
    with Client(app, stage_name="local") as client:
        accepted = [post_json(client, "/v1/requests", applying()).status_code for _ in range(5)]
        messages_before = outbox_size()
        refused = post_json(client, "/v1/requests", applying("+20 101 234 5678"))

    assert accepted == [201] * 5
    assert refused.status_code == 429
    error = refused.json_body["error"]
    assert error["code"] == "too_many_submissions"
    assert "الحد اليومي" in error["message_ar"]
    assert "يمكنك التقديم عبر البوابة مرة أخرى من يوم" in error["message_ar"]
    assert "شباك مركز الخدمات" in error["message_ar"]
    assert int(refused.headers["Retry-After"]) > 0
    assert requests_stored() == 5
    assert outbox_size() == messages_before


def test_another_phone_is_not_affected(aws: None) -> None:
    for _ in range(5):
        submit_request(applying(), None, ONLINE, LATE_EVENING)

    submit_request(applying("01112345678"), None, ONLINE, LATE_EVENING)

    assert requests_stored() == 6


def test_the_count_starts_again_at_midnight_in_cairo(aws: None) -> None:
    for _ in range(5):
        submit_request(applying(), None, ONLINE, LATE_EVENING)
    with pytest.raises(TooManyRequests) as refused:
        submit_request(applying(), None, ONLINE, CAIRO_MIDNIGHT - timedelta(seconds=1))

    submit_request(applying(), None, ONLINE, CAIRO_MIDNIGHT)

    assert refused.value.retry_after == CAIRO_MIDNIGHT
    assert "30 نوفمبر 2026" in refused.value.message_ar
    assert requests_stored() == 6


def test_filings_at_the_window_are_not_limited_nor_counted(aws: None) -> None:
    for _ in range(8):
        submit_request(applying(), None, WINDOW, LATE_EVENING)

    for _ in range(5):
        submit_request(applying(), None, ONLINE, LATE_EVENING)

    assert requests_stored() == 13


def test_a_retried_submission_counts_once(aws: None) -> None:
    for number in range(5):
        body = applying()
        first = submit_request(body, f"portal-retry-{number:04d}-abcdef", ONLINE, LATE_EVENING)
        again = submit_request(body, f"portal-retry-{number:04d}-abcdef", ONLINE, LATE_EVENING)
        assert again == first

    assert requests_stored() == 5


def test_the_limit_is_configuration(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONLINE_SUBMISSIONS_PER_PHONE_PER_DAY", "2")
    submit_request(applying(), None, ONLINE, LATE_EVENING)
    submit_request(applying(), None, ONLINE, LATE_EVENING)

    with pytest.raises(TooManyRequests):
        submit_request(applying(), None, ONLINE, LATE_EVENING)


@pytest.mark.usefixtures("cairo_day_now")  # its submissions go through the API, on the real clock
def test_the_confirm_page_without_javascript_says_when_to_try_again(aws: None) -> None:
    with Client(app, stage_name="local") as client:
        for _ in range(5):
            post_json(client, "/v1/requests", applying())
        body = submission()
        form = {
            "service_code": body["service_code"],
            "district_code": body["district_code"],
            "applicant.full_name": "منى أحمد عبد الله",
            "applicant.national_id": body["applicant"]["national_id"],
            "applicant.phone": "01012345678",
            **{f"details.{name}": str(value) for name, value in body["details"].items()},
            "consent": "yes",
            "idempotency_key": "portal-form-0001-abcdef",
        }
        page = client.http.post(
            "/v1/requests", body=urlencode(form), headers={"Content-Type": "application/x-www-form-urlencoded"}
        )

    assert page.status_code == 429
    assert "يمكنك التقديم عبر البوابة مرة أخرى من يوم" in page.body.decode()
    assert requests_stored() == 5


def test_at_most_ten_messages_a_cairo_day_reach_one_phone_and_the_rest_wait_for_the_next_day(
    messaging: None,
) -> None:
    # Twelve free requests filed at the window (not limited) for one phone: one "received" each.
    for _ in range(12):
        submit_request(applying(service_code=free_service_code()), None, WINDOW, LATE_EVENING)

    first_day = deliver_due(LATE_EVENING)
    sent_first_day = len(sms_sent())
    next_day = deliver_due(MORNING)

    assert first_day == {"sent": 10, "deferred": 2}
    assert sent_first_day == 10
    assert next_day == {"sent": 2}
    assert len(sms_sent()) == 12


def test_the_message_limit_is_configuration(messaging: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MESSAGES_PER_PHONE_PER_DAY", "3")
    for _ in range(4):
        submit_request(applying(service_code=free_service_code()), None, WINDOW, LATE_EVENING)

    assert deliver_due(LATE_EVENING) == {"sent": 3, "deferred": 1}
