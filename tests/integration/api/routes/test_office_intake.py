"""One-window intake: the clerk files for the citizen, and the citizen leaves with a receipt."""

from __future__ import annotations

from typing import Any

import boto3
from chalice.test import Client

from chalicelib.domain.tracking import grouped_for_reading
from chalicelib.store.outbox import OutboxMessage
from tests.factories import national_id, submission
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders


def at_the_window(**changes: Any) -> dict[str, Any]:
    body = submission("shop_licence")
    body["documents_received"] = [0, 2]
    body.update(changes)
    return body


def stored_requests() -> int:
    return boto3.client("dynamodb").scan(TableName="shobbak-local-requests", Select="COUNT")["Count"]


def test_a_clerk_files_a_request_and_prints_an_arabic_receipt(client: Client, staff: StaffHeaders) -> None:
    clerk = staff("clerk", "dokki", principal="clerk-nadia")

    filed = post_json(client, "/v1/office/requests", at_the_window(), clerk)

    assert filed.status_code == 201
    answer = filed.json_body
    receipt = answer.pop("receipt_html")
    assert answer["status"] == "awaiting_payment"
    assert '<html lang="ar" dir="rtl">' in receipt
    assert grouped_for_reading(answer["tracking_number"]) in receipt
    assert "ترخيص محل" in receipt
    assert "الدقي" in receipt
    assert "<bdi>منى أحمد عبد الله</bdi>" in receipt
    # The payment reference grouped for reading aloud, the pay-by date and the portal's address.
    assert f'<bdi dir="ltr" class="grouped">{grouped_for_reading(answer["payment"]["reference"])}</bdi>' in receipt
    assert "<dt>آخر موعد للسداد</dt><dd>" in receipt
    assert '<dt>البوابة</dt><dd><bdi dir="ltr">http' in receipt
    assert "الساعة" in receipt
    documents = client.http.get("/v1/services?district=dokki").json_body["services"]
    shop = next(service for service in documents if service["code"] == "shop_licence")["documents"]
    assert shop[0]["name_ar"] in receipt
    assert shop[2]["name_ar"] in receipt
    assert shop[1]["name_ar"] not in receipt
    assert national_id() not in receipt

    seen = client.http.get(f"/v1/office/requests/{answer['tracking_number']}", headers=staff("officer", "dokki"))
    assert seen.json_body["channel"] == "window"
    assert seen.json_body["documents_received"] == [shop[0]["name_ar"], shop[2]["name_ar"]]
    assert seen.json_body["history"][0]["actor"] == "clerk-nadia"
    assert seen.json_body["history"][0]["actor_role"] == "clerk"


def test_the_citizen_tracks_a_window_request_like_any_other(client: Client, staff: StaffHeaders) -> None:
    tracking = post_json(client, "/v1/office/requests", at_the_window(), staff("clerk", "dokki")).json_body[
        "tracking_number"
    ]

    status = post_json(client, "/v1/inquiries", {"tracking_number": tracking, "national_id_last4": national_id()[-4:]})

    assert status.status_code == 200
    assert status.json_body["status"] == "awaiting_payment"


def test_the_window_applies_the_same_validation_and_writes_nothing(client: Client, staff: StaffHeaders) -> None:
    clerk = staff("clerk", "dokki")
    body = at_the_window()
    body["applicant"]["national_id"] = "123"

    refusals = [
        post_json(client, "/v1/office/requests", body, clerk),
        post_json(client, "/v1/office/requests", at_the_window(documents_received=[0, 99]), clerk),
        post_json(client, "/v1/office/requests", at_the_window(documents_received=[1, 1]), clerk),
        post_json(client, "/v1/office/requests", at_the_window(documents_received="all"), clerk),
        post_json(client, "/v1/office/requests", at_the_window(consent=False), clerk),
    ]

    assert [response.status_code for response in refusals] == [400] * 5
    assert "applicant.national_id" in refusals[0].json_body["error"]["fields"]
    assert "documents_received" in refusals[1].json_body["error"]["fields"]
    assert stored_requests() == 0


