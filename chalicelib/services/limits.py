"""Limits on guessing a request's proof, and on flooding a phone with requests and messages.

Every attempt to prove a request (an inquiry, a card payment, a change of notifications) is
judged and, when wrong, counted in one atomic step on the request's proof item
(store/requests/proof.py), so that parallel guesses cannot slip past the count; a right one is never
counted, so a citizen who checks often is never locked out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.adapters.secrets import secret
from chalicelib.config import limit_settings
from chalicelib.domain.errors import NotFound, TooManyRequests
from chalicelib.domain.inquiry import Inquiry, inquiry_check, keyed_digest
from chalicelib.domain.limits import (
    Window,
    attempts_hour,
    lookups_window,
    phone_day_window,
    reveals_window,
    too_many_attempts,
    too_many_lookups,
    too_many_submissions,
)
from chalicelib.observability.audit import audit
from chalicelib.observability.logs import logger
from chalicelib.store.limits import count_one, give_back, take_one
from chalicelib.store.requests.changes import CountedAgainst, StoredRequest, load_request
from chalicelib.store.requests.proof import AttemptsExhausted, StoodProof, judge_attempt

HMAC_KEY = "LOOKUP_HMAC_KEY"


def stored_inquiry_check(tracking_number: str, national_id_last4: str) -> str:
    """What a new request keeps to check inquiries against (keyed: see domain/inquiry.py)."""
    return inquiry_check(tracking_number, national_id_last4, secret(HMAC_KEY))


def stored_national_id_key(national_id: str) -> str:
    """What the applicants table keeps to find a citizen's requests by national ID (the counter's
    lookup): an HMAC under the secret key, never the number, so that neither a copy of the table
    nor of its index gives one away, and 14 digits with a known structure are not guessed offline."""
    return keyed_digest(secret(HMAC_KEY), "national_id", national_id)


def take_lookup(principal: str, now: datetime) -> None:
    """Counts one lookup by national ID by `principal`; TooManyRequests past the minute's limit
    (then nothing is counted, and nothing may be looked up)."""
    window = lookups_window(principal, now)
    limit = limit_settings().national_id_lookups_per_minute
    if not take_one(window.key, limit, window.expires_at):
        raise too_many_lookups(window, limit)


def proven(inquiry: Inquiry, now: datetime) -> StoodProof:
    """The proof of the request the inquiry proves, with the request as its citizen may see it;
    NotFound alike for an unknown number, wrong digits and an erased identity, and
    TooManyRequests alike for all of them once too many attempts failed this hour."""
    hour = attempts_hour(now)
    guess = stored_inquiry_check(inquiry.tracking_number, inquiry.national_id_last4)
    limit = limit_settings().failed_attempts_per_hour
    try:
        proof = judge_attempt(inquiry.tracking_number, guess, hour.label, limit, hour.expires_at)
    except AttemptsExhausted:
        audit("proof_attempts_locked", tracking_number=inquiry.tracking_number)
        raise too_many_attempts(hour) from None
    if proof is None:
        raise NotFound()
    return proof


def proven_request(inquiry: Inquiry, now: datetime) -> StoredRequest:
    """proven(), then the whole request: for what acts on it (a card payment, a document)."""
    proven(inquiry, now)
    stored = load_request(inquiry.tracking_number)
    if stored is None:  # a proof is written only with its request: this is not expected
        raise NotFound()
    return stored


@dataclass(frozen=True)
class PhoneSubmissions:
    """The phone's online submissions today: what a submission counts against, and the refusal."""

    window: Window
    limit: int

    @property
    def counted_against(self) -> CountedAgainst:
        return CountedAgainst(self.window.key, self.limit, self.window.expires_at)

    def refusal(self) -> TooManyRequests:
        return too_many_submissions(self.window, self.limit)


def online_submissions(phone: str, now: datetime) -> PhoneSubmissions:
    window = phone_day_window("submissions", phone, secret(HMAC_KEY), now)
    return PhoneSubmissions(window, limit_settings().online_submissions_per_phone_per_day)


def take_message_slot(phone: str, now: datetime) -> Window | None:
    """Counts one message to `phone` today; None once the day's limit is reached. A message
    that then fails to go out is no message: give its slot back (give_back_message_slot)."""
    window = phone_day_window("messages", phone, secret(HMAC_KEY), now)
    return window if take_one(window.key, limit_settings().messages_per_phone_per_day, window.expires_at) else None


def give_back_message_slot(window: Window) -> None:
    give_back(window.key)


def count_reveal(principal: str, now: datetime) -> None:
    """Counts one identity reveal by `principal`; past the hour's threshold, alerts operations
    (each further reveal that hour alerts again: every one is worth a look)."""
    window = reveals_window(principal, now)
    reveals = count_one(window.key, window.expires_at)
    if reveals > limit_settings().reveals_per_hour_before_alert:
        logger.error(
            "many identity reveals by one member of staff",
            extra={"alert": "many_identity_reveals", "actor": principal, "reveals_this_hour": reveals},
        )
