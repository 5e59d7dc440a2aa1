"""A mistyped portal address answers the portal's own Arabic 404 (issue 22, defect 11), and the API's
own 403 and 404 answers stay the API's: read from the packaged template, and the function's code
as packaged run under node against CloudFront Functions' viewer-request events."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.calendar import cairo_today
from portal_site.build import build
from tests.integration.infra.test_packaged_template import referenced
from tools.build.portal_not_found import MAX_CODE_BYTES
from tools.build.publish_portal import NOT_PUBLISHED, deployed_rollout_phase

NODE = shutil.which("node")
# The function's code as CloudFront runs it: `handler(event)` for each event given, in order.
RUNNER = """
const code = require('fs').readFileSync(process.argv[2], 'utf8');
const handler = new Function(code + '\\nreturn handler;')();
const events = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(events.map(handler)));
"""


def viewer_request(uri: str) -> dict[str, Any]:
    return {
        "version": "1.0",
        "context": {"distributionId": "EDFDVBD6EXAMPLE", "eventType": "viewer-request", "requestId": "r"},
        "viewer": {"ip": "198.51.100.11"},
        "request": {"method": "GET", "uri": uri, "querystring": {}, "headers": {"host": {"value": "portal"}},
                    "cookies": {}},
    }  # fmt: skip


def run_function(code: str, uris: list[str]) -> dict[str, dict[str, Any]]:
    """Each uri to what the function returned for it: the request (passed on to S3) or a response."""
    if NODE is None:
        pytest.skip("node is not installed")
    with tempfile.TemporaryDirectory() as directory:
        source, runner = Path(directory) / "function.js", Path(directory) / "run.js"
        source.write_text(code, encoding="utf-8")
        runner.write_text(RUNNER, encoding="utf-8")
        events = json.dumps([viewer_request(uri) for uri in uris])
        done = subprocess.run([NODE, str(runner), str(source)], input=events, capture_output=True, text=True,
                              check=True, timeout=60)  # fmt: skip
    return dict(zip(uris, json.loads(done.stdout), strict=True))


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, stage: str) -> Path:
    """The site as `make publish` builds it for the stage."""
    site = tmp_path_factory.mktemp("published") / "site"
    build(site, api_base_url="/", rollout_phase=deployed_rollout_phase(stage), today=cairo_today(datetime.now(UTC)))
    return site


def function_code(template: dict[str, Any]) -> str:
    return template["Resources"]["PortalNotFoundFunction"]["Properties"]["FunctionCode"]


def test_only_the_pages_behaviour_runs_the_function_and_no_custom_error_page_covers_the_api(
    template: dict[str, Any],
) -> None:
    config = template["Resources"]["PortalDistribution"]["Properties"]["DistributionConfig"]
    function = template["Resources"]["PortalNotFoundFunction"]["Properties"]
    [association] = config["DefaultCacheBehavior"]["FunctionAssociations"]

    assert association["EventType"] == "viewer-request"
    assert referenced(association["FunctionARN"]) == "PortalNotFoundFunction"
    assert function["AutoPublish"] is True  # the distribution runs the published (LIVE) code
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "portal"
    for behaviour in config["CacheBehaviors"]:  # the API's, and the hashed assets'
        assert "FunctionAssociations" not in behaviour, behaviour["PathPattern"]
    # Custom error responses apply to every behaviour: they would replace the API's JSON 403 and 404.
    assert "CustomErrorResponses" not in config
    assert len(function_code(template).encode("utf-8")) <= MAX_CODE_BYTES


def test_every_published_file_passes_to_the_bucket_and_a_mistyped_address_answers_the_arabic_404(
    template: dict[str, Any], published: Path
) -> None:
    files = [path.relative_to(published) for path in sorted(published.rglob("*")) if path.is_file()]
    uploaded = [f"/{file.as_posix()}" for file in files if file.name not in NOT_PUBLISHED and file.parts[0] != "assets"]
    districts = sorted(path.stem for path in (published / "districts").glob("*.html"))
    mistyped = [
        "/trak.html", "/Track.html", "/track", "/track.html/", "/index.htm", "/districts/", "/districts/nowhere.html",
        f"/districts/{districts[0]}/no_such_service.html", f"/districts/{districts[0]}/no_such_service/apply.html",
        f"/districts/{districts[0]}/apply.html", "/districts/constructor.html", "/districts/__proto__.html",
        f"/districts/{districts[0]}/constructor.html", "/%D8%B4%D8%A8%D8%A7%D9%83",
    ]  # fmt: skip
    assert len(uploaded) > 20
    assert any(page.endswith("/apply.html") for page in uploaded)

    answers = run_function(function_code(template), ["/", *uploaded, *mistyped])

    for uri in ["/", *uploaded]:
        assert answers[uri].get("uri") == uri, uri  # the request itself, unchanged, on to S3
    not_found = (published / "404.html").read_bytes()
    for uri in mistyped:
        answer = answers[uri]
        assert answer["statusCode"] == 404, uri
        assert base64.b64decode(answer["body"]["data"]) == not_found, uri
        assert answer["headers"]["content-type"] == {"value": "text/html; charset=utf-8"}
    assert 'lang="ar"' in not_found.decode("utf-8")


def test_the_404_carries_the_portals_security_headers(template: dict[str, Any]) -> None:
    security = template["Resources"]["PortalSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"
    ]
    [answer] = run_function(function_code(template), ["/nowhere.html"]).values()
    headers = {name: header["value"] for name, header in answer["headers"].items()}

    assert headers["content-security-policy"] == security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert headers["strict-transport-security"].startswith(
        f"max-age={security['StrictTransportSecurity']['AccessControlMaxAgeSec']}"
    )
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
