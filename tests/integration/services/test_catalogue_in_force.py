"""The catalogue a request is judged by is the one in force on the day it was filed, in Cairo,
as its price was (issue 23, item 10). A request filed at 01:30 in Cairo on the day a service is
first offered (22:30 UTC the day before) must find its service everywhere it is read again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.staff import Role, StaffMember
from chalicelib.services import document_checklist, office_documents, office_moves, open311
from chalicelib.services.catalogue import service_in_force
from chalicelib.services.submission import ONLINE, submit_request
from chalicelib.store.requests.request import load_request_record
from tests.factories import submission
from tests.integration.services.test_office_view import catalogue_where_shop_licences_start_on

FILED_AT = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 01:30 on 1 July in Cairo
LATER = FILED_AT + timedelta(hours=2)


@pytest.fixture
def tracking_number(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    catalogue = catalogue_where_shop_licences_start_on("2026-07-01")
    for module in (
        "catalogue",
        "submission",
        "office_view",
        "office_moves",
        "document_checklist",
        "office_documents",
        "open311",
    ):
        monkeypatch.setattr(f"chalicelib.services.{module}.current_catalogue", lambda: catalogue, raising=False)
    return submit_request(submission("shop_licence"), None, ONLINE, FILED_AT).tracking_number


def test_the_service_in_force_is_the_one_of_the_cairo_day_of_filing(tracking_number: str) -> None:
    request = load_request_record(tracking_number)
    assert request is not None

    assert service_in_force("shop_licence", FILED_AT) is not None
    assert document_checklist.missing_documents(request)  # the shop licence's documents, none handed in yet


def test_paper_at_the_window_open311_and_a_transfer_read_the_same_version(tracking_number: str) -> None:
    manager = StaffMember("manager-1", Role.MANAGER, "dokki")
    request = load_request_record(tracking_number)
    assert request is not None
    code = service_in_force("shop_licence", FILED_AT).documents[0].code  # type: ignore[union-attr]

    paper = office_documents.record_paper(manager, tracking_number, {"documents": [code], "version": 1}, LATER)
    public = open311.find_request(tracking_number, LATER)
    moved = office_moves.transfer_request(
        StaffMember("hq-1", Role.HQ, None), tracking_number,
        {"to_district": "warraq", "reason": "العنوان يتبع حي الوراق", "version": paper.request.version}, LATER,
    )  # fmt: skip

    assert [record.status for record in paper.documents] == ["received_at_window"]
    assert public[0].service_name is not None
    assert moved.request.district_code == "warraq"
