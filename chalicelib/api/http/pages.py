"""Whole HTML pages the API answers with: their security headers, and a page in the portal's look
whatever goes wrong (the portal's forms, api/routes/portal_pages.py, and the document upload pages,
api/routes/documents.py). The templates are imported only when a page is made.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from chalice import Response
from chalice.app import Request

from chalicelib.api.http.errors import UNEXPECTED, refusal_of
from chalicelib.config import paymob_settings, portal_settings
from chalicelib.domain.errors import Busy, InvalidInput, TooManyRequests, Unavailable
from chalicelib.observability.logs import logger

if TYPE_CHECKING:
    from chalicelib.portal.render import Site

_UNKNOWN_CHOICE = "لم نتعرف على الخدمة أو الحي المختار. ابدأ من الصفحة الرئيسية واختر الحي ثم الخدمة."


class UnknownChoice(Exception):
    """The hidden service or district of a form names nothing the catalogue offers today."""


def site() -> Site:
    from chalicelib.portal.render import Site

    settings = portal_settings()
    return Site(portal=settings.portal_base_url, api=settings.api_base_url)


def _origin_or_self(base_url: str) -> str:
    return base_url or "'self'"


def html_response(
    page: str,
    status_code: int = 200,
    extra_headers: dict[str, str] | None = None,
    leaves_for: str | None = None,
    connects_to: str | None = None,
) -> Response:
    """A page of the portal's, answered by the API. `leaves_for`: another origin one of its forms
    posts to, directly (an upload form, to the documents bucket) or through the API's redirect
    (the card gateway): browsers apply `form-action` to every redirect that follows a form's
    post, so that origin must be named too. `connects_to`: another origin the page's script sends
    to (the upload page's files, to the documents bucket)."""
    settings = portal_settings()
    portal, api = _origin_or_self(settings.portal_base_url), _origin_or_self(settings.api_base_url)
    form_targets = " ".join(filter(None, [api, leaves_for]))
    connections = " ".join(filter(None, [api, connects_to]))
    # The pages load only the portal's own stylesheet and script, and their forms post only to the API.
    policy = (
        f"default-src 'none'; style-src {portal}; script-src {portal}; img-src data:; connect-src {connections}; "
        f"form-action {form_targets}; base-uri 'none'; frame-ancestors 'none'"
    )
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        **(extra_headers or {}),
    }
    return Response(body=page, status_code=status_code, headers=headers)


def card_gateway_origin() -> str:
    """Where Paymob's checkout page is (scheme, host and port: CSP matches a redirect by origin)."""
    gateway = urlsplit(paymob_settings().api_base)
    return f"{gateway.scheme}://{gateway.netloc}"


def answers_with_pages(page: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """Whatever goes wrong, the citizen gets a page in the portal's look, never JSON."""

    @functools.wraps(page)
    def answering(request: Request) -> Response:
        from chalicelib.portal import render

        try:
            return page(request)
        except UnknownChoice:
            return html_response(render.problem_page(site(), _UNKNOWN_CHOICE), 400)
        except (TooManyRequests, InvalidInput, Busy, Unavailable) as error:
            # Too many attempts (the page says when to return), the body itself (too large, or not a
            # form), the store busy or a service we depend on down: nothing was written.
            refusal = refusal_of(error)
            status = refusal.status
            if isinstance(error, InvalidInput):
                logger.info("form refused", extra={"error_code": refusal.code})
                status = 400  # a page has one status for a form it cannot take
            return html_response(render.problem_page(site(), refusal.message_ar), status, dict(refusal.headers))
        except Exception:
            logger.exception("unhandled error")
            return html_response(render.problem_page(site(), UNEXPECTED.message_ar), UNEXPECTED.status)

    return answering
