"""The portal and its API on one origin, on this machine, as the portal's CloudFront distribution serves them.

Read from infra/portal.yaml (tools/local/cloudfront.py), never copied: each path goes where the
template's cache behaviours send it, the API's paths to the local API (`chalice local`) and the rest
to the built site as if from S3; each behaviour lets through only its own methods (CloudFront answers
any other with 403); and every answer gets the behaviour's response headers policy (CSP, HSTS and the
rest), a header the policy does not override left as the origin set it. So the browser tests run
under the Content-Security-Policy citizens' browsers get.

Like S3 behind the distribution: the root is the template's default root object, a missing page
answers 404 with the portal's own 404.html, and the assets, named by their content, may be cached
for ever while pages are revalidated (here at once, since the figures feeder rewrites them).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import sys
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from chalicelib.portal.assets import ASSET_DIR
from chalicelib.portal.urls import NOT_FOUND
from tools.build.publish_portal import content_type
from tools.local.cloudfront import Behaviour, Distribution, Origin, local_names, read_distribution

PROXY_TIMEOUT_S = 60
# Connection-level headers (RFC 9110 7.6.1): a proxy answers with its own.
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "content-length"}
)
_NOT_FORWARDED = _HOP_BY_HOP | {"host"}  # AllViewerExceptHostHeader: the origin's own Host


class PortalServer(ThreadingHTTPServer):
    def __init__(
        self,
        address: tuple[str, int],
        distribution: Distribution,
        directory: Path,
        api_url: str,
        stand_ins: Mapping[str, str],
    ) -> None:
        super().__init__(address, PortalRequestHandler)
        self.distribution = distribution
        self.directory = directory.resolve()
        self.api = urlsplit(api_url)
        self.stand_ins = dict(stand_ins)


class PortalRequestHandler(BaseHTTPRequestHandler):
    server: PortalServer
    protocol_version = "HTTP/1.1"
    # The headers and the body go out in two writes. With Nagle's algorithm the body waited for the
    # browser's acknowledgement of the headers, which a kept-alive connection delays by 40 ms: each
    # request after a connection's first took 45 ms instead of 4 (CloudFront answers at once).
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._answer()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def _answer(self) -> None:
        path = urlsplit(self.path).path
        behaviour = self.server.distribution.behaviour_for(path)
        if self.command not in behaviour.methods:
            self._send(behaviour, HTTPStatus.FORBIDDEN, {"Content-Type": "text/plain"}, b"method not allowed here\n")
        elif behaviour.origin is Origin.API:
            self._send(behaviour, *self._from_api())
        else:
            self._send(behaviour, *self._from_bucket(path))

    def _from_api(self) -> tuple[int, dict[str, str], bytes]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        forwarded = {name: value for name, value in self.headers.items() if name.lower() not in _NOT_FORWARDED}
        connection = http.client.HTTPConnection(self.server.api.hostname, self.server.api.port, timeout=PROXY_TIMEOUT_S)
        try:
            connection.request(self.command, self.path, body=body, headers=forwarded)
            response = connection.getresponse()
            answer = response.read()
            headers = {name: value for name, value in response.getheaders() if name.lower() not in _HOP_BY_HOP}
            return response.status, headers, answer
        except OSError:
            return HTTPStatus.BAD_GATEWAY, {"Content-Type": "text/plain"}, b"the local API did not answer\n"
        finally:
            connection.close()

    def _from_bucket(self, path: str) -> tuple[int, dict[str, str], bytes]:
        key = unquote(path).lstrip("/")
        if not key and self.server.distribution.default_root_object:
            key = self.server.distribution.default_root_object
        root = self.server.directory
        file = (root / key).resolve()
        status = HTTPStatus.OK
        if not key or not file.is_relative_to(root) or not file.is_file():
            status, file = HTTPStatus.NOT_FOUND, root / NOT_FOUND.lstrip("/")
        immutable = path.startswith(f"{ASSET_DIR}/") and status == HTTPStatus.OK
        headers = {
            "Content-Type": content_type(file),
            "Cache-Control": "public, max-age=31536000, immutable" if immutable else "no-cache",
        }
        return status, headers, file.read_bytes()

    def _send(self, behaviour: Behaviour, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in self._with_policy(behaviour, headers).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _with_policy(self, behaviour: Behaviour, headers: dict[str, str]) -> dict[str, str]:
        answered = {name: value for name, value in headers.items() if name.lower() not in behaviour.removed_headers}
        present = {name.lower() for name in answered}
        for rule in behaviour.headers:
            if rule.override or rule.name.lower() not in present:
                answered = {name: value for name, value in answered.items() if name.lower() != rule.name.lower()}
                answered[rule.name] = self._local(rule.value)
        return answered

    def _local(self, value: str) -> str:
        """A deployed origin a header names (the card gateway's), as its local stand-in."""
        for deployed, local in self.server.stand_ins.items():
            value = value.replace(deployed, local)
        return value


def serve(
    directory: Path,
    port: int,
    api_url: str,
    *,
    stage: str,
    region: str,
    stand_ins: Mapping[str, str] | None = None,
    host: str = "127.0.0.1",
) -> PortalServer:
    """A server ready to `serve_forever()`; the caller owns it."""
    distribution = read_distribution(local_names(stage, region))
    return PortalServer((host, port), distribution, directory, api_url, stand_ins or {})


def _stand_in(text: str) -> tuple[str, str]:
    deployed, _, local = text.partition("=")
    if not local:
        raise argparse.ArgumentTypeError("expected DEPLOYED_ORIGIN=LOCAL_ORIGIN")
    return deployed, local


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--directory", type=Path, required=True)
    parser.add_argument("--api-url", required=True, help="the local API, where the API's paths go")
    parser.add_argument("--stage", default="local")
    parser.add_argument("--region", required=True)
    parser.add_argument(
        "--stand-in", type=_stand_in, action="append", default=[], metavar="DEPLOYED=LOCAL",
        help="an origin the headers name and its local stand-in (the card gateway's)",
    )  # fmt: skip
    arguments = parser.parse_args()
    server = serve(
        arguments.directory, arguments.port, arguments.api_url,
        stage=arguments.stage, region=arguments.region, stand_ins=dict(arguments.stand_in),
    )  # fmt: skip
    # Ctrl-C is how a person stops it; the local stack sends SIGTERM.
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
