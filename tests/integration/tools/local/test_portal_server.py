"""The local portal server serves as the template's CloudFront distribution does (tools/local/portal_server.py):
its paths routed by the cache behaviours, its answers with the response headers policy, both read from
infra/portal.yaml. A stand-in API on a thread of its own answers whatever reaches it, saying so.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal_site.build import build
from tests.unit.tools.local.test_cloudfront import template_policy
from tools.local.portal_server import serve
from tools.local.stack import REGION, STAGE

API_POLICY = "default-src 'none'; form-action 'self' http://bucket.example"


class _StandInApi(BaseHTTPRequestHandler):
    """Answers every request with what it received, and a CSP of its own, as the API's pages have."""

    def do_GET(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        seen = {"method": self.command, "path": self.path, "body": self.rfile.read(length).decode()}
        body = json.dumps(seen).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Security-Policy", API_POLICY)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


def _running(server: ThreadingHTTPServer) -> str:
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("site")
    build(site, api_base_url="", rollout_phase=1, today=date(2026, 11, 30))
    api = ThreadingHTTPServer(("127.0.0.1", 0), _StandInApi)
    stand_ins = {"https://accept.paymob.com": "http://127.0.0.1:8090"}
    server = serve(site, 0, _running(api), stage=STAGE, region=REGION, stand_ins=stand_ins)
    try:
        yield _running(server)
    finally:
        server.shutdown()
        api.shutdown()
        server.server_close()
        api.server_close()


def fetch(url: str, method: str = "GET", body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), answer.read()


def test_pages_and_assets_come_from_the_built_site_with_the_security_headers(portal: str) -> None:
    status, headers, page = fetch(portal + "/")
    assert status == 200
    assert '<html lang="ar" dir="rtl">' in page.decode()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    # The card gateway the template names, as its local stand-in.
    assert headers["Content-Security-Policy"] == template_policy().replace(
        "https://accept.paymob.com", "http://127.0.0.1:8090"
    )
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-cache"

    stylesheet = page.decode().split('<link rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    status, headers, _ = fetch(portal + stylesheet)
    assert status == 200
    assert headers["Content-Type"] == "text/css; charset=utf-8"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Content-Security-Policy" in headers


def test_the_api_paths_reach_the_api_which_keeps_its_own_policy(portal: str) -> None:
    status, headers, answer = fetch(portal + "/v1/inquiries?x=1", "POST", b"tracking_number=1")
    assert status == 200
    assert json.loads(answer) == {"method": "POST", "path": "/v1/inquiries?x=1", "body": "tracking_number=1"}
    assert headers["Content-Security-Policy"] == API_POLICY  # the template's policy does not override it
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"  # these do
    assert headers["X-Frame-Options"] == "DENY"


def test_open311_reaches_the_api(portal: str) -> None:
    # Fails until infra/portal.yaml has a behaviour for /open311/* (issue 22, defect 2, on the infra
    # branch): the portal server only follows the template. Today the path goes to the bucket.
    status, _, answer = fetch(portal + "/open311/v2/services.json")
    assert status == 200
    assert json.loads(answer)["path"] == "/open311/v2/services.json"


def test_a_missing_page_is_the_portals_404_and_the_bucket_takes_only_reads(portal: str) -> None:
    status, headers, page = fetch(portal + "/no-such-page.html")
    assert status == 404
    assert "الصفحة غير موجودة" in page.decode()
    assert "Content-Security-Policy" in headers
    for path in ("/districts/", "/../pyproject.toml", "/manifest.json/x"):
        assert fetch(portal + path)[0] == 404, path
    assert fetch(portal + "/track.html", "POST", b"x=1")[0] == 403  # CloudFront: a method the behaviour lacks
