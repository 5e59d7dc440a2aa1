"""The citizen's view kept on a request's proof (store/requests/proof.py) follows every change of the
request: whatever the office, the gateway or the headquarters did, an inquiry answers exactly
what the request and its history say."""

from __future__ import annotations

from typing import Any

from chalice.test import Client

from chalicelib.domain.calendar import iso_utc
from chalicelib.store.requests.changes import load_request
from chalicelib.store.requests.history import HistoryEntry
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.gateway_notices import fawry_notice, inquiry, post_fawry, submit


def as_the_request_says(tracking_number: str) -> dict[str, Any]:
    """The inquiry's answer, worked out from the request's whole partition."""
    stored = load_request(tracking_number)
    assert stored is not None
    request = stored.request
    history = []
    for entry in stored.history:
        if entry.event == HistoryEntry.STATUS_CHANGE:
            shown = {"status": entry.to_status, "at": iso_utc(entry.at)}
            history.append(shown | ({"message_ar": entry.citizen_message} if entry.citizen_message else {}))
    return {
        "status": request.status,
        "district_code": request.district_code,
        "service_code": request.service_code,
        "submitted_at": iso_utc(request.submitted_at),
        "sla_due_date": request.sla_due_date,
        "payment_status": None if request.payment is None else request.payment.status,
        "history": history,
    }


def answered(client: Client, tracking_number: str) -> dict[str, Any]:
    answer = inquiry(client, tracking_number)
    return {name: answer[name] for name in as_the_request_says(tracking_number)}


def test_every_change_of_the_request_is_in_the_next_inquiry(client: Client, staff: StaffHeaders) -> None:
    invoice = submit(client)
    tracking_number, fee = invoice["tracking_number"], invoice["fee_egp"]
    manager, hq = staff("manager", "dokki"), staff("hq")
    office = f"/v1/office/requests/{tracking_number}"
    seen = [answered(client, tracking_number)]

    def version() -> int:
        return client.http.get(office, headers=hq).json_body["version"]

    def move(body: dict[str, Any], headers: dict[str, str] = manager, path: str = "/transitions") -> None:
        response = post_json(client, office + path, {**body, "version": version()}, headers)
        assert response.status_code == 200, response.body
        seen.append(answered(client, tracking_number))
        assert seen[-1] == as_the_request_says(tracking_number)

    assert post_fawry(client, fawry_notice(invoice["payment"]["reference"], fee)).status_code == 200
    seen.append(answered(client, tracking_number))
    assert seen[-1] == as_the_request_says(tracking_number)
    move({"to": "needs_info", "note": "ناقص", "message_to_citizen": "أرسل صورة عقد الإيجار."})
    move({"to_district": "omraniya", "reason": "العقار في العمرانية"}, hq, "/transfer")
    move({"to": "in_review", "note": "وصل العقد"}, staff("manager", "omraniya"))
    refund = fawry_notice(invoice["payment"]["reference"], fee, status="REFUNDED", fawry_ref="9990000001")
    assert post_fawry(client, refund).status_code == 200
    seen.append(answered(client, tracking_number))

    assert seen[-1] == as_the_request_says(tracking_number)
    assert [answer["status"] for answer in seen] == [
        "awaiting_payment", "in_review", "needs_info", "needs_info", "in_review", "in_review",
    ]  # fmt: skip
    assert [answer["district_code"] for answer in seen][-4:] == ["dokki", "omraniya", "omraniya", "omraniya"]
    assert (seen[1]["payment_status"], seen[-1]["payment_status"]) == ("paid", "refunded")
    assert seen[-1]["history"][2]["message_ar"].startswith("أرسل صورة عقد الإيجار.")