def test_a_double_click_at_the_window_files_once(client: Client, staff: StaffHeaders) -> None:
    clerk = staff("clerk", "dokki") | {"Idempotency-Key": "window-dokki-0001"}

    first = post_json(client, "/v1/office/requests", at_the_window(), clerk)
    again = post_json(client, "/v1/office/requests", at_the_window(), clerk)

    assert first.status_code == again.status_code == 201
    assert again.json_body == first.json_body
    assert stored_requests() == 3  # the request, its first history entry and its proof


def test_a_window_files_for_another_district_and_the_receipt_says_where_it_will_be_processed(
    client: Client, staff: StaffHeaders
) -> None:
    clerk = staff("clerk", "warraq", principal="clerk-at-warraq")

    filed = post_json(client, "/v1/office/requests", at_the_window(district_code="dokki"), clerk)

    assert filed.status_code == 201, filed.body
    receipt = filed.json_body["receipt_html"]
    assert "محافظة الجيزة — الوراق — الشباك الواحد" in receipt
    assert "<dt>قُدّم في</dt><dd>شباك الوراق</dd>" in receipt
    assert "<dt>جهة الفحص</dt><dd>الدقي (يُفحص الطلب هناك" in receipt
    seen = client.http.get(
        f"/v1/office/requests/{filed.json_body['tracking_number']}", headers=staff("officer", "dokki")
    ).json_body
    assert (seen["district_code"], seen["filed_at_office"]) == ("dokki", "warraq")
    received = sorted(entry["document"] for entry in seen["documents"] if entry["status"] == "received_at_window")
    services = client.http.get("/v1/services?district=dokki").json_body["services"]
    shop = next(service for service in services if service["code"] == "shop_licence")["documents"]
    assert received == sorted([shop[0]["code"], shop[2]["code"]])


def test_the_window_takes_documents_by_code_and_still_by_position(client: Client, staff: StaffHeaders) -> None:
    clerk = staff("clerk", "dokki")

    by_code = post_json(
        client, "/v1/office/requests", at_the_window(documents_received=["tax_card", "shop_sketch"]), clerk
    )
    mixed = post_json(client, "/v1/office/requests", at_the_window(documents_received=["tax_card", 0]), clerk)
    unknown = post_json(client, "/v1/office/requests", at_the_window(documents_received=["passport"]), clerk)

    assert by_code.status_code == 201
    seen = client.http.get(
        f"/v1/office/requests/{by_code.json_body['tracking_number']}", headers=staff("officer", "dokki")
    )
    assert seen.json_body["documents_received"] == ["رسم كروكي لموقع المحل ومساحته", "صورة البطاقة الضريبية"]
    assert [mixed.status_code, unknown.status_code] == [400, 400]
    assert "documents_received" in unknown.json_body["error"]["fields"]


def events_written(tracking_number: str) -> list[str]:
    return sorted(message.event for message in OutboxMessage.scan(OutboxMessage.tracking_number == tracking_number))


def test_a_window_filing_sends_no_received_message_unless_the_citizen_asks(client: Client, staff: StaffHeaders) -> None:
    """The citizen leaves with the printed receipt (tracking number, fee and Fawry reference), so
    "received" by message would say nothing new (docs/messages.md); the reminder still comes."""
    clerk = staff("clerk", "dokki")

    silent = post_json(client, "/v1/office/requests", at_the_window(), clerk).json_body["tracking_number"]
    asked = post_json(client, "/v1/office/requests", at_the_window(receipt_by_message=True), clerk)
    refused = post_json(client, "/v1/office/requests", at_the_window(receipt_by_message="yes"), clerk)

    assert events_written(silent) == ["payment_reminder"]
    assert asked.status_code == 201
    assert events_written(asked.json_body["tracking_number"]) == ["payment_reminder", "submitted"]
    assert refused.status_code == 400
    assert "receipt_by_message" in refused.json_body["error"]["fields"]
