"""The local stand-in for what AWS runs on its own for the district figures
(tools/local/figures_feeder.py): the stream's records handed to the figures' handler as it takes
them, and the daily jobs publishing the public page and its open data into the local portal."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from chalicelib.portal import urls
from chalicelib.store.requests.changes import insert_submission
from tests.integration.store.requests.test_changes import CHECK, records
from tools.local.figures_feeder import daily_jobs, stream_changes
from tools.local.requests_stream import RequestsStream


def submit(tracking_number: str) -> None:
    insert_submission(*records(tracking_number, key=None), [], CHECK)


def test_the_handler_is_given_each_record_with_its_images_and_an_aware_time(aws: None) -> None:
    submit("1234567890128")
    read = RequestsStream().read()

    changes = stream_changes(read)

    assert [change.event_id for change in changes] == [record["eventID"] for record in read]
    request = next(c for c in changes if c.new_image and c.new_image["item"] == {"S": "request"})
    assert request.old_image is None
    assert request.new_image["status"] == {"S": "awaiting_payment"}
    assert all(change.recorded_at.tzinfo is not None for change in changes)


def test_the_daily_jobs_publish_the_figures_page_and_its_open_data_into_the_portal(aws: None, tmp_path: Path) -> None:
    daily_jobs(tmp_path)

    page = tmp_path / urls.PERFORMANCE.lstrip("/")
    data = json.loads((tmp_path / urls.OPEN_DATA_JSON.lstrip("/")).read_text(encoding="utf-8"))
    table = list(csv.reader(io.StringIO((tmp_path / urls.OPEN_DATA_CSV.lstrip("/")).read_text(encoding="utf-8"))))
    assert 'dir="rtl"' in page.read_text(encoding="utf-8")
    assert "rows" in data
    assert len(table) == len(data["rows"]) + 1  # a header, then a row for each
    assert not list(tmp_path.rglob("*.partial"))  # each file written whole
