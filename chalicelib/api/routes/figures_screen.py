"""The staff performance screen (issue 9): a page, its stylesheet and its script, served by the
API itself so that the page and the performance API it reads share one origin (no CORS).

The page holds no figure and needs no token to load: it signs in with a staff token (the
staff pool's sign-in page when deployed, a `make token` token locally) and reads
GET /v1/office/performance and its overdue list with it.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path

from chalice import Blueprint, Response

from chalicelib.config import staff_screen_settings

figures_screen_api = Blueprint(__name__)
SCREEN_DIR = Path(__file__).resolve().parent.parent / "figures_screen"
# Everything from this origin only; the figures come from the performance API beside it.
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


@functools.cache
def _file(name: str) -> str:
    return (SCREEN_DIR / name).read_text(encoding="utf-8")


def _answer(body: str, content_type: str, cache: str) -> Response:
    headers = {
        "Content-Type": content_type,
        "Cache-Control": cache,
        "Content-Security-Policy": POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    return Response(body=body, status_code=200, headers=headers)


@figures_screen_api.route("/v1/screens/performance", methods=["GET"])
def screen() -> Response:
    sign_in_url = html.escape(staff_screen_settings().sign_in_url, quote=True)
    return _answer(_file("screen.html").replace("{sign_in_url}", sign_in_url), "text/html; charset=utf-8", "no-store")


@figures_screen_api.route("/v1/screens/performance.js", methods=["GET"])
def script() -> Response:
    return _answer(_file("screen.js"), "text/javascript; charset=utf-8", "public, max-age=300")


@figures_screen_api.route("/v1/screens/performance.css", methods=["GET"])
def stylesheet() -> Response:
    # The figures' own look is shared with the console's figures page (console/render.py).
    return _answer(_file("screen.css") + "\n" + _file("figures.css"), "text/css; charset=utf-8", "public, max-age=300")
