"""What the service does, counted as CloudWatch metrics in Embedded Metric Format.

Each point is one JSON line on stdout, which CloudWatch Logs turns into a metric: no API call on
the request path. The line is the one Powertools Metrics wrote before, written here (the format is a
few keys: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html)
because importing Powertools' metrics cost the first submission, payment and move of every
container about 5% of its cold start (bench/, issue 12). CloudWatch bills every name and dimension combination
as a metric a month, so each metric has exactly one dimension, of few values: the district (about
twenty), the payment gateway (two) or the message channel (two). Never a tracking number, a
service or a person. The dashboards and alarms in infra/ read these names.

Locally (the `local` stage) POWERTOOLS_METRICS_DISABLED keeps the terminal quiet.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Mapping
from enum import StrEnum

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
    OVERDUE_OPEN = "OverdueOpenRequests"  # a level, not a count of events: recounted daily


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
    Metric.OVERDUE_OPEN: "District",
}
# The District value under which the whole governorate's level is written (the alarm reads it).
GOVERNORATE = "governorate"
SERVICE = "shobbak"


def namespace() -> str:
    return f"Shobbak/{settings().stage}"


def metrics_off() -> bool:
    """POWERTOOLS_METRICS_DISABLED (the name the stages' configuration uses) turns metrics off."""
    return os.environ.get("POWERTOOLS_METRICS_DISABLED", "false").strip().lower() in ("1", "true", "yes", "on")


def count(metric: Metric, by: str, value: int = 1) -> None:
    """One point of `metric`, under `by`, the value of its dimension (a district code, a gateway, a
    channel). A district also annotates the current trace, so that traces can be found by it."""
    dimension = DIMENSION[metric]
    if not metrics_off():
        point = {
            "_aws": {
                "Timestamp": int(time.time() * 1000),
                "CloudWatchMetrics": [{
                    "Namespace": namespace(),
                    # The service as a second dimension, as Powertools wrote it: the dashboards and alarms name both.
                    "Dimensions": [[dimension, "service"]],
                    "Metrics": [{"Name": metric.value, "Unit": "Count"}],
                }],
            },
            dimension: by,
            "service": SERVICE,
            metric.value: [float(value)],
        }  # fmt: skip
        sys.stdout.write(json.dumps(point, separators=(",", ":")) + "\n")
    if dimension == "District" and by != GOVERNORATE:
        tracing.annotate(district=by)


def overdue_open(by_district: Mapping[str, int]) -> None:
    """The daily recount's result: each district's open requests past their due date, and the
    governorate's total, which the overdue-growth alarm watches."""
    for district_code, overdue in sorted(by_district.items()):
        count(Metric.OVERDUE_OPEN, by=district_code, value=overdue)
    count(Metric.OVERDUE_OPEN, by=GOVERNORATE, value=sum(by_district.values()))
