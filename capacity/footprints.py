"""What each operation costs DynamoDB and SNS, measured by running the real services.

A workbench files requests through the real use cases (submission, inquiry, payment notice,
office queue, view and moves, message delivery) with DynamoDB replaced by the recorder
(recorder.py), and keeps each operation's footprint: the capacity units it charged to each
partition key of each table and index, the AWS calls it made and the SMS it sent. The keys
are the real ones, built by the models' own code; nothing here writes a key by hand.

A partition key that two different requests touch is *shared* (a queue, the ledger's day,
the outbox's waiting list), and so is every key of the same table or index: those are the
ones that can get hot. A key of a table where no two requests ever meet (a request's own
partition, its applicant, its messages) is *own*: it sees that request's operations and
nothing else.
"""

from __future__ import annotations

import os
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from capacity.recorder import READ_UNIT_BYTES, RecordingDynamoDB, Usage, item_size
from chalicelib.domain.messages import sms_segments
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.observability.logs import logger
from chalicelib.services.catalogue import current_catalogue
from chalicelib.services.inquiry import inquire
from chalicelib.services.notifications import SWEEP_BATCH, deliver
from chalicelib.services.office_documents import record_paper
from chalicelib.services.office_moves import move_request
from chalicelib.services.office_queue import view_queue
from chalicelib.services.office_view import view_request
from chalicelib.services.payment_notices import handle_fawry_notice
from chalicelib.services.reconciliation import reconcile_day
from chalicelib.services.submission import ONLINE, submit_request
from chalicelib.store.outbox import OutboxMessage, due_messages
from chalicelib.store.requests.request import RequestRecord
from tools.testing.synthetic import drawn_application, fawry_paid_notice, paper_documents

# The simulation's own process: every district switched on, no AWS account, quiet logs.
SIMULATION_ENVIRONMENT = {
    "SHOBBAK_STAGE": "capacity",
    "ROLLOUT_PHASE": "99",
    "AWS_DEFAULT_REGION": "eu-central-1",
    "AWS_ACCESS_KEY_ID": "simulation",
    "AWS_SECRET_ACCESS_KEY": "simulation",  # never sent anywhere: the recorder answers every call
    "POWERTOOLS_LOG_LEVEL": "ERROR",
    "FAWRY_SECURE_KEY": "capacity-simulation-key",
    "PAYMOB_HMAC_SECRET": "capacity-simulation-key",
    "LOOKUP_HMAC_KEY": "capacity-simulation-key",
    "VOICE_CALLS_TOPIC_ARN": "arn:aws:sns:eu-central-1:000000000000:capacity-voice-calls",
    "SMS_SENDER_ID": "Shobbak",
}
BACKLOG_PER_QUEUE = 25  # a full default page of every queue the office reads


@dataclass(frozen=True)
class Footprint:
    """One operation of one kind, in one district, as the real code ran it."""

    kind: str
    district: str
    service: str | None
    writes: dict[tuple[str, str], float]  # (table or table/index, partition key) -> units
    reads: dict[tuple[str, str], float]
    calls: Counter[str]
    sms_parts: int = 0
    voice_calls: int = 0


@dataclass
class Recording:
    footprints: list[Footprint] = field(default_factory=list)
    # The daily reconciliation's reads of the ledger, per notice it reads (one Cairo day's).
    reconcile_read_units_per_notice: float = 0.0
    # Bytes each application leaves stored a year on, by table and index (TTL'd items pro rata).
    stored_bytes_per_application: dict[str, float] = field(default_factory=dict)
    # Which requests touched each (target, key): two or more make it shared.
    touched_by: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def shared_keys(self) -> set[tuple[str, str]]:
        """Keys of the tables and indexes whose keys group requests: those where two requests
        met on one key. Every key of such an index is shared, also one the recording happened
        to reach with a single request (a rare department's queue in a small district)."""
        grouping = {target for (target, _), requests in self.touched_by.items() if len(requests) > 1}
        return {key for key in self.touched_by if key[0] in grouping}


