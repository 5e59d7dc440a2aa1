"""The upload page as a browser without JavaScript uses it (docs/interfaces.md#documents): the digits
proved once, a form per document (UPLOAD_FORMS_PER_PAGE at most, the others after these are sent),
no type asked (the file's first bytes decide it, checked as strictly), and S3's return page showing
the forms still to fill. And the order of S3's two events that the deployed functions may see: the
scan's verdict before the arrival, the arrival then completing what the office asked for."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import urlencode, urlsplit

import boto3
from chalice.test import Client

from chalicelib.domain.catalogue import load_catalogue
from chalicelib.domain.documents import UPLOAD_FORMS_PER_PAGE
from tests.factories import CATALOGUE_DAY, free_service_code, national_id, submission
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.test_documents_complete import inquiry, move, required_codes, told
from tests.integration.api.uploads import BUCKET, JPEG, PDF, clean_document, offer, post_file
from tools.local.document_scanner import object_created_event, scan_result_event, simulated_scan

# The catalogue's service listing the most documents: more than one page holds.
LARGEST = max(load_catalogue(1).services(on=CATALOGUE_DAY), key=lambda service: len(service.documents))
_FORM = re.compile(r'<form method="post" action="([^"]+)" enctype="multipart/form-data" data-upload>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
_LABEL = re.compile(r'<label class="label" for="file-[^"]+">([^<]+)</label>')


def upload_forms(page: str) -> list[tuple[str, dict[str, Any]]]:
    """Each S3 form of a page: the document it is for, and its presigned POST."""
    return [
        (
            unescape(_LABEL.search(body).group(1)),
            {"url": url, "fields": {k: unescape(v) for k, v in _HIDDEN.findall(body)}},
        )  # type: ignore[union-attr]
        for url, body in _FORM.findall(page)
    ]


def upload_page(client: Client, tracking_number: str) -> str:
    """«ارفع المستندات» on the track page, posted as a plain form."""
    answer = client.http.post(
        f"/v1/requests/{tracking_number}/documents",
        body=urlencode({"national_id_last4": national_id()[-4:]}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 200, answer.body
    return answer.body.decode()


def sent(client: Client, upload: dict[str, Any], content: bytes, file_name: str) -> str:
    """The file posted as the form posts it, then the page S3 redirects to."""
    posted = post_file(upload, content, file_name)
    assert posted.status_code in (200, 201, 204, 303), posted.text
    page = client.http.get(urlsplit(upload["fields"]["success_action_redirect"]).path)
    assert page.status_code == 200
    return page.body.decode()


def test_every_missing_document_is_sent_from_one_proof_a_few_forms_a_page_the_rest_after(client: Client) -> None:
    tracking_number = post_json(client, "/v1/requests", submission(LARGEST.code)).json_body["tracking_number"]
    names = [document.name_ar for document in LARGEST.documents]
    assert len(names) > UPLOAD_FORMS_PER_PAGE

    page = upload_page(client, tracking_number)
    first = upload_forms(page)
    assert [name for name, _ in first] == names[:UPLOAD_FORMS_PER_PAGE]
    assert f"وعددها {len(names) - UPLOAD_FORMS_PER_PAGE}" in page
    assert "content_type" not in page
    assert "Content-Type" not in page
    assert len({form["fields"]["key"] for _, form in first}) == len(first)  # a slot apiece

    # No JavaScript: each file from the page S3 returned to, the forms shown there, no digits typed.
    forms, returns = first, []
    for _ in names:
        _, form = forms[0]
        returned = sent(client, form, JPEG if len(returns) % 2 else PDF, "phone.jpg")
        assert "استلمنا المستند" in returned
        returns.append(returned)
        forms = upload_forms(returned)
    assert [len(upload_forms(returned)) for returned in returns] == [
        min(UPLOAD_FORMS_PER_PAGE, len(names) - sent_so_far) for sent_so_far in range(1, len(names) + 1)
    ]
    assert [name for name, _ in upload_forms(returns[0])] == names[1 : UPLOAD_FORMS_PER_PAGE + 1]
    assert "وعددها" not in returns[len(names) - UPLOAD_FORMS_PER_PAGE]  # the rest all shown by then
    # The slots the proved page made, one per document, and no more: the return pages offer those.
    from chalicelib.store.documents import documents_of

    slots = {record.object_key for record in documents_of(tracking_number)}
    shown = {form["fields"]["key"] for returned in [page, *returns] for _, form in upload_forms(returned)}
    assert len(slots) == len(names)
    assert shown == slots


def test_the_return_page_offers_only_the_slots_its_page_held(client: Client) -> None:
    tracking_number = post_json(client, "/v1/requests", submission(LARGEST.code)).json_body["tracking_number"]
    page = upload_page(client, tracking_number)
    _, form = upload_forms(page)[0]
    before = boto3.client("dynamodb").scan(TableName=_documents_table())["Count"]

    returned = sent(client, form, PDF, "scan.pdf")

    assert boto3.client("dynamodb").scan(TableName=_documents_table())["Count"] == before  # nothing new offered
    shown = {fields["fields"]["key"] for _, fields in upload_forms(returned)}
    assert form["fields"]["key"] not in shown


def _documents_table() -> str:
    from chalicelib.store.documents import DocumentRecord

    return DocumentRecord.Meta.table_name


def test_a_phone_photo_sent_with_no_type_chosen_is_kept_as_a_jpeg_and_a_text_file_renamed_pdf_is_refused(
    client: Client,
) -> None:
    from tests.integration.api.uploads import deliver_events

    tracking_number = post_json(client, "/v1/requests", submission(LARGEST.code)).json_body["tracking_number"]
    (_, photo), (_, text), *_ = upload_forms(upload_page(client, tracking_number))

    sent(client, photo, JPEG, "IMG_20261207_101500.jpg")
    sent(client, text, b"notes from the engineer, typed\n", "report.pdf")

    assert deliver_events(client, photo["fields"]["key"])[-1] == {"status": "clean"}
    assert deliver_events(client, text["fields"]["key"], scan=False)[-1] == {"status": "rejected"}
    photo_id, text_id = (form["fields"]["key"].removeprefix("uploads/") for form in (photo, text))
    kept = client.http.get(f"/v1/requests/{tracking_number}/documents/{photo_id}/uploaded").body.decode()
    refused = client.http.get(f"/v1/requests/{tracking_number}/documents/{text_id}/uploaded").body.decode()
    assert f"{LARGEST.documents[0].code}.jpg" in kept  # named and kept as what its bytes are
    assert "الملف ليس PDF أو صورة JPEG أو PNG." in refused


def test_an_arrival_after_its_verdict_completes_the_documents_and_sends_the_request_back(
    client: Client, staff: StaffHeaders
) -> None:
    """GuardDuty's verdict may reach document_scanned before S3's event reaches document_arrived:
    then the arrival is what returns the request to in_review, with the citizen's message, and its
    role must grant that path (run under --iam-required, the enforcement judges it)."""
    service = free_service_code()
    tracking_number = post_json(client, "/v1/requests", submission(service)).json_body["tracking_number"]
    officer = staff("officer", "dokki")
    move(client, officer, tracking_number, to="in_review", note="فحص", version=1)
    move(client, officer, tracking_number, to="needs_info", note="ناقص", version=2)
    *first, last = required_codes(client)
    for code in first:
        clean_document(client, tracking_number, code)
    offered = offer(client, tracking_number, last)
    assert offered.status_code == 201, offered.body
    upload = offered.json_body["upload"]
    assert post_file(upload, PDF).status_code in (200, 201, 204, 303)
    key = upload["fields"]["key"]
    s3 = boto3.client("s3")
    version = s3.list_object_versions(Bucket=BUCKET, Prefix=key)["Versions"][0]

    verdict = scan_result_event(BUCKET, key, version["VersionId"], simulated_scan(PDF))
    scanned = client.lambda_.invoke("document_scanned", verdict).payload
    still = inquiry(client, tracking_number)["status"]
    arrival = object_created_event(BUCKET, key, version["VersionId"], version["Size"])
    arrived = client.lambda_.invoke("document_arrived", arrival).payload

    assert (scanned, still) == ({"status": "awaiting_upload"}, "needs_info")  # the verdict waits for the arrival
    assert arrived == {"status": "clean"}
    answer = inquiry(client, tracking_number)
    assert answer["status"] == "in_review"
    assert answer["history"][-1]["message_ar"].startswith("استلمنا المستندات الناقصة")
    assert told(tracking_number).count("documents_complete") == 1
