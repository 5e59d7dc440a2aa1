from __future__ import annotations

import io
import json
import logging
import unicodedata
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from chalicelib.domain.tracking import damm_check_digit
from chalicelib.observability.logs import REDACTED, RedactingFormatter, logger, redact

SCRIPTS = ("0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC = str.maketrans(SCRIPTS[0], SCRIPTS[1])
PERSIAN = str.maketrans(SCRIPTS[0], SCRIPTS[2])

NATIONAL_ID = "29001012101233"
MOBILE = "01012345678"


def is_digit(character: str) -> bool:
    return unicodedata.category(character) == "Nd"


# What people write, in the digits they write it in


@st.composite
def written_in_any_script(draw: st.DrawFn, ascii_text: str) -> str:
    """The text with its digits in one script throughout, or each digit in a script of its own."""
    script = draw(st.sampled_from([*SCRIPTS, None]))
    return "".join((script or draw(st.sampled_from(SCRIPTS)))[int(c)] if c.isdigit() else c for c in ascii_text)


def digit_strings(length: int, first: str = SCRIPTS[0]) -> st.SearchStrategy[str]:
    return st.tuples(
        st.sampled_from(first), st.text(alphabet=SCRIPTS[0], min_size=length - 1, max_size=length - 1)
    ).map("".join)


national_ids = digit_strings(14, first="23").flatmap(written_in_any_script)

# Between groups: spaces, dashes and brackets, as people type them.
separators = st.sampled_from([" ", "-", "  ", " -", "- ", "--", "(", ")", " (", ") ", ")-", "\u00a0", "\t"])


@st.composite
def mobiles(draw: st.DrawFn) -> tuple[str, str]:
    """A mobile number as written, and the part of it from the network code on (e.g. "10 1234-5678").

    Forms: 01XXXXXXXXX, +201XXXXXXXXX, 00201XXXXXXXXX and 201XXXXXXXXX; the network code (10, 11, 12, 15)
    is written together, and any of the eight digits after it may start a new group.
    """
    national = "1" + draw(st.sampled_from("0125")) + draw(st.text(alphabet=SCRIPTS[0], min_size=8, max_size=8))
    prefix = draw(st.sampled_from(["0", "+20", "0020", "20"]))
    cuts = draw(st.sets(st.integers(min_value=2, max_value=9), max_size=4))
    grouped = "".join((draw(separators) if position in cuts else "") + d for position, d in enumerate(national))
    national_as_written = draw(written_in_any_script(grouped))
    after_prefix = draw(st.sampled_from(["", "", " ", "-", ") ", " ("]))
    prefix_as_written = draw(written_in_any_script(prefix))
    return prefix_as_written + after_prefix + national_as_written, national_as_written


# Surrounding text may hold anything, digits included, but no digit touches the number.
before = st.text().filter(lambda text: not text or not is_digit(text[-1]))
after = st.text().filter(lambda text: not text or not is_digit(text[0]))


@given(before, national_ids, after)
@example("الرقم القومي: ", NATIONAL_ID, ".")
@example("id=", NATIONAL_ID.translate(ARABIC_INDIC), "")
@example("5+", NATIONAL_ID, "")  # a plus sign before it once hid it
def test_any_national_id_in_any_digits_disappears(prefix: str, number: str, suffix: str) -> None:
    redacted = redact(prefix + number + suffix)
    assert number not in redacted
    assert REDACTED in redacted


@given(before, mobiles(), after)
@example("هاتف ", (MOBILE, MOBILE[1:]), "")
@example("", ("+٢٠ ١٠ ١٢٣٤ ٥٦٧٨", "١٠ ١٢٣٤ ٥٦٧٨"), "!")
@example("(", ("010) 1234-5678", "10) 1234-5678"), "")
@example("tel:", ("(+20) 1012345678", "+20 1012345678"), "")
@example("+", ("+201012345678", "1012345678"), "")  # so did a second plus sign ("++20…", found by hypothesis)
def test_any_mobile_however_written_disappears(prefix: str, mobile: tuple[str, str], suffix: str) -> None:
    written, from_network_code_on = mobile
    redacted = redact(prefix + written + suffix)
    assert written not in redacted
    assert from_network_code_on not in redacted
    assert REDACTED in redacted


@given(before, national_ids, mobiles(), after)
def test_a_national_id_and_a_mobile_in_one_line_both_disappear(
    prefix: str, number: str, mobile: tuple[str, str], suffix: str
) -> None:
    redacted = redact(f"{prefix}{number}, {mobile[0]}{suffix}")
    assert number not in redacted
    assert mobile[1] not in redacted


@pytest.mark.parametrize(
    "text",
    [
        MOBILE,
        "+201012345678",
        "00201012345678",
        "201012345678",
        # A bare "1012345678" is left alone on purpose: ten digits without 0 or 20 are too
        # like ordinary figures (sizes, counts) to blank them all.
        "010 1234 5678",
        "010-1234-5678",
        "(010) 1234 5678",
        "010.1234.5678",
        "+20 (10) 1234-5678",
        "٠١٠١٢٣٤٥٦٧٨",
        "۰۱۰۱۲۳۴۵۶۷۸",
        "+٢٠ ١٠ ١٢٣٤ ٥٦٧٨",
        "\u00a0010\u00a01234\u00a05678",
        "01112345678",
        "01212345678",
        "01512345678",
    ],
)
def test_the_written_forms_of_the_phone_tests_are_all_redacted(text: str) -> None:
    assert not any(c.isdigit() for c in redact(text).replace(REDACTED, ""))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("010 - 1234 - 5678", id="spaced-dash"),
        pytest.param("010\u20131234\u20135678", id="en-dash"),
        pytest.param("010\u200f1234\u200f5678", id="bidi-marks-inside"),
        pytest.param("298 0515 211 4567", id="national-id-in-groups"),
        pytest.param("2980515-2114567", id="national-id-with-dash"),
    ],
)
def test_numbers_the_forms_accept_are_also_redacted(text: str) -> None:
    assert not any(c.isdigit() for c in redact(text).replace(REDACTED, ""))


