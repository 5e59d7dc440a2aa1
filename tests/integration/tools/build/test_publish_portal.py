"""`make publish`: assets first with a year's cache, pages after them with minutes, then the edge told."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import boto3
import pytest

from portal_site.build import build
from tools.build.publish_portal import ASSETS_CACHE, PAGES_CACHE, PUBLISHED_DAILY, deployed_rollout_phase, publish

BUCKET = "shobbak-prod-portal-test"


@pytest.fixture
def distribution_id(aws: None) -> str:
    cloudfront = boto3.client("cloudfront")
    config = {
        "CallerReference": "publish-test", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "portal", "DomainName": f"{BUCKET}.s3.amazonaws.com",
                                             "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "portal", "ViewerProtocolPolicy": "redirect-to-https", "MinTTL": 0,
                                 "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}},
    }  # fmt: skip
    return cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]


@pytest.fixture
def site(tmp_path: Path, distribution_id: str) -> Path:
    """The portal built as `make publish` builds it, and the stage's empty bucket."""
    boto3.client("s3").create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    built = tmp_path / "site"
    build(built, api_base_url="/", rollout_phase=1, today=date(2026, 11, 30))
    return built


def test_assets_go_up_before_the_pages_that_load_them_with_their_cache_and_type(
    site: Path, distribution_id: str
) -> None:
    s3, cloudfront = boto3.client("s3"), boto3.client("cloudfront")

    keys = publish(site, BUCKET, distribution_id, s3, cloudfront)

    assets = [key for key in keys if key.startswith("assets/")]
    assert assets
    assert keys[: len(assets)] == assets
    assert "index.html" in keys
    assert "manifest.json" not in keys
    page = s3.head_object(Bucket=BUCKET, Key="index.html")
    assert page["CacheControl"] == PAGES_CACHE
    assert page["ContentType"] == "text/html; charset=utf-8"
    stylesheet = next(key for key in assets if key.endswith(".css"))
    assert s3.head_object(Bucket=BUCKET, Key=stylesheet)["CacheControl"] == ASSETS_CACHE
    invalidations = cloudfront.list_invalidations(DistributionId=distribution_id)["InvalidationList"]
    assert invalidations["Quantity"] == 1


def test_a_publication_never_overwrites_the_days_figures_but_gives_a_new_bucket_their_page(
    site: Path, distribution_id: str
) -> None:
    s3, cloudfront = boto3.client("s3"), boto3.client("cloudfront")

    first = publish(site, BUCKET, distribution_id, s3, cloudfront)
    s3.put_object(Bucket=BUCKET, Key="performance.html", Body=b"<p>figures of the day</p>")
    second = publish(site, BUCKET, distribution_id, s3, cloudfront)

    assert set(first) >= PUBLISHED_DAILY
    assert not PUBLISHED_DAILY & set(second)
    assert "index.html" in second
    assert s3.get_object(Bucket=BUCKET, Key="performance.html")["Body"].read() == b"<p>figures of the day</p>"


def test_the_pages_list_the_districts_the_deployed_stage_answers_for() -> None:
    assert deployed_rollout_phase("prod") == 1
