"""The public performance page and open data: the office API's figures, month by month,
small counts suppressed, nobody named, written where the portal is served from."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.api.http.figures_views import report_view
from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.figures import PublishedFigures, open_data_document
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.services.figures import figures_report, keep_figures, recount_overdue
from chalicelib.services.office_moves import move_request
from chalicelib.services.open_data import collect_open_data, directory_writer, publish_open_data
from chalicelib.services.submission import ONLINE, submit_request
from portal_site.budget import BUDGET_BYTES, page_weight
from portal_site.build import build
from tests.factories import free_service_code, hand_in_paper, national_id, submission
from tools.local.figures_feeder import stream_changes
from tools.local.requests_stream import RequestsStream

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MANAGER = StaffMember("manager-1", Role.MANAGER, "dokki")
HQ = StaffMember("hq-1", Role.HQ, None)

_PHONES = itertools.count(1)


def submission_by_someone(service_code: str, district_code: str) -> dict[str, Any]:
    """A submission from its own phone: online submissions are limited per phone and day."""
    body = submission(service_code, district_code)
    body["applicant"] = {**body["applicant"], "phone": f"0101{next(_PHONES):07d}"}
    return body


def close(tracking_number: str, at: datetime) -> None:
    first = hand_in_paper(tracking_number, at)
    for version, target in enumerate(("in_review", "approved", "ready", "closed"), start=first):
        move_request(MANAGER, tracking_number, {"to": target, "version": version, "note": "تم"}, at)


def history(aws: None) -> None:
    """October: 7 received in Dokki, 6 of them closed (5 on time, one late in November);
    November: 3 received in Dokki, 2 in Warraq."""
    stream = RequestsStream()
    service = free_service_code()
    october = datetime(2026, 10, 4, 8, tzinfo=UTC)
    numbers = [
        submit_request(
            submission_by_someone(service, "dokki"), None, ONLINE, october + timedelta(hours=hour)
        ).tracking_number
        for hour in range(7)
    ]
    for tracking_number in numbers[:5]:
        close(tracking_number, october + timedelta(days=3))
    close(numbers[5], datetime(2026, 11, 25, 8, tzinfo=UTC))
    for district, count in (("dokki", 3), ("warraq", 2)):
        for hour in range(count):
            submit_request(submission_by_someone(service, district), None, ONLINE, NOW - timedelta(days=2, hours=hour))
    keep_figures(stream_changes(stream.read()))
    recount_overdue(NOW)


def test_the_open_data_agrees_with_the_office_api_month_by_month(aws: None) -> None:
    history(aws)
    collected = collect_open_data(NOW)
    document = open_data_document(collected)
    assert collected.last == cairo_today(NOW)
    assert set(collected.days_by_district) == {district.code for district in collected.districts}
    rows = {(row["month"], row["district"], row["service"]): row for row in document["rows"]}

    for month, first, last in (("2026-10", "2026-10-01", "2026-10-31"), ("2026-11", "2026-11-01", "2026-11-30")):
        api = report_view(figures_report(HQ, {"district": "dokki", "from": first, "to": last}, NOW))["districts"][0]
        published = rows[(month, "dokki", "all")]
        for name in ("received", "completed", "completed_on_time"):
            assert published[name] == (api[name] if api[name] >= 5 else None), (month, name)
        if published["completed"] is not None:
            assert published["on_time_rate"] == api["on_time_rate"]
            assert published["median_working_days"] == api["median_working_days"]

    october = rows[("2026-10", "dokki", "all")]
    assert (october["received"], october["completed"], october["completed_on_time"]) == (7, 5, 5)
    assert rows[("2026-11", "dokki", "all")]["completed"] is None  # one late closing: suppressed
    assert rows[("2026-11", "warraq", "all")]["received"] is None  # two: suppressed
    assert len(document["rows"]) >= 12 * 3  # every month of every active district, even empty ones


def test_publishing_writes_the_page_and_both_files_with_no_personal_data(aws: None, tmp_path: Path) -> None:
    history(aws)
    build(tmp_path, "", 1, NOW.date())  # the portal's assets, which the page links

    published = publish_open_data(NOW, directory_writer(tmp_path))

    page = (tmp_path / "performance.html").read_text(encoding="utf-8")
    data = json.loads((tmp_path / "open-data" / "performance.json").read_text(encoding="utf-8"))
    csv_text = (tmp_path / "open-data" / "performance.csv").read_text(encoding="utf-8")
    assert published == PublishedFigures(rows=len(data["rows"]), to=data["to"])
    assert "<table" in page
    assert "أكتوبر 2026" in page
    assert "قيد الإعداد" not in page
    assert csv_text.count("\n") == len(data["rows"]) + 1
    everything = page + json.dumps(data, ensure_ascii=False) + csv_text
    for secret in ("منى أحمد عبد الله", national_id(), "01012345678", "1012345678", "national_id", "phone"):
        assert secret not in everything
    assert page_weight(page, tmp_path) <= BUDGET_BYTES


def test_published_to_the_portal_bucket_when_deployed(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    boto3.client("s3").create_bucket(
        Bucket="shobbak-dev-portal", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    monkeypatch.setenv("PORTAL_BUCKET", "shobbak-dev-portal")

    publish_open_data(NOW)

    s3 = boto3.client("s3")
    held = {item["Key"] for item in s3.list_objects_v2(Bucket="shobbak-dev-portal")["Contents"]}
    assert held == {"performance.html", "open-data/performance.json", "open-data/performance.csv"}
    head = s3.head_object(Bucket="shobbak-dev-portal", Key="open-data/performance.csv")
    assert head["ContentType"].startswith("text/csv")


def scheduled_event() -> dict[str, object]:
    return {"version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.events",
            "account": "123456789012", "time": "2026-11-29T22:05:00Z", "region": "eu-central-1",
            "resources": [], "detail": {}}  # fmt: skip


def lambda_stream_event(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Stream records as Lambda hands them to a function (times as epoch seconds)."""
    arn = "arn:aws:dynamodb:eu-central-1:123456789012:table/shobbak-local-requests/stream/1"
    return {
        "Records": [
            {
                **record,
                "eventSourceARN": arn,
                "dynamodb": {
                    **record["dynamodb"],
                    "ApproximateCreationDateTime": record["dynamodb"]["ApproximateCreationDateTime"].timestamp(),
                },
            }
            for record in records
        ]
    }


