"""The monthly bill and the cost per 1,000 citizen requests, from the assumptions, the
footprints the real services left (DynamoDB units, SMS parts, calls per operation) and the
load test's CPU time per route (bench/load.json)."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from capacity import assumptions as a
from capacity.demand import Demand, average_day, operations_per_application, peak_hour_share
from capacity.footprints import Recording

LOAD_RESULTS = Path(__file__).resolve().parent.parent / "bench" / "load.json"
DAYS_A_MONTH = 30.4
# The load test's route for each footprint kind whose Lambda runs behind API Gateway.
ROUTE_OF = {
    "submit": "POST /v1/requests",
    "inquiry": "POST /v1/inquiries",
    "payment": "POST /v1/payments/fawry/callback",
    "payment_repeat": "POST /v1/payments/fawry/callback",
    "queue_page": "GET /v1/office/requests",
    "view": "GET /v1/office/requests/{tracking_number}",
    "move": "POST /v1/office/requests/{tracking_number}/transitions",
    "catalogue": "GET /v1/services",
}
# Kinds that citizens' own requests make (the denominator of "per 1,000 citizen requests").
CITIZEN_KINDS = ("submit", "inquiry", "catalogue", "card_checkout")
# CPU for handlers the load test does not reach (stream and schedule handlers), a guess.
UNMEASURED_CPU_MS = 5.0
SNS_PUBLISH_MS = 20.0  # a guess: one HTTPS call to SNS in the region


SMS_LINE, VOICE_LINE, WHATSAPP_LINE = "SMS (SNS, Egypt)", "Voice calls", "WhatsApp"
MESSAGE_LINES = (SMS_LINE, VOICE_LINE, WHATSAPP_LINE)


def channel_mixes() -> dict[str, dict[str, float]]:
    """The shares of citizens on each channel (notify_by) the report prices: everyone on SMS,
    today's choices, and a stated share on WhatsApp (a guess), the rest as today."""
    per = a.PER_APPLICATION
    voice, none, whatsapp = (per[name].value for name in ("voice_share", "opt_out_share", "whatsapp_share"))
    return {
        "all SMS": {"sms": 1.0},
        "today's (SMS, voice, none)": {"sms": 1 - voice - none, "voice": voice, "none": none},
        f"{whatsapp:.0%} on WhatsApp (a guess)": {
            "whatsapp": whatsapp, "sms": 1 - whatsapp - voice - none, "voice": voice, "none": none,
        },
    }  # fmt: skip


TODAYS_MIX = "today's (SMS, voice, none)"


@dataclass(frozen=True)
class KindCost:
    per_day: float  # operations a day
    write_units: float  # per operation
    read_units: float
    dynamodb_calls: float
    duration_ms: float  # billed Lambda duration per operation
    behind_api: bool


@dataclass(frozen=True)
class Bill:
    factor: float
    applications_a_month: float
    citizen_requests_a_month: float
    api_requests_a_month: float
    lines: dict[str, float]  # USD a month, by line
    peak_requests_per_second: float
    peak_concurrency: float
    gb_seconds_a_month: float
    write_units_a_month: float
    read_units_a_month: float
    sms_parts_a_month: float
    voice_calls_a_month: float
    whatsapp_messages_a_month: float
    storage_gb_after_a_year: float

    @property
    def total(self) -> float:
        return sum(self.lines.values())

    @property
    def per_1000_citizen_requests(self) -> float:
        return 1000 * self.total / self.citizen_requests_a_month

    @property
    def per_1000_without_messages(self) -> float:
        messages = sum(self.lines[line] for line in MESSAGE_LINES)
        return 1000 * (self.total - messages) / self.citizen_requests_a_month

    @property
    def per_application(self) -> float:
        return self.total / self.applications_a_month

    def largest(self, count: int = 3) -> list[tuple[str, float]]:
        return sorted(self.lines.items(), key=lambda line: -line[1])[:count]