def test_text_without_numbers_is_unchanged() -> None:
    text = 'request handled {"route": "/v1/requests", "status_code": 201} منى أحمد'
    assert redact(text) == text


# What must survive


def tracking_number(payload: str) -> str:
    return payload + damm_check_digit(payload)


tracking_numbers = digit_strings(12, first="123456789").map(tracking_number)
payment_references = digit_strings(15)
durations = st.one_of(
    st.floats(min_value=0, max_value=900_000).map(lambda ms: f"{round(ms, 1)} ms"),
    st.floats(min_value=0, max_value=900_000).map(lambda ms: f'"duration_ms":{round(ms, 3)}'),
    st.floats(min_value=0, max_value=900).map(lambda s: f"{s:.6f}s"),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)).map(str),
    st.tuples(st.integers(0, 59), st.integers(0, 59)).map(lambda ms: f"PT{ms[0]}M{ms[1]}S"),
)
east_of_greenwich = st.just(ZoneInfo("Africa/Cairo")) | st.integers(min_value=0, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
# Years a log line can carry: "1599-01-01 00:00" would read as 15 + eight digits, but no log says 1599.
moments = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31))
timestamps = st.one_of(
    moments.map(lambda moment: moment.isoformat()),
    moments.map(lambda moment: moment.isoformat(sep=" ", timespec="milliseconds") + "Z"),
    # UTC, Cairo and every zone east of Greenwich; west of it see test_timestamps_that_read_as_a_mobile_survive.
    st.datetimes(timezones=east_of_greenwich).map(lambda moment: moment.isoformat()),
    moments.map(lambda moment: f"{moment:%Y-%m-%d %H:%M:%S},{moment.microsecond // 1000:03d}+0000"),
)
dates = st.dates().flatmap(
    lambda day: st.sampled_from(
        [day.isoformat(), f"{day:%d/%m/%Y}", f"{day:%d-%m-%Y}", f"{day:%Y%m%d}", f"{day:%d %m %Y}"]
    )
)
survivors = st.one_of(
    tracking_numbers,
    tracking_numbers.flatmap(written_in_any_script),
    payment_references,
    payment_references.flatmap(written_in_any_script),
    timestamps,
    dates,
    durations,
)
plain_text = st.text(alphabet=st.characters(exclude_categories=["Nd"]), max_size=20)


@given(plain_text, survivors, plain_text)
def test_tracking_numbers_references_timestamps_dates_and_durations_survive(
    prefix: str, text: str, suffix: str
) -> None:
    line = prefix + text + suffix
    assert redact(line) == line


@given(st.lists(survivors, min_size=2, max_size=6).map(", ".join))
def test_several_of_them_in_one_line_survive(line: str) -> None:
    assert redact(line) == line


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-27T08:30:15.250000-05:00",
        "2026-11-27T08:30:10.000001-10:00",
        "2026-11-27T08:30:12.345678-03:00",
        "15-11-2026 10:30",
    ],
)
def test_timestamps_that_read_as_a_mobile_survive(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "c5f1c2b8-7d0e-4a5e-9c1d-2b3a4f5e6d7c",
        "00000000-0000-0000-0000-000000000000",
        str(uuid.NAMESPACE_DNS),
        "12345678-1234-5678-1234-567812345678",
        "0af7651916cd43dd8448eb211c80319c",
        "1-67891233-abcdef012345678912345678",  # an X-Ray trace id
        "arn:aws:lambda:eu-central-1:123456789012:function:shobbak-local",
    ],
)
def test_ids_of_the_platform_survive(text: str) -> None:
    assert redact(text) == text


