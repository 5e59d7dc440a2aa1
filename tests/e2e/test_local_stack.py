"""`make run` as a person would use it: start, apply, track, stop; over HTTP only."""

from __future__ import annotations

import html
import json
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import boto3
import pytest

from chalicelib.api.http.responses import JSON_HEADERS
from chalicelib.domain.staff import Role
from chalicelib.domain.tracking import grouped_for_reading
from tests.e2e.stack import PROJECT, LocalStack
from tests.factories import national_id, submission
from tools.local.api_gateway import gateway_answers
from tools.local.staff_token import WORKING_DAY_S, local_signing_key, mint_token

pytestmark = pytest.mark.e2e


def call(url: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_citizen_lists_applies_and_tracks_over_http(local_stack: LocalStack) -> None:
    status, catalogue = call(f"{local_stack.api_url}/v1/districts")
    assert status == 200
    assert [d["code"] for d in catalogue["districts"] if d["active"]] == ["dokki", "omraniya", "warraq"]
    status, services = call(f"{local_stack.api_url}/v1/services?district=omraniya")
    assert status == 200
    assert len(services["services"]) >= 6

    body = submission(district_code="omraniya")
    status, submitted = call(f"{local_stack.api_url}/v1/requests", body, {"Idempotency-Key": "e2e-journey-0001"})
    assert status == 201
    status, again = call(f"{local_stack.api_url}/v1/requests", body, {"Idempotency-Key": "e2e-journey-0001"})
    assert (status, again) == (201, submitted)

    status, tracked = call(
        f"{local_stack.api_url}/v1/inquiries",
        {"tracking_number": submitted["tracking_number"], "national_id_last4": national_id()[-4:]},
    )
    assert status == 200
    assert tracked["status"] == submitted["status"]
    assert tracked["district_code"] == "omraniya"

    status, refused = call(f"{local_stack.api_url}/v1/requests", submission(district_code="haram"))
    assert status == 400
    assert refused["error"]["code"] == "district_not_active"


def test_the_request_lives_in_the_moto_server(local_stack: LocalStack) -> None:
    status, submitted = call(f"{local_stack.api_url}/v1/requests", submission(district_code="warraq"))
    assert status == 201

    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=local_stack.aws_url,
        region_name="eu-central-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    item = dynamodb.get_item(
        TableName="shobbak-local-requests",
        Key={"tracking_number": {"S": submitted["tracking_number"]}, "item": {"S": "request"}},
    )
    assert item["Item"]["district_code"] == {"S": "warraq"}
    assert "national_id" not in item["Item"]


def test_the_portal_is_served_in_arabic_with_forms_posting_to_this_api(local_stack: LocalStack) -> None:
    with urllib.request.urlopen(f"{local_stack.portal_url}/track.html", timeout=10) as response:
        page = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
    assert '<html lang="ar" dir="rtl">' in page
    # As behind CloudFront: the forms post to the portal's own origin, whose /v1/ is this API.
    assert 'action="/v1/inquiries"' in page
    assert "form-action 'self' " in policy
    with urllib.request.urlopen(f"{local_stack.portal_url}/v1/districts", timeout=10) as response:
        assert response.headers["Content-Type"].startswith("application/json")
        assert "dokki" in [district["code"] for district in json.loads(response.read())["districts"]]


