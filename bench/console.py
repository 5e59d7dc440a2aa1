"""`make bench`: DynamoDB calls of one page of the office console's queue, GET /v1/console/queue
(reported as dynamodb_calls.console_queue_page; issue 21 asks for exactly 1).

A district officer signs in through the staff pool made in moto (password and TOTP, as in the
browser), then one queue page is counted call by call. The console's own session table is read
and touched on every page whatever it shows; those calls are the session's, counted apart by
loading the home page the same way, so the figure is the page's data alone.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlencode

SESSION_COOKIE = "shobbak_console"
FORM = "application/x-www-form-urlencoded"


def console_queue_page_calls(client: Any, district_code: str = "dokki") -> int:
    """DynamoDB calls of one queue page by the district's officer, the session's own left out."""
    import boto3

    from chalicelib.domain.staff import Role
    from tools.local.staff_pool import (
        create_account,
        create_pool,
        local_pool_environment,
        local_staff_password,
        totp_code,
    )
    from tools.testing.aws_calls import counted_aws_calls

    os.environ.update(local_pool_environment())
    cognito = boto3.client("cognito-idp")
    email = f"officer.{district_code}@staff.shobbak.local"
    secret = create_account(cognito, create_pool(cognito), email, Role.OFFICER, district_code, local_staff_password())
    browser = _Browser(client)
    browser.get("/v1/console/")
    browser.post("/v1/console/sign-in", {"email": email, "password": local_staff_password()})
    browser.post("/v1/console/sign-in/code", {"code": totp_code(secret)})
    with counted_aws_calls() as session_only:
        assert browser.get("/v1/console/").status_code == 200
    with counted_aws_calls() as calls:
        page = browser.get("/v1/console/queue?status=submitted")
    assert page.status_code == 200, page.body
    assert calls["dynamodb:Scan"] == 0, calls
    return _dynamodb(calls) - _dynamodb(session_only)


def _dynamodb(calls: Any) -> int:
    return sum(count for name, count in calls.items() if name.startswith("dynamodb:"))


class _Browser:
    """One cookie and the last page's CSRF field: what the console asks of a browser."""

    def __init__(self, client: Any) -> None:
        self.client, self.cookie, self.csrf = client, "", ""

    def _took(self, answer: Any) -> Any:
        set_cookie = answer.headers.get("Set-Cookie")
        if set_cookie:
            self.cookie = set_cookie.split(";")[0].split("=", 1)[1]
        found = re.search(r'name="csrf" value="([^"]+)"', answer.body.decode())
        if found:
            self.csrf = found.group(1)
        return answer

    def _headers(self) -> dict[str, str]:
        return {"Cookie": f"{SESSION_COOKIE}={self.cookie}"} if self.cookie else {}

    def get(self, path: str) -> Any:
        return self._took(self.client.http.get(path, headers=self._headers()))

    def post(self, path: str, fields: dict[str, str]) -> Any:
        body = urlencode({"csrf": self.csrf, **fields})
        return self._took(self.client.http.post(path, headers={"Content-Type": FORM, **self._headers()}, body=body))