@given(st.uuids())
@example(uuid.UUID("a0101234-5678-4abc-8def-0123456789ab"))
def test_a_correlation_id_survives_whatever_digits_it_holds(value: uuid.UUID) -> None:
    """In free text a UUID holding a phone-shaped stretch is blanked (safe); the ids the
    service itself writes under its own keys are never touched."""
    formatter = RedactingFormatter()
    record = logging.LogRecord("test", logging.INFO, __file__, 1, "hello", None, None)
    record.correlation_id = str(value)

    assert json.loads(formatter.format(record))["correlation_id"] == str(value)


# Through a real logger


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter())
    test_logger = logging.getLogger(f"test-redaction-{uuid.uuid4().hex}")
    test_logger.propagate = False
    test_logger.setLevel(logging.INFO)
    test_logger.addHandler(handler)
    yield test_logger, stream
    test_logger.removeHandler(handler)


SECRETS = [
    NATIONAL_ID,
    NATIONAL_ID.translate(ARABIC_INDIC),
    NATIONAL_ID.translate(PERSIAN),
    MOBILE,
    MOBILE.translate(ARABIC_INDIC),
    "+201012345678",
    "1012345678",
    "١٠١٢٣٤٥٦٧٨",
    "۱۰۱۲۳۴۵۶۷۸",
    "12345678",
]


def assert_no_secret(output: str) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in output.splitlines()]
    # Checked both as written and as JSON would show it once parsed, escapes undone.
    for shown in (output, json.dumps(lines, ensure_ascii=False)):
        for secret in SECRETS:
            assert secret not in shown
    return lines


def test_extra_fields_are_redacted_through_a_real_logger(logged: tuple[logging.Logger, io.StringIO]) -> None:
    test_logger, stream = logged
    test_logger.info(
        "applicant %s called from %s",
        NATIONAL_ID.translate(PERSIAN),
        "+20 10 1234 5678",
        extra={
            "national_id": NATIONAL_ID,
            "phone": MOBILE.translate(ARABIC_INDIC),
            "nested": {"numbers": [f"tel:+20{MOBILE[1:]}", NATIONAL_ID.translate(ARABIC_INDIC)]},
            "tracking_number": tracking_number("483127705196"),
        },
    )

    (line,) = assert_no_secret(stream.getvalue())
    assert line["level"] == "INFO"
    assert line["phone"] == REDACTED
    assert line["national_id"] == REDACTED
    assert line["nested"] == {"numbers": [f"tel:{REDACTED}", REDACTED]}
    assert line["tracking_number"] == tracking_number("483127705196")
    assert line["message"] == f"applicant {REDACTED} called from {REDACTED}"


def test_integer_fields_are_redacted_when_they_read_as_a_national_id_or_mobile(
    logged: tuple[logging.Logger, io.StringIO],
) -> None:
    test_logger, stream = logged
    as_numbers = {"national_id": int(NATIONAL_ID), "phone": int("20" + MOBILE[1:])}
    figures = {"status_code": 200, "duration_ms": 12.5, "bytes": 9_999_999_999, "delta": -2_147_483_648}

    test_logger.info("numbers", extra={**as_numbers, **figures})

    (line,) = assert_no_secret(stream.getvalue())
    assert (line["national_id"], line["phone"]) == (REDACTED, REDACTED)
    assert {name: line[name] for name in figures} == figures


def test_an_exception_message_is_redacted_through_a_real_logger(logged: tuple[logging.Logger, io.StringIO]) -> None:
    test_logger, stream = logged
    number = NATIONAL_ID.translate(ARABIC_INDIC)
    try:
        raise ValueError(f"no applicant with national id {number} and phone {MOBILE}")
    except ValueError:
        test_logger.exception("lookup failed", extra={"phone": "+201012345678"})

    (line,) = assert_no_secret(stream.getvalue())
    assert line["level"] == "ERROR"
    assert line["exception_name"] == "ValueError"
    assert f"no applicant with national id {REDACTED} and phone {REDACTED}" in str(line["exception"])
    assert line["phone"] == REDACTED


def test_the_service_logger_uses_the_redacting_formatter() -> None:
    assert isinstance(logger.registered_formatter, RedactingFormatter)
