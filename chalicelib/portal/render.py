"""The portal's pages as HTML: one function per page, for the static generator and the API alike.

Jinja2 is imported on the first page rendered, so the JSON routes of the same Lambda never load it.
Autoescaping is on for every template and undefined names fail loudly (StrictUndefined).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from chalicelib.domain.calendar import ARABIC_MONTHS, CAIRO, arabic_date
from chalicelib.domain.catalogue import District, Service
from chalicelib.domain.documents import STATUS_NAMES_AR as DOCUMENT_STATUS_NAMES_AR
from chalicelib.domain.documents import DocumentStatus
from chalicelib.domain.statuses import STATUS_NAMES_AR, Status
from chalicelib.domain.tracking import grouped_for_reading
from chalicelib.portal import urls
from chalicelib.portal.assets import asset_path
from chalicelib.portal.fields import APPLICANT_QUESTIONS, Question, detail_questions
from chalicelib.portal.wording import fee_text, working_days_text

TEMPLATES = Path(__file__).resolve().parent / "templates"

CONSENT = Question(name="consent", label="أوافق على استخدام بياناتي لغرض هذا الطلب وحده", kind="consent", required=True)
TRACK_QUESTIONS = (
    Question(
        name="tracking_number",
        label="رقم المتابعة",
        kind="tracking_number",
        required=True,
        # The example is isolated left to right: in Arabic text, the spaces between digit groups would
        # otherwise take the paragraph's direction and show the groups in reverse order.
        hint="تجده في صفحة التأكيد وفي الرسالة النصية التي وصلتك، مثل \u20661234 5678 9012 3\u2069.",
    ),
    Question(
        name="national_id_last4",
        label="آخر أربعة أرقام من الرقم القومي",
        kind="last4",
        required=True,
        hint="من الرقم القومي لمقدم الطلب.",
        max_length=4,
    ),
)
PAYMENT_STATUSES_AR = {"unpaid": "لم تُسدَّد بعد", "paid": "سُدِّدت", "refunded": "رُدَّت إليك"}


@dataclass(frozen=True)
class Site:
    """Where the pages' links and forms point. An empty base means "this same origin"."""

    portal: str
    api: str

    @property
    def css(self) -> str:
        return self.portal + asset_path("portal.css")

    @property
    def js(self) -> str:
        return self.portal + asset_path("portal.js")

    @property
    def upload_js(self) -> str:
        """The upload pages' script, in portal.js's place (chalicelib/portal/static/upload.js)."""
        return self.portal + asset_path("upload.js")


@dataclass(frozen=True)
class Problems:
    """What was wrong with a form: each field's message, and the summary at the top in page order."""

    by_field: Mapping[str, str]
    summary: tuple[tuple[str | None, str], ...]  # (the id of the field to jump to, or None; message)

    def __bool__(self) -> bool:
        return bool(self.summary)


NO_PROBLEMS = Problems({}, ())


def problems_for(errors: Mapping[str, str], questions: Sequence[Question], message: str | None = None) -> Problems:
    """Errors keyed by dotted field name, ordered as the fields appear; others (a tampered hidden
    field, a district not yet online) listed first, without a link since no field can fix them."""
    asked = {question.name: question for question in questions}
    unattached = [(None, text) for name, text in errors.items() if name not in asked]
    if message and not errors:
        unattached.append((questions[0].id if questions else None, message))
    attached = [(question.id, errors[question.name]) for question in questions if question.name in errors]
    return Problems(by_field=dict(errors), summary=(*unattached, *attached))


@functools.cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(urls=urls)
    environment.filters.update(
        fee=fee_text,
        working_days=working_days_text,
        grouped=grouped_for_reading,
        arabic_date=_arabic_date,
        status_ar=lambda status: STATUS_NAMES_AR[Status(status)],
        document_status=lambda status: DOCUMENT_STATUS_NAMES_AR[DocumentStatus(status)],
        kilobytes=lambda size: f"{max(1, round(size / 1024))} كيلوبايت",
        month_ar=_month_ar,
        cairo_moment=_cairo_moment,
        ceil=math.ceil,
    )
    return environment


def _render(template: str, site: Site, **context: Any) -> str:
    return _environment().get_template(template).render(site=site, urls=urls, **context)


def _arabic_date(value: str) -> str:
    """An API date ("2026-12-31") or moment ("2026-11-27T08:00:00Z") as a Cairo calendar day."""
    if "T" in value:
        return arabic_date(datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(CAIRO).date())
    return arabic_date(date.fromisoformat(value))


def _cairo_moment(moment: datetime | str) -> str:
    """A moment (or the API's "2026-12-03T12:05:00Z") as a citizen in Cairo reads it:
    "3 ديسمبر 2026، الساعة 2:05 مساءً بتوقيت القاهرة"."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    local = moment.astimezone(CAIRO)
    half = "صباحًا" if local.hour < 12 else "مساءً"
    return f"{arabic_date(local.date())}، الساعة {(local.hour % 12) or 12}:{local.minute:02d} {half} بتوقيت القاهرة"


def _month_ar(month: str) -> str:
    """ "2026-11" as "نوفمبر 2026"."""
    year, number = month.split("-")
    return f"{ARABIC_MONTHS[int(number) - 1]} {year}"


# Pages built once by the generator.


def home_page(site: Site, districts: Sequence[District]) -> str:
    return _render("home.html.j2", site, districts=districts)


def district_page(site: Site, district: District, groups: Sequence[tuple[str, Sequence[Service]]]) -> str:
    """`groups`: each service group's Arabic name and its services, in catalogue order."""
    return _render("district.html.j2", site, district=district, groups=groups)


def service_page(site: Site, district: District, service: Service) -> str:
    return _render("service.html.j2", site, district=district, service=service)