@contextmanager
def simulation_environment() -> Iterator[None]:

    saved = {name: os.environ.get(name) for name in SIMULATION_ENVIRONMENT}
    os.environ.update(SIMULATION_ENVIRONMENT)
    level = logger.log_level
    logger.setLevel("ERROR")  # tens of thousands of simulated operations would each log a line
    try:
        yield
    finally:
        logger.setLevel(level)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class Workbench:
    """Runs the real services against the recorder and keeps what each operation cost."""

    def __init__(self, recorder: RecordingDynamoDB, start: datetime, seed: int = 15) -> None:
        self.recorder = recorder
        self.start = self.now = start
        self.rng = random.Random(seed)
        self.recording = Recording()
        self._fawry_refs = 0

    def _measure(self, kind: str, district: str, service: str | None, tracking_number: str | None, call: Any) -> Any:
        """Runs `call` and keeps its footprint; the request it is about is `tracking_number`
        (None: the tracking number the call answers with)."""
        self.recorder.current = Usage()
        calls_before = Counter(self.recorder.calls)
        published_before = len(self.recorder.published)
        answer = call()
        usage = self.recorder.current
        calls = Counter(self.recorder.calls)
        calls.subtract(calls_before)
        sms_parts, voice_calls = self._messages_since(published_before)
        self.recording.footprints.append(
            Footprint(kind, district, service, dict(usage.writes), dict(usage.reads), +calls, sms_parts, voice_calls)
        )
        owner = tracking_number or answer.tracking_number
        for key in (*usage.writes, *usage.reads):
            self.recording.touched_by[key].add(owner)
        self.recorder.current = Usage()
        return answer

    def _messages_since(self, position: int) -> tuple[int, int]:

        sms_parts = voice_calls = 0
        for publish in self.recorder.published[position:]:
            if "PhoneNumber" in publish:
                sms_parts += sms_segments(publish["Message"])
            else:
                voice_calls += 1
        return sms_parts, voice_calls

    def _deliver_waiting(self, district: str, service: str, tracking_number: str, until: datetime) -> None:
        """Every message of the request that is due by `until`, as the stream or sweeper would."""
        for key in sorted(key for key, _ in self.recorder.items["outbox"] if key.startswith(tracking_number)):
            message = OutboxMessage.from_raw_data(self.recorder.items["outbox"][(key, "")])
            if message.status != OutboxMessage.PENDING or message.due_at > until:
                continue
            kind = "deliver_reminder" if key.endswith("#payment_reminder") else "deliver"
            self._measure(kind, district, service, tracking_number, lambda key=key: deliver(key, until))

    def file_and_work(self, district: str, service_code: str, path: str, notify_by: str = "sms") -> None:
        """One application's life: filed, inquired, paid (with a repeated notice) and moved
        through the office along `path` ("approved", "needs_info" or "rejected"), with every
        message it sends delivered."""
        # Every application lives the same day and the days after it, as on a busy day every
        # application does: their payments share a ledger day, their moves the queues.
        self.now = self.start
        service = next(s for s in current_catalogue().services(on=self.now.date()) if s.code == service_code)
        body, last4 = drawn_application(service, district, self.rng)
        body["notify_by"] = notify_by
        key = f"capacity-{self.rng.getrandbits(64):016x}"
        answer = self._measure(
            "submit", district, service_code, None, lambda: submit_request(body, key, ONLINE, self.now)
        )
        tracking_number = answer.tracking_number
        self._deliver_waiting(district, service_code, tracking_number, self.now)
        inquiry = {"tracking_number": tracking_number, "national_id_last4": last4}
        self._measure("inquiry", district, service_code, tracking_number, lambda: inquire(inquiry, self.now))
        if answer.payment is not None:
            self._fawry_refs += 1
            notice = fawry_paid_notice(
                answer.payment.reference,
                answer.payment.amount_egp,
                f"{self._fawry_refs:010d}",
                secure_key=SIMULATION_ENVIRONMENT["FAWRY_SECURE_KEY"],
            )
            self.now += timedelta(hours=2)
            self._measure(
                "payment", district, service_code, tracking_number, lambda: handle_fawry_notice(notice, self.now)
            )
            self._measure(
                "payment_repeat", district, service_code, tracking_number, lambda: handle_fawry_notice(notice, self.now)
            )
            self._deliver_waiting(district, service_code, tracking_number, self.now)
        moves = {
            "approved": ["approved", "ready", "closed"],
            "needs_info": ["needs_info", "in_review", "approved", "ready", "closed"],
            "rejected": ["rejected", "closed"],
        }[path]
        if answer.payment is None:
            moves = ["in_review", *moves]
        self._hand_in_documents(district, service_code, tracking_number)  # no approval without them (issue 13)
        for target in moves:
            self.now += timedelta(hours=3)
            self._office_move(district, service_code, tracking_number, target)
        # The reminder falls due a day before the invoice expires: paid long before, it is skipped.
        self._deliver_waiting(district, service_code, tracking_number, self.now + timedelta(days=8))

    def _hand_in_documents(self, district: str, service_code: str, tracking_number: str) -> None:
        clerk = StaffMember(principal=f"clerk-{district}", role=Role.CLERK, district_code=district)
        version = view_request(clerk, tracking_number, self.now).request.version
        service = current_catalogue().service(service_code, on=self.now.date())
        if service is None:
            raise RuntimeError(f"{service_code} is not offered on {self.now.date()}")
        paper = paper_documents(service, version)
        self._measure(
            "documents_received",
            district,
            service_code,
            tracking_number,
            lambda: record_paper(clerk, tracking_number, paper, self.now),
        )

    def _office_move(self, district: str, service_code: str, tracking_number: str, target: str) -> None:

        officer = StaffMember(principal=f"officer-{district}", role=Role.OFFICER, district_code=district)
        current = view_request(officer, tracking_number, self.now).request.status
        self.seed_backlog(district, current)
        self._measure(
            "queue_page",
            district,
            service_code,
            tracking_number,
            lambda: view_queue(officer, {"status": current}, self.now),
        )
        view = self._measure(
            "view", district, service_code, tracking_number, lambda: view_request(officer, tracking_number, self.now)
        )
        move = {"to": target, "note": "تمت المراجعة", "version": view.request.version}
        if target == "needs_info":
            move["message_to_citizen"] = "يرجى إرفاق صورة عقد الإيجار."
        self._measure(
            f"move_to_{target}",
            district,
            service_code,
            tracking_number,
            lambda: move_request(officer, tracking_number, move, self.now),
        )
        self._deliver_waiting(district, service_code, tracking_number, self.now)

    def record_sweep(self) -> None:
        """The sweeper's query for waiting messages, with the outbox as the recording left it."""
        self._measure(
            "sweep", "governorate", None, "sweeper", lambda: due_messages(self.now + timedelta(days=30), SWEEP_BATCH)
        )

    def seed_backlog(self, district: str, status: str) -> None:
        """Fills the district's queue for `status` to a full page (uncharged), so that a queue
        page reads what a busy office's would: requests cloned from one already filed, filed
        under their queues by the model's own `place_in_queues`."""
        entries = self.recorder.index_entries["requests/queue"].get(f"{district}#{status}", [])
        if len(entries) >= BACKLOG_PER_QUEUE:
            return
        filed = [
            item for (_, sort_key), item in self.recorder.items["requests"].items() if sort_key == RequestRecord.ITEM
        ]
        template = next((item for item in filed if item["district_code"]["S"] == district), None)
        if template is None:
            return
        for number in range(BACKLOG_PER_QUEUE - len(entries)):
            clone = RequestRecord.from_raw_data(template)
            clone.tracking_number = f"backlog{status}{number:06d}"
            clone.status = status
            clone.place_in_queues()
            self.recorder.seed("requests", clone.serialize())


