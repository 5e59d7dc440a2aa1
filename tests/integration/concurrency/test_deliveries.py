"""Messages delivered by several handlers at once, as Lambda runs them: the stream's handler
retried and the sweeper meeting it, each in a process of its own against the AWS emulation.
Every message is sent once."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import UTC, datetime, timedelta

from tests.factories import free_service_code, submission
from tests.integration.api.calls import post_json
from tests.integration.concurrency.conftest import Stack

OUTBOX_TABLE = "shobbak-local-outbox"


def run_delivery(task: tuple[str, str | None, str]) -> Counter[str]:
    """One handler's run, in a fresh process: the stream's (one message) or the sweeper's."""
    from chalicelib.services.notifications import deliver, deliver_due

    kind, key, at = task
    now = datetime.fromisoformat(at)
    if kind == "stream":
        assert key is not None
        return Counter([deliver(key, now)])
    return deliver_due(now)


def test_handlers_racing_over_the_same_messages_send_each_once(stack: Stack) -> None:
    # Two requests, so that the handlers race over two messages: a fee-bearing one's "received"
    # (with how to pay) and a free one's.
    for body in (submission(), submission(free_service_code())):
        answer = post_json(stack.client, "/v1/requests", body)
        assert answer.status_code == 201, answer.body
    outbox = stack.aws("dynamodb").scan(TableName=OUTBOX_TABLE, ConsistentRead=True)["Items"]
    later = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    due = [item["key"]["S"] for item in outbox if item["event"]["S"] != "payment_reminder"]
    tasks = [("stream", key, later) for key in due * 4] + [("sweep", None, later)] * 3

    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(run_delivery, tasks)

    outcomes = sum(results, Counter())
    assert outcomes["sent"] == len(due) == 2
    sent = [message["message"] for message in stack.sms_sent()]
    assert len(set(sent)) == len(sent) == 2  # two texts, each sent once
    statuses = Counter(
        (item["event"]["S"], item["status"]["S"])
        for item in stack.aws("dynamodb").scan(TableName=OUTBOX_TABLE, ConsistentRead=True)["Items"]
    )
    assert statuses == Counter({("submitted", "sent"): 2, ("payment_reminder", "pending"): 1})
