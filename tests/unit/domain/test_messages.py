"""What a citizen is told: every text fits one SMS segment, carries no identity, and reads well aloud.

Segments are counted here by hand too (UTF-16 code units against DOMAIN.md's 70 for any
text with Arabic in it), not only with the module's own sms_segments.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import fields, replace
from datetime import date

import pytest

from chalicelib.domain.calendar import ARABIC_MONTHS
from chalicelib.domain.catalogue import load_catalogue
from chalicelib.domain.messages import (
    EVENT_FOR_STATUS,
    PORTAL_ADDRESS_MAX,
    SENDS_TO_PORTAL,
    Event,
    MessageValues,
    NoPortalAddress,
    left_to_right,
    sms_segments,
    sms_text,
    voice_ssml,
)
from chalicelib.domain.payments import first_invoice_reference
from chalicelib.domain.statuses import Status
from chalicelib.domain.tracking import grouped_for_reading
from tests.factories import national_id

UCS2_SINGLE_SEGMENT = 70  # DOMAIN.md: any Arabic character makes an SMS UCS-2, 70 characters in one message
SSML_LIMIT = 6000  # DOMAIN.md: send_voice_message takes SSML up to 6,000 characters

DISTRICT_NAMES = [district.name_ar for district in load_catalogue(rollout_phase=1).districts()]
LONGEST_DISTRICT = max(DISTRICT_NAMES, key=len)
LONGEST_MONTH = max(range(1, 13), key=lambda month: len(ARABIC_MONTHS[month - 1]))
# Tracking numbers are 12 to 14 digits (a 14-digit one is the longest that validates); an
# invoice reference is the tracking number and a 2-digit sequence, so 14 to 16 digits.
LONGEST_TRACKING = "98765432109876"
PORTAL = "shobbak.giza.gov.eg"
LONGEST_PORTAL = "p" * PORTAL_ADDRESS_MAX  # the longest address the configuration accepts
WORST = MessageValues(
    tracking_number=LONGEST_TRACKING,
    reference=first_invoice_reference(LONGEST_TRACKING),
    amount_egp=99999,
    pay_by=date(2026, LONGEST_MONTH, 28),
    district_name_ar=LONGEST_DISTRICT,
    portal_address=LONGEST_PORTAL,
)
# A request without a fee: "received" then names the request instead of how to pay.
WORST_FREE = replace(WORST, reference=None, amount_egp=None)
# Every text there is: each event, and "received" both with a fee and without.
EVERY_TEXT = [pytest.param(event, WORST, id=event.value) for event in Event] + [
    pytest.param(Event.SUBMITTED, WORST_FREE, id="submitted-free")
]
SPEAK = "speak"
SAY_AS = "say-as"
TRACKING = "1357913579135"
REALISTIC = MessageValues(
    tracking_number=TRACKING,
    reference=first_invoice_reference(TRACKING),
    amount_egp=1000,
    pay_by=date(2026, 12, 4),
    district_name_ar="الدقي",
    portal_address=PORTAL,
)
FREE = replace(REALISTIC, reference=None, amount_egp=None)
# The texts that name the request (given no fee, "received" is one of them) and those that carry
# the payment reference instead ("received" with a fee, and the reminder).
WITH_TRACKING_NUMBER = [
    Event.SUBMITTED,
    Event.NEEDS_INFO,
    Event.APPROVED,
    Event.REJECTED,
    Event.READY,
    Event.CANCELLED,
]
WITH_REFERENCE = [Event.SUBMITTED, Event.PAYMENT_REMINDER]


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_the_worst_case_values_are_the_longest_the_catalogue_and_calendar_hold() -> None:
    assert len(WORST.tracking_number) == 14
    assert len(WORST.reference) == 16
    assert len(LONGEST_DISTRICT) == max(len(name) for name in DISTRICT_NAMES)
    assert len(ARABIC_MONTHS[LONGEST_MONTH - 1]) == max(len(month) for month in ARABIC_MONTHS)


def test_every_event_has_a_text_and_the_staff_moves_that_tell_the_citizen_are_mapped() -> None:
    # docs/messages.md: "how to pay" is part of "received", a payment is not confirmed by message.
    assert set(Event) == {
        Event.SUBMITTED,
        Event.NEEDS_INFO,
        Event.APPROVED,
        Event.REJECTED,
        Event.READY,
        Event.PAYMENT_REMINDER,
        Event.TRANSFERRED,  # headquarters' transfer, not a move of status
        Event.DOCUMENTS_COMPLETE,  # the missing documents all in, not a move by staff
        Event.CANCELLED,
        Event.PHONE_CHANGED,  # a manager's correction of the phone: to the new number
        Event.PHONE_CHANGED_AWAY,  # and to the number it replaces
    }
    assert EVENT_FOR_STATUS == {
        Status.NEEDS_INFO: Event.NEEDS_INFO,
        Status.APPROVED: Event.APPROVED,
        Status.REJECTED: Event.REJECTED,
        Status.READY: Event.READY,
        Status.CANCELLED: Event.CANCELLED,
    }
    for event in Event:
        assert sms_text(event, WORST).startswith("شباك: ")
    assert sms_text(Event.SUBMITTED, WORST_FREE).startswith("شباك: ")


@pytest.mark.parametrize(("event", "values"), EVERY_TEXT)
def test_each_text_with_its_longest_values_fits_one_segment(event: Event, values: MessageValues) -> None:
    text = sms_text(event, values)

    assert re.search("[\u0600-\u06ff]", text), "the texts are Arabic, so UCS-2"
    assert utf16_units(text) <= UCS2_SINGLE_SEGMENT, (len(text), text)
    assert sms_segments(text) == 1


def test_no_combination_of_district_month_and_number_length_needs_a_second_segment() -> None:
    longest: dict[Event, int] = {}
    for tracking, reference, district, month, portal in itertools.product(
        ("987654321098", "9876543210987", LONGEST_TRACKING),
        ("987654321098701", "9876543210987601", None),
        DISTRICT_NAMES,
        range(1, 13),
        (PORTAL, LONGEST_PORTAL),
    ):
        values = MessageValues(tracking, reference, 99999, date(2026, month, 28), district, portal)
        for event in Event:
            text = sms_text(event, values)
            longest[event] = max(longest.get(event, 0), utf16_units(text))
            assert sms_segments(text) == 1, text

    assert max(longest.values()) <= UCS2_SINGLE_SEGMENT, longest


@pytest.mark.parametrize("event", WITH_TRACKING_NUMBER)
def test_the_texts_name_the_request_by_its_grouped_tracking_number(event: Event) -> None:
    assert grouped_for_reading(WORST.tracking_number) in sms_text(event, WORST_FREE)


def test_the_payment_texts_carry_the_reference_the_amount_and_the_day() -> None:
    awaiting = sms_text(Event.SUBMITTED, REALISTIC)
    reminder = sms_text(Event.PAYMENT_REMINDER, REALISTIC)
    ready = sms_text(Event.READY, REALISTIC)

    # Grouped as on the confirmation page, and isolated left to right (tests/e2e/test_numbers_across_bidi.py).
    reference = left_to_right(grouped_for_reading(REALISTIC.reference))
    assert reference in awaiting
    assert "1000" in awaiting
    assert "فوري" in awaiting
    assert "استلمنا طلبك" in awaiting, "received and how to pay are one text"
    assert reference in reminder
    assert "4 ديسمبر" in reminder
    assert "الدقي" in ready


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        pytest.param("", 1, id="empty"),
        pytest.param("a" * 160, 1, id="gsm7-160"),
        pytest.param("a" * 161, 2, id="gsm7-161"),
        pytest.param("a" * 306, 2, id="gsm7-306"),
        pytest.param("a" * 307, 3, id="gsm7-307"),
        pytest.param("€" * 80, 1, id="gsm7-80-extension-chars-are-160-septets"),
        pytest.param("€" * 80 + "a", 2, id="gsm7-extension-161-septets"),
        pytest.param("a" * 159 + "{", 2, id="gsm7-159-plus-brace"),
        pytest.param("a" * 158 + "[", 1, id="gsm7-158-plus-bracket"),
        pytest.param("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà" * 2, 1, id="gsm7-alphabet"),
        pytest.param("ب" * 70, 1, id="ucs2-70"),
        pytest.param("ب" * 71, 2, id="ucs2-71"),
        pytest.param("ب" * 134, 2, id="ucs2-134"),
        pytest.param("ب" * 135, 3, id="ucs2-135"),
        pytest.param("a" * 69 + "ب", 1, id="one-arabic-letter-makes-all-ucs2-70"),
        pytest.param("a" * 70 + "ب", 2, id="one-arabic-letter-makes-all-ucs2-71"),
        pytest.param("a" * 70 + "`", 2, id="a-backtick-is-not-gsm7"),
        pytest.param("a" * 68 + "😀", 1, id="emoji-is-two-units-70"),
        pytest.param("a" * 69 + "😀", 2, id="emoji-is-two-units-71"),
        pytest.param("😀" * 35, 1, id="35-emoji-70-units"),
        pytest.param("😀" * 67 + "a", 3, id="67-emoji-135-units"),
    ],
)
def test_sms_segments_at_the_gsm7_and_ucs2_boundaries(text: str, segments: int) -> None:
    assert sms_segments(text) == segments


def digit_runs(text: str) -> list[str]:
    """Each number in the text, the spaces of a grouped number taken out."""
    return [run.replace(" ", "") for run in re.findall(r"[0-9]+(?: [0-9]+)*", text)]


def windows(digits: str, width: int) -> set[str]:
    return {digits[start : start + width] for start in range(len(digits) - width + 1)}


def test_no_text_carries_any_part_of_a_national_id_or_a_phone_number() -> None:
    identity_number = national_id()
    phone_digits = "1098765432"  # +20 109 876 5432, as the applicant would have typed it
    # Values that share no four digits in a row with the applicant's, so any found came from them.
    values = MessageValues(
        tracking_number="5550006660007",
        reference=first_invoice_reference("5550006660007"),
        amount_egp=300,
        pay_by=date(2026, 12, 4),
        district_name_ar=LONGEST_DISTRICT,
        portal_address=PORTAL,
    )
    forbidden = windows(identity_number, 4) | windows(phone_digits, 4)

    assert {field.name for field in fields(MessageValues)} == {
        "tracking_number",
        "reference",
        "amount_egp",
        "pay_by",
        "district_name_ar",
        "portal_address",
    }
    for event in Event:
        for text in (sms_text(event, values), voice_ssml(event, values)):
            for run in digit_runs(text):
                assert not windows(run, 4) & forbidden, (event, run)


def spoken(event: Event, values: MessageValues = REALISTIC) -> ET.Element:
    return ET.fromstring(voice_ssml(event, values))  # noqa: S314 - our own SSML, parsed to check it


def top_level_say_as(root: ET.Element) -> list[ET.Element]:
    return [element for element in root if element.tag == SAY_AS]


@pytest.mark.parametrize(("event", "values"), EVERY_TEXT)
def test_every_voice_message_is_well_formed_ssml_within_the_limit(event: Event, values: MessageValues) -> None:
    ssml = voice_ssml(event, values)
    root = spoken(event, values)

    assert root.tag == SPEAK
    assert len(ssml) <= SSML_LIMIT
    assert {element.tag for element in root.iter()} <= {SPEAK, "break", SAY_AS}
    for element in root.iter(SAY_AS):
        assert element.attrib == {"interpret-as": "digits"}
    text = "".join(root.itertext())
    assert "شباك" in text
    assert "أكرر" in text, "the news is said twice"


@pytest.mark.parametrize("event", WITH_TRACKING_NUMBER)
def test_the_tracking_number_is_read_digit_by_digit_and_nowhere_else(event: Event) -> None:
    root = spoken(event, FREE)

    read_as_digits = [element.text for element in top_level_say_as(root)]
    assert read_as_digits == [TRACKING, TRACKING]
    outside = [root.text or "", *(element.tail or "" for element in root)]
    assert not any(char.isdigit() for part in outside for char in part), outside


@pytest.mark.parametrize("event", WITH_REFERENCE)
def test_the_payment_reference_is_inside_a_digits_say_as(event: Event) -> None:
    root = spoken(event)

    assert ["".join(element.itertext()) for element in top_level_say_as(root)] == [REALISTIC.reference] * 2


@pytest.mark.parametrize("event", WITH_REFERENCE)
def test_the_payment_reference_is_one_say_as_holding_only_its_digits(event: Event) -> None:
    root = spoken(event)

    for element in root.iter(SAY_AS):
        assert len(element) == 0, ET.tostring(element, encoding="unicode")
    assert [element.text for element in top_level_say_as(root)] == [REALISTIC.reference] * 2


def test_the_voice_message_escapes_what_it_reads() -> None:
    odd = replace(REALISTIC, district_name_ar="مركز \"أ\" & 'ب' <ج>")

    root = spoken(Event.READY, odd)

    assert root.tag == SPEAK
    assert "".join(root.itertext()).count("مركز \"أ\" & 'ب' <ج>") == 2
    assert {element.tag for element in root.iter()} <= {SPEAK, "break", SAY_AS}


@pytest.mark.parametrize("event", sorted(SENDS_TO_PORTAL))
def test_a_text_whose_details_are_on_the_portal_names_its_short_address(event: Event) -> None:
    assert sms_text(event, REALISTIC).endswith(PORTAL)
    assert "بوابة شباك" not in sms_text(event, REALISTIC), "the portal's name alone is no address"
    with pytest.raises(NoPortalAddress):
        sms_text(event, replace(REALISTIC, portal_address=None))


def test_a_cancellation_tells_the_citizen_which_request_and_where_the_reason_is() -> None:
    text = sms_text(Event.CANCELLED, REALISTIC)

    assert "أُلغي طلبك" in text
    assert left_to_right(grouped_for_reading(TRACKING)) in text
    assert PORTAL in text
