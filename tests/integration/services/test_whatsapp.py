"""WhatsApp as a channel (issue 25): template messages through AWS End User Messaging Social,
settled by the receipts it publishes, and sent by SMS exactly once when WhatsApp reports a
failure or no receipt comes in time; never lost, never twice by SMS.

moto has no End User Messaging Social: the service is a recording stand-in behind the real
adapter (it takes the same call, and answers or refuses as botocore would); SNS, the tables and
the outbox are moto's. Every status a citizen must act on is walked with every channel and both
outcomes of a delivery.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from chalicelib.adapters.sms import SmsSender
from chalicelib.adapters.voice import VoiceCallRequests
from chalicelib.adapters.whatsapp import META_API_VERSION, WhatsAppSender, receipts
from chalicelib.config import DEFAULT_PORTAL_ADDRESS
from chalicelib.domain.messages import SMS_ONLY, Event, MessageValues, sms_text
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.domain.whatsapp import TEMPLATES, parameters, rendered, template_for
from chalicelib.services.notifications import Senders, deliver_due, record_receipts
from chalicelib.services.office_documents import record_paper
from chalicelib.services.office_moves import move_request
from chalicelib.services.payment_notices import handle_fawry_notice
from chalicelib.services.submission import ONLINE, submit_request
from chalicelib.store.outbox import OutboxMessage
from tests.integration.api.gateway_notices import fawry_notice
from tests.integration.services.test_notifications import (
    NOW,
    ORIGIN,
    PHONE,
    SENDER_ID,
    TOPIC_ARN,
    applied,
    calls_requested,
    sms_sent,
    sns_down,
)
from tools.testing.synthetic import paper_documents

PHONE_NUMBER_ID = "phone-number-id-0123456789abcdef"
WAIT = timedelta(minutes=30)


class SocialMessaging:
    """Stands in for boto3's socialmessaging client: keeps what it is asked to send."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.refusing = False

    def send_whatsapp_message(self, originationPhoneNumberId: str, message: bytes, metaApiVersion: str) -> Any:
        if self.refusing:
            raise ClientError(
                {"Error": {"Code": "ThrottledRequestException", "Message": "injected"}}, "SendWhatsAppMessage"
            )
        assert (originationPhoneNumberId, metaApiVersion) == (PHONE_NUMBER_ID, META_API_VERSION)
        self.sent.append(json.loads(message))
        return {"messageId": f"wamid.{len(self.sent):04d}"}

    def texts(self) -> list[str]:
        return [message["template"]["name"] for message in self.sent]


