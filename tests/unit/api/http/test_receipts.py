"""The printable receipt the office API answers as `receipt_html` (chalicelib/api/http/receipts.py):
rendered from a filing, no AWS. That a window's filing answers it is tested through the route in
tests/integration/api/routes/test_office_intake.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.api.http.receipts import render_receipt
from chalicelib.domain.application import FeeInvoice, Submission
from chalicelib.domain.catalogue import load_catalogue
from chalicelib.services.intake import Intake
from tests.factories import CATALOGUE_DAY, free_service_code, paid_service_code

TRACKING_NUMBER = "4829107356122"
FILED_AT = datetime(2026, 11, 30, 8, 5, tzinfo=UTC)  # 10:05 in Cairo
REFERENCE = "1234567890123456789"


def intake(service_code: str, *, district: str = "dokki", office: str = "dokki", documents: int = 0,
           full_name: str = "منى أحمد سعيد") -> Intake:  # fmt: skip
    catalogue = load_catalogue(1)
    service = catalogue.service(service_code, on=CATALOGUE_DAY)
    examining, filing = catalogue.district(district), catalogue.district(office)
    assert service is not None
    assert examining is not None
    assert filing is not None
    invoice = (
        FeeInvoice(REFERENCE, service.fee_egp, "unpaid", datetime(2026, 12, 7, 8, 5, tzinfo=UTC))
        if service.fee_egp
        else None
    )
    answer = Submission(TRACKING_NUMBER, "submitted", FILED_AT, service.fee_egp, "2026-12-28", invoice)
    return Intake(answer, service, examining, filing, tuple(service.documents[:documents]), full_name)


@pytest.fixture(autouse=True)
def _portal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_BASE_URL", "https://shobbak.giza.gov.eg/")


def test_the_receipt_is_an_arabic_page_of_its_own_styled_inline() -> None:
    page = render_receipt(intake(free_service_code()))

    assert page.startswith("<!doctype html>")
    assert '<html lang="ar" dir="rtl">' in page
    assert "<style>" in page
    assert "<link" not in page
    assert "<script" not in page
    assert "<title>إيصال استلام طلب رقم 4829 107 356 122</title>" in page


def test_it_names_the_request_the_applicant_and_where_to_follow_it() -> None:
    filed = intake(free_service_code())

    page = render_receipt(filed)

    assert "<strong>4829 107 356 122</strong>" in page  # grouped for reading aloud
    assert "<dt>مقدم الطلب</dt><dd><bdi>منى أحمد سعيد</bdi></dd>" in page
    assert f"<dt>الخدمة</dt><dd>{filed.service.name_ar}</dd>" in page
    assert "الساعة 10:05 (بتوقيت القاهرة)" in page
    assert '<bdi dir="ltr">https://shobbak.giza.gov.eg</bdi>' in page


def test_a_fee_bearing_request_s_receipt_tells_the_reference_and_the_amount() -> None:
    filed = intake(paid_service_code())

    page = render_receipt(filed)

    assert f"<dt>الرسوم</dt><dd>{filed.service.fee_egp} جنيه مصري</dd>" in page
    assert '<bdi dir="ltr" class="grouped">1234 5678 9012 3456 789</bdi>' in page
    assert "لا توجد رسوم عند التقديم" not in page


def test_a_free_request_s_receipt_says_there_is_nothing_to_pay() -> None:
    page = render_receipt(intake(free_service_code()))

    assert "<dt>الرسوم</dt><dd>لا توجد رسوم عند التقديم</dd>" in page
    assert "الرقم المرجعي للسداد" not in page


def test_the_documents_handed_in_are_listed_or_their_absence_said() -> None:
    with_documents = intake(free_service_code(), documents=2)

    listed = render_receipt(with_documents)
    none = render_receipt(intake(free_service_code()))

    assert "".join(f"<li>{document.name_ar}</li>\n" for document in with_documents.documents_received) in listed
    assert "<p>لم تُستلم مستندات ورقية.</p>" in none
    assert "<ol>" not in none


def test_a_window_filing_for_another_district_says_where_the_request_is_examined() -> None:
    page = render_receipt(intake(free_service_code(), district="dokki", office="warraq"))
    at_home = render_receipt(intake(free_service_code()))

    assert "محافظة الجيزة — الوراق — الشباك الواحد" in page
    assert "<dt>جهة الفحص</dt><dd>الدقي (يُفحص الطلب هناك" in page
    assert "يُفحص الطلب هناك" not in at_home


def test_what_the_applicant_typed_is_escaped() -> None:
    page = render_receipt(intake(free_service_code(), full_name="<script>alert(1)</script>"))

    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
