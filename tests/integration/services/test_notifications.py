"""Telling citizens (issue 6): intents written in the change's own transaction, delivered once
by the stream handler and the sweeper, by SMS or by voice, never at night by voice, never to
someone who opted out, and nothing lost while SNS is down.

Against moto in process with the real tables; the handlers through Chalice's test client with
events built by hand (a DynamoDB stream record, a schedule, an SNS message). SNS is made to fail
at botocore's level, for Publish only, and put back.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import boto3
import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError, EndpointConnectionError
from botocore.stub import Stubber
from chalice.test import Client
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends
from pynamodb.exceptions import GetError, TransactWriteError

from app import app
from chalicelib.config import DEFAULT_PORTAL_ADDRESS
from chalicelib.domain.calendar import CAIRO
from chalicelib.domain.messages import Event, MessageValues, sms_text, voice_ssml
from chalicelib.domain.staff import Role
from chalicelib.domain.tracking import damm_check_digit, grouped_for_reading
from chalicelib.services import notifications
from chalicelib.services import submission as submission_service
from chalicelib.services.notifications import (
    BACKOFF_MINUTES,
    MAX_ATTEMPTS,
    QUIET_FROM,
    QUIET_UNTIL,
    deliver,
    deliver_due,
)
from chalicelib.services.submission import ONLINE, submit_request
from chalicelib.store.applicants import ApplicantRecord
from chalicelib.store.outbox import OutboxMessage
from chalicelib.store.requests.request import load_request_record
from tests.factories import free_service_code, national_id, submission
from tests.integration.api.calls import hand_in_every_document, post_json
from tests.integration.api.gateway_notices import fawry_notice, post_fawry
from tests.integration.services.conftest import Records
from tools.local.staff_token import SigningKey, mint_token

REGION = "eu-central-1"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{DEFAULT_ACCOUNT_ID}:shobbak-local-voice-calls"
SENDER_ID = "Shobbak"
ORIGIN = "+20221234567"
PHONE = "+201012345678"
PHONE_AS_TYPED = "0101 234 5678"
REQUESTS_TABLE, APPLICANTS_TABLE, OUTBOX_TABLE = (
    "shobbak-local-requests",
    "shobbak-local-applicants",
    "shobbak-local-outbox",
)
DISTRICT_AR = "الدقي"
ABSENT_TRACKING_NUMBER = "123456789012" + damm_check_digit("123456789012")
NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)  # 11:30 in Cairo
SMS_ATTRIBUTES = {
    "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
    "AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": SENDER_ID},
}
# Who asked, in every form it could leak in: none of it may reach a message or a log.
# Past a fresh invoice's reminder (due 24 hours before its 168 hours are up), before its expiry.
REMINDER_DAY = timedelta(days=6, hours=1)
PERSONAL = (PHONE, "1012345678", "01012345678", national_id(), national_id()[:7], "منى أحمد")


# --- the stack -------------------------------------------------------------------------------


@pytest.fixture
def messaging(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """moto with the real tables and topic, and the messaging configuration pointing at them."""
    monkeypatch.setenv("VOICE_CALLS_TOPIC_ARN", TOPIC_ARN)
    monkeypatch.setenv("SMS_SENDER_ID", SENDER_ID)
    monkeypatch.setenv("VOICE_ORIGINATION_IDENTITY", ORIGIN)


@pytest.fixture
def client(messaging: None) -> Iterator[Client]:
    with Client(app, stage_name="local") as test_client:
        yield test_client


def staff(signing_key: SigningKey, role: str, district_code: str = "dokki") -> dict[str, str]:
    token = mint_token(signing_key, Role(role), district_code)
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


ApiCall = tuple[str, str, dict[str, Any]]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[ApiCall]:
    """Every AWS call made, as (service, operation, parameters)."""
    made: list[ApiCall] = []
    make_api_call = BaseClient._make_api_call

    def recording(self: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
        made.append((self.meta.service_model.service_name, operation_name, api_params))
        return make_api_call(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", recording)
    return made


def transactions(made: list[ApiCall]) -> list[list[dict[str, Any]]]:
    return [params["TransactItems"] for _, operation, params in made if operation == "TransactWriteItems"]


def outbox_puts(items: list[dict[str, Any]]) -> list[str]:
    return [item["Put"]["Item"]["key"]["S"] for item in items if item.get("Put", {}).get("TableName") == OUTBOX_TABLE]


def tables_written(items: list[dict[str, Any]]) -> Counter[str]:
    return Counter(next(iter(item.values()))["TableName"] for item in items)


Refusal = Callable[[BaseClient, str, dict[str, Any]], bool]


@contextmanager
def refusing(refused: Refusal, error: Callable[[str], Exception]) -> Iterator[Counter[str]]:
    """Every AWS call that `refused` picks fails with `error` (at botocore's level, before any
    retry of its own) until the block ends; every other call goes through. Counts the failures."""
    failures: Counter[str] = Counter()
    make_api_call = BaseClient._make_api_call

    def failing(self: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
        if refused(self, operation_name, api_params):
            failures[operation_name] += 1
            raise error(operation_name)
        return make_api_call(self, operation_name, api_params)

    BaseClient._make_api_call = failing  # type: ignore[method-assign]
    try:
        yield failures
    finally:
        BaseClient._make_api_call = make_api_call  # type: ignore[method-assign]


def unavailable(operation_name: str) -> Exception:
    return ClientError({"Error": {"Code": "InternalError", "Message": "injected outage"}}, operation_name)


def unreachable(operation_name: str) -> Exception:
    return EndpointConnectionError(endpoint_url=f"https://sns.{REGION}.amazonaws.com/")


def sns_publish(client: BaseClient, operation_name: str, api_params: dict[str, Any]) -> bool:
    return client.meta.service_model.service_name == "sns" and operation_name == "Publish"


def sns_down(error: Callable[[str], Exception] = unavailable) -> Any:
    """SNS Publish fails until the block ends (then it is put back as it was)."""
    return refusing(sns_publish, error)


def dynamodb_fails_once(operation: str, table: str | None = None) -> Any:
    """One transient DynamoDB error on the first `operation` (against `table`, if given)."""
    failed: list[bool] = []

    def first(client: BaseClient, operation_name: str, api_params: dict[str, Any]) -> bool:
        hit = operation_name == operation and table in (None, api_params.get("TableName")) and not failed
        if hit:
            failed.append(True)
        return hit

    return refusing(first, unavailable)


# --- what moto saw ---------------------------------------------------------------------------


def sms_sent() -> list[tuple[str, str]]:
    """(phone, text) of every SMS SNS accepted, in order."""
    return list(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values())


def texts_to(tracking_number: str) -> Counter[str]:
    # Grouped in the text, alone or as the start of its payment reference.
    return Counter(text for _, text in sms_sent() if tracking_number in text.replace(" ", ""))


def calls_requested() -> list[dict[str, Any]]:
    topic = sns_backends[DEFAULT_ACCOUNT_ID][REGION].topics[TOPIC_ARN]
    return [json.loads(sent[1]) for sent in topic.sent_notifications]


def outbox(tracking_number: str | None = None) -> dict[str, OutboxMessage]:
    condition = OutboxMessage.tracking_number == tracking_number if tracking_number else None
    return {message.key: message for message in OutboxMessage.scan(filter_condition=condition)}


def by_event(tracking_number: str) -> dict[str, OutboxMessage]:
    return {message.event: message for message in outbox(tracking_number).values()}


def key(tracking_number: str, version: int, event: Event) -> str:
    return f"{tracking_number}#{version:06d}#{event.value}"


# --- the handlers' events --------------------------------------------------------------------


def stream_arn() -> str:
    return boto3.client("dynamodb", region_name=REGION).describe_table(TableName=OUTBOX_TABLE)["Table"][
        "LatestStreamArn"
    ]


def stream_event(keys: list[str], event_name: str = "INSERT") -> dict[str, Any]:
    """The outbox stream's event for these items, as Lambda hands it over (NEW_IMAGE)."""
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    records = []
    for number, message_key in enumerate(keys):
        image = dynamodb.get_item(TableName=OUTBOX_TABLE, Key={"key": {"S": message_key}}, ConsistentRead=True)
        new_image = image.get("Item", {"key": {"S": message_key}})
        records.append(
            {
                "eventID": f"{number:032x}",
                "eventName": event_name,
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": REGION,
                "dynamodb": {
                    "ApproximateCreationDateTime": int(datetime.now(UTC).timestamp()),
                    "Keys": {"key": {"S": message_key}},
                    "NewImage": new_image,
                    "SequenceNumber": f"{4000000000000000000000 + number}",
                    "SizeBytes": len(json.dumps(new_image)),
                    "StreamViewType": "NEW_IMAGE",
                },
                "eventSourceARN": stream_arn(),
            }
        )
    return {"Records": records}


