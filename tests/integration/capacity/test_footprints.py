"""The footprints of every kind of operation, recorded through the real services, and the keys
many requests share told from a request's own (capacity/footprints.py)."""

from __future__ import annotations

from capacity.footprints import Recording


def test_every_kind_of_operation_is_recorded_through_the_real_services(recording: Recording) -> None:
    kinds = {footprint.kind for footprint in recording.footprints}
    assert {"submit", "inquiry", "payment", "payment_repeat", "queue_page", "view", "deliver", "sweep"} <= kinds
    assert {"move_to_in_review", "move_to_approved", "move_to_needs_info", "move_to_rejected"} <= kinds
    submit = next(footprint for footprint in recording.footprints if footprint.kind == "submit")
    assert submit.calls["dynamodb:TransactWriteItems"] == 1
    assert any(footprint.sms_parts for footprint in recording.footprints if footprint.kind == "deliver")
    assert any(footprint.voice_calls for footprint in recording.footprints if footprint.kind == "deliver")


def test_keys_that_many_requests_touch_are_told_from_a_requests_own(recording: Recording) -> None:
    shared = recording.shared_keys()
    targets = {target for target, _ in shared}
    assert {"requests/queue", "requests/department_queue", "outbox/due", "payments/ledger"} <= targets
    # A request's own partition, applicant and messages are never shared.
    assert not {target for target, _ in shared} & {"requests", "applicants", "outbox", "idempotency"}
