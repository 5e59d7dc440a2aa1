"""The counter (the one window) in the console: choosing the service by typing, reading the
national ID back to the citizen, the receipt, first printed or printed again, and a walk-in's
own requests found by the national ID on their card (when the tracking number is lost).

Filing itself is services/intake.py's `file_at_window`, the office API's: the same validation,
messages and idempotency as the portal's (domain/application.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.config import portal_settings
from chalicelib.domain.arabic_search import matches
from chalicelib.domain.calendar import CAIRO, arabic_date, cairo_today
from chalicelib.domain.catalogue import District, Service
from chalicelib.domain.errors import FieldProblem, Forbidden, invalid_fields, no_such_request
from chalicelib.domain.national_id import GOVERNORATE_NAMES_AR, parse_national_id
from chalicelib.domain.staff import Action, Role, StaffMember
from chalicelib.domain.statuses import STATUS_NAMES_AR, Status
from chalicelib.domain.tracking import grouped_for_reading, is_valid_tracking_number
from chalicelib.portal import urls
from chalicelib.services.catalogue import current_catalogue
from chalicelib.services.intake import WINDOW_CHANNEL, Intake


def may_file(staff: StaffMember) -> bool:
    return staff.may(Action.INTAKE) and bool(staff.district_code)


def find_services(query: str, now: datetime) -> list[Service]:
    """The services in force whose Arabic or English name, or code, has every word typed; all
    of them for an empty query."""
    services = current_catalogue().services(cairo_today(now))
    if not query.strip():
        return services
    return [service for service in services if matches(query, service.name_ar, service.name_en, service.code)]


def filing_districts(service: Service) -> list[District]:
    """The active districts a window may file this service for (any window serves them all)."""
    return [d for d in current_catalogue().districts() if d.active and service.offered_in(d.code)]


@dataclass(frozen=True)
class NationalIdReading:
    birth_date: str
    governorate: str


def read_national_id(raw: str, now: datetime) -> NationalIdReading | None:
    """What the typed national ID says, for the clerk to read back; None when it cannot be read."""
    try:
        number = parse_national_id(raw, cairo_today(now))
    except FieldProblem:
        return None
    return NationalIdReading(arabic_date(number.birth_date), GOVERNORATE_NAMES_AR[number.governorate_code])


@dataclass(frozen=True)
class Receipt:
    """What the printed receipt says (the console's page and the office API's `receipt_html`)."""

    tracking_number: str
    service_name: str
    district_name: str  # the district that examines the request
    office_name: str  # the window that filed it
    full_name: str
    registered_at: str  # Cairo time, Western digits
    due_date: str
    fee_egp: Any
    payment_reference: str | None  # grouped for reading aloud
    pay_by: str | None
    documents: tuple[str, ...]
    portal_address: str
    track_url: str  # the track form with the number filled in (the QR code)
    copy: bool = False  # a reprint, marked «نسخة»

    @property
    def tracking_grouped(self) -> str:
        return grouped_for_reading(self.tracking_number)

    @property
    def elsewhere(self) -> bool:
        return self.office_name != self.district_name


def _cairo_moment(moment: datetime) -> str:
    local = moment.astimezone(CAIRO)
    return f"{arabic_date(local.date())}، الساعة {local:%H:%M}"


def _receipt(
    tracking_number: str, service: Service, district: District, office: District, full_name: str,
    submitted_at: datetime, due_date: str, payment: dict[str, Any] | None, documents: tuple[str, ...], copy: bool,
) -> Receipt:  # fmt: skip
    portal = portal_settings().portal_base_url
    return Receipt(
        tracking_number=tracking_number,
        service_name=service.name_ar,
        district_name=district.name_ar,
        office_name=office.name_ar,
        full_name=full_name,
        registered_at=_cairo_moment(submitted_at),
        due_date=arabic_date(date.fromisoformat(due_date)),
        fee_egp=payment["amount_egp"] if payment else 0,
        payment_reference=grouped_for_reading(payment["reference"]) if payment else None,
        pay_by=_cairo_moment(payment["expires_at"]) if payment else None,
        documents=documents,
        portal_address=portal,
        # The track form served with the number filled in, so that it is there with JavaScript off
        # (the portal's track.html is static; its script fills the number in from the same query).
        track_url=f"{portal_settings().api_base_url}{urls.INQUIRY}?tracking_number={tracking_number}",
        copy=copy,
    )


def receipt_of(intake: Intake) -> Receipt:
    """The receipt of a request just filed (or of the same filing sent again)."""
    answer, payment = intake.answer, intake.answer.payment
    return _receipt(
        answer.tracking_number, intake.service, intake.district, intake.office, intake.full_name,
        answer.submitted_at, answer.sla_due_date,
        {"amount_egp": payment.amount_egp, "reference": payment.reference, "expires_at": payment.expires_at}
        if payment else None,
        tuple(document.name_ar for document in intake.documents_received), copy=False,
    )  # fmt: skip


def reprint(staff: StaffMember, tracking_number: str) -> Receipt:
    """The receipt again, marked «نسخة»: only at a window of the office that filed the request,
    which saw everything on it when filing (2 GetItems: the request and who asked)."""
    from chalicelib.domain.digits import digits_only
    from chalicelib.store.applicants import load_applicant
    from chalicelib.store.requests.request import load_request_record

    if not may_file(staff):
        raise Forbidden
    number = digits_only(tracking_number)
    request = load_request_record(number) if is_valid_tracking_number(number) else None
    if request is None or request.channel != WINDOW_CHANNEL or request.filed_at_office != staff.district_code:
        raise no_such_request()
    applicant = load_applicant(number)
    catalogue = current_catalogue()
    service = catalogue.service(request.service_code, on=cairo_today(request.submitted_at))
    district, office = catalogue.district(request.district_code), catalogue.district(request.filed_at_office)
    if service is None or district is None or office is None:
        raise RuntimeError(f"request {number} names a service or district the catalogue lacks")
    terms = request.payment
    payment = None
    if terms is not None:
        payment = {"amount_egp": terms.amount_egp, "reference": terms.reference, "expires_at": terms.expires_at}
    return _receipt(
        number, service, district, office, applicant.full_name if applicant else "", request.submitted_at,
        request.sla_due_date, payment, tuple(request.documents_received or ()), copy=True,
    )  # fmt: skip


# Who may find a citizen's requests by national ID: the people at the counter, never the back
# office (which must stay blind to who asked) nor headquarters.
LOOKUP_ROLES = frozenset({Role.CLERK, Role.MANAGER})


def may_look_up(staff: StaffMember) -> bool:
    return staff.role in LOOKUP_ROLES and bool(staff.district_code)


@dataclass(frozen=True)
class CitizenRequest:
    """One of the walk-in's own requests, as the counter reads it to them: nothing of who asked."""

    tracking_number: str
    service_code: str
    service_name: str
    status: str
    status_name: str
    submitted_at: datetime
    filed_on: str  # Cairo date, Western digits

    @property
    def tracking_grouped(self) -> str:
        return grouped_for_reading(self.tracking_number)


