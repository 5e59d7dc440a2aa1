"""Documents as use cases: an upload slot offered as a domain value, and what the office lists of them."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.services.catalogue import current_catalogue
from chalicelib.services.document_checklist import office_document_list
from chalicelib.services.document_uploads import offer_upload
from chalicelib.services.submission import ONLINE, submit_request
from tests.factories import free_service_code, submission

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_an_offered_slot_carries_its_presigned_post_and_the_office_lists_it_only_once_it_arrives(aws: None) -> None:
    body = submission(free_service_code())
    filed = submit_request(body, None, ONLINE, NOW)
    service = current_catalogue().service(free_service_code(), on=NOW.date())
    assert service is not None
    assert service.documents
    document = service.documents[0]
    last4 = body["applicant"]["national_id"][-4:]
    upload = {"national_id_last4": last4, "document": document.code, "file_name": "scan.pdf",
              "content_type": "application/pdf", "size_bytes": 1000}  # fmt: skip

    offer = offer_upload(filed.tracking_number, upload, NOW, "https://api.example")

    assert (offer.tracking_number, offer.document.code) == (filed.tracking_number, document.code)
    assert offer.upload["url"].startswith("http")
    assert offer.upload["fields"]["key"].endswith(offer.document_id)
    assert office_document_list(filed.tracking_number) == []  # a slot nobody filled is not a document the office has