def route_cpu_ms(load_results: Path = LOAD_RESULTS) -> dict[str, float]:
    """The app's own CPU per request of each route (median), as `make load` measured it."""
    if not load_results.exists():
        return {}
    routes = json.loads(load_results.read_text(encoding="utf-8"))["routes"]
    return {name: figures["app_cpu_ms"]["p50"] for name, figures in routes.items() if figures.get("app_cpu_ms")}


def _kind_family(kind: str) -> str:
    return "move" if kind.startswith("move_to_") else kind


def kind_costs(recording: Recording, demand: Demand, cpu: dict[str, float], scale: float) -> dict[str, KindCost]:
    """Per footprint kind: operations a day (at `scale` × the average day) and what each costs."""
    by_kind: dict[str, list] = defaultdict(list)
    for footprint in recording.footprints:
        by_kind[footprint.kind].append(footprint)
    submitted = max(len(by_kind["submit"]), 1)
    per_application = operations_per_application(demand.fee_share(), len(by_kind["deliver"]) / submitted)
    applications = demand.total() * scale
    costs = {}
    for kind, count in per_application.items():
        samples = by_kind.get(kind) or by_kind.get(f"{_kind_family(kind)}", [])
        if not samples:
            continue
        calls = statistics.fmean(
            sum(value for name, value in f.calls.items() if name.startswith("dynamodb:")) for f in samples
        )
        publishes = statistics.fmean(f.calls.get("sns:Publish", 0) for f in samples)
        route = ROUTE_OF.get(_kind_family(kind))
        own_cpu = cpu.get(route, UNMEASURED_CPU_MS) if route else UNMEASURED_CPU_MS
        costs[kind] = KindCost(
            per_day=applications * count,
            write_units=statistics.fmean(sum(f.writes.values()) for f in samples),
            read_units=statistics.fmean(sum(f.reads.values()) for f in samples),
            dynamodb_calls=calls,
            duration_ms=own_cpu + calls * a.DYNAMODB_CALL_MS.value + publishes * SNS_PUBLISH_MS,
            behind_api=route is not None,
        )
    per = a.PER_APPLICATION
    catalogue_cpu = cpu.get(ROUTE_OF["catalogue"], UNMEASURED_CPU_MS)
    costs["catalogue"] = KindCost(applications * per["catalogue_reads"].value, 0, 0, 0, catalogue_cpu, True)
    # A card checkout: the request read, two calls to Paymob, and one transaction (store/payments.py).
    card = applications * demand.fee_share() * per["card_share"].value
    costs["card_checkout"] = KindCost(card, 4, 1, 2, UNMEASURED_CPU_MS + 2 * a.DYNAMODB_CALL_MS.value + 2 * 300, True)
    return costs


def messages_per_application(recording: Recording) -> tuple[float, float]:
    """(messages sent, SMS parts per SMS) per application, from the recorded deliveries."""
    sent = [f for f in recording.footprints if f.kind in ("deliver", "deliver_reminder")]
    by_sms = [f.sms_parts for f in sent if f.sms_parts]
    submitted = max(sum(1 for f in recording.footprints if f.kind == "submit"), 1)
    messages = sum(1 for f in sent if f.sms_parts or f.voice_calls) / submitted
    return messages, statistics.fmean(by_sms) if by_sms else 1.0


