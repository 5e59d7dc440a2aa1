"""`make demo`: a realistic synthetic history in the running local stack (`make run`).

About a thousand requests over the past months in the active districts, each submitted (online
or at the one window), paid, picked up, asked for more, decided, made ready and handed over,
through the real services on a simulated clock: the same use cases the API calls, writing to
the moto server of `make run`, so that the stream, the figures, the outbox and its messages,
the screens and the public page all see what a real history would leave.

Idempotent: every request has a fixed Idempotency-Key and a fixed plan (a seeded random
draw), and each step is taken only if the request has not reached it yet, so a second run
adds nothing. The simulated clock stops at the start of today (Cairo): steps that would fall
later are left for the future, so recent requests stay open, some of them overdue, and a second
run the same day finds nothing due that was not taken (a run on a later day brings the history
up to that day).

The requests are played by a few worker processes side by side, as Lambda containers work; with
the emulation's fixes (tools/local/emulation/server.py) a thousand take a few minutes (docs/local.md, make demo).
Then the same workers send what the history told the citizens (SMS and voice calls, through the
outbox's own delivery), as the deployed outbox stream sends each message at once; the stack's
relay, a hundred messages every two seconds, would take many minutes more.

Short mode (`make demo SHORT=1`, or `--short`): a dozen requests by two workers (SHORT_REQUESTS,
SHORT_WORKERS), a few seconds' work; `--requests` and `--workers` still say otherwise.
tests/integration/tools/local/test_demo.py plays it against the AWS emulation, so that a change to the rules that
breaks the demo fails the tests. The demo writes no file: it fills the stack.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from tools.local.resources import deployed_outputs
from tools.local.stack import REGION, STAGE, Ports, local_aws_environment, local_stage_variables
from tools.testing.synthetic import drawn_application, fawry_paid_notice, paper_documents

SEED = 20261130
DEFAULT_REQUESTS = 1000
HISTORY_DAYS = 120
# Requests played side by side, each worker a process of its own as Lambda containers are: the
# emulation answers one call at a time, and meanwhile the other workers do their own share.
DEFAULT_WORKERS = 4
SHORT_REQUESTS = 12
SHORT_WORKERS = 2
MESSAGES_A_TASK = 50
MESSAGES_AT_MOST = 100_000
KEY_PREFIX = "demo-"

# How each district works, so that the screens have differences to show: a multiplier on the
# time its back office takes.
DISTRICT_PACE = {"dokki": 0.7, "omraniya": 1.0, "warraq": 1.35}


@dataclass
class Step:
    """One thing that happens to a request: a payment, or a move by a member of staff."""

    at: datetime
    kind: str  # "pay" or "move"
    to: str | None = None
    role: str = "officer"
    message_to_citizen: str | None = None


@dataclass
class Plan:
    key: str
    district_code: str
    service_code: str
    at_window: bool
    submitted_at: datetime
    body: dict[str, Any]
    steps: list[Step] = field(default_factory=list)


def working_hours(day: date, rng: random.Random) -> datetime:
    """A moment between 9:00 and 15:00 Cairo time (UTC+2 in winter, +3 in summer: UTC 6-12)."""
    return datetime.combine(day, clock_time(6 + rng.randrange(6), rng.randrange(60)), tzinfo=UTC)


def later(moment: datetime, days: float, rng: random.Random) -> datetime:
    """`days` (calendar) after `moment`, landing in working hours on a day offices open."""
    day = (moment + timedelta(days=days)).date()
    while day.weekday() in (4, 5):  # Friday, Saturday
        day += timedelta(days=1)
    landed = working_hours(day, rng)
    return max(landed, moment + timedelta(minutes=5))


def make_plans(count: int, now: datetime) -> list[Plan]:
    from chalicelib.services.catalogue import current_catalogue

    catalogue = current_catalogue()
    districts = [district.code for district in catalogue.districts() if district.active]
    plans = []
    for number in range(count):
        # Each request its own draw: a plan does not change when another one's does.
        rng = random.Random(f"{SEED}-{number}")  # noqa: S311 - a repeatable synthetic history, not a secret
        district_code = rng.choice(districts)
        # Older months a little quieter than recent ones: the service is being taken up.
        age = int(HISTORY_DAYS * (1 - rng.random() ** 0.8))
        submitted = later(now - timedelta(days=age), 0, rng)
        if submitted >= now:
            submitted = now - timedelta(hours=1 + rng.randrange(48))
        services = catalogue.services(on=submitted.date(), district_code=district_code)
        service = rng.choice(services)
        body, _ = drawn_application(service, district_code, rng)
        body["notify_by"] = rng.choice(("sms",) * 8 + ("voice", "none"))
        plan = Plan(
            f"{KEY_PREFIX}{SEED}-{number:05d}", district_code, service.code, rng.random() < 0.3, submitted, body
        )
        plan.steps = steps_for(plan, service.fee_egp, service.sla_days, DISTRICT_PACE.get(district_code, 1.0), rng)
        plans.append(plan)
    return plans


def steps_for(plan: Plan, fee_egp: int, sla_days: int, pace: float, rng: random.Random) -> list[Step]:
    """The life the request will have had: drawn whole, then cut at now when played."""
    steps: list[Step] = []
    moment = plan.submitted_at
    if fee_egp > 0:
        if rng.random() < 0.08:  # never paid: the manager cancels it after the invoice lapsed
            return [Step(later(moment, 9 + rng.random() * 5, rng), "move", "cancelled", role="manager")]
        moment = moment + timedelta(hours=1 + rng.random() * 60)
        steps.append(Step(moment, "pay"))
    else:
        moment = later(moment, rng.random() * 2 * pace, rng)
        steps.append(Step(moment, "move", "in_review"))
    # Working days are about 5/7 of calendar days; a district's pace stretches or shortens the work.
    decision = sla_days * 7 / 5 * pace * rng.uniform(0.25, 1.15)
    if rng.random() < 0.15:
        asked = later(moment, decision * 0.3, rng)
        steps.append(Step(asked, "move", "needs_info", message_to_citizen="أرسل صورة واضحة من عقد الملكية."))
        moment = later(asked, 1 + rng.random() * 6, rng)
        steps.append(Step(moment, "move", "in_review"))
        decision *= 0.7
    moment = later(moment, decision, rng)
    if rng.random() < 0.12:
        steps.append(Step(moment, "move", "rejected", message_to_citizen="المستندات المقدمة لا تستوفي الشروط."))
        steps.append(Step(later(moment, rng.random() * 2, rng), "move", "closed"))
        return steps
    steps.append(Step(moment, "move", "approved"))
    moment = later(moment, 0.5 + rng.random() * 2 * pace, rng)
    steps.append(Step(moment, "move", "ready"))
    steps.append(Step(later(moment, rng.random() * 4, rng), "move", "closed", role="clerk"))
    return steps


def play(plan: Plan, now: datetime) -> Counter[str]:
    """Brings one request as far along its plan as now allows; what is done is skipped."""
    from chalicelib.domain.errors import Conflict
    from chalicelib.domain.staff import Role, StaffMember
    from chalicelib.services.intake import file_at_window
    from chalicelib.services.office_moves import move_request
    from chalicelib.services.payment_notices import handle_fawry_notice
    from chalicelib.services.submission import ONLINE, submit_request
    from chalicelib.store.idempotency import find_idempotency_record
    from chalicelib.store.requests.request import load_request_record

    done: Counter[str] = Counter()
    existing = find_idempotency_record(plan.key)
    if existing is not None:
        tracking_number = existing.tracking_number
    elif plan.at_window:
        clerk = StaffMember(f"clerk-{plan.district_code}", Role.CLERK, plan.district_code)
        tracking_number = file_at_window(clerk, plan.body, plan.key, plan.submitted_at).answer.tracking_number
        done["submitted"] += 1
    else:
        tracking_number = submit_request(plan.body, plan.key, ONLINE, plan.submitted_at).tracking_number
        done["submitted"] += 1
    request = load_request_record(tracking_number)
    if request is None:
        raise RuntimeError(f"request {tracking_number} of {plan.key} is not in the stack")
    if (request.service_code, request.district_code) != (plan.service_code, plan.district_code):
        done["left_as_found"] += 1  # filed by an earlier version of this demo: not ours to move
        return done
    version = int(request.version)
    paper = 0  # the paper handed in before approval is a change of its own: one version more
    for position, step in enumerate(plan.steps):
        if step.at > now:
            break
        if step.to == "approved":
            paper = 1
        if version >= position + 2 + paper:  # the request's first version is 1; each step makes one more
            continue
        if step.kind == "pay" and request.payment is not None:
            handle_fawry_notice(fawry_notice(request.payment.reference, request.payment.amount_egp, step.at), step.at)
        else:
            staff = StaffMember(f"{step.role}-{plan.district_code}", Role(step.role), plan.district_code)
            body: dict[str, Any] = {"to": step.to, "version": version, "note": "سجل تجريبي"}
            if step.message_to_citizen:
                body["message_to_citizen"] = step.message_to_citizen
            if step.to == "approved":
                version = hand_in_paper(plan, tracking_number, version, step.at)
                body["version"] = version
            try:
                move_request(staff, tracking_number, body, step.at)
            except Conflict:
                # Someone moved it meanwhile (staff on the running stack, another run of the demo):
                # go on from what is stored.
                fresh = load_request_record(tracking_number)
                if fresh is None or int(fresh.version) < position + 2 + paper:
                    done["left_behind"] += 1
                    return done
        version += 1
        done[step.to or "paid"] += 1
    return done


def hand_in_paper(plan: Plan, tracking_number: str, version: int, at: datetime) -> int:
    """The service's documents, handed in at the district's window before the decision (a request
    is approved only with them); the request's version after. Recording them again records
    nothing, so a rerun adds nothing."""
    from chalicelib.domain.staff import Role, StaffMember
    from chalicelib.services.catalogue import current_catalogue
    from chalicelib.services.office_documents import record_paper

    service = current_catalogue().service(plan.service_code, on=plan.submitted_at.date())
    if service is None:
        raise RuntimeError(f"the service {plan.service_code} of {plan.key} is not in the catalogue")
    clerk = StaffMember(f"clerk-{plan.district_code}", Role.CLERK, plan.district_code)
    return int(record_paper(clerk, tracking_number, paper_documents(service, version), at).request.version)


def fawry_notice(reference: str, amount_egp: float, paid_at: datetime) -> dict[str, Any]:
    """Fawry's notice of a payment at a kiosk; its number for the payment follows from the reference."""
    from chalicelib.adapters.secrets import secret

    fawry_ref = str(9 * 10**9 + int(reference[-9:]) % 10**9)
    return fawry_paid_notice(reference, amount_egp, fawry_ref, paid_at=paid_at, secure_key=secret("FAWRY_SECURE_KEY"))