@pytest.fixture
def social(aws: None, monkeypatch: pytest.MonkeyPatch) -> SocialMessaging:
    monkeypatch.setenv("VOICE_CALLS_TOPIC_ARN", TOPIC_ARN)
    monkeypatch.setenv("SMS_SENDER_ID", SENDER_ID)
    monkeypatch.setenv("VOICE_ORIGINATION_IDENTITY", ORIGIN)
    monkeypatch.setenv("WHATSAPP_PHONE_NUMBER_ID", PHONE_NUMBER_ID)
    monkeypatch.setenv("WHATSAPP_RECEIPT_WAIT_MINUTES", str(int(WAIT.total_seconds() // 60)))
    return SocialMessaging()


def senders(social: SocialMessaging) -> Senders:
    sns = boto3.client("sns", region_name="eu-central-1")
    return Senders(
        sms=SmsSender(sns, SENDER_ID),
        voice=VoiceCallRequests(sns, TOPIC_ARN),
        whatsapp=WhatsAppSender(lambda: social, PHONE_NUMBER_ID),
    )


def receipt(message_key: str, status: str, code: int | None = None) -> str:
    """An event as End User Messaging Social publishes it to its SNS destination."""
    entry_status: dict[str, Any] = {"id": "wamid.x", "status": status, "recipient_id": "201012345678",
                                    "timestamp": "1796655440", "biz_opaque_callback_data": message_key}  # fmt: skip
    if code is not None:
        entry_status["errors"] = [{"code": code, "title": "Message undeliverable"}]
    entry = {
        "id": "waba-id",
        "changes": [
            {
                "field": "messages",
                "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {"phone_number_id": "meta-number"},
                    "statuses": [entry_status],
                },
            }
        ],
    }
    return json.dumps({"context": {"MetaWabaIds": [], "MetaPhoneNumberIds": []},
                       "whatsAppWebhookEntry": json.dumps(entry)})  # fmt: skip


def waiting_on_whatsapp() -> list[OutboxMessage]:
    return [m for m in OutboxMessage.scan() if m.status == OutboxMessage.PENDING and m.channel == "whatsapp"]


# --- the templates ---------------------------------------------------------------------------


def test_every_event_has_a_utility_template_whose_variables_it_fills() -> None:
    values = MessageValues("1357913579135", "135791357913501", 1000, NOW.date(), "الدقي", DEFAULT_PORTAL_ADDRESS)
    free = MessageValues("1357913579135", district_name_ar="الدقي", portal_address=DEFAULT_PORTAL_ADDRESS)
    used = set()
    for event in set(Event) - SMS_ONLY:  # the notices about the number itself go by SMS alone
        for chosen in (values, free) if event is Event.SUBMITTED else (values,):
            template = template_for(event, chosen)
            used.add(template.name)
            filled = parameters(event, chosen)
            assert len(filled) == len(template.variables) == template.body.count("{{")
            assert all(filled)
            assert all("\n" not in value for value in filled)
            assert not template.body.startswith("{{")
            assert not template.body.rstrip(".").endswith("}}")
            text = rendered(event, chosen)
            assert text.startswith("شباك: ")
            assert "{{" not in text
    assert used == set(TEMPLATES)
    assert "1000" in rendered(Event.SUBMITTED, values)
    assert DEFAULT_PORTAL_ADDRESS in rendered(Event.NEEDS_INFO, values)


def test_a_receipt_event_is_read_back_to_its_message_and_others_are_left_out() -> None:
    assert receipts(receipt("k#000001#ready", "delivered")) == [receipts(receipt("k#000001#ready", "delivered"))[0]]
    [failed] = receipts(receipt("k#000001#ready", "failed", 131026))
    assert (failed.callback, failed.status, failed.error) == ("k#000001#ready", "failed", "131026")
    untagged = json.dumps({"whatsAppWebhookEntry": json.dumps({"changes": [{"value": {"messages": [{}]}}]})})
    assert receipts(untagged) == []


# --- delivery, receipts and the fallback -----------------------------------------------------


def test_a_whatsapp_message_waits_for_its_receipt_and_delivered_it_is_never_sent_by_sms(
    social: SocialMessaging,
) -> None:
    answer = submit_request(applied(notify_by="whatsapp"), None, ONLINE, NOW)
    outbox = senders(social)

    assert deliver_due(NOW, outbox) == Counter(awaiting_receipt=1)
    [waiting] = waiting_on_whatsapp()
    [sent] = social.sent
    assert sent["to"] == PHONE
    assert sent["template"]["name"] == "shobbak_received_pay"
    assert sent["biz_opaque_callback_data"] == waiting.key
    assert waiting.provider_message_id == "wamid.0001"

    assert record_receipts(receipt(waiting.key, "sent"), NOW, outbox) == Counter(ignored=1)
    assert record_receipts(receipt(waiting.key, "delivered"), NOW, outbox) == Counter(delivered=1)
    assert record_receipts(receipt(waiting.key, "read"), NOW, outbox) == Counter(already_settled=1)
    assert deliver_due(NOW + WAIT * 2, outbox) == Counter()
    settled = OutboxMessage.get(waiting.key)
    assert (settled.status, settled.channel) == ("sent", "whatsapp")
    assert sms_sent() == []
    assert answer.tracking_number in settled.key


def test_a_failed_receipt_sends_the_message_by_sms_at_once_and_only_once(social: SocialMessaging) -> None:
    answer = submit_request(applied(notify_by="whatsapp"), None, ONLINE, NOW)
    outbox = senders(social)
    deliver_due(NOW, outbox)
    [waiting] = waiting_on_whatsapp()

    first = record_receipts(receipt(waiting.key, "failed", 131026), NOW, outbox)  # not on WhatsApp
    again = record_receipts(receipt(waiting.key, "failed", 131026), NOW, outbox)  # receipts repeat
    late = record_receipts(receipt(waiting.key, "delivered"), NOW, outbox)

    assert first == Counter(fallback_sent=1)
    assert again == late == Counter(already_settled=1)
    assert deliver_due(NOW + WAIT * 2, outbox) == Counter()
    values = MessageValues(answer.tracking_number, answer.payment.reference, answer.fee_egp)
    assert sms_sent() == [(PHONE, sms_text(Event.SUBMITTED, values))]
    settled = OutboxMessage.get(waiting.key)
    assert (settled.status, settled.channel, settled.last_error) == ("sent", "sms", "whatsapp_failed:131026")


def test_no_receipt_within_the_wait_sends_it_by_sms_once_when_the_wait_is_over(social: SocialMessaging) -> None:
    submit_request(applied(notify_by="whatsapp"), None, ONLINE, NOW)
    outbox = senders(social)
    deliver_due(NOW, outbox)
    [waiting] = waiting_on_whatsapp()

    before = deliver_due(NOW + WAIT - timedelta(seconds=1), outbox)
    over = deliver_due(NOW + WAIT, outbox)
    later = deliver_due(NOW + WAIT * 3, outbox)
    stale = record_receipts(receipt(waiting.key, "delivered"), NOW + WAIT * 3, outbox)

    assert before == Counter()
    assert later == Counter()
    assert over == Counter(sent=1)
    assert stale == Counter(already_settled=1)
    assert len(sms_sent()) == 1
    assert len(social.sent) == 1
    assert OutboxMessage.get(waiting.key).last_error == "whatsapp_no_receipt"


def test_whatsapp_refusing_the_message_sends_it_by_sms_in_the_same_delivery(social: SocialMessaging) -> None:
    submit_request(applied(notify_by="whatsapp"), None, ONLINE, NOW)
    social.refusing = True

    assert deliver_due(NOW, senders(social)) == Counter(sent=1)
    assert len(sms_sent()) == 1
    assert social.sent == []
    assert deliver_due(NOW + WAIT * 2, senders(social)) == Counter()


def test_when_both_channels_fail_the_message_waits_and_goes_by_sms_once_sns_is_back(social: SocialMessaging) -> None:
    submit_request(applied(notify_by="whatsapp"), None, ONLINE, NOW)
    outbox = senders(social)
    deliver_due(NOW, outbox)
    [waiting] = waiting_on_whatsapp()

    with sns_down():
        assert record_receipts(receipt(waiting.key, "failed", 131049), NOW, outbox) == Counter(fallback_retry=1)
    retry = OutboxMessage.get(waiting.key)  # the WhatsApp attempt counts: the SMS backs off as a second one
    assert (retry.status, retry.channel, retry.attempts) == ("pending", "whatsapp", 2)
    assert deliver_due(retry.due_at, outbox) == Counter(sent=1)
    assert deliver_due(NOW + timedelta(days=1), outbox) == Counter()
    assert len(sms_sent()) == 1
    assert len(social.sent) == 1


# --- every status a citizen must act on, every channel, both outcomes ------------------------


def act_on_statuses(social: SocialMessaging, notify_by: str, outcome: str) -> dict[str, int]:
    """Files a fee-bearing request choosing `notify_by`, then walks it through every status the
    citizen must act on (pay; needs_info; ready), each message delivered, or failing first, as
    `outcome` says; answers how many times each reached the citizen, on any channel."""
    outbox = senders(social)
    moment = NOW
    answer = submit_request(applied(notify_by=notify_by), None, ONLINE, moment)
    tracking_number = answer.tracking_number
    officer = StaffMember("officer-dokki", Role.OFFICER, "dokki")
    clerk = StaffMember("clerk-dokki", Role.CLERK, "dokki")

    def tell() -> None:
        nonlocal moment
        if outcome == "failed" and notify_by != "whatsapp":
            with sns_down():  # SNS refuses the SMS or the call: it waits, then goes once
                deliver_due(moment, outbox)
            moment += timedelta(minutes=2)
        deliver_due(moment, outbox)
        for waiting in waiting_on_whatsapp():
            status = "delivered" if outcome == "delivered" else "failed"
            record_receipts(receipt(waiting.key, status, None if status == "delivered" else 131026), moment, outbox)
        moment += timedelta(minutes=5)

    tell()  # received, with how to pay
    handle_fawry_notice(fawry_notice(answer.payment.reference, float(answer.fee_egp)), moment)
    version = 2
    for target in ("needs_info", "in_review", "approved", "ready"):
        if target == "approved":
            paper = paper_documents_for(tracking_number, version)
            version = record_paper(clerk, tracking_number, paper, moment).request.version  # a change of its own
        body = {"to": target, "note": "خطوة", "version": version, "message_to_citizen": "أرفق عقد الإيجار."}
        version = move_request(officer, tracking_number, body, moment).request.version
        tell()

    reached: Counter[str] = Counter()
    for message in OutboxMessage.scan(OutboxMessage.tracking_number == tracking_number):
        if message.status == OutboxMessage.SENT:
            reached[message.event] += 1
    assert all(message.status != OutboxMessage.PENDING or message.event == "payment_reminder"
               for message in OutboxMessage.scan())  # fmt: skip
    return dict(reached)


def paper_documents_for(tracking_number: str, version: int) -> dict[str, Any]:
    from chalicelib.services.catalogue import current_catalogue
    from chalicelib.store.requests.request import load_request_record

    request = load_request_record(tracking_number)
    service = current_catalogue().service(request.service_code, on=NOW.date())
    return paper_documents(service, version)


@pytest.mark.parametrize("outcome", ["delivered", "failed"])
@pytest.mark.parametrize("notify_by", ["sms", "voice", "whatsapp"])
def test_every_status_a_citizen_must_act_on_reaches_them_once_on_some_channel(
    social: SocialMessaging, notify_by: str, outcome: str
) -> None:
    reached = act_on_statuses(social, notify_by, outcome)

    assert reached == {"submitted": 1, "needs_info": 1, "approved": 1, "ready": 1}
    sms, calls, whatsapp = len(sms_sent()), len(calls_requested()), len(social.sent)
    expected = {
        ("sms", "delivered"): (4, 0, 0), ("sms", "failed"): (4, 0, 0),
        ("voice", "delivered"): (0, 4, 0), ("voice", "failed"): (0, 4, 0),
        ("whatsapp", "delivered"): (0, 0, 4), ("whatsapp", "failed"): (4, 0, 4),
    }[(notify_by, outcome)]  # fmt: skip
    assert (sms, calls, whatsapp) == expected
    if notify_by == "sms":
        assert len({text for _, text in sms_sent()}) == 4, "each message once"


# --- the receipts' subscriber, as Lambda runs it, and the same faults as SMS -------------------


@pytest.fixture
def app_client(social: SocialMessaging) -> Any:
    from chalice.test import Client

    from app import app

    with Client(app, stage_name="local") as client:
        yield client


def waiting_message(social: SocialMessaging) -> OutboxMessage:
    submit_request(applied(notify_by="whatsapp"), None, ONLINE, NOW)
    deliver_due(NOW, senders(social))
    [waiting] = waiting_on_whatsapp()
    return waiting


def test_the_topics_subscriber_sends_a_failed_message_by_sms_once_however_often_the_event_comes(
    social: SocialMessaging, app_client: Any
) -> None:
    waiting = waiting_message(social)
    event = app_client.events.generate_sns_event(message=receipt(waiting.key, "failed", 131026))

    first = app_client.lambda_.invoke("record_whatsapp_receipts", event).payload
    again = app_client.lambda_.invoke("record_whatsapp_receipts", event).payload  # SNS delivers at least once

    assert first == {"fallback_sent": 1}
    assert again == {"already_settled": 1}
    assert len(sms_sent()) == 1
    assert deliver_due(NOW + WAIT * 2, senders(social)) == Counter()


@pytest.mark.parametrize(
    "event",
    [
        "not json",
        json.dumps(["a list"]),
        json.dumps({"whatsAppWebhookEntry": "{not json"}),
        json.dumps({"whatsAppWebhookEntry": json.dumps({"changes": "not a list"})}),
        json.dumps({"whatsAppWebhookEntry": json.dumps({"changes": [{"value": {"statuses": [7, None]}}]})}),
    ],
)
def test_an_event_of_another_shape_changes_nothing_and_is_not_retried(
    social: SocialMessaging, app_client: Any, event: str
) -> None:
    waiting = waiting_message(social)

    answer = app_client.lambda_.invoke("record_whatsapp_receipts", app_client.events.generate_sns_event(message=event))

    assert answer.payload == {}
    assert OutboxMessage.get(waiting.key).status == OutboxMessage.PENDING
    assert sms_sent() == []


@pytest.mark.parametrize(
    ("callback", "status", "errors"),
    [
        (12, "failed", None),  # a callback that is not ours in shape
        ("x" * 300, "failed", None),
        ("{key}", ["failed"], None),  # a status that is not a word
        ("{key}", "failed", "not a list"),  # its errors unreadable: still a failure, without a code
    ],
)
def test_each_field_is_checked_before_it_is_used(
    social: SocialMessaging, callback: Any, status: Any, errors: Any
) -> None:
    waiting = waiting_message(social)
    tagged = callback.format(key=waiting.key) if isinstance(callback, str) else callback
    entry = {"changes": [{"value": {"statuses": [
        {"status": status, "biz_opaque_callback_data": tagged, "errors": errors}
    ]}}]}  # fmt: skip

    found = receipts(json.dumps({"whatsAppWebhookEntry": json.dumps(entry)}))

    if errors is None:
        assert found == []
        assert OutboxMessage.get(waiting.key).status == OutboxMessage.PENDING
    else:
        [failed] = found
        assert (failed.callback, failed.status, failed.error) == (waiting.key, "failed", None)


def test_a_receipt_whose_handling_dies_midway_is_retried_and_its_sms_goes_once(social: SocialMessaging) -> None:
    from tests.integration.services.test_notifications import APPLICANTS_TABLE, dynamodb_fails_once

    waiting = waiting_message(social)
    event = receipt(waiting.key, "failed", 131026)

    with dynamodb_fails_once("GetItem", APPLICANTS_TABLE), pytest.raises(Exception, match="injected outage"):
        record_receipts(event, NOW, senders(social))  # due now, claimed, then the applicant unreadable
    retried = record_receipts(event, NOW, senders(social))  # Lambda's retry: the claim is still leased
    swept = [deliver_due(NOW + wait, senders(social)) for wait in (timedelta(minutes=16), timedelta(days=1))]

    assert retried == Counter(already_settled=1) or retried == Counter(fallback_not_due_or_taken=1)
    assert swept[0] == Counter(sent=1)
    assert swept[1] == Counter()
    assert len(sms_sent()) == 1


def test_a_failed_whatsapp_message_whose_sms_keeps_failing_is_failed_once_and_alerted(
    social: SocialMessaging, caplog: pytest.LogCaptureFixture
) -> None:
    from chalicelib.services.notifications import MAX_ATTEMPTS

    waiting = waiting_message(social)
    outbox = senders(social)
    with sns_down():
        record_receipts(receipt(waiting.key, "failed", 131026), NOW, outbox)
        moment, outcomes = NOW, Counter[str]()
        for _ in range(MAX_ATTEMPTS):
            moment = OutboxMessage.get(waiting.key).due_at
            outcomes.update(deliver_due(moment, outbox))
        outcomes.update(deliver_due(moment + timedelta(days=30), outbox))

    failed = OutboxMessage.get(waiting.key)
    assert (failed.status, failed.attempts) == (OutboxMessage.FAILED, MAX_ATTEMPTS)
    assert outcomes["failed"] == 1
    assert [r for r in caplog.records if getattr(r, "alert", None) == "notification_failed"]
    assert sms_sent() == []
    assert len(social.sent) == 1, "never WhatsApp again: the fallback is SMS"


def test_the_whatsapp_path_logs_no_phone_number(social: SocialMessaging, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG", logger="shobbak")
    waiting = waiting_message(social)
    record_receipts(receipt(waiting.key, "failed", 131026), NOW, senders(social))
    record_receipts("not json", NOW, senders(social))

    ours = [
        record.__dict__ for record in caplog.records if record.name == "shobbak"
    ]  # botocore's own are off in Lambda
    logged = json.dumps(ours, default=str, ensure_ascii=False)
    assert "WhatsApp event with statuses of an unknown shape" not in logged  # "not json" has no statuses
    assert ours
    assert PHONE not in logged
    assert PHONE.removeprefix("+20") not in logged


# --- the local stand-in: the inbox's End User Messaging Social and its events topic -----------


@pytest.mark.parametrize(
    ("switch", "sms", "outcome"),
    [("delivered", 0, "sent"), ("not_on_whatsapp", 1, "sent"), ("fails", 1, "sent"), ("silent", 0, "pending")],
)
def test_the_local_stand_in_publishes_the_services_events_and_the_real_subscriber_falls_back(
    social: SocialMessaging, switch: str, sms: int, outcome: str
) -> None:
    import base64

    from chalicelib.store.outbox import OutboxMessage as Stored
    from tools.local.message_inbox import inbox_page, relay_whatsapp_events
    from tools.local.whatsapp_service import WhatsAppStandIn

    def sns_data() -> dict[str, Any]:  # what the inbox reads from the moto server's /moto-api/data.json
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.sns.models import sns_backends

        topics = sns_backends[DEFAULT_ACCOUNT_ID]["eu-central-1"].topics.values()
        return {"Topic": [{"name": t.name, "sent_notifications": t.sent_notifications} for t in topics]}

    sns = boto3.client("sns", region_name="eu-central-1")
    [topic] = [t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith("-whatsapp-events")]
    stand_in = WhatsAppStandIn(sns, topic)
    stand_in.switch(PHONE, switch)

    class Local:  # the socialmessaging client, as botocore would send its body to the stand-in
        def send_whatsapp_message(self, originationPhoneNumberId: str, message: bytes, metaApiVersion: str) -> Any:
            return stand_in.send(json.dumps({"message": base64.b64encode(message).decode()}).encode())

    outbox = Senders(senders(social).sms, senders(social).voice, WhatsAppSender(Local, PHONE_NUMBER_ID))
    submit_request(applied(notify_by="whatsapp"), None, ONLINE, NOW)
    deliver_due(NOW, outbox)
    relayed = relay_whatsapp_events(sns_data(), 0)
    again = relay_whatsapp_events(sns_data(), 0)  # the same events twice: nothing more

    assert relayed == again == (1 if switch == "silent" else 2)
    assert len(sms_sent()) == sms
    [message] = [m for m in Stored.scan() if m.event == "submitted"]
    assert message.status == outcome
    assert PHONE in inbox_page(sns_data(), stand_in)
    assert "شباك: استلمنا طلبك رقم" in inbox_page(sns_data(), stand_in)
