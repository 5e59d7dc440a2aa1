"""The confirmation page promises only the messages the citizen chose, and says by when to pay."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from chalice.test import Client

from tests.factories import paid_service_code, submission

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def confirmed(client: Client, notify_by: str) -> str:
    body: dict[str, Any] = submission(paid_service_code())
    fields = {"service_code": body["service_code"], "district_code": body["district_code"], "notify_by": notify_by,
              "consent": "yes", "step": "check"}  # fmt: skip
    fields.update({f"applicant.{name}": str(value) for name, value in body["applicant"].items()})
    fields.update({f"details.{name}": str(value) for name, value in body["details"].items()})
    check = client.http.post("/v1/portal/applications", body=urlencode(fields), headers=FORM).body.decode()
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', check)
    carried = {name: html.unescape(value) for name, value in hidden}
    response = client.http.post("/v1/requests", body=urlencode(carried), headers=FORM)
    assert response.status_code == 201, response.body
    return response.body.decode()


def test_no_messages_chosen_promises_no_message_and_points_to_the_track_page(client: Client) -> None:
    page = confirmed(client, "none")

    assert "رسالة نصية" not in page
    assert "سنرسل إليك رسالة" not in page
    assert "اخترت ألا نرسل إليك رسائل" in page
    assert "بتوقيت القاهرة" in page  # the pay-by moment, on the one page such a citizen is sure to see


@pytest.mark.parametrize(("notify_by", "promised"), [("sms", "أرسلنا الرقم أيضًا في رسالة نصية"),
                                                     ("voice", "سنتصل بك عند كل تغيير")])  # fmt: skip
def test_each_channel_is_promised_as_chosen(client: Client, notify_by: str, promised: str) -> None:
    assert promised in confirmed(client, notify_by)
