"""The documents bucket's presigned forms and links name the bucket's own region (defect 7 of issue 22)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from chalicelib import aws_clients
from chalicelib.adapters import document_storage

BUCKET = "shobbak-prod-documents-123456789012"
REGION = "eu-central-1"


@pytest.fixture
def fresh_s3_client(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An S3 client made for a deployed Lambda's environment: its region, no local endpoint."""
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delitem(aws_clients._clients, "s3", raising=False)
    yield
    aws_clients._clients.pop("s3", None)


def test_the_upload_form_posts_to_the_regional_endpoint(fresh_s3_client: None) -> None:
    form = document_storage.upload_form(BUCKET, "uploads/abc", "application/pdf", "https://portal.example/x", 900)

    assert urlsplit(form["url"]).hostname == f"{BUCKET}.s3.{REGION}.amazonaws.com"


def test_the_download_link_is_on_the_regional_endpoint(fresh_s3_client: None) -> None:
    link = document_storage.download_link(BUCKET, "uploads/abc", None, "application/pdf", "scan.pdf", 300)

    assert urlsplit(link).hostname == f"{BUCKET}.s3.{REGION}.amazonaws.com"
