"""Open311 GeoReport v2's use cases: the services, their definitions, filing and reading requests.

Filing goes through the citizen's own submission service, so it is validated, priced, dated,
stored and announced exactly as the portal's filing is, and it is idempotent.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from chalicelib.domain.application import Submission
from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.open311 import (
    MOST_REQUESTS_LISTED,
    OfferedService,
    PublicRequest,
    ServiceToFile,
    agency_name,
    application_from_form,
    filing_refused,
    listed,
    months_between,
    not_found,
    read_request_query,
)
from chalicelib.services.catalogue import current_catalogue, service_in_force
from chalicelib.services.submission import Filing, submit_request
from chalicelib.store.requests.request import RequestRecord, requests_by_number, requests_filed_between

OPEN311 = Filing(channel="open311", actor_role="open311")


def list_services(now: datetime) -> list[OfferedService]:
    """The services offered today in at least one active district."""
    catalogue = current_catalogue()
    active = [district for district in catalogue.districts() if district.active]
    return [
        OfferedService(service, catalogue.group_name_ar(service.group))
        for service in catalogue.services(on=cairo_today(now))
        if any(service.offered_in(district.code) for district in active)
    ]


def define_service(service_code: str, now: datetime) -> ServiceToFile:
    catalogue = current_catalogue()
    offered = {entry.service.code for entry in list_services(now)}
    service = catalogue.service(service_code, on=cairo_today(now)) if service_code in offered else None
    if service is None:
        raise not_found()
    return ServiceToFile.of(service, catalogue.districts())


def file_request(form: Mapping[str, str], idempotency_key: str, now: datetime) -> Submission:
    """Files the application an Open311 POST stands for; Open311Error listing what is wrong."""
    try:
        return submit_request(application_from_form(form), idempotency_key, OPEN311, now)
    except InvalidInput as refused:
        raise filing_refused(refused) from None


def find_request(tracking_number: str, now: datetime) -> list[PublicRequest]:
    found = find_requests({"service_request_id": tracking_number}, now)
    if not found:
        raise not_found()
    return found


def find_requests(params: Mapping[str, str], now: datetime) -> list[PublicRequest]:
    """By tracking numbers (which override every other criterion), else filed within a span of at
    most 90 days (the last 90 by default), by service and open/closed."""
    query = read_request_query(params, now)
    if params.get("service_request_id"):
        return [_public(record) for record in requests_by_number(query.tracking_numbers)]
    months = months_between(query.start, query.end)
    records = requests_filed_between(months, query.start, query.end, MOST_REQUESTS_LISTED)
    return [request for request in map(_public, records) if listed(request, query)]


def _public(record: RequestRecord) -> PublicRequest:
    catalogue = current_catalogue()
    service = service_in_force(record.service_code, record.submitted_at)
    district = catalogue.district(record.district_code)
    return PublicRequest(
        tracking_number=record.tracking_number,
        status=record.status,
        service_code=record.service_code,
        service_name=service.name_ar if service else None,
        agency_responsible=agency_name(district) if district else None,
        submitted_at=record.submitted_at,
        updated_at=record.updated_at,
        sla_due_date=record.sla_due_date,
    )