def make_token(role: str, district: str = "") -> str:
    made = subprocess.run(
        ["make", "--no-print-directory", "-s", "token", f"ROLE={role}", f"DISTRICT={district}"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    )
    return made.stdout.strip()


def test_the_office_api_is_guarded_in_chalice_local_by_make_token_tokens(local_stack: LocalStack) -> None:
    status, filed = call(f"{local_stack.api_url}/v1/requests", submission("demolition_licence", "dokki"))
    assert status == 201
    request_path = f"{local_stack.api_url}/v1/office/requests/{filed['tracking_number']}"
    officer = {"Authorization": f"Bearer {make_token('officer', 'dokki')}"}

    assert call(request_path)[0] == 401
    assert call(request_path, headers={"Authorization": "Bearer forged.token.here"})[0] == 401
    status, seen = call(request_path, headers=officer)
    assert status == 200
    assert "national_id" not in json.dumps(seen)
    assert call(request_path, headers={"Authorization": f"Bearer {make_token('officer', 'warraq')}"})[0] == 404
    status, moved = call(
        f"{request_path}/transitions", {"to": "in_review", "note": "بدء الفحص", "version": seen["version"]}, officer
    )
    assert (status, moved["status"]) == (200, "in_review")
    status, queue = call(
        f"{local_stack.api_url}/v1/office/requests?status=in_review&district=dokki",
        headers={"Authorization": f"Bearer {make_token('hq')}"},
    )
    assert status == 200
    # The stack is shared (tests/e2e/conftest.py): other modules' requests may be in review in Dokki
    # too. Ours is listed once, and every request listed is one in review in Dokki.
    listed = [entry["tracking_number"] for entry in queue["requests"]]
    assert listed.count(filed["tracking_number"]) == 1
    for tracking_number in listed:
        status, entry = call(f"{local_stack.api_url}/v1/office/requests/{tracking_number}", headers=officer)
        assert status == 200, tracking_number
        assert (entry["district_code"], entry["status"]) == ("dokki", "in_review"), tracking_number


def test_a_refused_staff_token_and_an_unknown_path_answer_the_bilingual_error_through_the_local_stack(
    local_stack: LocalStack,
) -> None:
    """As API Gateway answers with infra/api.yaml's gateway responses: over chalice local, and through
    the local distribution, whose /v1/ is the API."""
    key = local_signing_key()
    refused = {
        "no token": {},
        "forged": {"Authorization": "Bearer forged.token.here"},
        "expired": {
            "Authorization": f"Bearer {mint_token(key, Role.OFFICER, 'dokki', now=time.time() - 2 * WORKING_DAY_S)}"
        },
        "wrong audience": {"Authorization": f"Bearer {mint_token(key, Role.OFFICER, 'dokki', audience='another-app')}"},
    }
    answers = gateway_answers()

    for origin in (local_stack.api_url, local_stack.portal_url):
        for name, headers in refused.items():
            request = urllib.request.Request(f"{origin}/v1/office/requests?status=submitted", headers=headers)
            with pytest.raises(urllib.error.HTTPError) as answered:
                urllib.request.urlopen(request, timeout=30)
            assert answered.value.code == 401, name
            assert answered.value.read().decode() == answers["UNAUTHORIZED"].body, name
            assert answered.value.headers["Content-Type"] == JSON_HEADERS["Content-Type"], name
        with pytest.raises(urllib.error.HTTPError) as unknown:
            urllib.request.urlopen(f"{origin}/v1/no-such-thing", timeout=30)
        assert unknown.value.code == 404
        assert json.loads(unknown.value.read())["error"]["code"] == "not_found"


def form_post(url: str, fields: dict[str, str]) -> str:
    data = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=30) as response:
        return response.read().decode()


def track(local_stack: LocalStack, tracking_number: str) -> dict[str, Any]:
    body = {"tracking_number": tracking_number, "national_id_last4": national_id()[-4:]}
    return call(f"{local_stack.api_url}/v1/inquiries", body)[1]


def test_a_citizen_pays_a_fawry_reference_through_the_local_gateway(local_stack: LocalStack) -> None:
    status, filed = call(f"{local_stack.api_url}/v1/requests", submission("shop_licence", "warraq"))
    assert status == 201
    assert track(local_stack, filed["tracking_number"])["payment_status"] == "unpaid"

    page = form_post(
        f"{local_stack.gateways_url}/fawry/pay",
        {"reference": filed["payment"]["reference"], "amount": str(filed["fee_egp"]), "status": "PAID"},
    )

    assert '"outcome":"paid"' in html.unescape(page)
    tracked = track(local_stack, filed["tracking_number"])
    assert (tracked["status"], tracked["payment_status"]) == ("in_review", "paid")