def monthly_bill(
    recording: Recording,
    factor: float,
    stored_bytes_per_application: float,
    cpu: dict[str, float] | None = None,
    mix: Mapping[str, float] | None = None,
) -> Bill:
    """The bill of a month at `factor` × today's average load, with the peak hour's rates, the
    citizens choosing their channels as `mix` says (today's choices unless given)."""
    demand = average_day()
    cpu = route_cpu_ms() if cpu is None else cpu
    costs = kind_costs(recording, demand, cpu, factor)
    price = {name: value.value for name, value in a.PRICES.items()}
    month = DAYS_A_MONTH * a.WORKING_DAYS_A_YEAR.value / 365  # working days carry the load
    applications = demand.total() * factor * month

    api_requests = sum(cost.per_day for cost in costs.values() if cost.behind_api) * month
    citizen = sum(costs[kind].per_day for kind in CITIZEN_KINDS if kind in costs) * month
    invocations = sum(cost.per_day for cost in costs.values()) * month
    gb_seconds = (
        sum(cost.per_day * cost.duration_ms for cost in costs.values()) * month / 1000 * a.LAMBDA_MEMORY_GB.value
    )
    writes = sum(cost.per_day * cost.write_units for cost in costs.values()) * month
    reads = sum(cost.per_day * cost.read_units for cost in costs.values()) * month

    messages, parts = messages_per_application(recording)
    shares = channel_mixes()[TODAYS_MIX] if mix is None else mix
    fallback = a.PER_APPLICATION["whatsapp_fallback_share"].value
    whatsapp_messages = applications * messages * shares.get("whatsapp", 0.0)
    # A WhatsApp message that fails, or is not delivered in time, goes again as one SMS.
    sms_parts = (applications * messages * shares.get("sms", 0.0) + whatsapp_messages * fallback) * parts
    voice_calls = applications * messages * shares.get("voice", 0.0)
    page_views = applications * a.PER_APPLICATION["portal_page_views"].value
    edge_requests = page_views + api_requests
    year_of_storage_gb = applications * 12 * stored_bytes_per_application / 1e9

    lines = {
        SMS_LINE: sms_parts * price["sms_part_egypt"],
        VOICE_LINE: voice_calls
        * (price["voice_minute_egypt"] * price["voice_minutes_per_call"] + price["sns_publish"]),
        # AWS's fee on every message sent; Meta's only on those delivered.
        WHATSAPP_LINE: whatsapp_messages
        * (price["whatsapp_aws_message"] + (1 - fallback) * price["whatsapp_utility_egypt"]),
        "Lambda": invocations * price["lambda_request"] + gb_seconds * price["lambda_gb_second"],
        "API Gateway": api_requests * price["api_gateway_request"],
        "DynamoDB requests": writes * price["dynamodb_write_unit"] + reads * price["dynamodb_read_unit"],
        # Storage and backups as they stand after a year of this load (they grow by as much each year).
        "DynamoDB storage and PITR": year_of_storage_gb
        * (price["dynamodb_storage_gb_month"] + price["dynamodb_pitr_gb_month"]),
        "CloudFront": edge_requests * price["cloudfront_request"]
        + page_views * a.PORTAL_PAGE_BYTES.value / 1e9 * price["cloudfront_gb"],
        "WAF": price["waf_web_acl_month"]
        + a.WAF_RULES.value * price["waf_rule_month"]
        + edge_requests * price["waf_request"],
        "CloudWatch Logs": api_requests * a.LOG_BYTES_PER_REQUEST.value / 1e9 * price["cloudwatch_logs_gb"],
    }
    peak_scale = a.PEAK_DAY_FACTOR.value * peak_hour_share() / 3600
    peak_rps = sum(cost.per_day for cost in costs.values() if cost.behind_api) * peak_scale
    concurrency = sum(cost.per_day * cost.duration_ms / 1000 for cost in costs.values()) * peak_scale
    return Bill(
        factor=factor,
        applications_a_month=applications,
        citizen_requests_a_month=citizen,
        api_requests_a_month=api_requests,
        lines=lines,
        peak_requests_per_second=peak_rps,
        peak_concurrency=concurrency,
        gb_seconds_a_month=gb_seconds,
        write_units_a_month=writes,
        read_units_a_month=reads,
        sms_parts_a_month=sms_parts,
        voice_calls_a_month=voice_calls,
        whatsapp_messages_a_month=whatsapp_messages,
        storage_gb_after_a_year=year_of_storage_gb,
    )
