"""What the service does, counted as CloudWatch metrics in Embedded Metric Format.

Powertools Metrics writes each point as one JSON line on stdout, which CloudWatch Logs turns into
a metric: no API call on the request path. CloudWatch bills every name and dimension combination
as a metric a month, so each metric has exactly one dimension, of few values: the district (about
twenty), the payment gateway (two) or the message channel (two). Never a tracking number, a
service or a person. The dashboards and alarms in infra/ read these names.

Locally (the `local` stage) POWERTOOLS_METRICS_DISABLED keeps the terminal quiet.
"""

from __future__ import annotations

from enum import StrEnum

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

from chalicelib.config import settings
from chalicelib.observability import tracing


class Metric(StrEnum):
    SUBMITTED = "RequestsSubmitted"
    MOVED = "RequestsMoved"
    COMPLETED_ON_TIME = "RequestsCompletedOnTime"
    COMPLETED_LATE = "RequestsCompletedLate"
    PAYMENT_APPLIED = "PaymentsApplied"
    PAYMENT_FLAGGED = "PaymentsFlagged"
    MESSAGE_SENT = "MessagesSent"
    MESSAGE_FAILED = "MessagesFailed"


# Each metric's one dimension.
DIMENSION = {
    Metric.SUBMITTED: "District",
    Metric.MOVED: "District",
    Metric.COMPLETED_ON_TIME: "District",
    Metric.COMPLETED_LATE: "District",
    Metric.PAYMENT_APPLIED: "Gateway",
    Metric.PAYMENT_FLAGGED: "Gateway",
    Metric.MESSAGE_SENT: "Channel",
    Metric.MESSAGE_FAILED: "Channel",
}
SERVICE = "shobbak"


def namespace() -> str:
    return f"Shobbak/{settings().stage}"


def count(metric: Metric, by: str) -> None:
    """One point of `metric`, under `by`, the value of its dimension (a district code, a gateway, a
    channel). A district also annotates the current trace, so that traces can be found by it."""
    dimension = DIMENSION[metric]
    # A provider per point: Powertools' Metrics class shares its state between instances and threads.
    provider = AmazonCloudWatchEMFProvider(namespace=namespace(), service=SERVICE)
    provider.add_dimension(name=dimension, value=by)
    provider.add_metric(name=metric.value, unit=MetricUnit.Count, value=1)
    provider.flush_metrics()
    if dimension == "District":
        tracing.annotate(district=by)
