"""The handlers that deliver messages: on the outbox stream, on a clock, on the voice topic, and on
the WhatsApp business account's event destination (its delivery receipts)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from chalice import Rate
from chalice.app import CloudWatchEvent, DynamoDBEvent, SNSEvent

from chalicelib.api.routes.startup import GuardedBlueprint

deliveries = GuardedBlueprint(__name__)  # its functions start without app.py

# Chalice needs the stream's and the topic's ARNs when the app is imported, but they exist
# only once deployed: `make package` wires the real ones in their place (infra/wiring.yaml).
# These ARNs are never used to reach anything.
OUTBOX_STREAM = "arn:aws:dynamodb:eu-central-1:000000000000:table/shobbak-outbox/stream/wired-at-package-time"
VOICE_CALLS_TOPIC = "arn:aws:sns:eu-central-1:000000000000:shobbak-voice-calls-wired-at-package-time"
WHATSAPP_EVENTS_TOPIC = "arn:aws:sns:eu-central-1:000000000000:shobbak-whatsapp-events-wired-at-package-time"


@deliveries.on_dynamodb_record(stream_arn=OUTBOX_STREAM, batch_size=25, name="deliver_messages")
def deliver_messages(event: DynamoDBEvent) -> dict[str, int]:
    """Each new intent, at once. An error raised here makes Lambda retry the batch, then
    hand it to the dead-letter queue; a provider's failure is not an error (it waits)."""
    # The services are imported on first use, as in api/routes/citizen.py: the API's cold start never pays.
    from chalicelib.services.notifications import deliver

    now = datetime.now(UTC)
    outcomes: Counter[str] = Counter()
    for record in event:
        if record.event_name == "INSERT":
            outcomes[deliver(record.keys["key"]["S"], now)] += 1
    return dict(outcomes)


@deliveries.schedule(Rate(5, unit=Rate.MINUTES), name="sweep_messages")
def sweep_messages(event: CloudWatchEvent) -> dict[str, int]:
    """What waits: retries whose backoff is over, calls deferred to the morning, reminders."""
    from chalicelib.services.notifications import deliver_due

    return dict(deliver_due(datetime.now(UTC)))


@deliveries.on_sns_message(topic=VOICE_CALLS_TOPIC, name="place_voice_calls")
def place_voice_calls(event: SNSEvent) -> dict[str, Any]:
    from chalicelib.services.notifications import place_voice_call

    return {"message_id": place_voice_call(event.message)}


@deliveries.on_sns_message(topic=WHATSAPP_EVENTS_TOPIC, name="record_whatsapp_receipts")
def record_whatsapp_receipts(event: SNSEvent) -> dict[str, int]:
    """What End User Messaging Social says became of each WhatsApp message: delivered settles it,
    failed sends it by SMS now, once (services/notifications.py). An error raised here (DynamoDB
    down) makes Lambda retry the event, then hand it to the dead-letter queue; a retried or
    repeated receipt changes nothing twice, and a message no receipt settles goes by SMS when
    its wait is over."""
    from chalicelib.services.notifications import record_receipts

    return dict(record_receipts(event.message, datetime.now(UTC)))