def test_the_stream_and_daily_handlers_run_through_the_app(
    aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalice.test import Client

    from app import app

    monkeypatch.setenv("PORTAL_BUILD_DIR", str(tmp_path))
    stream = RequestsStream()
    submit_request(submission_by_someone(free_service_code(), "dokki"), None, ONLINE, NOW - timedelta(days=40))
    event = lambda_stream_event(stream.read())
    with Client(app, stage_name="local") as client:
        first = client.lambda_.invoke("keep_performance_figures", event)
        again = client.lambda_.invoke("keep_performance_figures", event)  # Lambda retrying the batch
        recount = client.lambda_.invoke("recount_overdue_requests", scheduled_event())
        publish = client.lambda_.invoke("publish_performance", scheduled_event())

    # The history entry and the proof are skipped (moto streams a new item's update in a
    # transaction as two records).
    others = sum(record["dynamodb"]["Keys"]["item"]["S"] != "request" for record in event["Records"])
    assert first.payload == {"applied": 1, "not_a_request": others}
    assert again.payload == {"already_applied": 1, "not_a_request": others}
    assert recount.payload == {"dokki": 1, "omraniya": 0, "warraq": 0}
    assert publish.payload["rows"] > 0
    assert json.loads((tmp_path / "open-data" / "performance.json").read_text(encoding="utf-8"))["rows"]
