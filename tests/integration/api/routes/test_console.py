"""The office console's sign-in and session (issue 21, section 1), through Chalice's test client
against the staff pool of infra/staff-pool.yaml made in moto in this process, TOTP checked."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest
from chalice.test import Client

from chalicelib.domain.console_sessions import ABSOLUTE_S, FRESH_S, IDLE_S
from chalicelib.domain.staff import Role
from chalicelib.services import console_sessions
from chalicelib.store import console_sessions as session_store
from tests.conftest import TEST_REGION
from tools.local.staff_pool import (
    LocalPool,
    create_account,
    create_pool,
    local_pool_environment,
    local_staff_password,
    totp_code,
)

FORM = "application/x-www-form-urlencoded"
OFFICER = "officer.dokki@staff.shobbak.local"
NEWCOMER = "clerk.warraq@staff.shobbak.local"
TEMPORARY_PASSWORD = "Temporary-pass-1!"
NEW_PASSWORD = "A-new-Password-42!"


@dataclass
class Pool:
    pool: LocalPool
    cognito: Any
    secrets: dict[str, str]


@pytest.fixture
def pool(aws: None, monkeypatch: pytest.MonkeyPatch) -> Pool:
    for name, value in local_pool_environment().items():
        monkeypatch.setenv(name, value)
    cognito = boto3.client("cognito-idp", region_name=TEST_REGION)
    local = create_pool(cognito)
    secret = create_account(cognito, local, OFFICER, Role.OFFICER, "dokki", local_staff_password())
    return Pool(pool=local, cognito=cognito, secrets={OFFICER: secret})


@pytest.fixture
def browser(pool: Pool, client: Client) -> Iterator[Browser]:
    return Browser(client)


class Browser:
    """A browser's cookie jar of one cookie, and the CSRF field of the last page."""

    def __init__(self, client: Client) -> None:
        self.client, self.cookie, self.csrf = client, "", ""

    def _took(self, answer: Any) -> Any:
        set_cookie = answer.headers.get("Set-Cookie")
        if set_cookie:
            value = set_cookie.split(";")[0].split("=", 1)[1]
            self.cookie = "" if "Max-Age=0" in set_cookie else value
        found = re.search(r'name="csrf" value="([^"]+)"', answer.body.decode())
        if found:
            self.csrf = found.group(1)
        return answer

    def get(self, path: str) -> Any:
        headers = {"Cookie": f"shobbak_console={self.cookie}"} if self.cookie else {}
        return self._took(self.client.http.get(path, headers=headers))

    def post(self, path: str, fields: dict[str, str], *, csrf: str | None = None) -> Any:
        headers = {"Content-Type": FORM, **({"Cookie": f"shobbak_console={self.cookie}"} if self.cookie else {})}
        body = urlencode({"csrf": self.csrf if csrf is None else csrf, **fields})
        return self._took(self.client.http.post(path, headers=headers, body=body))

    def sign_in(self, email: str, secret: str, password: str | None = None) -> Any:
        self.get("/v1/console/")
        self.post("/v1/console/sign-in", {"email": email, "password": password or local_staff_password()})
        signed_in = self.post("/v1/console/sign-in/code", {"code": totp_code(secret)})
        self.get("/v1/console/")  # the signed-in page's CSRF field
        return signed_in