def require_running_stack(aws_url: str) -> None:
    try:
        with urllib.request.urlopen(f"{aws_url}/moto-api/", timeout=5):  # noqa: S310 - loopback
            return
    except (urllib.error.URLError, OSError):
        sys.exit(f"make demo fills the running local stack: start `make run` first (nothing answers {aws_url}).")


def start_of_today(moment: datetime) -> datetime:
    """Midnight in Cairo on `moment`'s Cairo day, in UTC: where the demo's simulated clock stops."""
    from chalicelib.domain.calendar import CAIRO, cairo_today

    return datetime.combine(cairo_today(moment), clock_time(0), tzinfo=CAIRO).astimezone(UTC)


def deliver_messages(keys: list[str]) -> Counter[str]:
    """The outbox's sweeper on these messages, now: each is claimed first, so the stack's own
    relay, sweeping at the same time, never sends one twice."""
    from chalicelib.services.notifications import deliver

    return Counter(deliver(key, datetime.now(UTC)) for key in keys)


def due_message_keys() -> list[str]:
    """Every message waiting in the outbox whose time has come, oldest first (one query)."""
    from chalicelib.store.outbox import due_messages

    return due_messages(datetime.now(UTC), MESSAGES_AT_MOST)


def relay_settings(aws_url: str) -> dict[str, str]:
    """What the stack's relay sends messages with (tools/local/stack.py gives its message inbox the same)."""
    import boto3

    cloudformation = boto3.client(
        "cloudformation", endpoint_url=aws_url, region_name=REGION,
        aws_access_key_id="local", aws_secret_access_key="local",  # noqa: S106 - moto accepts any
    )  # fmt: skip
    outputs = deployed_outputs(cloudformation, STAGE)
    return {"VOICE_CALLS_TOPIC_ARN": outputs["VoiceCallsTopicArn"], "SMS_SENDER_ID": "Shobbak"}


