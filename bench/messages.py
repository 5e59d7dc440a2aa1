"""Messages per application over `make demo`'s synthetic history (issue 25).

The demo's own plans (tools/local/demo.py: the same seeded draw, online and at the window, paid,
asked for more, refused, cancelled, with its share of voice and of no messages) are played
through the real services against moto in this process; then every message the history wrote
is delivered as the outbox delivers it, at a moment of day when calls are placed, up to past the
last reminder. What was sent, by channel, over the applications filed is the figure: the
messages a citizen got, not those written (a paid request's reminder is written and skipped).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta
from typing import Any

from bench.common import REGION, STAGE, stdout_to_devnull

# The demo's history, played here: its first requests are a sample of the same draw.
APPLICATIONS = 100
SHORT_APPLICATIONS = 12
# Past every reminder (due a day before its invoice's seven days are up).
DELIVERED_UNTIL = timedelta(days=8)
SWEEPS_AT_MOST = 1000


def measure_messages(applications: int) -> dict[str, Any]:
    import boto3
    from moto import mock_aws

    from bench.latency import drop_stream_records
    from chalicelib.domain.calendar import CAIRO
    from chalicelib.services.notifications import deliver_due
    from chalicelib.store.outbox import OutboxMessage
    from tools.local.demo import make_plans, play, start_of_today
    from tools.local.resources import deploy_resources

    with mock_aws(), stdout_to_devnull():
        outputs = deploy_resources(boto3.client("cloudformation", region_name=REGION), STAGE)
        # The relay's settings: where calls are asked for, and the sender ID of the SMS.
        _use_messaging(outputs["VoiceCallsTopicArn"])
        end = start_of_today(datetime.now(UTC))
        plans = make_plans(applications, end)
        for plan in plans:
            play(plan, end)
            drop_stream_records()  # moto copies them in every transaction: kept, they slow each next one
        # Late morning in Cairo, so that no call waits for the morning, and after every reminder.
        moment = datetime.combine((end + DELIVERED_UNTIL).astimezone(CAIRO).date(), time(11), tzinfo=CAIRO)
        for _ in range(SWEEPS_AT_MOST):
            if not deliver_due(moment):
                break
        outcomes = Counter((message.status, message.channel) for message in OutboxMessage.scan())
    sent = {channel: count for (status, channel), count in sorted(outcomes.items()) if status == "sent"}
    written = sum(outcomes.values())
    return {
        "messages_per_application": round(sum(sent.values()) / len(plans), 3),
        "applications": len(plans),
        "at_window": sum(plan.at_window for plan in plans),
        "sent_by_channel": sent,
        "written_per_application": round(written / len(plans), 3),
        "skipped": sum(count for (status, _), count in outcomes.items() if status == "skipped"),
    }


def _use_messaging(voice_topic_arn: str) -> None:
    import os

    os.environ.update({"VOICE_CALLS_TOPIC_ARN": voice_topic_arn, "SMS_SENDER_ID": "Shobbak"})