def test_signed_out_the_console_answers_its_sign_in_page(browser: Browser) -> None:
    answer = browser.get("/v1/console/")
    page = answer.body.decode()

    assert answer.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page
    assert "<script>" not in page
    assert "style=" not in page
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
    cookie = answer.headers["Set-Cookie"]
    assert all(attribute in cookie for attribute in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/v1/console"))


@pytest.mark.parametrize(
    "path", ["/v1/console/", "/v1/console/queue?status=submitted", "/v1/console/requests/1234567890123"]
)
@pytest.mark.parametrize("authorization", [None, "Bearer not-a-staff-token"])
def test_signed_out_every_console_page_answers_the_sign_in_page_not_the_api_s_json_refusal(
    client: Client, path: str, authorization: str | None
) -> None:
    """The console is behind its session, not the staff token: a bad token (sent by a script, or left
    over) changes nothing, and the answer is the Arabic sign-in page, never the 401 error shape."""
    answer = client.http.get(path, headers={"Authorization": authorization} if authorization else {})

    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    assert 'autocomplete="current-password"' in answer.body.decode()


def test_password_then_totp_signs_in_to_the_role_s_home(browser: Browser, pool: Pool) -> None:
    browser.get("/v1/console/")
    first_cookie = browser.cookie
    code_page = browser.post("/v1/console/sign-in", {"email": OFFICER, "password": local_staff_password()})
    assert 'autocomplete="one-time-code"' in code_page.body.decode()

    signed_in = browser.post("/v1/console/sign-in/code", {"code": totp_code(pool.secrets[OFFICER])})

    assert signed_in.status_code == 303
    assert signed_in.headers["Location"] == "/v1/console/"
    assert browser.cookie
    assert browser.cookie != first_cookie
    home = browser.get("/v1/console/").body.decode()
    assert OFFICER in home
    assert "موظف المكتب الخلفي" in home
    assert 'action="/v1/console/sign-out"' in home


def test_the_cookie_holds_an_id_only_and_the_tokens_stay_on_the_server(browser: Browser, pool: Pool) -> None:
    browser.sign_in(OFFICER, pool.secrets[OFFICER])

    assert "." not in browser.cookie
    assert len(browser.cookie) < 64
    record = session_store.load(session_store.SESSION, browser.cookie)
    assert record is not None
    assert record.id_token
    assert record.refresh_token
    assert record.key != f"session#{browser.cookie}"  # the table keeps a hash of the id


def test_a_wrong_password_or_code_is_refused_in_arabic(browser: Browser, pool: Pool) -> None:
    browser.get("/v1/console/")
    wrong = browser.post("/v1/console/sign-in", {"email": OFFICER, "password": "Not-the-password-1!"})
    assert wrong.status_code == 401
    assert "البريد الإلكتروني أو كلمة المرور غير صحيحين" in wrong.body.decode()

    browser.post("/v1/console/sign-in", {"email": OFFICER, "password": local_staff_password()})
    wrong_code = "000000" if totp_code(pool.secrets[OFFICER]) != "000000" else "111111"
    refused = browser.post("/v1/console/sign-in/code", {"code": wrong_code})
    assert refused.status_code == 400
    assert "الرمز غير صحيح" in refused.body.decode()
    assert 'aria-invalid="true"' in refused.body.decode()


def test_cognito_s_lockout_is_told_in_arabic(browser: Browser, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.adapters import staff_pool

    def locked(email: str, password: str) -> Any:
        raise staff_pool.PoolRefusal("locked_out")  # Cognito: "Password attempts exceeded"

    monkeypatch.setattr(staff_pool, "sign_in", locked)
    browser.get("/v1/console/")
    answer = browser.post("/v1/console/sign-in", {"email": OFFICER, "password": "x"})

    assert answer.status_code == 429
    assert "أُوقف تسجيل الدخول مؤقتاً" in answer.body.decode()


def test_lockout_is_recognised_from_cognito_s_answer() -> None:
    from botocore.exceptions import ClientError

    from chalicelib.adapters.staff_pool import _refusal

    error = ClientError(
        {"Error": {"Code": "NotAuthorizedException", "Message": "Password attempts exceeded"}}, "AdminInitiateAuth"
    )
    assert _refusal(error).reason == "locked_out"


def test_first_sign_in_sets_a_password_then_enrols_the_authenticator(browser: Browser, pool: Pool) -> None:
    pool.cognito.admin_create_user(
        UserPoolId=pool.pool.pool_id, Username=NEWCOMER, TemporaryPassword=TEMPORARY_PASSWORD,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": NEWCOMER}, {"Name": "custom:district", "Value": "warraq"}],
    )  # fmt: skip
    pool.cognito.admin_add_user_to_group(UserPoolId=pool.pool.pool_id, Username=NEWCOMER, GroupName="clerk")
    browser.get("/v1/console/")

    new_password_page = browser.post("/v1/console/sign-in", {"email": NEWCOMER, "password": TEMPORARY_PASSWORD})
    assert new_password_page.body.decode().count('autocomplete="new-password"') == 2
    mismatch = browser.post("/v1/console/sign-in/new-password", {"new_password": NEW_PASSWORD, "confirm_password": "x"})
    assert mismatch.status_code == 400
    assert "غير متطابقتين" in mismatch.body.decode()
    enrol_page = browser.post(
        "/v1/console/sign-in/new-password", {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    ).body.decode()
    assert 'src="data:image/svg+xml' in enrol_page
    assert 'autocomplete="one-time-code"' in enrol_page
    secret = re.search(r'<code class="secret" dir="ltr">([^<]+)</code>', enrol_page).group(1).replace(" ", "")

    signed_in = browser.post("/v1/console/sign-in/enrol", {"code": totp_code(secret)})

    assert signed_in.status_code == 303
    assert "موظف الشباك" in browser.get("/v1/console/").body.decode()
    # From now on the account signs in with its new password and a code.
    again = Browser(browser.client)
    assert again.sign_in(NEWCOMER, secret, password=NEW_PASSWORD).status_code == 303


def test_a_form_without_the_csrf_token_changes_nothing(browser: Browser, pool: Pool) -> None:
    browser.sign_in(OFFICER, pool.secrets[OFFICER])

    forged = browser.post("/v1/console/sign-out", {}, csrf="")
    assert forged.status_code == 403
    assert OFFICER in browser.get("/v1/console/").body.decode()  # still signed in
    browser.get("/v1/console/")
    assert browser.post("/v1/console/sign-in", {"email": OFFICER, "password": "x"}, csrf="wrong").status_code == 403


def test_sign_out_ends_the_session_and_revokes_the_pool_s_tokens(browser: Browser, pool: Pool) -> None:
    browser.sign_in(OFFICER, pool.secrets[OFFICER])
    cookie = browser.cookie
    record = session_store.load(session_store.SESSION, cookie)
    assert record is not None

    answer = browser.post("/v1/console/sign-out", {})

    assert answer.status_code == 303
    assert "Max-Age=0" in answer.headers["Set-Cookie"]
    assert session_store.load(session_store.SESSION, cookie) is None
    with pytest.raises(pool.cognito.exceptions.NotAuthorizedException):
        pool.cognito.get_user(AccessToken=record.access_token)
    browser.cookie = cookie  # the old cookie, replayed
    assert 'autocomplete="current-password"' in browser.get("/v1/console/").body.decode()


def _age(cookie: str, *, idle_s: int = 0, signed_in_s: int = 0) -> None:
    record = session_store.load(session_store.SESSION, cookie)
    assert record is not None
    record.last_seen_at = int(time.time()) - idle_s
    record.signed_in_at = int(time.time()) - signed_in_s
    session_store.save(record)


@pytest.mark.parametrize(
    ("idle_s", "signed_in_s", "alive"),
    [
        pytest.param(IDLE_S - 60, IDLE_S, True, id="29-idle-minutes"),
        pytest.param(IDLE_S + 1, IDLE_S + 1, False, id="30-idle-minutes"),
        pytest.param(0, ABSOLUTE_S + 1, False, id="12-hours-old-though-busy"),
    ],
)
def test_the_server_ends_a_session_idle_30_minutes_or_12_hours_old(
    browser: Browser, pool: Pool, idle_s: int, signed_in_s: int, alive: bool
) -> None:
    browser.sign_in(OFFICER, pool.secrets[OFFICER])
    _age(browser.cookie, idle_s=idle_s, signed_in_s=signed_in_s)

    page = browser.get("/v1/console/").body.decode()

    assert (OFFICER in page) is alive
    assert ('autocomplete="current-password"' in page) is not alive


def test_the_page_says_when_the_idle_session_ends(browser: Browser, pool: Pool) -> None:
    browser.sign_in(OFFICER, pool.secrets[OFFICER])
    page = browser.get("/v1/console/").body.decode()

    assert 'id="idle"' in page
    assert "data-idle-ends=" in page
    assert "بتوقيت القاهرة" in page


def test_a_form_posted_after_the_session_ended_comes_back_after_signing_in(browser: Browser, pool: Pool) -> None:
    browser.sign_in(OFFICER, pool.secrets[OFFICER])
    _age(browser.cookie, idle_s=IDLE_S + 1)

    kept = browser.post("/v1/console/sign-out", {"note": "ملاحظة طويلة كتبها الموظف"})
    assert kept.status_code == 401
    assert "سيعود إليك ما كتبته" in kept.body.decode()
    browser.post("/v1/console/sign-in", {"email": OFFICER, "password": local_staff_password()})
    browser.post("/v1/console/sign-in/code", {"code": totp_code(pool.secrets[OFFICER])})

    session = console_sessions.current_session(browser.cookie)
    assert session is not None
    assert session.kept_form == {"note": "ملاحظة طويلة كتبها الموظف"}
    assert session.next_path is None  # sign-out is no page to come back to (a GET of it is refused): home


def test_a_fresh_sign_in_is_one_within_5_minutes(browser: Browser, pool: Pool) -> None:
    browser.sign_in(OFFICER, pool.secrets[OFFICER])
    session = console_sessions.current_session(browser.cookie)
    assert session is not None
    assert session.signed_in_within(FRESH_S)
    _age(browser.cookie, signed_in_s=FRESH_S + 1)

    older = console_sessions.current_session(browser.cookie)
    assert older is not None
    assert not older.signed_in_within(FRESH_S)


def test_forgotten_password_asks_for_the_code_then_a_new_password(browser: Browser, pool: Pool) -> None:
    ask = browser.get("/v1/console/password")
    assert ask.status_code == 200
    assert 'autocomplete="username"' in ask.body.decode()

    code_page = browser.post("/v1/console/password", {"email": OFFICER}).body.decode()
    assert 'autocomplete="one-time-code"' in code_page
    assert 'autocomplete="new-password"' in code_page
    done = browser.post(
        "/v1/console/password",
        {"step": "reset", "email": OFFICER, "code": "123456", "new_password": NEW_PASSWORD,
         "confirm_password": NEW_PASSWORD},
    )  # fmt: skip
    assert "تغيّرت كلمة المرور" in done.body.decode()
    assert Browser(browser.client).sign_in(OFFICER, pool.secrets[OFFICER], password=NEW_PASSWORD).status_code == 303


def test_the_console_s_pages_are_small(browser: Browser, pool: Pool) -> None:
    import gzip

    sizes = {"sign-in": len(gzip.compress(browser.get("/v1/console/").body))}
    browser.sign_in(OFFICER, pool.secrets[OFFICER])
    sizes["home"] = len(gzip.compress(browser.get("/v1/console/").body))
    sizes["stylesheet"] = len(gzip.compress(browser.get("/v1/console/console.css").body))

    assert all(size <= 14 * 1024 for size in sizes.values()), sizes
