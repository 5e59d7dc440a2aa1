"""Every route, once, under the packaged stage's settings (issue 22: a route that answers 500
under them, a required setting or a permission missing, fails a test). Each request is built from
the route's own OpenAPI entry (its examples: parameters, query and body), with a request that
exists for its tracking number, the stage's Open311 key and a manager's token from the stage's
pool: well formed, if not always one the route grants. No answer may be a 5xx, and each must be
one the document describes. The routes come from Chalice's table: one left uncalled fails."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

import boto3

from app import app
from chalicelib.api.openapi.document import openapi_document
from tests.integration.api.documented_answers import undocumented
from tests.integration.api.packaged_stage import PackagedStage, issue

ROUTES = sorted((method, path) for path, methods in app.routes.items() for method in methods)


def well_formed(
    stage: PackagedStage, operation: dict[str, Any], template: str, issued: str
) -> tuple[str, dict[str, str], bytes]:
    """The route's documented request: its examples, the issued request's number, the stage's keys."""
    path, query, headers = template, {}, {}
    for parameter in operation.get("parameters", []):
        name, where, example = parameter["name"], parameter["in"], parameter.get("example")
        if name == "tracking_number":
            example = issued
        elif name == "request_file":
            example = f"{issued}.json"
        elif name == "api_key":
            example = stage.open311_api_key
        if example is None:
            continue
        if where == "path":
            path = path.replace(f"{{{name}}}", quote(str(example), safe=""))
        elif where == "query":
            query[name] = str(example)
        elif where == "header":
            headers[name] = str(example)
    if template.startswith("/v1/office/"):
        headers.update(stage.staff("manager", "dokki"))
    body = b""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        headers["Content-Type"] = "application/json"
        body = json.dumps(content["application/json"].get("example", {})).encode()
    elif "application/x-www-form-urlencoded" in content:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode(content["application/x-www-form-urlencoded"].get("example", {})).encode()
    return (f"{path}?{urlencode(query)}" if query else path), headers, body


def test_every_route_answers_a_well_formed_request_without_a_5xx_under_the_packaged_stage(
    packaged_stage: PackagedStage,
) -> None:
    document = openapi_document(app)
    issued = issue(packaged_stage)
    called, failures = set(), []
    for method, template in ROUTES:
        operation = document["paths"][template][method.lower()]
        url, headers, body = well_formed(packaged_stage, operation, template, issued)
        answer = packaged_stage.request(method, template, url, headers, body)
        called.add((method, template))
        if answer.status_code >= 500:
            failures.append(f"{method} {url}: {answer.status_code} {answer.body[:300]!r}")
        elif problem := undocumented(method, template, answer):
            failures.append(problem)
    assert called == set(ROUTES)
    assert failures == [], "\n".join(failures)


def test_the_performance_page_is_published_to_the_portal_bucket_under_the_packaged_stage(
    packaged_stage: PackagedStage,
) -> None:
    """PublishPerformance as deployed: PORTAL_BUCKET from the template, so the figures go to S3
    (PutObject on the portal's bucket, judged against its role), not to the local build folder."""
    scheduled = {"version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.events",
                 "account": "123456789012", "time": "2026-11-29T22:05:00Z", "region": "eu-central-1",
                 "resources": [], "detail": {}}  # fmt: skip
    issue(packaged_stage)

    published = packaged_stage.invoke("publish_performance", scheduled).payload

    bucket = packaged_stage.deployed["PortalBucket"]
    stored = boto3.client("s3").get_object(Bucket=bucket, Key="open-data/performance.json")
    assert len(json.loads(stored["Body"].read())["rows"]) == published["rows"] > 0
