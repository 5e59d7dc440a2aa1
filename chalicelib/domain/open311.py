"""Open311 GeoReport v2 in this service's words: plain Python, no AWS.

Shobbak's requests are personal applications, not street reports, so the Open311 view of them
is narrow on purpose: a public answer says which service, where it is handled, its status and
its dates, and never a name, an ID, a phone, an address or any answer given in the form.

- The jurisdiction is Giza Governorate, `giza.gov.eg` (its web domain, as Open311 suggests).
- A service is a catalogue service offered in at least one active district; which district
  handles a request is the `district_code` attribute (a list of the active districts offering it).
- Filing maps Open311's arguments onto the citizen's own application (docs/interfaces.md#submission):
  `first_name` + `last_name` → the applicant's full name, `phone` → the phone, and the
  attributes `national_id`, `district_code`, `consent`, `notify_by` and each of the service's
  fields. Location, email, media and free description are not part of an application and are
  ignored (a client library may insist on sending a location).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.domain.statuses import FINAL_STATUSES, Status

if TYPE_CHECKING:  # types only: the API imports this module with the app, and the catalogue is a cold start's cost
    from chalicelib.domain.catalogue import District, Service
    from chalicelib.domain.errors import InvalidInput

JURISDICTION_ID = "giza.gov.eg"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ("json", "xml")
# The spec's own limit on a listing's span, and this service's on its length.
LONGEST_SPAN = timedelta(days=90)
MOST_REQUESTS_LISTED = 200
MOST_IDS_ASKED = 50

DATATYPES = {"text": "string", "textarea": "text", "number": "number", "date": "datetime", "choice": "singlevaluelist"}
_ATTRIBUTE = re.compile(r"attribute\[([^\[\]]{1,80})\]")
CONSENT_GIVEN = "true"
# Before any request of this service; keeps date arithmetic away from year 1.
_EARLIEST = datetime(2020, 1, 1, tzinfo=UTC)
# The moments a listing may name: any further is no request's, and near year 1 or 9999 date
# arithmetic overflows.
_FIRST_MOMENT = datetime(1970, 1, 1, tzinfo=UTC)
_LAST_MOMENT = datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)


@dataclass(frozen=True)
class Open311Error(Exception):
    """A refusal as Open311 writes it: an HTTP status and a list of {code, description}."""

    status: int
    errors: tuple[tuple[int, str], ...]

    def as_list(self) -> list[dict[str, Any]]:
        return [{"code": code, "description": description} for code, description in self.errors]


def refusal(status: int, message_ar: str, message_en: str) -> Open311Error:
    return Open311Error(status, ((status, f"{message_ar} — {message_en}"),))


def not_found() -> Open311Error:
    return refusal(404, "لا يوجد ما يطابق طلبك.", "Nothing matches what was asked.")


def check_jurisdiction(jurisdiction_id: str | None) -> None:
    if jurisdiction_id not in (None, "", JURISDICTION_ID):
        raise refusal(
            404, f"هذه الواجهة تخدم {JURISDICTION_ID} وحدها.", f"This endpoint serves {JURISDICTION_ID} only."
        )


def split_format(file_name: str) -> tuple[str, str]:
    """ "shop_licence.json" → ("shop_licence", "json"); Open311Error 404 for anything else."""
    stem, dot, extension = file_name.rpartition(".")
    if not dot or not stem or extension not in FORMATS:
        raise not_found()
    return stem, extension


# Services


@dataclass(frozen=True)
class OfferedService:
    """A service Open311 lists: offered today in at least one active district."""

    service: Service
    group_name_ar: str


@dataclass(frozen=True)
class ServiceToFile:
    """A service with the districts a request for it may be filed with (its definition's first question)."""

    service: Service
    districts: tuple[District, ...]  # the active districts offering it, in the catalogue's order

    @classmethod
    def of(cls, service: Service, districts: Iterable[District]) -> ServiceToFile:
        return cls(service, tuple(d for d in districts if d.active and service.offered_in(d.code)))


# Filing


def application_from_form(form: Mapping[str, str]) -> dict[str, Any]:
    """The citizen's application (docs/interfaces.md#submission) that an Open311 POST stands for; the submission
    service validates it exactly as it validates the portal's."""
    attributes = {match.group(1): value for key, value in form.items() if (match := _ATTRIBUTE.fullmatch(key))}
    first, last = form.get("first_name", "").strip(), form.get("last_name", "").strip()
    own = {"district_code", "national_id", "consent", "notify_by"}
    application: dict[str, Any] = {
        "service_code": form.get("service_code", ""),
        "district_code": attributes.get("district_code", ""),
        "applicant": {
            "full_name": f"{first} {last}".strip(),
            "national_id": attributes.get("national_id", ""),
            "phone": form.get("phone", ""),
        },
        "details": {name: value for name, value in attributes.items() if name not in own},
        "consent": attributes.get("consent", "").strip().lower() == CONSENT_GIVEN,
    }
    if attributes.get("notify_by"):
        application["notify_by"] = attributes["notify_by"]
    return application


def derived_idempotency_key(form: Mapping[str, str]) -> str:
    """Open311 has no idempotency header: a POST repeated with the same arguments (the api_key
    aside) within the idempotency window files nothing new and answers the same number."""
    arguments = {key: value for key, value in form.items() if key != "api_key"}
    digest = hashlib.sha256(json.dumps(arguments, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"open311-{digest}"


def _open311_name(field_name: str) -> str:
    """The name an Open311 client used for a field the submission service named."""
    if field_name == "applicant.full_name":
        return "first_name/last_name"
    if field_name == "applicant.phone":
        return "phone"
    if field_name == "applicant.national_id":
        return "attribute[national_id]"
    if field_name in ("district_code", "consent", "notify_by"):
        return f"attribute[{field_name}]"
    if field_name.startswith("details."):
        return f"attribute[{field_name.removeprefix('details.')}]"
    return field_name


def filing_refused(refused: InvalidInput) -> Open311Error:
    """The submission service's refusal as an Open311 error list, in Arabic and English: one
    entry for the whole, then one for each field in error."""
    status = 400
    errors = [(status, f"{refused.message_ar} — {refused.message_en}")]
    for name, message_ar in sorted(refused.fields.items()):
        message_en = refused.fields_en.get(name, refused.message_en)
        errors.append((status, f"{_open311_name(name)}: {message_ar} — {message_en}"))
    return Open311Error(status, tuple(errors))


# Reading requests


@dataclass(frozen=True)
class PublicRequest:
    """What anyone may know of a request."""

    tracking_number: str
    status: str
    service_code: str
    service_name: str | None
    agency_responsible: str | None
    submitted_at: datetime
    updated_at: datetime
    sla_due_date: str


def open311_status(status: str) -> str:
    return "closed" if Status(status) in FINAL_STATUSES else "open"


def agency_name(district: District) -> str:
    return f"{district.name_ar} — {district.name_en} service centre"


@dataclass(frozen=True)
class RequestQuery:
    """What an Open311 client asks to list: by number, or by service, status and time span."""

    tracking_numbers: tuple[str, ...]  # when given, the other criteria do not apply (the spec's rule)
    service_codes: frozenset[str]
    statuses: frozenset[str]
    start: datetime
    end: datetime


def read_request_query(params: Mapping[str, str], now: datetime) -> RequestQuery:
    """GET requests' arguments; Open311Error 400 naming what is wrong."""
    from chalicelib.domain.digits import digits_only
    from chalicelib.domain.tracking import is_valid_tracking_number

    ids = [digits_only(part) for part in params.get("service_request_id", "").split(",") if part.strip()]
    if len(ids) > MOST_IDS_ASKED:
        raise refusal(400, f"اطلب {MOST_IDS_ASKED} طلبًا على الأكثر.", f"Ask for at most {MOST_IDS_ASKED} requests.")
    statuses = frozenset(part.strip() for part in params.get("status", "").split(",") if part.strip())
    if not statuses <= {"open", "closed"}:
        raise refusal(400, "الحالة إما open أو closed.", "status is open or closed.")
    end = _read_moment(params.get("end_date"), "end_date") or now
    start = _read_moment(params.get("start_date"), "start_date") or max(end, _EARLIEST) - LONGEST_SPAN
    if start > end or end - start > LONGEST_SPAN:
        raise refusal(
            400,
            "يجب أن تسبق start_date قيمة end_date بما لا يزيد على 90 يومًا.",
            "start_date must come before end_date, at most 90 days apart.",
        )
    service_codes = frozenset(part.strip() for part in params.get("service_code", "").split(",") if part.strip())
    return RequestQuery(
        tracking_numbers=tuple(dict.fromkeys(number for number in ids if is_valid_tracking_number(number))),
        service_codes=service_codes,
        statuses=statuses,
        start=start,
        end=end,
    )


def _read_moment(text: str | None, name: str) -> datetime | None:
    """A W3C moment in UTC, between _FIRST_MOMENT and _LAST_MOMENT: at the calendar's ends an
    offset alone (0001-01-01T00:00:00+14:00) leaves the years Python can count."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        moment = None
    if moment is None or not _FIRST_MOMENT <= moment <= _LAST_MOMENT:
        raise refusal(
            400,
            f"اكتب {name} بصيغة W3C مثل 2026-01-31T00:00:00Z، بين عامي 1970 و2999.",
            f"Write {name} as W3C, e.g. 2026-01-31T00:00:00Z, between the years 1970 and 2999.",
        )
    return moment


def months_between(start: datetime, end: datetime) -> list[str]:
    """The UTC months ("YYYY-MM") from end back to start: the partitions a listing reads, newest first."""
    months = []
    year, month = end.astimezone(UTC).year, end.astimezone(UTC).month
    first = start.astimezone(UTC)
    while (year, month) >= (first.year, first.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def listed(request: PublicRequest, query: RequestQuery) -> bool:
    """Whether a request meets the listing's service and status (Open311's open or closed) criteria."""
    if query.service_codes and request.service_code not in query.service_codes:
        return False
    return not query.statuses or open311_status(request.status) in query.statuses