def test_a_citizen_pays_by_card_through_the_local_paymob(local_stack: LocalStack) -> None:
    status, filed = call(f"{local_stack.api_url}/v1/requests", submission("road_occupancy_new", "dokki"))
    assert status == 201
    status, checkout = call(
        f"{local_stack.api_url}/v1/requests/{filed['tracking_number']}/card-payments",
        {"national_id_last4": national_id()[-4:]},
    )
    assert status == 201
    with urllib.request.urlopen(checkout["redirect_url"], timeout=30) as response:
        card_page = response.read().decode()
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(checkout["redirect_url"]).query)["payment_token"][0]
    assert "الدفع بالبطاقة" in card_page

    result = form_post(f"{local_stack.gateways_url}/paymob/pay", {"payment_token": token, "decision": "approve"})

    assert '"outcome":"paid"' in html.unescape(result)
    tracked = track(local_stack, filed["tracking_number"])
    assert (tracked["status"], tracked["payment_status"]) == ("in_review", "paid")


def test_the_sms_a_request_produced_appear_in_the_local_inbox(local_stack: LocalStack) -> None:
    status, filed = call(f"{local_stack.api_url}/v1/requests", submission("shop_licence", "omraniya"))
    assert status == 201
    # With a fee, "received" carries how to pay in its one segment (docs/messages.md), each number
    # isolated left to right inside the Arabic text (tests/e2e/test_numbers_across_bidi.py).
    received = f"شباك: استلمنا طلبك، سدد {filed['fee_egp']} ج عبر فوري"
    how_to_pay = f"بالرقم \u2066{grouped_for_reading(filed['payment']['reference'])}\u2069"

    page = local_stack.inbox_once_it_holds(received, how_to_pay, within_s=30)
    assert received in page
    assert how_to_pay in page
    assert "+201012345678" in page


def test_a_citizen_pays_by_card_from_the_track_page_without_javascript(local_stack: LocalStack) -> None:
    status, filed = call(f"{local_stack.api_url}/v1/requests", submission("utility_connection", "warraq"))
    assert status == 201
    fields = {"tracking_number": filed["tracking_number"], "national_id_last4": national_id()[-4:]}
    track_page = form_post(f"{local_stack.api_url}/v1/inquiries", fields)
    assert "ادفع الرسوم الآن بالبطاقة البنكية" in track_page

    # The button's form, as a browser sends it: the API answers 303 to the card gateway's page.
    card_page = form_post(
        f"{local_stack.api_url}/v1/requests/{filed['tracking_number']}/card-payments",
        {"national_id_last4": national_id()[-4:]},
    )
    token = re.search(r'name="payment_token" value="([^"]+)"', card_page)[1]
    result = form_post(f"{local_stack.gateways_url}/paymob/pay", {"payment_token": token, "decision": "approve"})

    assert '"outcome":"paid"' in html.unescape(result)
    assert track(local_stack, filed["tracking_number"])["payment_status"] == "paid"


def test_a_number_not_on_whatsapp_gets_the_same_news_by_sms_once(local_stack: LocalStack) -> None:
    # The inbox's switch, as a developer flips it on the page; then the whole path runs as deployed:
    # the adapter's SendWhatsAppMessage, the service's "failed" event on the events topic, the real
    # subscriber, and the outbox's fallback to SMS.
    phone = "+201098765432"
    switched = form_post(f"{local_stack.inbox_url}/whatsapp-switch", {"phone": phone, "outcome": "not_on_whatsapp"})
    assert "رسائل واتساب" in switched  # the 303 lands back on the inbox
    body = submission("shop_licence", "dokki", notify_by="whatsapp")
    body["applicant"]["phone"] = "01098765432"
    status, filed = call(f"{local_stack.api_url}/v1/requests", body)
    assert status == 201
    number = f"\u2066{grouped_for_reading(filed['payment']['reference'])}\u2069"

    page = local_stack.inbox_once_it_holds("ليس على واتساب", f"{phone}</span><br>شباك: استلمنا طلبك")

    whatsapp_part = page.split("<h1>رسائل واتساب", 1)[1]
    sms_part = page.split("<h1>الرسائل النصية", 1)[1].split("<h1>المكالمات الصوتية", 1)[0]
    assert f"{phone}</span> (ليس على واتساب)" in whatsapp_part
    fallback = [item for item in sms_part.split("<li>") if item.startswith(f'<span class="to">{phone}</span>')]
    assert len(fallback) == 1
    assert number in fallback[0]
    time.sleep(5)  # two relay rounds more: a late or repeated receipt must not send it again
    assert local_stack.inbox_once_it_holds().count(f'<span class="to">{phone}</span><br>') == 1