class OutboxStream:
    """What the table's stream does: hands each item the first time it is seen to the handler."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.events: list[dict[str, Any]] = []

    def new_keys(self) -> list[str]:
        fresh = sorted(set(outbox()) - self.seen)
        self.seen |= set(fresh)
        return fresh

    def deliver(self, client: Client) -> dict[str, int]:
        fresh = self.new_keys()
        if not fresh:
            return {}
        event = stream_event(fresh)
        self.events.append(event)
        return client.lambda_.invoke("deliver_messages", event).payload


def sweep(client: Client) -> dict[str, int]:
    event = client.events.generate_cw_event(
        source="aws.events",
        detail_type="Scheduled Event",
        detail={},
        resources=[f"arn:aws:events:{REGION}:{DEFAULT_ACCOUNT_ID}:rule/shobbak-local-sweep_messages"],
        region=REGION,
    )
    return client.lambda_.invoke("sweep_messages", event).payload


# --- the API ---------------------------------------------------------------------------------


def applied(**overrides: Any) -> dict[str, Any]:
    """A submission whose applicant typed the phone with spaces; a fee-bearing service unless told."""
    body = submission(overrides.pop("service_code", None), **overrides)
    body["applicant"]["phone"] = PHONE_AS_TYPED
    return body


def submit(client: Client, body: dict[str, Any]) -> dict[str, Any]:
    response = post_json(client, "/v1/requests", body)
    assert response.status_code == 201, response.body
    return response.json_body


def move(client: Client, headers: dict[str, str], tracking_number: str, to: str, version: int, **extra: Any) -> Any:
    body = {"to": to, "note": "خطوة في الفحص", "version": version, **extra}
    if to == "needs_info":
        body.setdefault("message_to_citizen", "أرفق صورة عقد الإيجار.")
    return post_json(client, f"/v1/office/requests/{tracking_number}/transitions", body, headers)


def pay(client: Client, answer: dict[str, Any]) -> Any:
    return post_fawry(client, fawry_notice(answer["payment"]["reference"], float(answer["fee_egp"])))


def choose(client: Client, tracking_number: str, notify_by: str, last4: str | None = None) -> Any:
    body = {"national_id_last4": last4 or national_id()[-4:], "notify_by": notify_by}
    return post_json(client, f"/v1/requests/{tracking_number}/notifications", body)


def next_cairo(hour: int, after: datetime) -> datetime:
    """The next moment at `hour`:00 in Cairo after `after`."""
    local = after.astimezone(CAIRO).date()
    today, tomorrow = (datetime.combine(day, time(hour), tzinfo=CAIRO) for day in (local, local + timedelta(days=1)))
    return today if today > after else tomorrow


# --- 1. the intent is written with the change, in its transaction ----------------------------


def test_a_fee_bearing_submission_writes_received_with_how_to_pay_and_the_reminder_in_its_one_transaction(
    messaging: None, calls: list[ApiCall]
) -> None:
    answer = submit_request(applied(), None, ONLINE, NOW)
    tracking_number = answer.tracking_number

    [written] = transactions(calls)
    assert tables_written(written) == Counter(
        {REQUESTS_TABLE: 3, APPLICANTS_TABLE: 1, OUTBOX_TABLE: 2, "shobbak-local-limits": 1}
    )
    assert sorted(outbox_puts(written)) == sorted(
        key(tracking_number, 1, event) for event in (Event.SUBMITTED, Event.PAYMENT_REMINDER)
    )
    messages = by_event(tracking_number)
    expires_at = load_request_record(tracking_number).payment.expires_at
    reference = answer.payment.reference
    assert {event: message.status for event, message in messages.items()} == {
        "submitted": "pending",
        "payment_reminder": "pending",
    }
    # "Received" and "how to pay" are one message (docs/messages.md).
    assert messages["submitted"].due_at == NOW
    assert messages["submitted"].values.as_dict() == {"reference": reference, "amount_egp": answer.fee_egp}
    assert messages["payment_reminder"].due_at == expires_at - timedelta(hours=24)
    assert messages["payment_reminder"].values.as_dict() == {
        "reference": reference,
        "pay_by": expires_at.astimezone(CAIRO).date().isoformat(),
    }
    serialised = json.dumps([message.serialize() for message in messages.values()], ensure_ascii=False)
    for secret in PERSONAL:
        assert secret not in serialised


def test_a_free_submission_writes_only_submitted(messaging: None, calls: list[ApiCall]) -> None:
    answer = submit_request(applied(service_code=free_service_code()), None, ONLINE, NOW)

    [written] = transactions(calls)
    assert outbox_puts(written) == [key(answer.tracking_number, 1, Event.SUBMITTED)]
    assert list(by_event(answer.tracking_number)) == ["submitted"]


def test_a_refused_or_replayed_submission_writes_no_intent(client: Client, calls: list[ApiCall]) -> None:
    refused = post_json(client, "/v1/requests", applied(consent=False))
    headers = {"Idempotency-Key": "retry-me-0001"}
    first = post_json(client, "/v1/requests", applied(), headers)
    written = len(outbox())
    replayed = post_json(client, "/v1/requests", applied(), headers)

    assert refused.status_code == 400
    assert first.status_code == replayed.status_code == 201
    assert replayed.json_body == first.json_body
    assert written == 2
    assert len(outbox()) == 2
    assert len(transactions(calls)) == 2  # the first, and the replay's refused attempt


def test_the_intents_exist_if_and_only_if_their_request_does(messaging: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(submission_service, "new_tracking_number", lambda: "1234567890128")
    with dynamodb_fails_once("TransactWriteItems"), pytest.raises(TransactWriteError):
        submit_request(applied(), None, ONLINE, NOW)

    assert outbox() == {}
    assert load_request_record("1234567890128") is None

    # A taken tracking number: the refused draw leaves nothing; the second draw writes its own.
    draws = iter(["1234567890128", "1234567890128", "9876543210984"])
    monkeypatch.setattr(submission_service, "new_tracking_number", lambda: next(draws))
    submit_request(applied(service_code=free_service_code()), None, ONLINE, NOW)
    submit_request(applied(), None, ONLINE, NOW + timedelta(minutes=1))

    assert {message.tracking_number for message in outbox().values()} == {"1234567890128", "9876543210984"}
    assert list(by_event("1234567890128")) == ["submitted"]
    assert by_event("1234567890128")["submitted"].due_at == NOW
    assert sorted(by_event("9876543210984")) == ["payment_reminder", "submitted"]
    for message in outbox().values():
        assert load_request_record(message.tracking_number) is not None


@pytest.mark.parametrize(
    ("path", "told"),
    [
        pytest.param(
            [
                ("in_review", None),
                ("needs_info", Event.NEEDS_INFO),
                ("in_review", None),
                ("approved", Event.APPROVED),
                ("ready", Event.READY),
                ("closed", None),
            ],
            4,
            id="needs-info-approved-ready",
        ),
        pytest.param([("in_review", None), ("rejected", Event.REJECTED), ("closed", None)], 2, id="rejected"),
        pytest.param([("cancelled", Event.CANCELLED)], 2, id="cancelled"),
    ],
)
def test_a_staff_move_writes_one_intent_in_its_transaction_only_for_the_statuses_citizens_hear_of(
    client: Client,
    calls: list[ApiCall],
    signing_key: SigningKey,
    path: list[tuple[str, Event | None]],
    told: int,
) -> None:
    manager = staff(signing_key, "manager")
    tracking_number = submit(client, applied(service_code=free_service_code()))["tracking_number"]
    # Nothing is approved without them; recording them is a change of its own (one version).
    first = hand_in_every_document(client, manager, tracking_number).json_body["version"]

    for version, (target, event) in enumerate(path, start=first):
        before = len(calls)
        response = move(client, manager, tracking_number, target, version)
        assert response.status_code == 200, response.body
        [written] = transactions(calls[before:])
        expected = [key(tracking_number, version + 1, event)] if event else []
        assert outbox_puts(written) == expected, target
        assert tables_written(written)[REQUESTS_TABLE] == 3  # the request, its history entry, its proof

    messages = by_event(tracking_number)
    assert len(messages) == told
    if "ready" in messages:
        assert messages["ready"].values.as_dict() == {"district_name_ar": DISTRICT_AR}


def test_a_stale_move_writes_no_intent(client: Client, signing_key: SigningKey) -> None:
    officer = staff(signing_key, "officer")
    tracking_number = submit(client, applied(service_code=free_service_code()))["tracking_number"]
    assert move(client, officer, tracking_number, "in_review", 1).status_code == 200

    stale = move(client, officer, tracking_number, "approved", 1)

    assert stale.status_code == 409
    assert list(by_event(tracking_number)) == ["submitted"]


def test_a_payment_writes_no_message_the_gateways_receipt_confirms_it(client: Client, calls: list[ApiCall]) -> None:
    answer = submit(client, applied())
    tracking_number = answer["tracking_number"]

    before = len(calls)
    assert pay(client, answer).status_code == 200
    [written] = transactions(calls[before:])
    assert outbox_puts(written) == []
    again = len(calls)
    assert pay(client, answer).status_code == 200  # the gateway repeats its notice

    assert all(outbox_puts(items) == [] for items in transactions(calls[again:]))
    assert sorted(by_event(tracking_number)) == ["payment_reminder", "submitted"]


# --- 2. delivery: the stream, the sweeper, exactly once --------------------------------------


def test_the_stream_handler_sends_each_new_intent_once_as_an_sms_to_the_e164_number(
    client: Client, calls: list[ApiCall]
) -> None:
    answer = submit(client, applied())
    tracking_number = answer["tracking_number"]
    stream = OutboxStream()

    outcome = stream.deliver(client)

    values = MessageValues(tracking_number, answer["payment"]["reference"], answer["fee_egp"])
    expected = [sms_text(Event.SUBMITTED, values)]
    assert outcome == {"sent": 1, "not_due_or_taken": 1}  # the reminder waits for its day
    assert sorted(sms_sent()) == sorted((PHONE, text) for text in expected)
    publishes = [params for service, operation, params in calls if (service, operation) == ("sns", "Publish")]
    assert sorted(publishes, key=lambda params: params["Message"]) == sorted(
        ({"PhoneNumber": PHONE, "Message": text, "MessageAttributes": SMS_ATTRIBUTES} for text in expected),
        key=lambda params: params["Message"],
    )
    sent = {message.event: message for message in outbox(tracking_number).values() if message.status == "sent"}
    assert sorted(sent) == ["submitted"]
    assert {message.channel for message in sent.values()} == {"sms"}
    assert {message.provider_message_id for message in sent.values()} == set(
        sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages
    )
    for _, text in sms_sent():
        for secret in PERSONAL:
            assert secret not in text

    # Lambda retries a batch, the same record comes twice in one batch, other records come too.
    [event] = stream.events
    assert client.lambda_.invoke("deliver_messages", event).payload == {"not_due_or_taken": 2}
    doubled = {"Records": event["Records"] + event["Records"]}
    assert client.lambda_.invoke("deliver_messages", doubled).payload == {"not_due_or_taken": 4}
    for other in ("MODIFY", "REMOVE"):
        assert client.lambda_.invoke("deliver_messages", stream_event(list(outbox()), other)).payload == {}
    assert len(sms_sent()) == 1


def test_the_sweeper_sends_the_reminder_on_its_day_and_only_then(messaging: None) -> None:
    answer = submit_request(applied(), None, ONLINE, NOW)
    tracking_number = answer.tracking_number
    expires_at = load_request_record(tracking_number).payment.expires_at
    reminder_due = expires_at - timedelta(hours=24)

    assert deliver_due(NOW) == Counter(sent=1)
    assert deliver_due(reminder_due - timedelta(microseconds=1)) == Counter()
    assert deliver_due(reminder_due) == Counter(sent=1)
    assert deliver_due(reminder_due + timedelta(hours=1)) == Counter()

    pay_by = expires_at.astimezone(CAIRO).date()
    values = MessageValues(tracking_number, answer.payment.reference, pay_by=pay_by)
    reminder = sms_text(Event.PAYMENT_REMINDER, values)
    assert sms_sent()[-1] == (PHONE, reminder)
    assert grouped_for_reading(answer.payment.reference) in reminder
    assert len(sms_sent()) == 2


def test_the_scheduled_sweeper_sends_what_is_due(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INVOICE_VALIDITY_HOURS", "24")  # the reminder is due at once
    tracking_number = submit(client, applied())["tracking_number"]

    first, second = sweep(client), sweep(client)

    assert first == {"sent": 2}
    assert second == {}
    assert sorted(message.event for message in outbox(tracking_number).values() if message.status == "sent") == [
        "payment_reminder",
        "submitted",
    ]
    assert len(sms_sent()) == 2


@pytest.mark.parametrize("settled_by", ["payment", "cancellation"])
def test_a_reminder_is_skipped_once_the_invoice_no_longer_waits(
    client: Client, signing_key: SigningKey, settled_by: str
) -> None:
    answer = submit(client, applied())
    tracking_number = answer["tracking_number"]
    if settled_by == "payment":
        assert pay(client, answer).status_code == 200
    else:
        assert move(client, staff(signing_key, "manager"), tracking_number, "cancelled", 1).status_code == 200

    outcome = deliver_due(datetime.now(UTC) + REMINDER_DAY)

    told = 1 if settled_by == "payment" else 2  # received with how to pay (and the cancellation)
    assert outcome == Counter(sent=told, skipped=1)
    assert by_event(tracking_number)["payment_reminder"].status == "skipped"
    assert not any("قبل" in text for _, text in sms_sent())
    assert len(sms_sent()) == told


def test_a_citizen_who_chose_none_is_told_nothing(client: Client) -> None:
    tracking_number = submit(client, applied(notify_by="none"))["tracking_number"]
    stream = OutboxStream()

    assert stream.deliver(client) == {"skipped": 1, "not_due_or_taken": 1}
    assert deliver_due(datetime.now(UTC) + REMINDER_DAY) == Counter(skipped=1)
    assert {message.status for message in outbox(tracking_number).values()} == {"skipped"}
    assert ApplicantRecord.get(tracking_number).notify_by == "none"
    assert sms_sent() == []
    assert calls_requested() == []


# --- citizen choices: opt-out, voice, the night ----------------------------------------------


def test_opting_out_stops_the_messages_already_waiting(client: Client) -> None:
    answer = submit(client, applied())
    tracking_number = answer["tracking_number"]
    stream = OutboxStream()
    with sns_down():
        assert stream.deliver(client) == {"retry": 1, "not_due_or_taken": 1}

    chosen = choose(client, tracking_number, "none")
    assert pay(client, answer).status_code == 200
    paid = stream.deliver(client)
    later = deliver_due(datetime.now(UTC) + timedelta(minutes=2))
    reminder = deliver_due(datetime.now(UTC) + REMINDER_DAY)

    assert chosen.status_code == 200
    assert chosen.json_body == {"tracking_number": tracking_number, "notify_by": "none"}
    assert paid == {}  # a payment writes no message
    assert later == Counter(skipped=1)
    assert reminder == Counter(skipped=1)
    assert {message.status for message in outbox(tracking_number).values()} == {"skipped"}
    assert sms_sent() == []


def test_the_choice_is_refused_like_an_inquiry_without_the_right_last_four_digits(client: Client) -> None:
    tracking_number = submit(client, applied())["tracking_number"]

    wrong = choose(client, tracking_number, "none", last4="0000")
    inquiry = post_json(client, "/v1/inquiries", {"tracking_number": tracking_number, "national_id_last4": "0000"})
    unknown = choose(client, ABSENT_TRACKING_NUMBER, "none")
    invalid = choose(client, tracking_number, "email")

    assert wrong.status_code == inquiry.status_code == unknown.status_code == 404
    assert wrong.json_body == inquiry.json_body == unknown.json_body
    assert invalid.status_code == 400
    assert "notify_by" in invalid.json_body["error"]["fields"]
    assert ApplicantRecord.get(tracking_number).notify_by == "sms"


def test_a_citizen_who_chose_voice_gets_a_call_placed_by_zeina_not_an_sms(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracking_number = submit(client, applied(service_code=free_service_code(), notify_by="voice"))["tracking_number"]
    message_key = key(tracking_number, 1, Event.SUBMITTED)
    ssml = voice_ssml(Event.SUBMITTED, MessageValues(tracking_number))

    assert deliver(message_key, next_cairo(10, datetime.now(UTC))) == "sent"

    assert calls_requested() == [{"phone": PHONE, "ssml": ssml, "message_key": message_key}]
    assert sms_sent() == []
    message = OutboxMessage.get(message_key)
    assert (message.status, message.channel) == ("sent", "voice")
    [(_, published, *_)] = sns_backends[DEFAULT_ACCOUNT_ID][REGION].topics[TOPIC_ARN].sent_notifications

    voice = boto3.client("pinpoint-sms-voice-v2", region_name=REGION)
    monkeypatch.setattr(notifications, "_voice_client", lambda: voice)
    with Stubber(voice) as stubber:
        stubber.add_response(
            "send_voice_message",
            {"MessageId": "call-1"},
            expected_params={
                "DestinationPhoneNumber": PHONE,
                "OriginationIdentity": ORIGIN,
                "MessageBody": ssml,
                "MessageBodyTextType": "SSML",
                "VoiceId": "ZEINA",
                "Context": {"message_key": message_key},
            },
        )
        placed = client.lambda_.invoke("place_voice_calls", client.events.generate_sns_event(message=published))
        stubber.assert_no_pending_responses()
    assert placed.payload == {"message_id": "call-1"}


def test_choosing_voice_later_turns_the_next_messages_into_calls(client: Client, signing_key: SigningKey) -> None:
    manager = staff(signing_key, "manager")
    tracking_number = submit(client, applied(service_code=free_service_code()))["tracking_number"]
    stream = OutboxStream()
    assert stream.deliver(client) == {"sent": 1}

    assert choose(client, tracking_number, "voice").status_code == 200
    version = hand_in_every_document(client, manager, tracking_number).json_body["version"]
    assert move(client, manager, tracking_number, "in_review", version).status_code == 200
    assert move(client, manager, tracking_number, "approved", version + 1).status_code == 200
    [approved] = stream.new_keys()

    assert deliver(approved, next_cairo(10, datetime.now(UTC))) == "sent"
    assert [call["message_key"] for call in calls_requested()] == [approved]
    assert calls_requested()[0]["ssml"] == voice_ssml(Event.APPROVED, MessageValues(tracking_number))
    assert len(sms_sent()) == 1


def cairo(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=CAIRO)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("cairo_time", "morning"),
    [
        pytest.param(cairo(2026, 11, 27, 23, 0), cairo(2026, 11, 28, 9, 0), id="23:00"),
        pytest.param(cairo(2026, 11, 27, 21, 0), cairo(2026, 11, 28, 9, 0), id="21:00"),
        pytest.param(cairo(2026, 11, 28, 2, 30), cairo(2026, 11, 28, 9, 0), id="02:30"),
        pytest.param(cairo(2026, 11, 28, 8, 59, 59), cairo(2026, 11, 28, 9, 0), id="08:59:59"),
        pytest.param(cairo(2026, 7, 15, 23, 0), cairo(2026, 7, 16, 9, 0), id="23:00-summer-time"),
        pytest.param(cairo(2026, 11, 27, 20, 59), None, id="20:59"),
        pytest.param(cairo(2026, 11, 28, 9, 0), None, id="09:00"),
    ],
)
def test_no_voice_call_at_night_in_cairo_it_waits_for_the_morning(
    messaging: None, cairo_time: datetime, morning: datetime | None
) -> None:
    now = cairo_time.astimezone(UTC)
    answer = submit_request(applied(service_code=free_service_code(), notify_by="voice"), None, ONLINE, now)
    message_key = key(answer.tracking_number, 1, Event.SUBMITTED)

    outcome = deliver(message_key, now)

    if morning is None:
        assert outcome == "sent"
        assert len(calls_requested()) == 1
        return
    assert outcome == "deferred"
    waiting = OutboxMessage.get(message_key)
    assert (waiting.status, waiting.due_at) == ("pending", morning)
    assert calls_requested() == []
    assert deliver_due(morning - timedelta(microseconds=1)) == Counter()
    assert deliver_due(morning) == Counter(sent=1)
    assert deliver_due(morning + timedelta(hours=1)) == Counter()
    assert [call["message_key"] for call in calls_requested()] == [message_key]
    assert sms_sent() == []


def test_an_sms_is_sent_at_night_too(messaging: None) -> None:
    night = datetime(2026, 11, 27, 23, 0, tzinfo=CAIRO).astimezone(UTC)
    answer = submit_request(applied(service_code=free_service_code()), None, ONLINE, night)

    assert deliver(key(answer.tracking_number, 1, Event.SUBMITTED), night) == "sent"
    assert len(sms_sent()) == 1


# --- 5. faults: SNS down, nothing fails, nothing is lost, nothing is sent twice ---------------


def backoff_after(attempts: int) -> timedelta:
    return timedelta(minutes=BACKOFF_MINUTES[attempts - 1])


def test_with_sns_down_every_change_succeeds_and_once_it_is_back_each_message_goes_out_exactly_once(
    client: Client,
    signing_key: SigningKey,
    record_property: Callable[[str, object], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Eight messages to the one phone of these requests in a day: past the daily limit per phone,
    # which has its own tests (tests/integration/services/test_flooding.py).
    monkeypatch.setenv("MESSAGES_PER_PHONE_PER_DAY", "100")
    officer = staff(signing_key, "officer")
    stream = OutboxStream()
    statuses: list[int] = []
    handled: Counter[str] = Counter()

    with sns_down(unreachable) as outage:
        started = datetime.now(UTC)
        free_1 = submit(client, applied(service_code=free_service_code()))["tracking_number"]
        free_2 = submit(client, applied(service_code=free_service_code()))["tracking_number"]
        paid = submit(client, applied())
        unpaid = submit(client, applied())
        submissions = 4
        # Its approval needs them; recording them is a change of its own (version 2).
        hand_in_every_document(client, staff(signing_key, "clerk"), free_1)
        handled.update(stream.deliver(client))
        for tracking_number, target, version in [
            (free_1, "in_review", 2),
            (free_1, "approved", 3),
            (free_1, "ready", 4),
            (free_2, "in_review", 1),
            (free_2, "rejected", 2),
        ]:
            statuses.append(move(client, officer, tracking_number, target, version).status_code)
            handled.update(stream.deliver(client))
        statuses.append(pay(client, paid).status_code)
        handled.update(stream.deliver(client))
        statuses.append(move(client, officer, paid["tracking_number"], "needs_info", 2).status_code)
        handled.update(stream.deliver(client))
        handler_done = datetime.now(UTC)
        scheduled = sweep(client)  # the schedule meanwhile: nothing is due before its backoff

    assert statuses == [200] * 7
    pending = {
        message_key: message for message_key, message in outbox().items() if message.event != Event.PAYMENT_REMINDER
    }
    reminders = {message_key for message_key in outbox() if message_key not in pending}
    assert handled == Counter(retry=len(pending), not_due_or_taken=len(reminders))
    assert scheduled == {}
    assert len(pending) == 8
    assert len(reminders) == 2
    for message in pending.values():
        assert (message.status, message.attempts, message.last_error) == ("pending", 1, "EndpointConnectionError")
        assert started + backoff_after(1) <= message.due_at <= handler_done + backoff_after(1)

    # Still down: each sweep past the backoff tries again, and waits longer.
    moment = handler_done + backoff_after(1)
    with sns_down(unavailable) as still_down:
        for attempts in (2, 3):
            assert deliver_due(moment) == Counter(retry=len(pending))
            for message_key in pending:
                message = OutboxMessage.get(message_key)
                assert (message.status, message.attempts, message.last_error) == ("pending", attempts, "ClientError")
                assert message.due_at == moment + backoff_after(attempts)
            moment += backoff_after(attempts)
    assert sms_sent() == []
    assert outage["Publish"] + still_down["Publish"] == 3 * len(pending)

    # SNS is back: nothing before the backoff ends, then every message once, then nothing more.
    assert deliver_due(moment - timedelta(seconds=1)) == Counter()
    recovered = deliver_due(moment)
    later = [deliver_due(moment + wait) for wait in (timedelta(minutes=5), timedelta(hours=1), timedelta(days=1))]
    replayed = [client.lambda_.invoke("deliver_messages", event).payload for event in stream.events]

    assert recovered == Counter(sent=len(pending))
    assert later == [Counter()] * 3
    assert all(set(outcome) == {"not_due_or_taken"} for outcome in replayed)
    paid_number, unpaid_number = paid["tracking_number"], unpaid["tracking_number"]
    expected = {
        free_1: [Event.SUBMITTED, Event.APPROVED, Event.READY],
        free_2: [Event.SUBMITTED, Event.REJECTED],
        paid_number: [Event.SUBMITTED, Event.NEEDS_INFO],  # received with how to pay; no "paid"
        unpaid_number: [Event.SUBMITTED],
    }
    answers = {paid_number: paid, unpaid_number: unpaid}
    for tracking_number, events in expected.items():
        answer = answers.get(tracking_number)
        values = MessageValues(
            tracking_number,
            answer["payment"]["reference"] if answer else None,
            answer["fee_egp"] if answer else None,
            district_name_ar=DISTRICT_AR,
            portal_address=DEFAULT_PORTAL_ADDRESS,
        )
        assert texts_to(tracking_number) == Counter(sms_text(event, values) for event in events), tracking_number
    assert {phone for phone, _ in sms_sent()} == {PHONE}
    assert len(sms_sent()) == len(set(sms_sent())) == len(pending)

    # The reminders' day: the unpaid one is reminded, the paid one is not.
    reminder_day = deliver_due(datetime.now(UTC) + REMINDER_DAY)
    assert reminder_day == Counter(sent=1, skipped=1)
    assert deliver_due(datetime.now(UTC) + timedelta(days=8)) == Counter()
    assert [text for _, text in sms_sent()][-1].startswith("شباك: سدد رسوم طلبك قبل")
    assert len(sms_sent()) == len(pending) + 1

    for name, value in {
        "submissions": submissions,
        "transitions": len(statuses),
        "messages_pending_during_outage": len(pending),
        "reminders_waiting": len(reminders),
        "publish_failures": outage["Publish"] + still_down["Publish"],
        "sent_after_recovery": recovered["sent"],
        "sent_on_reminder_day": reminder_day["sent"],
        "sms_total": len(sms_sent()),
    }.items():
        record_property(name, value)


def test_a_message_that_keeps_failing_is_failed_after_the_last_attempt_and_alerted(
    messaging: None, log_lines: io.StringIO
) -> None:
    tracking_number = submit_request(applied(service_code=free_service_code()), None, ONLINE, NOW).tracking_number
    message_key = key(tracking_number, 1, Event.SUBMITTED)
    moment = NOW
    waits: list[timedelta] = []

    with sns_down():
        for attempt in range(1, MAX_ATTEMPTS):
            assert deliver_due(moment) == Counter(retry=1), attempt
            message = OutboxMessage.get(message_key)
            waits.append(message.due_at - moment)
            moment = message.due_at
        last = deliver_due(moment)
        afterwards = deliver_due(moment + timedelta(days=30))
    recovered = deliver_due(moment + timedelta(days=31))

    assert waits == [timedelta(minutes=minutes) for minutes in BACKOFF_MINUTES]
    assert waits == sorted(waits)
    assert last == Counter(failed=1)
    assert afterwards == recovered == Counter()
    failed = OutboxMessage.get(message_key)
    assert (failed.status, failed.attempts, failed.last_error) == ("failed", MAX_ATTEMPTS, "ClientError")
    assert failed.due_queue is None
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    alerts = [line for line in lines if line.get("alert") == "notification_failed"]
    assert len(alerts) == 1
    assert alerts[0]["level"] == "ERROR"
    assert (alerts[0]["tracking_number"], alerts[0]["event"]) == (tracking_number, "submitted")
    assert sum(line["message"] == "message will be retried" for line in lines) == MAX_ATTEMPTS - 1
    assert sms_sent() == []


def test_a_delivery_that_dies_after_claiming_its_message_does_not_lose_it(client: Client) -> None:
    tracking_number = submit(client, applied(service_code=free_service_code()))["tracking_number"]
    stream = OutboxStream()
    [message_key] = stream.new_keys()
    event = stream_event([message_key])

    with dynamodb_fails_once("GetItem", APPLICANTS_TABLE), pytest.raises(GetError):
        client.lambda_.invoke("deliver_messages", event)  # Lambda will retry the batch
    client.lambda_.invoke("deliver_messages", event)  # the retry
    for wait in (timedelta(minutes=15), timedelta(hours=1), timedelta(days=1)):
        deliver_due(datetime.now(UTC) + wait)  # the sweeper, later

    assert texts_to(tracking_number) == Counter([sms_text(Event.SUBMITTED, MessageValues(tracking_number))])


def test_a_message_of_an_event_no_longer_sent_still_waiting_from_before_is_skipped(messaging: None) -> None:
    """ "How to pay" and "paid" were separate messages before docs/messages.md: one still waiting
    for a retry when this version is deployed is settled as skipped, never sent, never a crash."""
    tracking_number = submit_request(applied(service_code=free_service_code()), None, ONLINE, NOW).tracking_number
    for retired in ("awaiting_payment", "paid"):
        waiting = OutboxMessage(
            OutboxMessage.key_for(tracking_number, 1, retired), tracking_number=tracking_number, event=retired,
            values={}, created_at=NOW, expires_at=NOW + timedelta(days=90),
        )  # fmt: skip
        waiting.wait_until(NOW)
        waiting.save()

    assert deliver_due(NOW) == Counter(sent=1, skipped=2)
    assert {message.event: message.status for message in outbox(tracking_number).values()} == {
        "submitted": "sent", "awaiting_payment": "skipped", "paid": "skipped",
    }  # fmt: skip
    assert texts_to(tracking_number) == Counter([sms_text(Event.SUBMITTED, MessageValues(tracking_number))])


def test_a_reminder_that_comes_too_late_for_its_invoice_is_not_sent(messaging: None) -> None:
    answer = submit_request(applied(), None, ONLINE, NOW)
    expires_at = load_request_record(answer.tracking_number).payment.expires_at
    assert deliver_due(NOW) == Counter(sent=1)

    late = deliver_due(expires_at + timedelta(hours=2))  # the first sweep since the reminder fell due

    assert late == Counter(skipped=1)
    assert len(sms_sent()) == 1


def test_delivery_logs_carry_no_phone_number_or_national_id(
    client: Client, signing_key: SigningKey, log_lines: io.StringIO, raw_records: Records
) -> None:
    answer = submit(client, applied())
    voice_caller = submit(client, applied(service_code=free_service_code(), notify_by="voice"))["tracking_number"]
    silent = submit(client, applied(service_code=free_service_code(), notify_by="none"))["tracking_number"]
    stream = OutboxStream()
    calls_wait_for_morning = not QUIET_UNTIL <= datetime.now(CAIRO).time() < QUIET_FROM
    with sns_down():
        stream.deliver(client)  # retries
    night = next_cairo(23, datetime.now(UTC) + timedelta(hours=1))
    deliver_due(night)  # the SMS go out, the call is deferred, the silent one is skipped
    deliver_due(next_cairo(9, night))  # the call is made
    assert pay(client, answer).status_code == 200
    stream.deliver(client)
    deliver_due(datetime.now(UTC) + REMINDER_DAY)  # the paid request's reminder is skipped

    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    messages = Counter(line["message"] for line in lines)
    assert messages["message sent"] == 2  # received with how to pay, and the call; a payment tells nothing
    # The SMS is retried, and so is the call, unless it is night in Cairo: it then waits, untried.
    assert messages["message will be retried"] >= (1 if calls_wait_for_morning else 2)
    logged = {line.get("tracking_number") for line in lines}
    assert {answer["tracking_number"], voice_caller} <= logged
    assert OutboxMessage.get(key(silent, 1, Event.SUBMITTED)).status == "skipped"
    formatted = json.dumps(lines, ensure_ascii=False)
    asked = raw_records.text()
    for secret in PERSONAL:
        assert secret not in formatted
        assert secret not in asked, "the code itself asked to log personal data"


def test_a_failed_messages_alert_carries_no_personal_data(
    messaging: None, log_lines: io.StringIO, raw_records: Records
) -> None:
    answer = submit_request(applied(service_code=free_service_code(), notify_by="voice"), None, ONLINE, NOW)
    moment = NOW
    with sns_down():
        for _ in range(MAX_ATTEMPTS):
            deliver_due(moment)
            moment += timedelta(days=1)

    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    [alert] = [line for line in lines if line.get("alert") == "notification_failed"]
    assert alert["tracking_number"] == answer.tracking_number
    for secret in PERSONAL:
        assert secret not in json.dumps(lines, ensure_ascii=False)
        assert secret not in raw_records.text()


def test_the_day_a_reminder_names_is_the_invoices_last_day_in_cairo(messaging: None) -> None:
    # 22:30 UTC is already the next day in Cairo: the day named must be Cairo's.
    late = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)
    answer = submit_request(applied(), None, ONLINE, late)
    reminder = by_event(answer.tracking_number)["payment_reminder"]

    expires_at = late + timedelta(hours=168)
    assert reminder.values.as_dict()["pay_by"] == "2026-12-05"
    assert expires_at.astimezone(CAIRO).date() == date(2026, 12, 5)