def record_footprints(districts: list[str] | None = None, start: datetime | None = None) -> Recording:
    """Every operation kind, in every district (or those named), for every service offered,
    along each path an application takes, and for SMS and voice."""
    with simulation_environment():
        recorder = RecordingDynamoDB()
        bench = Workbench(recorder, start or datetime(2026, 11, 29, 8, 0, tzinfo=UTC))
        with recorder.installed():
            catalogue = current_catalogue()
            for district in districts or [unit.code for unit in catalogue.districts()]:
                for number, service in enumerate(catalogue.services(on=bench.now.date(), district_code=district)):
                    path = ("approved", "needs_info", "rejected")[number % 3]
                    bench.file_and_work(district, service.code, path)
                    bench.file_and_work(district, service.code, "approved", notify_by="voice")
            bench.recording.reconcile_read_units_per_notice = _reconciliation_reads(recorder, bench.now)
            bench.record_sweep()
            bench.recording.stored_bytes_per_application = _stored_bytes(recorder, bench.recording)
        return bench.recording


# Items kept for a while only (their TTL): the share of a year each stays stored.
RETENTION_SHARE_OF_A_YEAR = {"idempotency": 1 / 365, "outbox": 90 / 365}


def _stored_bytes(recorder: RecordingDynamoDB, recording: Recording) -> dict[str, float]:
    applications = max(1, sum(1 for footprint in recording.footprints if footprint.kind == "submit"))
    stored: dict[str, float] = defaultdict(float)
    for table, items in recorder.items.items():
        for key, item in items.items():
            if key[0].startswith("backlog"):
                continue
            stored[table] += item_size(item) * RETENTION_SHARE_OF_A_YEAR.get(table, 1.0)
    for index, partitions in recorder.index_entries.items():
        table = index.split("/")[0]
        for entries in partitions.values():
            for _, key in entries:
                if not key[0].startswith("backlog"):
                    stored[index] += item_size(recorder.items[table][key]) * RETENTION_SHARE_OF_A_YEAR.get(table, 1.0)
    return {name: total / applications for name, total in stored.items()}


def _reconciliation_reads(recorder: RecordingDynamoDB, now: datetime) -> float:
    """The real reconciliation of the busiest recorded day, in read units per notice it read
    (from the bytes read: on a full day, pages of 1 MB leave no rounding to speak of)."""
    days = recorder.index_entries["payments/ledger"]
    if not days:
        return 0.0
    busiest = max(days, key=lambda day: len(days[day]))
    recorder.current = Usage()
    summary = reconcile_day(datetime.fromisoformat(busiest).date(), now)
    recorder.current = Usage()
    read = [recorder.items["payments"][key] for _, key in days[busiest]]
    return sum(item_size(item) for item in read) / max(1, summary.notices) / READ_UNIT_BYTES / 2
