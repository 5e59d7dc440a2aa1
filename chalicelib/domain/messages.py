"""What Shobbak tells a citizen, by SMS or by voice, at each event of their request.

Only what the citizen needs, or must act on, is sent (docs/messages.md gives the reason for each):
"received" carries how to pay when there is a fee, a payment is not confirmed (the gateway's own
receipt does that, and the reminder comes if the money never reached us), and a text that sends
the citizen to the portal names its short address (configured: MessagingSettings.portal_address).

Each SMS fits one segment: any Arabic letter makes an SMS UCS-2, 70 characters in a single
message (DOMAIN.md), and every extra segment is billed. The texts carry the tracking number,
and for payment the Fawry reference and amount; never a national ID, never a phone number.
Details (what is missing, why refused) stay on the portal, behind the tracking number.

An SMS is a right-to-left paragraph: a number written in groups inside it ("2418 4983 4059 0")
would be laid out with its groups in reverse order, and copied wrong. Every grouped number is
isolated left to right (U+2066 LEFT-TO-RIGHT ISOLATE ... U+2069 POP DIRECTIONAL ISOLATE); the two
marks count toward the 70 characters, and every text still fits one segment.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from chalicelib.domain.calendar import ARABIC_MONTHS
from chalicelib.domain.statuses import Status
from chalicelib.domain.tracking import grouped_for_reading

UCS2_SINGLE, UCS2_PART = 70, 67
GSM7_SINGLE, GSM7_PART = 160, 153
# The GSM 03.38 default alphabet, and the extension characters that cost two septets.
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


class Event(StrEnum):
    SUBMITTED = "submitted"  # with a fee, it says how to pay as well
    NEEDS_INFO = "needs_info"
    APPROVED = "approved"
    REJECTED = "rejected"
    READY = "ready"
    PAYMENT_REMINDER = "payment_reminder"
    TRANSFERRED = "transferred"
    DOCUMENTS_COMPLETE = "documents_complete"  # a needs_info request's missing documents all in: back to the officer
    CANCELLED = "cancelled"
    PHONE_CHANGED = "phone_changed"  # to the number a manager put in its place
    PHONE_CHANGED_AWAY = "phone_changed_away"  # to the number replaced, when it was a mobile


# Events written by earlier versions and no longer sent: "how to pay" (now part of "received") and
# "paid". A message of theirs still waiting in the outbox is skipped (services/notifications.py).
RETIRED_EVENTS = frozenset({"awaiting_payment", "paid"})
# The texts whose details are on the portal, behind the tracking number: they name its address.
SENDS_TO_PORTAL = frozenset({Event.NEEDS_INFO, Event.REJECTED, Event.CANCELLED})
# The longest short portal address the texts leave room for, within one segment.
PORTAL_ADDRESS_MAX = 19

# The notices about the number itself: sent by SMS to the number they are about, whatever the
# citizen chose for news of the request (a voice call or WhatsApp, or none), since they tell whoever
# holds that number that the request's news now goes elsewhere, or comes here.
SMS_ONLY = frozenset({Event.PHONE_CHANGED, Event.PHONE_CHANGED_AWAY})

# The statuses a citizen hears about when a member of staff moves their request there.
EVENT_FOR_STATUS = {
    Status.NEEDS_INFO: Event.NEEDS_INFO,
    Status.APPROVED: Event.APPROVED,
    Status.REJECTED: Event.REJECTED,
    Status.READY: Event.READY,
    Status.CANCELLED: Event.CANCELLED,
}


@dataclass(frozen=True)
class MessageValues:
    """What a message text may be filled with."""

    tracking_number: str
    reference: str | None = None
    amount_egp: int | None = None
    pay_by: date | None = None
    district_name_ar: str | None = None
    portal_address: str | None = None  # where the details are: the portal's short address


class NoPortalAddress(ValueError):
    """A text that sends the citizen to the portal was asked for without the portal's address."""


