"""The portal's static files over HTTP on this machine, as CloudFront serves them from S3.

Like the deployed site: a missing page answers 404 with the portal's own 404.html, and the assets,
named by their content, may be cached for ever while pages are revalidated.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import sys
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from chalicelib.portal.assets import ASSET_DIR


class PortalRequestHandler(SimpleHTTPRequestHandler):
    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self) -> None:
        immutable = self.path.startswith(f"{ASSET_DIR}/")
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-cache")
        super().end_headers()


def serve(directory: Path, port: int, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server ready to `serve_forever()`; the caller owns it."""
    handler = functools.partial(PortalRequestHandler, directory=str(directory))
    return ThreadingHTTPServer((host, port), handler)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--directory", type=Path, required=True)
    arguments = parser.parse_args()
    # Ctrl-C is how a person stops it; the local stack sends SIGTERM.
    with serve(arguments.directory, arguments.port) as server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
