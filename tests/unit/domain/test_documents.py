"""Documents, without AWS: what may be uploaded, how an upload is judged, what is missing."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.catalogue import Document, load_catalogue
from chalicelib.domain.documents import (
    LARGEST_FILE_BYTES,
    Rejection,
    arrived_type,
    check_arrival,
    document_file_name,
    missing_documents,
    needs_info_message,
    read_paper_received,
    read_upload_request,
    scan_verdict,
    sniffed_type,
)
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.office import due_date_after_transfer
from tests.factories import CATALOGUE_DAY

SHOP = load_catalogue(rollout_phase=1).service("shop_licence", on=CATALOGUE_DAY)
ID_COPY = Document("national_id_copy", "صورة البطاقة", "ID copy", identity=True)
DEED = Document("deed", "عقد", "Deed")
INSURANCE = Document("insurance", "وثيقة تأمين", "Insurance", required=False)


@pytest.mark.parametrize(
    ("first_bytes", "kind"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"GIF89a\x01\x00", None),
        (b"PK\x03\x04", None),
        (b"", None),
        (b" %PDF-", None),
    ],
)
def test_the_type_comes_from_the_first_bytes(first_bytes: bytes, kind: str | None) -> None:
    assert sniffed_type(first_bytes) == kind


@pytest.mark.parametrize(
    ("declared", "size", "first", "rejection"),
    [
        ("application/pdf", 1000, b"%PDF-1.4", None),
        ("image/png", LARGEST_FILE_BYTES, b"\x89PNG\r\n\x1a\n", None),
        ("application/pdf", LARGEST_FILE_BYTES + 1, b"%PDF-1.4", Rejection.TOO_LARGE),
        ("application/pdf", 0, b"", Rejection.EMPTY),
        ("application/pdf", 100, b"\xff\xd8\xff\xe0", Rejection.WRONG_TYPE),
        ("image/jpeg", 100, b"%PDF-1.4", Rejection.WRONG_TYPE),
        # The upload page asks for no type: any accepted type its bytes show, and nothing else.
        (None, 1000, b"\xff\xd8\xff\xe0", None),
        (None, 1000, b"%PDF-1.4", None),
        (None, 100, b"MZ\x90\x00", Rejection.WRONG_TYPE),
        (None, LARGEST_FILE_BYTES + 1, b"%PDF-1.4", Rejection.TOO_LARGE),
        (None, 0, b"", Rejection.EMPTY),
    ],
)
def test_an_arrival_is_judged_by_size_and_content(
    declared: str | None, size: int, first: bytes, rejection: Rejection
) -> None:
    assert check_arrival(declared, size, first) is rejection


def test_a_file_whose_type_was_not_asked_is_kept_as_its_bytes_show() -> None:
    assert arrived_type(None, b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert arrived_type("application/pdf", b"%PDF-1.4") == "application/pdf"


def test_guardduty_verdicts() -> None:
    assert scan_verdict("NO_THREATS_FOUND") == (True, None)
    assert scan_verdict("THREATS_FOUND") == (True, Rejection.MALWARE)
    assert scan_verdict("UNSUPPORTED") == (True, Rejection.UNSCANNABLE)
    assert scan_verdict("ACCESS_DENIED") == (False, None)
    assert scan_verdict("FAILED") == (False, None)


def test_missing_means_required_and_neither_clean_nor_received() -> None:
    assert missing_documents((ID_COPY, DEED, INSURANCE), set()) == [ID_COPY, DEED]
    assert missing_documents((ID_COPY, DEED, INSURANCE), {"deed"}) == [ID_COPY]
    assert missing_documents((ID_COPY, DEED, INSURANCE), {"deed", "national_id_copy"}) == []


def test_needs_info_names_what_is_missing_after_the_officers_words() -> None:
    message = needs_info_message("الرسم غير معتمد.", [DEED])

    assert message is not None
    assert message.startswith("الرسم غير معتمد. المستندات الناقصة: عقد.")
    assert needs_info_message(None, []) is None
    assert needs_info_message("اكتب العنوان كاملًا.", []) == "اكتب العنوان كاملًا."


def test_an_upload_request_names_a_listed_document_and_an_accepted_type() -> None:
    assert SHOP is not None
    upload = read_upload_request(
        {"document": SHOP.documents[1].code, "content_type": "image/png", "file_name": "عقد/../../x.png"}, SHOP
    )

    assert (upload.document, upload.content_type) == (SHOP.documents[1], "image/png")
    assert "/" not in upload.file_name
    with pytest.raises(InvalidInput) as refused:
        read_upload_request({"document": "x", "content_type": "text/html", "size_bytes": True}, SHOP)
    assert set(refused.value.fields) == {"document", "content_type", "size_bytes"}
    for wrong in ({}, [], 3, None):  # any JSON value: a clear 400, never a 500 (found by Schemathesis)
        with pytest.raises(InvalidInput) as refused:
            read_upload_request({"document": wrong, "content_type": wrong, "file_name": wrong}, SHOP)
        assert set(refused.value.fields) == {"document", "content_type"}


def test_a_file_name_is_built_from_the_documents_kind_never_the_citizens() -> None:
    """Issue 23, item 5: the citizen's name may hold a national ID; it is never kept."""
    assert SHOP is not None
    code = SHOP.documents[1].code
    upload = read_upload_request(
        {"document": code, "content_type": "image/png", "file_name": "بطاقة 29001012196801.png"}, SHOP
    )

    assert upload.file_name == f"{code}.png"
    assert document_file_name(code, "application/pdf") == f"{code}.pdf"
    assert document_file_name(code, "image/jpeg") == f"{code}.jpg"


def test_paper_received_names_documents_by_code_on_a_version() -> None:
    assert SHOP is not None
    received = read_paper_received({"documents": [SHOP.documents[2].code, SHOP.documents[0].code], "version": 3}, SHOP)

    assert received.documents == (SHOP.documents[0], SHOP.documents[2])
    for body in ({"documents": [], "version": 1}, {"documents": ["x"], "version": 1}, {"documents": "all"},
                 {"documents": [SHOP.documents[0].code], "version": 0}):  # fmt: skip
        with pytest.raises(InvalidInput):
            read_paper_received(body, SHOP)


def test_a_transfer_gives_the_full_deadline_again_but_never_an_earlier_one() -> None:
    holidays: frozenset[date] = frozenset()
    # Five working days after Sunday 2026-11-29 (Friday and Saturday off): Sunday 2026-12-06.
    assert due_date_after_transfer(date(2026, 11, 30), date(2026, 11, 29), 5, holidays) == date(2026, 12, 6)
    assert due_date_after_transfer(date(2026, 12, 31), date(2026, 11, 29), 5, holidays) == date(2026, 12, 31)
