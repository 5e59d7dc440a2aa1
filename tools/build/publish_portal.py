"""`make publish STAGE=…`: the portal's pages into the deployed stage's bucket, behind CloudFront.

Builds the pages for the deployment (forms posting to "/", the API behind the same distribution),
uploads the content-hashed assets first (cached a year: a new version has a new name) and the pages
after them (cached five minutes), so that no page is ever served before what it loads, then asks
CloudFront to forget its copies. The bucket and distribution are the stack's outputs.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domain.calendar import cairo_today
from chalicelib.portal import urls
from portal_site.build import build
from tools import PROJECT

CHALICE_CONFIG = PROJECT / ".chalice" / "config.json"
ASSETS_CACHE = "public, max-age=31536000, immutable"
PAGES_CACHE = "public, max-age=300"
# Written by the build for the deployment's own use, not for browsers.
NOT_PUBLISHED = frozenset({"manifest.json"})
# Rewritten every day with the figures by the deployed publisher (services/open_data.py). The build's
# copies hold no figures: they are uploaded only to a bucket that has none yet (the first deploy),
# never over a day's real figures.
PUBLISHED_DAILY = frozenset(path.lstrip("/") for path in (urls.PERFORMANCE, urls.OPEN_DATA_JSON, urls.OPEN_DATA_CSV))
TEXT_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".txt": "text/plain",
              ".json": "application/json", ".csv": "text/csv", ".svg": "image/svg+xml"}  # fmt: skip


def content_type(path: Path) -> str:
    if path.suffix in TEXT_TYPES:
        return f"{TEXT_TYPES[path.suffix]}; charset=utf-8"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def publish(site: Path, bucket: str, distribution_id: str, s3: Any, cloudfront: Any) -> list[str]:
    """Uploads `site` (assets first, then pages) and invalidates the distribution; returns the keys in order."""
    already_daily = {key for key in PUBLISHED_DAILY if _exists(s3, bucket, key)}
    files = [path for path in sorted(site.rglob("*")) if path.is_file() and path.name not in NOT_PUBLISHED
             and path.relative_to(site).as_posix() not in already_daily]  # fmt: skip
    assets = [path for path in files if path.relative_to(site).parts[0] == "assets"]
    pages = [path for path in files if path not in assets]
    uploaded = []
    for path, cache in [(path, ASSETS_CACHE) for path in assets] + [(path, PAGES_CACHE) for path in pages]:
        key = path.relative_to(site).as_posix()
        s3.put_object(
            Bucket=bucket, Key=key, Body=path.read_bytes(), ContentType=content_type(path), CacheControl=cache
        )
        uploaded.append(key)
    cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": f"publish-{time.time_ns()}"},
    )
    return uploaded


def _exists(s3: Any, bucket: str, key: str) -> bool:
    try:
        s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return False
        raise
    return True


def stack_outputs(cloudformation: Any, stack_name: str) -> dict[str, str]:
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def deployed_rollout_phase(stage: str) -> int:
    """The stage's ROLLOUT_PHASE as its functions get it (.chalice/config.json), so that the pages
    list exactly the districts the API answers for."""
    config = json.loads(CHALICE_CONFIG.read_text(encoding="utf-8"))
    variables = {**config.get("environment_variables", {}), **config["stages"][stage].get("environment_variables", {})}
    return int(variables.get("ROLLOUT_PHASE", "1"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True, choices=["dev", "prod"])
    parser.add_argument("--stack-name", help="default: shobbak-<stage>")
    arguments = parser.parse_args()
    import boto3

    outputs = stack_outputs(boto3.client("cloudformation"), arguments.stack_name or f"shobbak-{arguments.stage}")
    rollout_phase = deployed_rollout_phase(arguments.stage)
    with tempfile.TemporaryDirectory() as directory:
        site = Path(directory) / "site"
        build(site, api_base_url="/", rollout_phase=rollout_phase, today=cairo_today(datetime.now(UTC)))
        keys = publish(
            site, outputs["PortalBucketName"], outputs["PortalDistributionId"], boto3.client("s3"),
            boto3.client("cloudfront"),
        )  # fmt: skip
    print(f"published {len(keys)} files to {outputs['PortalBucketName']}; the edge forgets its copies in a few minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
