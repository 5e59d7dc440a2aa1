"""The local stack's message inbox page: every SMS, voice call and WhatsApp message the stack sent,
newest first, escaped (tools/local/message_inbox.py). Its relay of WhatsApp events to the real
subscriber is exercised with the notifications in tests/integration/services/test_whatsapp.py."""

from __future__ import annotations

import json

from tools.local.message_inbox import inbox_page
from tools.local.whatsapp_service import SentWhatsApp, WhatsAppStandIn

# As moto's /moto-api/data.json gives SNS's state.
SNS = {
    "SMS": [
        {"phone_number": "+201012345678", "message": "شباك: استلمنا طلبك رقم 1234 5678 9012 8"},
        {"phone_number": "+201112345678", "message": "<b>not markup</b>"},
    ],
    "Topic": [
        {"name": "shobbak-local-voice-calls", "sent_notifications": [
            ["id-1", json.dumps({"phone": "+201212345678", "ssml": "<speak>طلبك جاهز</speak>"}), None, None, None],
        ]},
        {"name": "shobbak-local-whatsapp-events", "sent_notifications": [["id-2", "{}", None, None, None]]},
    ],
}  # fmt: skip


def test_every_sms_and_call_is_shown_newest_first_and_escaped() -> None:
    page = inbox_page(SNS)

    assert "+201012345678" in page
    assert "شباك: استلمنا طلبك رقم 1234 5678 9012 8" in page
    assert page.index("+201112345678") < page.index("+201012345678")  # the newest first
    assert "&lt;b&gt;not markup&lt;/b&gt;" in page
    assert "<b>not markup</b>" not in page
    assert "+201212345678" in page
    assert "&lt;speak&gt;طلبك جاهز&lt;/speak&gt;" in page


def test_whatsapp_messages_are_shown_with_their_outcome_and_each_switch_is_offered() -> None:
    stand_in = WhatsAppStandIn(sns=None, topic_arn="local")
    stand_in.sent.append(SentWhatsApp("+201512345678", "شباك: طلبك جاهز", "not_on_whatsapp"))

    page = inbox_page({}, stand_in)

    assert "+201512345678" in page
    assert "شباك: طلبك جاهز" in page
    for switch in ("delivered", "not_on_whatsapp", "fails", "silent"):
        assert f'<option value="{switch}">' in page


def test_an_empty_stack_has_an_empty_inbox() -> None:
    page = inbox_page({})
    assert "<li>" not in page
