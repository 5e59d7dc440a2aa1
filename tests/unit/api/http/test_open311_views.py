"""Open311's payloads as the API shapes them: plain Python, no AWS."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.api.http.open311_views import filed_requests, public_view, service_definition, service_entry
from chalicelib.domain.application import FeeInvoice, Submission
from chalicelib.domain.catalogue import load_catalogue
from chalicelib.domain.open311 import OfferedService, PublicRequest, ServiceToFile
from tests.factories import CATALOGUE_DAY

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_a_definition_maps_each_field_type_to_an_open311_datatype_in_order() -> None:
    catalogue = load_catalogue(1)
    service = catalogue.service("road_occupancy_new", on=CATALOGUE_DAY)
    assert service is not None

    attributes = service_definition(ServiceToFile.of(service, catalogue.districts()))["attributes"]

    by_code = {attribute["code"]: attribute for attribute in attributes}
    assert by_code["start_date"]["datatype"] == "datetime"
    assert by_code["occupied_area_m2"]["datatype"] == "number"
    assert by_code["occupancy_type"]["datatype"] == "singlevaluelist"
    assert by_code["shop_address"]["datatype"] == "string"
    assert [attribute["order"] for attribute in attributes] == list(range(1, len(attributes) + 1))
    assert [value["key"] for value in by_code["district_code"]["values"]] == ["dokki", "omraniya", "warraq"]


def test_the_public_view_has_dates_and_the_office_and_nothing_else() -> None:
    view = public_view(
        PublicRequest("4829107356122", "in_review", "shop_licence", "ترخيص محل عام", "الدقي — Dokki service centre",
                      NOW, NOW, "2026-12-28")
    )  # fmt: skip

    assert view["expected_datetime"] == "2026-12-28T21:59:59Z"  # end of the due day in Cairo (UTC+2 in winter)
    assert view["status_notes"] == "قيد الفحص — in review"
    assert set(view) == {
        "service_request_id", "status", "status_notes", "service_name", "service_code", "agency_responsible",
        "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    }  # fmt: skip


def test_a_service_is_listed_with_its_group_s_arabic_name() -> None:
    service = load_catalogue(1).service("shop_licence", on=CATALOGUE_DAY)
    assert service is not None

    entry = service_entry(OfferedService(service, "المحال العامة"))

    assert (entry["service_code"], entry["service_name"], entry["group"]) == (
        "shop_licence",
        service.name_ar,
        "المحال العامة",
    )
    assert list(entry) == ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]


def test_a_filing_answers_its_number_and_how_to_pay_or_that_nothing_is_due() -> None:
    invoice = FeeInvoice("482910735612201", 1000, "unpaid", NOW)
    paid = Submission("4829107356122", "awaiting_payment", NOW, 1000, "2026-12-28", invoice)
    free = Submission("4829107356122", "submitted", NOW, 0, "2026-12-28", None)

    [with_fee], [without] = filed_requests(paid), filed_requests(free)

    assert with_fee["service_request_id"] == "4829107356122"
    assert "482910735612201" in with_fee["service_notice"]
    assert "EGP 1000" in with_fee["service_notice"]
    assert without["service_notice"] == "تم استلام الطلب. — The request was received."
    assert with_fee["account_id"] is None
