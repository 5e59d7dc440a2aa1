"""One botocore session and one client per AWS service, per process (chalicelib/aws_clients.py).

A fresh process (the module's clients forgotten) answers one request of every route and runs
every other handler once; botocore is watched making sessions and clients.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.session import Session
from chalice.test import Client

from app import app
from chalicelib import aws_clients
from chalicelib.domain.catalogue import load_catalogue
from chalicelib.domain.messages import Event, MessageValues, voice_ssml
from chalicelib.store import connection
from chalicelib.store.outbox import OutboxMessage
from tests.factories import CATALOGUE_DAY, national_id, paid_service_code, submission
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.gateway_notices import (
    FAWRY_CALLBACK,
    PAYMOB_CALLBACK,
    fawry_notice,
    paymob_callback,
    paymob_obj,
)
from tools.local.document_scanner import object_created_event, scan_result_event

Made = Counter[str]
ACCEPTED = AWSResponse("https://sms-voice.eu-central-1.amazonaws.com/", 200, {}, None)


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Made, Made]]:
    """No client made yet, as in a new Lambda container; yields (sessions, clients) as made,
    counted from here on. AWS End User Messaging (voice), which moto lacks, answers a canned
    SendVoiceMessage from the client botocore makes, without replacing it."""
    monkeypatch.setattr(aws_clients, "_session", None)
    monkeypatch.setattr(aws_clients, "_clients", {})
    connection.shared_connection.cache_clear()
    sessions: Made = Counter()
    clients: Made = Counter()
    make_session, make_client = Session.__init__, Session.create_client

    def counted_session(self: Session, *args: Any, **kwargs: Any) -> None:
        sessions["botocore"] += 1
        make_session(self, *args, **kwargs)

    def counted_client(self: Session, service_name: str, *args: Any, **kwargs: Any) -> Any:
        clients[service_name] += 1
        made = make_client(self, service_name, *args, **kwargs)
        if service_name == "pinpoint-sms-voice-v2":
            made.meta.events.register("before-call.*.SendVoiceMessage", lambda **_: (ACCEPTED, {"MessageId": "call-1"}))
        return made

    monkeypatch.setattr(Session, "__init__", counted_session)
    monkeypatch.setattr(Session, "create_client", counted_client)
    yield sessions, clients
    connection.shared_connection.cache_clear()


def test_every_route_and_handler_of_one_process_share_one_session_and_one_client_per_service(
    aws: None,
    fresh_process: tuple[Made, Made],
    staff: StaffHeaders,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("VOICE_CALLS_TOPIC_ARN", "arn:aws:sns:eu-central-1:123456789012:shobbak-local-voice-calls")
    monkeypatch.setenv("VOICE_ORIGINATION_IDENTITY", "+20225550100")
    monkeypatch.setenv("PORTAL_BUILD_DIR", str(tmp_path))  # where publish_performance writes, locally
    sessions, clients = fresh_process
    with Client(app, stage_name="local") as client:
        asked = _one_request_of_every_route(client, staff)
        _every_other_handler_once(client)
    assert asked == {(method, path) for path, methods in app.routes.items() for method in methods}
    assert sessions == {"botocore": 1}
    assert clients == {"dynamodb": 1, "sns": 1, "pinpoint-sms-voice-v2": 1, "s3": 1}


def _one_request_of_every_route(client: Client, staff: StaffHeaders) -> set[tuple[str, str]]:
    asked: set[tuple[str, str]] = set()

    def ask(method: str, route: str, path: str | None = None, body: Any = None, **headers: str) -> Any:
        asked.add((method, route))
        if method == "GET":
            return client.http.get(path or route, headers=headers)
        if headers.get("Content-Type") == "application/x-www-form-urlencoded":
            return client.http.post(path or route, body=body, headers=headers)
        return post_json(client, path or route, body, headers)

    assert ask("GET", "/v1/districts").status_code == 200
    assert ask("GET", "/v1/services", "/v1/services?district=dokki").status_code == 200
    filed = ask("POST", "/v1/requests", body=submission()).json_body
    number, last4 = filed["tracking_number"], national_id()[-4:]
    assert ask("POST", "/v1/inquiries", body={"tracking_number": number, "national_id_last4": last4}).status_code == 200
    for reopened in ("/v1/requests", "/v1/inquiries", "/v1/portal/applications"):
        assert ask("GET", reopened).status_code == 303
    form = "service_code=shop_licence&district_code=dokki&step=check"
    page = ask("POST", "/v1/portal/applications", body=form, **{"Content-Type": "application/x-www-form-urlencoded"})
    assert page.status_code in (200, 400)

    paid = fawry_notice(filed["payment"]["reference"], float(filed["fee_egp"]))
    assert ask("POST", FAWRY_CALLBACK, body=paid).status_code == 200
    body, signature = paymob_callback(paymob_obj(f"{filed['payment']['reference']}-1", filed["fee_egp"] * 100, 1))
    assert ask("POST", PAYMOB_CALLBACK, f"{PAYMOB_CALLBACK}?hmac={signature}", body).status_code == 200
    clerk, officer, manager = staff("clerk", "dokki"), staff("officer", "dokki"), staff("manager", "dokki")
    office = "/v1/office/requests"
    assert ask("POST", office, body=submission(), **clerk).status_code == 201
    assert ask("GET", office, f"{office}?status=awaiting_payment", **officer).status_code == 200
    one = f"{office}/{number}"
    assert ask("GET", office + "/{tracking_number}", one, **officer).status_code == 200
    reveal = {"reason": "المواطن حضر إلى الشباك ويطلب تعديل بياناته"}
    assert ask("POST", office + "/{tracking_number}/identity", f"{one}/identity", reveal, **manager).status_code == 200
    correction = {"phone": "01112223334", "reason": "رقم الهاتف المسجل خطأ في الكتابة", "version": 1}
    correcting = office + "/{tracking_number}/applicant"
    assert ask("POST", correcting, f"{one}/applicant", correction, **manager).status_code in (200, 409)
    cancelled = {"to": "cancelled", "note": "إلغاء بطلب المواطن", "version": 1}
    moved = ask("POST", office + "/{tracking_number}/transitions", f"{one}/transitions", cancelled, **manager)
    assert moved.status_code in (200, 409)

    hq = staff("hq")
    transfer = {"to_district": "omraniya", "reason": "العقار في نطاق حي العمرانية", "version": 1}
    assert ask("POST", office + "/{tracking_number}/transfer", f"{one}/transfer", transfer, **hq).status_code in (
        200,
        409,
    )
    # A lookup by a national ID nobody filed with: audited and counted, no other person's data.
    assert ask("POST", "/v1/office/lookups", body={"national_id": national_id()}, **clerk).status_code in (200, 429)
    nobody = {"officer": "", "version": 1}  # refused before the staff pool is asked who its officers are
    assigning = office + "/{tracking_number}/assignment"
    assert ask("POST", assigning, f"{one}/assignment", nobody, **officer).status_code in (400, 403, 409)
    service = load_catalogue(rollout_phase=1).service(paid_service_code(), on=CATALOGUE_DAY)
    assert service is not None
    code = service.documents[1].code
    paper = {"documents": [code], "version": 1}
    receiving = office + "/{tracking_number}/documents/received"
    assert ask("POST", receiving, f"{one}/documents/received", paper, **clerk).status_code in (200, 404, 409)
    upload = {"national_id_last4": last4, "document": code, "content_type": "application/pdf"}
    documents = "/v1/requests/{tracking_number}/documents"
    offered = ask("POST", documents, f"/v1/requests/{number}/documents", upload)
    assert offered.status_code in (201, 409)
    opened = ask("GET", office + "/{tracking_number}/documents/{document_id}", f"{one}/documents/{'0' * 32}", **officer)
    assert opened.status_code in (404, 409)
    after = ask("GET", documents + "/{document_id}/uploaded", f"/v1/requests/{number}/documents/{'0' * 32}/uploaded")
    assert after.status_code == 404

    own = "/v1/requests/{tracking_number}"
    wrong = {"national_id_last4": "0000"}
    assert ask("POST", own + "/card-payments", f"/v1/requests/{number}/card-payments", wrong).status_code == 404
    voice = {"national_id_last4": last4, "notify_by": "voice"}
    assert ask("POST", own + "/notifications", f"/v1/requests/{number}/notifications", voice).status_code == 200

    assert ask("GET", "/v1/openapi.json").status_code == 200
    open311 = "/open311/v2"
    for fmt in ("json", "xml"):
        assert ask("GET", f"{open311}/discovery.{fmt}").status_code == 200
        assert ask("GET", f"{open311}/services.{fmt}").status_code == 200
        listing = f"{open311}/requests.{fmt}?api_key=local-open311-api-key"
        assert ask("GET", f"{open311}/requests.{fmt}", listing).status_code == 200
        filing = f"service_code=shop_licence&first_name=x&api_key=local-open311-api-key&attribute[area_m2]={fmt}"
        posted = ask("POST", f"{open311}/requests.{fmt}", body=filing,
                     **{"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        assert posted.status_code == 400
    definition = ask("GET", f"{open311}/services/{{service_file}}", f"{open311}/services/shop_licence.json")
    assert definition.status_code == 200
    assert ask("GET", f"{open311}/requests/{{request_file}}", f"{open311}/requests/{number}.xml").status_code == 200
    erasure = {"reason": "طلب صاحب البيانات حذف بياناته"}
    assert ask("POST", office + "/{tracking_number}/erasure", f"{one}/erasure", erasure, **manager).status_code == 200
    hq = staff("hq")
    assert ask("GET", "/v1/office/performance", **hq).status_code == 200
    overdue = "/v1/office/performance/overdue"
    assert ask("GET", overdue, f"{overdue}?district=dokki", **hq).status_code == 200
    for screen in ("/v1/screens/performance", "/v1/screens/performance.js", "/v1/screens/performance.css"):
        assert ask("GET", screen).status_code == 200
    # The console's pages, signed out: each answers (its sign-in page, or a refused form) without
    # signing anyone in, so the pool's client is never made; tests/integration/api/routes/test_console*.py sign in.
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for route, methods in app.routes.items():
        if route.startswith("/v1/console"):
            path = route.replace("{tracking_number}", number).replace("{document_id}", "0" * 32)
            for method in methods:
                answered = ask(method, route, path, "", **(form if method == "POST" else {}))
                assert answered.status_code < 500, (method, route, answered.status_code)
    return asked


def _every_other_handler_once(client: Client) -> None:
    # A message the handler will send: a fresh request's "received" (the walk's own requests have their
    # applicant erased, a reminder waits for its day, and the window's filing sends no "received").
    fresh = post_json(client, "/v1/requests", submission()).json_body["tracking_number"]
    [first] = [
        message for message in OutboxMessage.scan() if message.key.startswith(fresh) and message.event == "submitted"
    ]
    keys = {"key": {"S": first.key}}
    change = {
        "ApproximateCreationDateTime": 0,
        "Keys": keys,
        "SequenceNumber": "1",
        "SizeBytes": 1,
        "StreamViewType": "NEW_IMAGE",
    }
    stream = {
        "Records": [
            {
                "eventName": "INSERT",
                "eventSourceARN": "outbox",
                "awsRegion": "eu-central-1",
                "eventID": "1",
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "dynamodb": change,
            }
        ]
    }
    assert client.lambda_.invoke("deliver_messages", stream).payload
    client.lambda_.invoke("sweep_messages", client.events.generate_cw_event("aws.events", "Scheduled Event", {}, []))
    client.lambda_.invoke(
        "reconcile_payments", client.events.generate_cw_event("aws.events", "Scheduled Event", {}, [])
    )
    bucket = "shobbak-local-documents-123456789012"
    arrived = object_created_event(bucket, f"uploads/{'0' * 32}", None, 1)
    assert client.lambda_.invoke("document_arrived", arrived).payload == {"status": "ignored"}
    scanned = scan_result_event(bucket, f"uploads/{'0' * 32}", None, "NO_THREATS_FOUND")
    assert client.lambda_.invoke("document_scanned", scanned).payload == {"status": "ignored"}
    figures = {**stream, "Records": [{**stream["Records"][0], "eventSourceARN": "requests", "dynamodb": {
        **change, "StreamViewType": "NEW_AND_OLD_IMAGES"}}]}  # fmt: skip
    assert client.lambda_.invoke("keep_performance_figures", figures).payload == {"not_a_request": 1}
    for daily in ("recount_overdue_requests", "publish_performance"):
        client.lambda_.invoke(daily, client.events.generate_cw_event("aws.events", "Scheduled Event", {}, []))
    ssml = voice_ssml(Event.SUBMITTED, MessageValues("1234567890128"))
    call = json.dumps({"phone": "+201012345678", "ssml": ssml, "message_key": "1234567890128#000001#submitted"})
    placed = client.lambda_.invoke("place_voice_calls", client.events.generate_sns_event(message=call))
    assert placed.payload == {"message_id": "call-1"}


def test_threads_asking_at_once_get_the_one_client(fresh_process: tuple[Made, Made]) -> None:
    _, clients = fresh_process
    given: list[Any] = []
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        given.append(aws_clients.aws_client("sns"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(made) for made in given}) == 1
    assert clients == {"sns": 1}