def look_up_by_national_id(staff: StaffMember, raw_national_id: str, now: datetime) -> list[CitizenRequest]:
    """The requests whose applicant has this national ID, newest first, for a walk-in who lost
    the tracking number. Any window serves the governorate: every district's requests are found.

    Audited like a reveal (who, when, at which office, which requests; the national ID never
    appears in a log), and limited per member of staff and minute (services/limits.py). Three
    calls: the limit's UpdateItem, a Query of the applicants' `by_national_id` index (an HMAC of
    the number, keys only) and one BatchGetItem of the requests. Requests filed before the
    index existed are found once backfilled (docs/runbook.md)."""
    from chalicelib.domain.national_id import parse_national_id
    from chalicelib.observability.audit import audit
    from chalicelib.services.limits import stored_national_id_key, take_lookup
    from chalicelib.store.applicants import tracking_numbers_for
    from chalicelib.store.requests.request import requests_by_number

    if not may_look_up(staff):
        raise Forbidden
    try:
        national_id = parse_national_id(raw_national_id, cairo_today(now))
    except FieldProblem as problem:
        raise invalid_fields({"national_id": problem}) from None
    take_lookup(staff.principal, now)
    numbers = tracking_numbers_for(stored_national_id_key(national_id.number))
    records = requests_by_number(numbers)
    audit(
        "requests_looked_up_by_national_id",
        actor=staff.principal,
        role=staff.role.value,
        office=staff.office_code,
        tracking_numbers=[record.tracking_number for record in records],
    )
    catalogue = current_catalogue()
    found = []
    for record in records:
        service = catalogue.service(record.service_code, on=cairo_today(record.submitted_at))
        found.append(
            CitizenRequest(
                tracking_number=record.tracking_number,
                service_code=record.service_code,
                service_name=service.name_ar if service else record.service_code,
                status=record.status,
                status_name=STATUS_NAMES_AR[Status(record.status)],
                submitted_at=record.submitted_at,
                filed_on=arabic_date(record.submitted_at.astimezone(CAIRO).date()),
            )
        )
    return sorted(found, key=lambda request: request.submitted_at, reverse=True)
