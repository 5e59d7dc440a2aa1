"""Submitting a request: validate, price, date, number and store it, once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.config import settings
from chalicelib.domain.application import Application, FeeInvoice, Submission, read_application
from chalicelib.domain.calendar import cairo_today, holidays_known_until, working_day_deadline
from chalicelib.domain.idempotency import body_digest, key_reused
from chalicelib.domain.payments import first_invoice_reference
from chalicelib.domain.statuses import initial_status
from chalicelib.domain.tracking import new_tracking_number
from chalicelib.observability.logs import logger
from chalicelib.observability.metrics import Metric, count
from chalicelib.services.catalogue import current_catalogue
from chalicelib.services.intents import submission_intents
from chalicelib.services.limits import online_submissions, stored_inquiry_check, stored_national_id_key
from chalicelib.store.applicants import ApplicantRecord
from chalicelib.store.idempotency import IdempotencyRecord, find_idempotency_record, kept_answer, submission_of
from chalicelib.store.requests.changes import IdempotencyKeyTaken, LimitReached, TrackingNumberTaken, insert_submission
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.request import PaymentTerms, RequestRecord

# Long enough for any client's retries after a dropped connection, short enough to forget.
IDEMPOTENCY_WINDOW = timedelta(hours=24)
# A fresh tracking number collides with probability ~1e-12 per request; a third draw never comes.
TRACKING_NUMBER_DRAWS = 3


@dataclass(frozen=True)
class Filing:
    """How a request reached us: the portal (the citizen), or the one window (a member of staff)."""

    channel: str
    actor_role: str
    actor: str | None = None
    documents_received: tuple[str, ...] = ()
    office: str | None = None  # the district office whose window filed it
    # "Received" by message too: online always; at the window only when the citizen asks, since
    # they leave holding the printed receipt (docs/messages.md).
    receipt_by_message: bool = True


ONLINE_CHANNEL = "portal"
ONLINE = Filing(channel=ONLINE_CHANNEL, actor_role="citizen")


def submit_request(body: Mapping[str, Any], idempotency_key: str | None, filing: Filing, now: datetime) -> Submission:
    """The answer to a submission (docs/interfaces.md#submission), for the first attempt and every retry of it."""
    catalogue = current_catalogue()
    application = read_application(body, catalogue, cairo_today(now))
    digest = body_digest(body)
    # Anyone can name any phone online, so its online submissions a Cairo day are limited;
    # at the window a member of staff has the citizen in front of them.
    phone_count = online_submissions(application.applicant.phone, now) if filing.channel == ONLINE_CHANNEL else None
    for _ in range(TRACKING_NUMBER_DRAWS):
        tracking_number = new_tracking_number()
        request = _request_record(tracking_number, application, filing, now, catalogue.holidays())
        answer = _answer(request)
        try:
            insert_submission(
                request,
                _first_history_entry(request, filing),
                _applicant_record(tracking_number, application),
                _idempotency_record(idempotency_key, digest, answer, now) if idempotency_key else None,
                submission_intents(request, now, receipt=filing.receipt_by_message),
                stored_inquiry_check(tracking_number, application.applicant.national_id.last4),
                phone_count.counted_against if phone_count else None,
            )
        except LimitReached as full:
            if phone_count is None:
                raise
            logger.warning("online submission refused: the phone's daily limit is reached")
            raise phone_count.refusal() from full
        except TrackingNumberTaken:
            logger.warning("tracking number collision, drawing another")
            continue
        except IdempotencyKeyTaken:
            return _replay(idempotency_key or "", digest)
        if request.sla_provisional:
            _alert_provisional_deadline(request, catalogue.holidays())
        logger.info(
            "request submitted",
            extra={
                "tracking_number": tracking_number,
                "service_code": request.service_code,
                "district_code": request.district_code,
                "channel": filing.channel,
                "status": request.status,
            },
        )
        count(Metric.SUBMITTED, by=request.district_code)
        return answer
    raise RuntimeError("no free tracking number after several draws")


def _alert_provisional_deadline(request: RequestRecord, holidays: frozenset[date]) -> None:
    """Operations must add the coming year's holidays (docs/runbook.md#11-public-holidays)."""
    known_until = holidays_known_until(holidays)
    logger.error(
        "deadline counted past the last known public holiday",
        extra={
            "alert": "deadline_past_known_holidays",
            "tracking_number": request.tracking_number,
            "sla_due_date": request.sla_due_date,
            "holidays_known_until": known_until.isoformat() if known_until else None,
        },
    )


def _replay(idempotency_key: str, digest: str) -> Submission:
    """The first attempt's answer, read back from what it kept (store/idempotency.py), so that the
    API shapes a retry's answer byte for byte as it shaped the first."""
    record = find_idempotency_record(idempotency_key)
    if record is None:
        raise RuntimeError("idempotency key reported taken but not found")
    if record.body_digest != digest:
        raise key_reused(idempotency_key)
    logger.info("submission replayed", extra={"tracking_number": record.tracking_number})
    return submission_of(record)


def _request_record(
    tracking_number: str, application: Application, filing: Filing, now: datetime, holidays: frozenset[date]
) -> RequestRecord:
    service, district = application.service, application.district
    status = initial_status(service.fee_egp)
    due = working_day_deadline(cairo_today(now), service.sla_days, holidays)
    payment = None
    if service.fee_egp > 0:
        payment = PaymentTerms(
            reference=first_invoice_reference(tracking_number),
            amount_egp=service.fee_egp,
            status="unpaid",
            expires_at=now + timedelta(hours=settings().invoice_validity_hours),
        )
    request = RequestRecord(
        tracking_number,
        RequestRecord.ITEM,
        service_code=service.code,
        district_code=district.code,
        department=service.department,
        channel=filing.channel,
        status=status.value,
        version=1,
        fee_egp=service.fee_egp,
        payment=payment,
        details=application.details,
        documents_received=list(filing.documents_received) or None,
        filed_at_office=filing.office,
        submitted_at=now,
        updated_at=now,
        sla_due_date=due.day.isoformat(),
        sla_provisional=due.provisional,
    )
    request.place_in_queues()
    return request


def _first_history_entry(request: RequestRecord, filing: Filing) -> HistoryEntry:
    return HistoryEntry.on(
        request, HistoryEntry.STATUS_CHANGE, request.submitted_at,
        from_status=None, actor_role=filing.actor_role, actor=filing.actor, office=filing.office,
    )  # fmt: skip


def _applicant_record(tracking_number: str, application: Application) -> ApplicantRecord:
    applicant = application.applicant
    return ApplicantRecord(
        tracking_number,
        full_name=applicant.full_name,
        national_id=applicant.national_id.number,
        phone=applicant.phone,
        notify_by=application.notify_by,
        # The counter's lookup by national ID finds the request by this (store/applicants.py).
        national_id_key=stored_national_id_key(applicant.national_id.number),
    )


def _idempotency_record(key: str, digest: str, answer: Submission, now: datetime) -> IdempotencyRecord:
    return IdempotencyRecord(
        key,
        body_digest=digest,
        tracking_number=answer.tracking_number,
        answer=kept_answer(answer),
        expires_at=now + IDEMPOTENCY_WINDOW,
    )


def _answer(request: RequestRecord) -> Submission:
    """Its moments to the second, as its retries read them back from the idempotency record: the
    first attempt's value and every retry's are equal."""
    payment = request.payment
    return Submission(
        tracking_number=request.tracking_number,
        status=request.status,
        submitted_at=request.submitted_at.replace(microsecond=0),
        fee_egp=request.fee_egp,
        sla_due_date=request.sla_due_date,
        payment=None
        if payment is None
        else FeeInvoice(
            reference=payment.reference,
            amount_egp=payment.amount_egp,
            status=payment.status,
            expires_at=payment.expires_at.replace(microsecond=0),
        ),
    )
