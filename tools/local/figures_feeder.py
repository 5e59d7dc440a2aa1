"""The local stack's stand-in for what AWS runs on its own for the district figures
(`make run`): chalice local runs no stream or schedule handlers.

- Every second, it reads the requests table's stream from the moto server and hands the
  records to the figures' handler, as Lambda's event source mapping does when deployed.
- The daily jobs, the recount of overdue requests and the publication of the public page and
  its open data into the local portal, run at start, when the Cairo day turns, and (locally
  only, so that `make demo` shows soon) once the stream falls quiet after changes, at most
  once a minute.

A stack started for the tests may name a file (STATE_VARIABLE) where the feeder notes how far it
has got: when it last found the stream quiet, and whether a change it applied is not yet published.
Whoever waits for the public page to hold every change reads it rather than waiting out a timeout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from chalicelib.domain.calendar import cairo_today
from chalicelib.observability.logs import logger
from chalicelib.services.figures import StreamChange, keep_figures, recount_overdue
from chalicelib.services.open_data import directory_writer, publish_open_data
from tools.local.requests_stream import RequestsStream

READ_EVERY_S = 1.0
# Locally the daily jobs also follow changes, but not more often than this: each recount is a
# query per open status and district, and moto's queries slow down as the tables grow. A stack
# whose tables stay small (the e2e tests' demo of forty requests) may ask for a shorter wait.
REFRESH_AT_MOST_EVERY_S = 60.0
REFRESH_VARIABLE = "LOCAL_FIGURES_REFRESH_AT_MOST_EVERY_S"
STATE_VARIABLE = "LOCAL_FIGURES_STATE_FILE"


class FeedState:
    """What the feeder notes in the file STATE_VARIABLE names (nowhere without one):

    - `quiet_read_started_at`: when the last read that found the stream empty began (UTC, ISO);
      every record written before then has been read and applied.
    - `unpublished`: a change was applied (or is being applied) since the last publication. It is
      set before the figures change, so a reader who sees a change sees this first.
    """

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._noted = {"quiet_read_started_at": None, "unpublished": False}

    def note(self, **changes: object) -> None:
        if self._path is None or all(self._noted.get(name) == value for name, value in changes.items()):
            return
        self._noted.update(changes)
        written = self._path.with_name(self._path.name + ".new")
        written.write_text(json.dumps(self._noted), encoding="utf-8")
        written.replace(self._path)  # at once: a reader never sees half a file


def read_feed_state(path: Path) -> dict[str, object] | None:
    """What a feeder noted in `path`, or None before it noted anything."""
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None


def stream_changes(records: list[dict]) -> list[StreamChange]:
    """Records as the DynamoDB Streams API gives them, as the handler takes them."""
    return [
        StreamChange(
            record["eventID"],
            _aware(record["dynamodb"]["ApproximateCreationDateTime"]),
            record["dynamodb"].get("OldImage"),
            record["dynamodb"].get("NewImage"),
        )
        for record in records
    ]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def daily_jobs(portal_dir: Path) -> None:
    now = datetime.now(UTC)
    recount_overdue(now)
    publish_open_data(now, directory_writer(portal_dir))


def feed_forever(
    portal_dir: Path, stop: threading.Event, refresh_at_most_every_s: float, state: FeedState | None = None
) -> None:
    state = state or FeedState(None)
    stream = RequestsStream()
    daily_jobs(portal_dir)
    last_day, changed, last_run = cairo_today(datetime.now(UTC)), False, time.monotonic()
    pending: list[dict] = []  # read but not yet applied: a failed round applies them again, harmlessly
    while not stop.wait(READ_EVERY_S):
        try:
            read_started_at = datetime.now(UTC).isoformat()
            pending += stream.read()
            if pending:
                state.note(unpublished=True)
                outcomes = keep_figures(stream_changes(pending))
                pending = []
                changed = changed or outcomes["applied"] > 0
                state.note(unpublished=changed)
                logger.info("local figures feed", extra={"outcomes": dict(outcomes)})
                continue
            state.note(quiet_read_started_at=read_started_at)
            today = cairo_today(datetime.now(UTC))
            if today != last_day or (changed and time.monotonic() - last_run >= refresh_at_most_every_s):
                daily_jobs(portal_dir)
                last_day, changed, last_run = today, False, time.monotonic()
                state.note(unpublished=False)
        except Exception:  # the feed must outlive a moto hiccup; what it missed it reads next round
            logger.exception("local figures feed round failed")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portal-dir", type=Path, required=True, help="the local portal's built pages")
    arguments = parser.parse_args()
    stop = threading.Event()
    refresh_at_most_every_s = float(os.environ.get(REFRESH_VARIABLE, REFRESH_AT_MOST_EVERY_S))
    state_file = os.environ.get(STATE_VARIABLE)
    try:
        feed_forever(
            arguments.portal_dir, stop, refresh_at_most_every_s, FeedState(Path(state_file) if state_file else None)
        )
    except KeyboardInterrupt:
        stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