def application_page(
    site: Site,
    district: District,
    service: Service,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> str:
    """The form, empty (static) or as sent back with what the citizen typed and what was wrong."""
    details = detail_questions(service)
    return _render(
        "application.html.j2",
        site,
        district=district,
        service=service,
        applicant_questions=APPLICANT_QUESTIONS,
        detail_questions=details,
        consent=CONSENT,
        values=values or {},
        problems=problems_for(errors or {}, (*APPLICANT_QUESTIONS, *details, CONSENT)),
    )


def track_page(
    site: Site, values: Mapping[str, str] | None = None, errors: Mapping[str, str] | None = None, message: str = ""
) -> str:
    return _render(
        "track.html.j2",
        site,
        questions=TRACK_QUESTIONS,
        values=values or {},
        problems=problems_for(errors or {}, TRACK_QUESTIONS, message),
    )


def payment_page(site: Site) -> str:
    return _render("payment.html.j2", site)


def performance_page(site: Site, open_data: Mapping[str, Any]) -> str:
    """`open_data`: the document of /open-data/performance.json (services/open_data.py)."""
    names = {district["code"]: district["name_ar"] for district in open_data["districts"]}
    totals = [row for row in open_data["rows"] if row["service"] == "all"]
    months = sorted({row["month"] for row in totals}, reverse=True)
    by_month = [(month, [row for row in totals if row["month"] == month]) for month in months]
    # The headline and its chart: the last complete month (the current one, a few days old, says little).
    charted = next(((month, rows) for month, rows in by_month if month == _last_complete_month(open_data["to"])), None)
    return _render(
        "performance.html.j2",
        site,
        data=open_data,
        names=names,
        by_month=by_month,
        charted=charted,
        json_url=urls.OPEN_DATA_JSON,
        csv_url=urls.OPEN_DATA_CSV,
    )


def _last_complete_month(to: str) -> str:
    """ "2026-12-07" -> "2026-11"; "2026-11-30" -> "2026-11": the last month whose every day is counted."""
    day = date.fromisoformat(to)
    if (day + timedelta(days=1)).month != day.month:
        return f"{day:%Y-%m}"
    previous = day.replace(day=1) - timedelta(days=1)
    return f"{previous:%Y-%m}"


def privacy_page(site: Site) -> str:
    return _render("privacy.html.j2", site)


def accessibility_page(site: Site) -> str:
    return _render("accessibility.html.j2", site)


def not_found_page(site: Site) -> str:
    return _render("not_found.html.j2", site)


# Pages the API renders for one citizen's answers.


def check_page(
    site: Site, district: District, service: Service, values: Mapping[str, str], idempotency_key: str
) -> str:
    """Check your answers: every answer with a way to change it, all of them carried in hidden fields."""
    return _render(
        "check.html.j2",
        site,
        district=district,
        service=service,
        applicant_questions=APPLICANT_QUESTIONS,
        detail_questions=detail_questions(service),
        values=values,
        idempotency_key=idempotency_key,
    )


def confirmation_page(
    site: Site,
    district: District,
    service: Service,
    answer: Mapping[str, Any],
    documents: Sequence[Any] = (),
    national_id_last4: str = "",
    notify_by: str = "sms",
) -> str:
    """`answer`: the submission's answer (docs/interfaces.md#submission) with its tracking
    number; `documents`: each
    listed document's state (services.document_checklist.DocumentState), offered for upload when missing;
    `notify_by`: how the citizen chose to be told, which the page's promises follow."""
    return _render(
        "confirmation.html.j2",
        site,
        district=district,
        service=service,
        answer=answer,
        documents=documents,
        national_id_last4=national_id_last4,
        notify_by=notify_by,
    )


def track_result_page(
    site: Site,
    result: Mapping[str, Any],
    service_name: str,
    district_name: str,
    national_id_last4: str = "",
    documents: Sequence[Any] = (),
    fee: Any = None,
    now: datetime | None = None,
) -> str:
    """`result`: the inquiry's answer (docs/interfaces.md#inquiry); with the digits that proved it, a fee still
    due can be paid by card from the page. What the citizen must do now comes first: `fee`, the
    invoice still due (services.inquiry.FeeDue), with its reference, amount and end; the office's
    reason and the missing documents when it asks for more; where to collect when it is ready."""
    history = list(result["history"])
    latest = history[-1] if history else {}
    return _render(
        "track_result.html.j2",
        site,
        result=result,
        service_name=service_name,
        district_name=district_name,
        national_id_last4=national_id_last4,
        payment_status=PAYMENT_STATUSES_AR.get(result["payment_status"] or ""),
        documents=documents,
        missing=[state for state in documents if state.can_upload],
        fee=fee,
        fee_expired=fee is not None and fee.expired(now or datetime.now(UTC)),
        reason=latest.get("message_ar", "") if latest.get("status") == result["status"] else "",
    )


def upload_page(site: Site, tracking_number: str, batch: Any) -> str:
    """A form for each of the first documents the request may still take
    (services.document_uploads.UploadBatch),
    each posting its file straight to S3 with its own presigned POST, and how many come next; no
    type asked, the file's bytes decide it."""
    return _render("upload.html.j2", site, tracking_number=tracking_number, batch=batch)


def uploaded_page(site: Site, outcome: Any, batch: Any = None) -> str:
    """Where S3 sends the citizen back after an upload: what was received
    (services.document_uploads.UploadOutcome), then the forms of the documents still without a file
    (services.document_uploads.UploadBatch)."""
    return _render("uploaded.html.j2", site, outcome=outcome, batch=batch)


def problem_page(site: Site, message: str) -> str:
    """Something the citizen cannot fix on the form: a broken link, a tampered page, our own failure."""
    return _render("problem.html.j2", site, message=message)
