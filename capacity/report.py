"""`make capacity`: writes docs/capacity.md from the assumptions, the footprints of the real
services, the hot-key simulation, the load test's CPU figures and the growth measurements.

Nothing in docs/capacity.md is typed by hand: edit assumptions.py (or the code it measures)
and run this again.

Short mode (`make capacity SHORT=1`, or `--short`): the same document from one district's
footprints, short histories and a few payments a day (SHORT), written to a temporary file unless
`--output` names one, so that docs/capacity.md keeps the full run's figures. tests/integration/capacity/
test_report.py runs it, so that a change to the rules that breaks the model fails the tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from capacity import assumptions as a
from capacity.costs import (
    LOAD_RESULTS,
    MESSAGE_LINES,
    Bill,
    channel_mixes,
    messages_per_application,
    monthly_bill,
    route_cpu_ms,
)
from capacity.demand import all_units, average_day, peak_hour_share, services_in
from capacity.footprints import Recording, record_footprints
from capacity.growth import RouteAtSize, growth_table
from capacity.hotkeys import HotKeyReport, simulate_day

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "capacity.md"
SHORT_DOCUMENT = Path(tempfile.gettempdir()) / "shobbak-short" / "capacity.md"


@dataclass(frozen=True)
class Scope:
    """What the model records: the districts whose footprints it takes (None: every unit), the
    histories it measures growth at and the payments of a busy day (None: growth.py's)."""

    districts: tuple[str, ...] | None = None
    histories: tuple[int, ...] | None = None
    payments_a_day: int | None = None


SHORT = Scope(districts=("warraq",), histories=(200, 1000), payments_a_day=3)
RECONCILIATION_KEY = "<the day reconciled>"

# What would make each line smaller: reasoning about this system, kept beside the figures.
CUTS = {
    "SMS (SNS, Egypt)": "Every text fits one UCS-2 part and says something the citizen needs (docs/messages.md: "
    "'how to pay' is part of 'received', 'paid' is cut, the window's receipt is printed). Next, the channel: "
    "WhatsApp for the citizens who choose it, at a fraction of an SMS (see the channel mixes below); then the "
    "price: AWS's Egypt rate read and compared with a direct contract with an Egyptian aggregator for the "
    "registered sender ID.",
    "Voice calls": "Keep calls for those who ask for them (notify_by = voice) and the events that need action "
    "(needs_info, ready); a short script billed under a minute where the carrier bills per second.",
    "Lambda": "Less CPU per request (issue 12's cold-start and import work; the inquiry's and submission's "
    "serialization), ARM (Graviton) functions at ~20% less per GB-s, and right-sizing memory per function.",
    "API Gateway": "An HTTP API instead of the REST API (about a third of the price per request) once its "
    "features suffice (the token authorizer exists there; usage plans do not); cache catalogue reads at CloudFront.",
    "DynamoDB requests": "Smaller items (the request item carries its details and payment terms into both "
    "queue indexes: a KEYS_ONLY or INCLUDE projection for department_queue would halve the index writes), "
    "fewer history writes per move.",
    "DynamoDB storage and PITR": "Projections narrower than ALL on the queue indexes, and TTL on closed "
    "requests once the retention period (Law 151/2020) is decided, with an export to S3 for the archive.",
    "CloudFront": "Pages are already within 14 KB; longer caching of content-hashed assets (issue 11).",
    "WhatsApp": "Utility templates only (Meta's cheapest business-initiated category), no marketing; fewer "
    "fallbacks to SMS as numbers known not to be on WhatsApp are told to choose SMS.",
    "WAF": "Mostly the fixed monthly fee and rules; fewer custom rules if the managed groups suffice.",
    "CloudWatch Logs": "One log line per request instead of two, a shorter retention, and the INFO level off in "
    "prod for the routes whose metrics say enough.",
}


def usd(value: float) -> str:
    return f"${value:,.2f}" if value < 1000 else f"${value:,.0f}"


def number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"


def assumptions_section() -> list[str]:
    lines = [
        "## Assumptions",
        "",
        "Every figure below starts from these. *guess* marks a guess; *recalled* a public figure as "
        "remembered, not read again here (this machine reaches no web site): check both before relying "
        "on them. Prices were written down on " + a.PRICES_DATE + ".",
        "",
        "| assumption | value | unit | basis | where from |",
        "| --- | ---: | --- | --- | --- |",
    ]
    rows: list[tuple[str, a.Assumption]] = [
        ("governorate population", a.GOVERNORATE_POPULATION),
        ("working days a year", a.WORKING_DAYS_A_YEAR),
        ("peak day", a.PEAK_DAY_FACTOR),
        ("growth modelled", a.GROWTH_FACTOR),
        ("Lambda memory", a.LAMBDA_MEMORY_GB),
        ("DynamoDB call", a.DYNAMODB_CALL_MS),
        ("portal page", a.PORTAL_PAGE_BYTES),
        ("log bytes per API request", a.LOG_BYTES_PER_REQUEST),
        ("reconciliation page", a.RECONCILIATION_PAGE_SECONDS),
        ("WAF rules", a.WAF_RULES),
        *((f"applications: {code}", value) for code, value in a.APPLICATIONS_PER_1000_A_YEAR.items()),
        *((f"per application: {name}", value) for name, value in a.PER_APPLICATION.items()),
        *((f"outcome: {name}", value) for name, value in a.OUTCOMES.items()),
        *((f"price: {name}", value) for name, value in a.PRICES.items()),
    ]
    for name, value in rows:
        basis = f"*{value.basis}*" if value.basis != "source" else "source"
        lines.append(f"| {name} | {value.value:g} | {value.unit} | {basis} | {value.source} |")
    lines += [
        "",
        "Residents per unit are shares of the governorate (*guess*: "
        f"{a.UNIT_POPULATION_SHARE['dokki'].source}); the hourly profile of a day is a *guess* "
        f"({a.HOURLY_SHARE[10].source}), its busiest hour {peak_hour_share():.1%} of the day.",
        "",
    ]
    return lines


def demand_section() -> list[str]:
    demand = average_day()
    services = sorted({service.code for unit in all_units() for service in services_in(unit)})
    lines = [
        "## Demand",
        "",
        "Applications on an average working day, by unit and service (residents × applications per "
        "1,000 a year ÷ working days):",
        "",
        "| unit | residents | " + " | ".join(services) + " | total |",
        "| --- | ---: | " + " | ".join("---:" for _ in services) + " | ---: |",
    ]
    for unit in all_units():
        residents = a.GOVERNORATE_POPULATION.value * a.UNIT_POPULATION_SHARE[unit].value
        counts = [demand.per_day.get((unit, service), 0.0) for service in services]
        lines.append(
            f"| {unit} | {residents:,.0f} | "
            + " | ".join(f"{count:.1f}" for count in counts)
            + f" | {sum(counts):.1f} |"
        )
    total = demand.total()
    peak_day = total * a.PEAK_DAY_FACTOR.value
    peak_hour = peak_day * peak_hour_share()
    lines += [
        "",
        f"- Governorate: **{total:,.0f} applications an average working day**, "
        f"{total * a.WORKING_DAYS_A_YEAR.value:,.0f} a year; {demand.fee_share():.0%} carry a fee.",
        f"- Peak day ({a.PEAK_DAY_FACTOR.value:g}× average): {peak_day:,.0f} applications; its busiest hour "
        f"{peak_hour:,.0f} ({peak_hour / 3600:.2f} a second).",
        f"- At {a.GROWTH_FACTOR.value:g}× that peak (the simulated day): {peak_day * a.GROWTH_FACTOR.value:,.0f} "
        f"applications, {peak_hour * a.GROWTH_FACTOR.value / 3600:.1f} a second in the busiest hour.",
        "",
    ]
    return lines


def bill_section(today: Bill, grown: Bill) -> list[str]:
    lines = [
        "## Load and cost",
        "",
        f"CPU per request comes from `make load` ({LOAD_RESULTS.name}: the app's own CPU per route, "
        "median); each DynamoDB call adds the assumed in-region latency to the billed duration.",
        "",
        "| | today (average month) | at 10× |",
        "| --- | ---: | ---: |",
    ]
    rows = [
        ("applications a month", number(today.applications_a_month), number(grown.applications_a_month)),
        (
            "citizen requests a month (submit, inquire, catalogue, card)",
            number(today.citizen_requests_a_month),
            number(grown.citizen_requests_a_month),
        ),
        ("API Gateway requests a month", number(today.api_requests_a_month), number(grown.api_requests_a_month)),
        (
            "API requests a second, busiest hour of the peak day",
            f"{today.peak_requests_per_second:.1f}",
            f"{grown.peak_requests_per_second:.1f}",
        ),
        (
            "Lambda concurrency, busiest hour of the peak day",
            f"{today.peak_concurrency:.2f}",
            f"{grown.peak_concurrency:.2f}",
        ),
        ("Lambda GB-seconds a month", number(today.gb_seconds_a_month), number(grown.gb_seconds_a_month)),
        ("DynamoDB write units a month", number(today.write_units_a_month), number(grown.write_units_a_month)),
        ("DynamoDB read units a month", number(today.read_units_a_month), number(grown.read_units_a_month)),
        (
            "DynamoDB storage added a year (GB, tables and indexes)",
            f"{today.storage_gb_after_a_year:.2f}",
            f"{grown.storage_gb_after_a_year:.2f}",
        ),
        ("SMS parts a month", number(today.sms_parts_a_month), number(grown.sms_parts_a_month)),
        ("voice calls a month", number(today.voice_calls_a_month), number(grown.voice_calls_a_month)),
        ("WhatsApp messages a month", number(today.whatsapp_messages_a_month), number(grown.whatsapp_messages_a_month)),
    ]
    lines += [f"| {name} | {now} | {later} |" for name, now, later in rows]
    lines += ["", "| cost a month (USD) | today | at 10× |", "| --- | ---: | ---: |"]
    for name in today.lines:
        lines.append(f"| {name} | {usd(today.lines[name])} | {usd(grown.lines[name])} |")
    lines += [
        f"| **total** | **{usd(today.total)}** | **{usd(grown.total)}** |",
        f"| **per 1,000 citizen requests** | **{usd(today.per_1000_citizen_requests)}** | "
        f"**{usd(grown.per_1000_citizen_requests)}** |",
        f"| per 1,000 citizen requests, without SMS and voice | {usd(today.per_1000_without_messages)} | "
        f"{usd(grown.per_1000_without_messages)} |",
        f"| per application | {usd(today.per_application)} | {usd(grown.per_application)} |",
        "",
        f"SMS are priced at {usd(a.PRICES['sms_part_egypt'].value)} a part ({a.PRICES['sms_part_egypt'].basis}, "
        f"{a.PRICES_DATE}): {a.PRICES['sms_part_egypt'].source}.",
        "",
        "### The three largest costs, and what would cut each",
        "",
    ]
    for name, cost in today.largest():
        share = cost / today.total
        lines.append(f"1. **{name}**: {usd(cost)} a month today ({share:.0%}). {CUTS[name]}")
    return [*lines, ""]


def mix_section(recording: Recording, stored: float, cpu: dict[str, float]) -> list[str]:
    """The cost of an application, and of 1,000 citizen requests, by the channels citizens choose."""
    before = a.COST_PER_APPLICATION_BEFORE.value
    messages, _ = messages_per_application(recording)
    per = a.PER_APPLICATION
    prices = a.PRICES
    lines = [
        "### By channel mix",
        "",
        f"Messages per application, as the recording sent them: {messages:.2f} (every application here is filed "
        "online; one filed at the window sends no 'received' unless asked, so fewer). The same messages, the "
        f"citizens choosing their channel as each mix says; against {usd(before)} an application before issue 25 "
        f"({a.COST_PER_APPLICATION_BEFORE.source}). A WhatsApp message costs AWS's "
        f"{usd(prices['whatsapp_aws_message'].value * 1000)} a thousand ({prices['whatsapp_aws_message'].basis}) and, "
        f"delivered, Meta's {usd(prices['whatsapp_utility_egypt'].value * 1000)} a thousand "
        f"({prices['whatsapp_utility_egypt'].basis}); {per['whatsapp_fallback_share'].value:.0%} of them "
        f"({per['whatsapp_fallback_share'].basis}) fall back to one SMS.",
        "",
        "| channel mix | SMS parts a month | WhatsApp a month | messages a month (USD) | per application | "
        "per 1,000 citizen requests | against before |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, shares in channel_mixes().items():
        bill = monthly_bill(recording, 1.0, stored, cpu, shares)
        messaging = sum(bill.lines[line] for line in MESSAGE_LINES)
        mix = ", ".join(f"{channel} {share:.0%}" for channel, share in shares.items())
        lines.append(
            f"| {name}: {mix} | {number(bill.sms_parts_a_month)} | {number(bill.whatsapp_messages_a_month)} | "
            f"{usd(messaging)} | {usd(bill.per_application)} | {usd(bill.per_1000_citizen_requests)} | "
            f"{bill.per_application / before:.0%} |"
        )
    all_sms = monthly_bill(recording, 1.0, stored, cpu, channel_mixes()["all SMS"]).per_application / before
    whatsapp_name = next(name for name in channel_mixes() if "WhatsApp" in name)
    whatsapp = monthly_bill(recording, 1.0, stored, cpu, channel_mixes()[whatsapp_name]).per_application / before
    lines += [
        "",
        f"Issue 25's targets: all SMS at most 70% of before, from fewer messages alone: **{all_sms:.0%}** "
        f"({'met' if all_sms <= 0.70 else 'missed'}); half on WhatsApp at most 35%: **{whatsapp:.0%}** "
        f"({'met' if whatsapp <= 0.35 else 'missed'}). The SMS and voice prices are still guesses "
        "(see the assumptions): both shares move with them.",
        "",
    ]
    return lines


def hotkey_section(report: HotKeyReport, today: HotKeyReport) -> list[str]:
    continuous = [key for key in report.keys if key.key != RECONCILIATION_KEY]
    hottest = continuous[0]
    lines = [
        "## Hot keys at 10× the peak",
        "",
        f"The simulated day: {report.districts} units, all active, {report.applications:,.0f} applications and "
        f"{report.operations:,} operations through the footprints the real services recorded "
        "(`capacity/footprints.py`), each operation at a random second of its hour. Busiest second of each "
        "shared partition key (units a second; a partition takes "
        f"{a.PARTITION_WRITE_UNITS.value:,.0f} write and {a.PARTITION_READ_UNITS.value:,.0f} read units a "
        f"second, and a key above {a.HOT_SHARE.value:.0%} of either is hot):",
        "",
        "| table / index | partition key | write units | read units | share of the limit | Cairo hour |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for key in report.keys[:12]:
        lines.append(
            f"| {key.target} | `{key.key}` | {key.write_units:g} | {key.read_units:g} | {key.load:.1%} | {key.hour} |"
        )
    own = ", ".join(f"{target} {units[0]:g} w / {units[1]:g} r" for target, units in sorted(report.own_keys.items()))
    verdict = (
        f"**No key is hot**: none reaches {a.HOT_SHARE.value:.0%} of a partition's limits, so no key was changed."
        if not report.hot
        else "**Hot keys: " + ", ".join(f"{k.target} `{k.key}`" for k in report.hot) + "**."
    )
    headroom = report.factor * a.HOT_SHARE.value / hottest.load
    same_today = next((key for key in today.keys if (key.target, key.key) == (hottest.target, hottest.key)), None)
    lines += [
        "",
        verdict,
        "",
        f"- The hottest key that takes load all day is `{hottest.target}` `{hottest.key}` "
        f"({hottest.write_units:g} write units in its busiest second, {hottest.load:.1%} of the limit); it "
        f"would reach half of the limit at about {headroom:,.0f}× today's peak (its load grows with the whole "
        "governorate's messages). At today's peak (1×) its busiest second is "
        f"{same_today.write_units if same_today else 0:g} write units.",
        f"- `payments/ledger` `{RECONCILIATION_KEY}`: the nightly reconciliation reads the whole day's ledger "
        "partition page after page; its rate is the reader's (one 1 MB page each "
        f"{a.RECONCILIATION_PAGE_SECONDS.value:g} s, a guess), not the day's traffic. If DynamoDB answered "
        "faster, the excess would be throttled and retried by botocore: a nightly job slowed, no citizen "
        "affected.",
        f"- Keys only one request touches (its partition, applicant, messages, notice) peak at their largest "
        f"single operation: {own}.",
        "",
    ]
    return lines


def growth_section(rows: list[RouteAtSize]) -> list[str]:
    lines = [
        "## What grows with the work",
        "",
        "Each route as one district's history grows (requests filed there over the years, 5% still open). "
        "10³ and 10⁴ measured: the real services against the recorder with that many requests filed; 10⁵ and "
        "10⁶ computed from the same access patterns. Latency is computed (DynamoDB calls × the assumed "
        f"{a.DYNAMODB_CALL_MS.value:g} ms): moto's own latency grows with its table (DOMAIN.md) and measures "
        "moto. The office's performance figures (`GET /v1/office/performance`, issue 9) are not in this "
        "code yet: bench/figures.py holds them to one read per district.",
        "",
        "| route | history | DynamoDB calls | items read | read units | write units | latency (ms) | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        how = "measured" if row.measured else "computed"
        lines.append(
            f"| {row.route} | {row.history:,} | {row.dynamodb_calls} | {row.items_read} | {row.read_units:g} | "
            f"{row.write_units:g} | {row.latency_ms:g} | {how} |"
        )
    lines += [
        "",
        "Nothing reads in proportion to the history: queue pages are one query of at most a page "
        "(25 by default, 100 at most), an inquiry updates one item (the request's proof, refused when the "
        "digits are right, and answered from), an office view reads one request's own partition (its "
        "history entries: about as many as its moves), and the reconciliation reads one day's notices, "
        "which grow with the day's payments (about 40 here for a busy district), not with the years. The "
        "`<district>#closed` queue partitions do grow with the history, without limit (global secondary "
        "indexes have no item-collection limit); they are only ever read a page at a time.",
        "",
    ]
    return lines


def render(
    recording: Recording,
    hotkeys: HotKeyReport,
    hotkeys_today: HotKeyReport,
    growth: list[RouteAtSize],
    cpu: dict[str, float],
) -> str:
    stored = sum(recording.stored_bytes_per_application.values())
    today = monthly_bill(recording, 1.0, stored, cpu)
    grown = monthly_bill(recording, a.GROWTH_FACTOR.value, stored, cpu)
    header = [
        "# Capacity and cost at governorate scale",
        "",
        "*Generated by `make capacity` (`capacity/report.py`); do not edit by hand.* The model runs the "
        "real services against an in-memory DynamoDB that charges capacity units per partition key "
        "(`capacity/recorder.py`), so the units, keys, item sizes and SMS parts below are the code's own; "
        "the demand and prices are assumptions, listed first.",
        "",
    ]
    footprint = [
        "### What one application costs, by the recording",
        "",
        "| stored a year on, per application | bytes |",
        "| --- | ---: |",
        *(f"| {name} | {size:,.0f} |" for name, size in sorted(recording.stored_bytes_per_application.items())),
        "",
    ]
    return "\n".join(
        [
            *header,
            *assumptions_section(),
            *demand_section(),
            *bill_section(today, grown),
            *mix_section(recording, stored, cpu),
            *footprint,
            *hotkey_section(hotkeys, hotkeys_today),
            *growth_section(growth),
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="one district, short histories, into a temporary file")
    parser.add_argument("--output", type=Path)
    arguments = parser.parse_args()
    scope = SHORT if arguments.short else Scope()
    output = arguments.output or (SHORT_DOCUMENT if arguments.short else DOCUMENT)
    print("Recording what each operation costs, through the real services...", flush=True)
    recording = record_footprints(list(scope.districts) if scope.districts else None)
    print("Simulating the peak day at 10× and at 1×...", flush=True)
    hotkeys, today = simulate_day(recording), simulate_day(recording, factor=1.0)
    print("Measuring routes as a district's history grows...", flush=True)
    growth = growth_table(scope.histories, scope.payments_a_day)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(recording, hotkeys, today, growth, route_cpu_ms()), encoding="utf-8")
    print(f"Wrote {output}; hottest key at 10×: {hotkeys.hottest.target} {hotkeys.hottest.key}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