def side_by_side(
    pool: Executor | None, function: Callable[..., Counter[str]], tasks: list[tuple[Any, ...]]
) -> Iterator[Counter[str]]:
    """`function` on each task, in the pool's workers (or here without one); yields each outcome as it is done."""
    if pool is None:
        for task in tasks:
            yield function(*task)
        return
    for done in as_completed([pool.submit(function, *task) for task in tasks]):
        yield done.result()


@contextmanager
def workers_pool(workers: int) -> Iterator[Executor | None]:
    """`workers` processes to play in, or none (everything here) for one."""
    if workers <= 1:
        yield None
        return
    # Spawned rather than forked: each worker makes its own AWS clients from the environment set above.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aws-port", type=int, default=Ports.aws)
    parser.add_argument("--short", action="store_true", help=f"{SHORT_REQUESTS} requests, {SHORT_WORKERS} workers")
    parser.add_argument("--requests", type=int)
    parser.add_argument("--workers", type=int)
    arguments = parser.parse_args()
    requests = arguments.requests or (SHORT_REQUESTS if arguments.short else DEFAULT_REQUESTS)
    workers = arguments.workers or (SHORT_WORKERS if arguments.short else DEFAULT_WORKERS)
    environment = local_aws_environment(arguments.aws_port)
    require_running_stack(environment["AWS_ENDPOINT_URL"])
    # Before any client is made (the services read it lazily) and before the workers start. The
    # services' info lines would be thousands here (the stack logs its own), so warnings only.
    os.environ.update({
        **local_stage_variables(), **environment, **relay_settings(environment["AWS_ENDPOINT_URL"]),
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    })  # fmt: skip
    os.environ.setdefault("AWS_REGION", REGION)

    started = time.monotonic()
    now = start_of_today(datetime.now(UTC))
    plans = make_plans(requests, now)
    totals: Counter[str] = Counter()
    messages: Counter[str] = Counter()
    with workers_pool(workers) as pool:
        # Requests are independent of each other: the order they are played in changes nothing.
        for number, added in enumerate(side_by_side(pool, play, [(plan, now) for plan in plans]), start=1):
            totals += added
            if number % 100 == 0:
                print(f"  {number}/{len(plans)} requests ({time.monotonic() - started:.0f} s)", flush=True)
        # What the history told the citizens, sent now as the deployed outbox stream would have sent
        # it at once (the local relay alone, a hundred every two seconds, takes many minutes more).
        due = due_message_keys()
        if due:
            print(f"  sending the {len(due)} messages due ({time.monotonic() - started:.0f} s)", flush=True)
        batches = [(due[start : start + MESSAGES_A_TASK],) for start in range(0, len(due), MESSAGES_A_TASK)]
        for outcome in side_by_side(pool, deliver_messages, batches):
            messages += outcome
    added = sum(totals.values())
    print(
        f"demo: {len(plans)} requests over {HISTORY_DAYS} days in {time.monotonic() - started:.0f} s; "
        + (
            ", ".join(f"{name} {count}" for name, count in sorted(totals.items()))
            if added
            else "nothing new (already there)"
        )
    )
    if messages:
        print("messages: " + ", ".join(f"{name} {count}" for name, count in sorted(messages.items())))
    print("The figures follow within seconds: the performance screen, the office API and /performance.html.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
