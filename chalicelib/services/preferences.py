"""A citizen's choice of how to hear about their request: SMS, WhatsApp, a voice call, or nothing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalicelib.domain.application import NOTIFY_BY, NotificationChoice
from chalicelib.domain.errors import FieldProblem, invalid_fields
from chalicelib.domain.inquiry import read_inquiry
from chalicelib.observability.audit import audit
from chalicelib.services.limits import proven_request
from chalicelib.store.applicants import set_notify_by


def choose_notifications(tracking_number: str, body: Mapping[str, Any], now: datetime) -> NotificationChoice:
    """Changes how the applicant is told, from now on (waiting messages included); proving
    the request is theirs as an inquiry does."""
    inquiry = read_inquiry({**body, "tracking_number": tracking_number})
    notify_by = body.get("notify_by")
    if notify_by not in NOTIFY_BY:
        raise invalid_fields({"notify_by": FieldProblem(
            "اختر طريقة إبلاغك: رسالة نصية أو واتساب أو مكالمة صوتية أو بدون.",
            "Choose how to be told: sms, whatsapp, voice or none.",
        )})  # fmt: skip
    proven_request(inquiry, now)
    set_notify_by(inquiry.tracking_number, notify_by)
    audit("notification_choice_changed", tracking_number=inquiry.tracking_number, notify_by=notify_by)
    return NotificationChoice(inquiry.tracking_number, notify_by)
