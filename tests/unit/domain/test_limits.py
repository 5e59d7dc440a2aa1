"""The limits' windows and their refusals (chalicelib/domain/limits.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.limits import (
    attempts_hour,
    lookups_window,
    phone_day_window,
    reveals_window,
    too_many_attempts,
    too_many_lookups,
    too_many_submissions,
)

NOW = datetime(2026, 3, 10, 21, 47, 12, tzinfo=UTC)  # 23:47 in Cairo


def test_failed_attempts_count_in_the_utc_clock_hour_and_are_kept_an_hour_after() -> None:
    hour = attempts_hour(NOW)

    assert hour.label == "2026-03-10T21"
    assert hour.ends_at == datetime(2026, 3, 10, 22, tzinfo=UTC)
    assert hour.expires_at == hour.ends_at + timedelta(hours=1)


def test_reveals_count_per_member_per_hour_and_lookups_per_minute() -> None:
    assert reveals_window("officer-1", NOW).key == "reveals#officer-1#2026-03-10T21"
    lookups = lookups_window("clerk-1", NOW)
    assert lookups.key == "lookups#clerk-1#2026-03-10T21:47"
    assert lookups.ends_at == datetime(2026, 3, 10, 21, 48, tzinfo=UTC)


def test_a_phones_day_is_cairos_and_the_phone_is_never_in_the_key() -> None:
    window = phone_day_window("submissions", "+201012345678", "key", NOW)
    next_day = phone_day_window("submissions", "+201012345678", "key", NOW + timedelta(minutes=13))

    assert "201012345678" not in window.key
    assert window.key.startswith("submissions#")
    assert window.key.endswith("#2026-03-10")
    assert window.ends_at == datetime(2026, 3, 10, 22, tzinfo=UTC)  # Cairo's midnight
    assert next_day.key.endswith("#2026-03-11")
    assert phone_day_window("messages", "+201012345678", "key", NOW).key.startswith("messages#")


def test_the_refusals_say_in_both_languages_when_to_return_in_cairo_time() -> None:
    attempts = too_many_attempts(attempts_hour(NOW))
    lookups = too_many_lookups(lookups_window("clerk-1", NOW), 10)
    submissions = too_many_submissions(phone_day_window("submissions", "+201012345678", "key", NOW), 3)

    assert (attempts.code, attempts.retry_after) == ("too_many_attempts", datetime(2026, 3, 10, 22, tzinfo=UTC))
    assert "00:00" in attempts.message_ar
    assert "00:00" in attempts.message_en
    assert lookups.code == "too_many_lookups"
    assert "23:48" in lookups.message_en
    assert "10" in lookups.message_ar
    assert submissions.code == "too_many_submissions"
    assert "2026-03-11" in submissions.message_en
    assert "3" in submissions.message_ar
