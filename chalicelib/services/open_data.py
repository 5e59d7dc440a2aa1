"""The district figures, published: the public page and its open data (docs/interfaces.md#open-data:
/performance.html, /open-data/performance.json and .csv), from the kept figures.

Per district and month: received, completed, completed on time, the on-time rate and the
median working days, with the office API's definitions (domain/figures.py). Counts
below 5 for a service in a district and month are suppressed (and so are the district's own
monthly counts below 5). Published once a day by a scheduled handler: to the portal's bucket
in AWS (PORTAL_BUCKET), to the local portal's directory under `make run` (PORTAL_BUILD_DIR).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.figures import (
    MONTHS_PUBLISHED,
    OpenData,
    PublishedFigures,
    months_back,
    open_data_csv,
    open_data_document,
    open_data_json,
)
from chalicelib.observability.logs import logger
from chalicelib.portal import render, urls
from chalicelib.services.catalogue import current_catalogue
from chalicelib.store.figures import district_figures


def collect_open_data(now: datetime, months: int = MONTHS_PUBLISHED) -> OpenData:
    """The last `months` months up to today (Cairo) for every active district: one Query each."""
    today = cairo_today(now)
    first = months_back(today.replace(day=1), months - 1)
    catalogue = current_catalogue()
    districts = tuple(district for district in catalogue.districts() if district.active)
    days = {district.code: tuple(district_figures(district.code, first, today)[0]) for district in districts}
    return OpenData(now, first, today, districts, tuple(catalogue.services(on=today)), days)


Writer = Callable[[str, str, str], None]  # (the "/"-based path, the text, its content type)


def publish_open_data(now: datetime, write: Writer | None = None) -> PublishedFigures:
    """Writes /performance.html and the open data where the portal is served from."""
    document = open_data_document(collect_open_data(now))
    write = write or default_writer()
    site = render.Site(portal="", api="")
    write(urls.PERFORMANCE, render.performance_page(site, document), "text/html; charset=utf-8")
    write(urls.OPEN_DATA_JSON, open_data_json(document), "application/json; charset=utf-8")
    write(urls.OPEN_DATA_CSV, open_data_csv(document), "text/csv; charset=utf-8")
    logger.info("figures published", extra={"rows": len(document["rows"]), "to": document["to"]})
    return PublishedFigures(rows=len(document["rows"]), to=document["to"])


def default_writer() -> Writer:
    bucket = os.environ.get("PORTAL_BUCKET")
    if bucket:
        return _bucket_writer(bucket)
    directory = os.environ.get("PORTAL_BUILD_DIR")
    if directory:
        return directory_writer(Path(directory))
    raise RuntimeError("neither PORTAL_BUCKET nor PORTAL_BUILD_DIR says where the portal is")


def directory_writer(root: Path) -> Writer:
    def write(path: str, text: str, content_type: str) -> None:
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)  # a reader never sees half a file

    return write


def _bucket_writer(bucket: str) -> Writer:
    from chalicelib.aws_clients import aws_client

    s3 = aws_client("s3")

    def write(path: str, text: str, content_type: str) -> None:
        # A day's figures: browsers and CloudFront may keep them an hour.
        s3.put_object(
            Bucket=bucket,
            Key=path.lstrip("/"),
            Body=text.encode("utf-8"),
            ContentType=content_type,
            CacheControl="public, max-age=3600",
        )

    return write
