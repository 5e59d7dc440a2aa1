"""What the idempotency table keeps of a submission, read back: plain Python (the record is built in memory)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from chalicelib.domain.application import FeeInvoice, Submission, submission_answer
from chalicelib.store.idempotency import IdempotencyRecord, kept_answer, submission_of

FILED_AT = datetime(2026, 11, 30, 9, 15, 30, tzinfo=UTC)
INVOICE = FeeInvoice("FW4829107356122", 150, "unpaid", datetime(2026, 12, 3, 9, 15, 30, tzinfo=UTC))


@pytest.mark.parametrize("payment", [INVOICE, None], ids=["with an invoice", "free"])
def test_the_kept_answer_is_the_api_s_answer_and_reads_back_as_the_same_submission(payment: FeeInvoice | None) -> None:
    filed = Submission("4829107356122", "awaiting_payment", FILED_AT, 150 if payment else 0, "2026-12-28", payment)

    kept = kept_answer(filed)

    assert json.loads(kept) == submission_answer(filed)
    record = IdempotencyRecord("key-1", body_digest="digest", tracking_number=filed.tracking_number, answer=kept)
    assert submission_of(record) == filed
