"""What Shobbak tells a citizen on WhatsApp: Meta-approved utility templates, in Arabic.

A business may start a WhatsApp conversation only with a template Meta approved beforehand; an
update on a request the citizen made is a *utility* template, Meta's cheapest business-initiated
category. Each body below is the text submitted for approval (docs/runbook.md, "WhatsApp"), its
`{{n}}` the variables Meta fills in, in order; `variables` names what each one is. The news is the
SMS's (domain/messages.py), with room to name the request as well: WhatsApp has no 70-character
part. Numbers are grouped and isolated left to right as in the SMS.

Meta refuses a body that starts or ends with a variable, and a variable that holds a newline,
so every body ends in words and every value is one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.calendar import ARABIC_MONTHS
from chalicelib.domain.messages import SENDS_TO_PORTAL, Event, MessageValues, NoPortalAddress, left_to_right
from chalicelib.domain.tracking import grouped_for_reading

LANGUAGE = "ar"  # the templates' language as approved (Meta's code for Arabic)


@dataclass(frozen=True)
class Template:
    name: str  # as registered with Meta, lower case and underscores
    body: str  # as submitted for approval, `{{1}}`, `{{2}}`... in the order of `variables`
    variables: tuple[str, ...]  # what fills each placeholder: tracking, reference, amount, day, district, portal


_TEMPLATES = (
    Template("shobbak_received", "شباك: استلمنا طلبك رقم {{1}}، وسنبلغك بكل جديد فيه.", ("tracking",)),
    Template(
        "shobbak_received_pay",
        "شباك: استلمنا طلبك رقم {{1}}. سدد رسومه {{2}} جنيه عبر فوري بالرقم المرجعي {{3}} قبل انتهاء مهلة السداد.",
        ("tracking", "amount", "reference"),
    ),
    Template(
        "shobbak_payment_reminder",
        "شباك: تذكير بسداد رسوم طلبك قبل {{1}} عبر فوري بالرقم المرجعي {{2}} حتى لا يُلغى الطلب.",
        ("day", "reference"),
    ),
    Template(
        "shobbak_needs_info",
        "شباك: طلبك رقم {{1}} ينقصه بيان. تجد ما المطلوب على {{2}} برقم طلبك.",
        ("tracking", "portal"),
    ),
    Template("shobbak_approved", "شباك: تمت الموافقة على طلبك رقم {{1}}، وسنبلغك حين يجهز.", ("tracking",)),
    Template("shobbak_rejected", "شباك: رُفض طلبك رقم {{1}}. تجد السبب على {{2}} برقم طلبك.", ("tracking", "portal")),
    Template(
        "shobbak_ready", "شباك: طلبك رقم {{1}} جاهز للاستلام من مركز {{2}} في مواعيد العمل.", ("tracking", "district")
    ),
    Template("shobbak_transferred", "شباك: حُوّل طلبك رقم {{1}} إلى {{2}} لفحصه هناك.", ("tracking", "district")),
    Template(
        "shobbak_documents_complete",
        "شباك: استلمنا المستندات الناقصة لطلبك رقم {{1}}، وعاد إلى الموظف المختص ليكمل فحصه.",
        ("tracking",),
    ),
    Template("shobbak_cancelled", "شباك: أُلغي طلبك رقم {{1}}. تجد السبب على {{2}} برقم طلبك.", ("tracking", "portal")),
)
TEMPLATES = {template.name: template for template in _TEMPLATES}
_FOR_EVENT = {
    Event.SUBMITTED: "shobbak_received",
    Event.PAYMENT_REMINDER: "shobbak_payment_reminder",
    Event.NEEDS_INFO: "shobbak_needs_info",
    Event.APPROVED: "shobbak_approved",
    Event.REJECTED: "shobbak_rejected",
    Event.READY: "shobbak_ready",
    Event.TRANSFERRED: "shobbak_transferred",
    Event.DOCUMENTS_COMPLETE: "shobbak_documents_complete",
    Event.CANCELLED: "shobbak_cancelled",
}
_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")


def template_for(event: Event, values: MessageValues) -> Template:
    if event is Event.SUBMITTED and values.reference is not None:
        return TEMPLATES["shobbak_received_pay"]
    return TEMPLATES[_FOR_EVENT[event]]


def parameters(event: Event, values: MessageValues) -> list[str]:
    """The values of the event's template's variables, in order, as the citizen reads them."""
    if event in SENDS_TO_PORTAL and not values.portal_address:
        raise NoPortalAddress(event.value)
    known = {
        "tracking": left_to_right(grouped_for_reading(values.tracking_number)),
        "reference": left_to_right(grouped_for_reading(values.reference or "")),
        "amount": str(values.amount_egp),
        "day": _day(values),
        "district": values.district_name_ar or "",
        "portal": values.portal_address or "",
    }
    return [known[name] for name in template_for(event, values).variables]


def rendered(event: Event, values: MessageValues) -> str:
    """The text the citizen reads: the template's body with its variables filled in."""
    filled = parameters(event, values)
    return _PLACEHOLDER.sub(lambda match: filled[int(match[1]) - 1], template_for(event, values).body)


def cloud_api_message(phone: str, event: Event, values: MessageValues, callback: str) -> dict[str, Any]:
    """The message for Meta's Cloud API (what AWS End User Messaging Social passes through).

    `callback` comes back in every status event of the message (biz_opaque_callback_data): the
    outbox message's key, so that a receipt finds its message without an index."""
    return {
        "messaging_product": "whatsapp",
        "to": phone,
        "type": "template",
        "template": {
            "name": template_for(event, values).name,
            "language": {"code": LANGUAGE},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": text} for text in parameters(event, values)]}
            ],
        },
        "biz_opaque_callback_data": callback,
    }


def _day(values: MessageValues) -> str:
    day = values.pay_by
    return f"{day.day} {ARABIC_MONTHS[day.month - 1]}" if day else ""