LTR_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"


def left_to_right(number: str) -> str:
    """A number kept left to right (its groups in reading order) inside right-to-left text."""
    return f"{LTR_ISOLATE}{number}{POP_ISOLATE}"


def sms_text(event: Event, values: MessageValues) -> str:
    if event in SENDS_TO_PORTAL and not values.portal_address:
        raise NoPortalAddress(event.value)
    tracking = left_to_right(grouped_for_reading(values.tracking_number))
    reference = left_to_right(grouped_for_reading(values.reference or ""))
    portal = values.portal_address
    if event is Event.SUBMITTED and values.reference is not None:
        # Received, and how to pay: one text. The reference begins with the tracking number, and
        # the confirmation page (or the window's printed receipt) showed both.
        return f"شباك: استلمنا طلبك، سدد {values.amount_egp} ج عبر فوري بالرقم {reference}"
    texts = {
        Event.SUBMITTED: f"شباك: استلمنا طلبك رقم {tracking}، وسنبلغك بكل جديد.",
        Event.NEEDS_INFO: f"شباك: طلبك {tracking} ينقصه بيان، راجع {portal}",
        Event.APPROVED: f"شباك: تمت الموافقة على طلبك {tracking}.",
        Event.REJECTED: f"شباك: رُفض طلبك {tracking}، والسبب على {portal}",
        Event.READY: f"شباك: طلبك {tracking} جاهز للاستلام من مركز {values.district_name_ar}.",
        Event.PAYMENT_REMINDER: f"شباك: سدد رسوم طلبك قبل {_day(values.pay_by)} بالرقم {reference}",
        Event.TRANSFERRED: f"شباك: حُوّل طلبك {tracking} إلى {values.district_name_ar} للفحص.",
        Event.DOCUMENTS_COMPLETE: f"شباك: استلمنا مستندات طلبك {tracking}، وعاد للموظف ليفحصه.",
        Event.CANCELLED: f"شباك: أُلغي طلبك {tracking}، والسبب على {portal}",
        Event.PHONE_CHANGED: f"شباك: سُجّل رقمك هذا لطلبك {tracking}، وتصلك أخباره عليه.",
        Event.PHONE_CHANGED_AWAY: f"شباك: نُقلت رسائل طلبك {tracking} إلى رقم آخر بقرار المركز.",
    }
    return texts[event]


def voice_ssml(event: Event, values: MessageValues) -> str:
    """The same news read aloud by Polly's Arabic voice: numbers digit by digit, with pauses."""
    spoken = html.escape(sms_text(event, values).removeprefix("شباك: "))
    # Each isolated number of the text is read digit by digit, and stays isolated in the script.
    spoken = _ISOLATED.sub(
        lambda match: left_to_right(f'<say-as interpret-as="digits">{match[1].replace(" ", "")}</say-as>'), spoken
    )
    return (
        f'<speak>هذه رسالة من شباك، محافظة الجيزة.<break time="500ms"/>{spoken}'
        f'<break time="700ms"/>أكرر: {spoken}</speak>'
    )


_ISOLATED = re.compile(f"{LTR_ISOLATE}([0-9 ]+){POP_ISOLATE}")


def sms_segments(text: str) -> int:
    """How many billed parts an SMS of this text is sent as."""
    if all(character in _GSM7_BASIC or character in _GSM7_EXTENDED for character in text):
        length = sum(2 if character in _GSM7_EXTENDED else 1 for character in text)
        single, part = GSM7_SINGLE, GSM7_PART
    else:
        # UTF-16 code units: a character beyond the BMP (an emoji) takes two.
        length = len(text.encode("utf-16-le")) // 2
        single, part = UCS2_SINGLE, UCS2_PART
    return 1 if length <= single else -(-length // part)


def _day(day: date | None) -> str:
    return f"{day.day} {ARABIC_MONTHS[day.month - 1]}" if day else ""
