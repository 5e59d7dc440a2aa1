"""Open311's use cases: the services, a definition, a filing and a request read back, as values."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.application import Submission
from chalicelib.domain.open311 import OfferedService, PublicRequest, ServiceToFile
from chalicelib.services.open311 import define_service, file_request, find_request, list_services
from tests.factories import details_for, national_id

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def test_the_services_and_a_definition_are_catalogue_values(aws: None) -> None:
    offered = list_services(NOW)

    assert all(isinstance(entry, OfferedService) for entry in offered)
    assert "shop_licence" in {entry.service.code for entry in offered}
    to_file = define_service("shop_licence", NOW)
    assert isinstance(to_file, ServiceToFile)
    assert to_file.service.code == "shop_licence"
    assert [district.code for district in to_file.districts] == ["dokki", "omraniya", "warraq"]


def test_a_filing_is_a_submission_and_reads_back_as_its_public_request(aws: None) -> None:
    form = {
        "service_code": "shop_licence",
        "first_name": "منى",
        "last_name": "أحمد عبد الله",
        "phone": "01012345678",
        "attribute[district_code]": "warraq",
        "attribute[national_id]": national_id(),
        "attribute[consent]": "true",
        **{f"attribute[{name}]": str(value) for name, value in details_for("shop_licence").items()},
    }

    filed = file_request(form, "open311-value-0001-abcdef", NOW)

    assert isinstance(filed, Submission)
    assert filed.payment is not None
    [found] = find_request(filed.tracking_number, NOW)
    assert found == PublicRequest(
        tracking_number=filed.tracking_number,
        status=filed.status,
        service_code="shop_licence",
        service_name=to_file_name(),
        agency_responsible=found.agency_responsible,
        submitted_at=NOW,
        updated_at=NOW,
        sla_due_date=filed.sla_due_date,
    )
    assert found.agency_responsible is not None
    assert "Warraq" in found.agency_responsible


def to_file_name() -> str:
    return define_service("shop_licence", NOW).service.name_ar
