"""The local staff pool (tools/local/staff_pool.py): infra/staff-pool.yaml's pool made in moto, the
same on every run, its accounts signing in with password and TOTP, and `make totp`."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from chalicelib.domain.staff import Role
from tests.conftest import PROJECT, TEST_REGION
from tools.local import staff_pool
from tools.local.staff_pool import account_email, create_account, create_pool, local_pool_environment, totp_code
from tools.local.staff_token import LOCAL_AUDIENCE, LOCAL_ISSUER


@pytest.fixture
def cognito(monkeypatch: pytest.MonkeyPatch) -> object:
    for name, value in local_pool_environment().items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.client("cognito-idp", region_name=TEST_REGION)


def test_the_pool_is_the_template_s_and_the_same_as_the_local_stage_trusts(cognito: object) -> None:
    pool = create_pool(cognito)

    assert (pool.issuer, pool.client_id) == (LOCAL_ISSUER, LOCAL_AUDIENCE)
    config = json.loads((PROJECT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    local = config["stages"]["local"]["environment_variables"]
    assert (local["STAFF_TOKEN_ISSUER"], local["STAFF_TOKEN_AUDIENCE"]) == (LOCAL_ISSUER, LOCAL_AUDIENCE)
    described = cognito.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]
    assert described["MfaConfiguration"] == "ON"
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    client = cognito.describe_user_pool_client(UserPoolId=pool.pool_id, ClientId=pool.client_id)["UserPoolClient"]
    assert client["ExplicitAuthFlows"] == ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    groups = {group["GroupName"] for group in cognito.list_groups(UserPoolId=pool.pool_id)["Groups"]}
    assert groups == {role.value for role in Role}


def test_an_account_signs_in_with_its_password_and_a_totp_code_only(cognito: object) -> None:
    pool = create_pool(cognito)
    email = account_email(Role.MANAGER, "dokki")
    secret = create_account(cognito, pool, email, Role.MANAGER, "dokki", "Local-Password-1!")

    def sign_in(code: str) -> dict[str, object]:
        challenge = cognito.admin_initiate_auth(
            UserPoolId=pool.pool_id, ClientId=pool.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": "Local-Password-1!"},
        )  # fmt: skip
        assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
        return cognito.admin_respond_to_auth_challenge(
            UserPoolId=pool.pool_id, ClientId=pool.client_id, ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=challenge["Session"], ChallengeResponses={"USERNAME": email, "SOFTWARE_TOKEN_MFA_CODE": code},
        )  # fmt: skip

    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    with pytest.raises(cognito.exceptions.CodeMismatchException):
        sign_in(wrong)
    import jwt

    claims = jwt.decode(
        sign_in(totp_code(secret))["AuthenticationResult"]["IdToken"], options={"verify_signature": False}
    )
    assert claims["cognito:groups"] == ["manager"]
    assert claims["custom:district"] == "dokki"
    assert email == "manager.dokki@staff.shobbak.local"
    assert account_email(Role.HQ, None) == "hq@staff.shobbak.local"


def test_totp_codes_are_rfc_6238_s() -> None:
    # RFC 6238, appendix B, SHA-1 (its key is ASCII "12345678901234567890"), truncated to six digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp_code(secret, at=59) == "287082"
    assert totp_code(secret, at=1111111109) == "081804"


def test_a_code_about_to_expire_is_never_handed_out(monkeypatch: pytest.MonkeyPatch) -> None:
    # moto allows no drift: a code read two seconds before its step ends fails the check it is
    # sent to, as it did once in CI. The next step's code is handed out instead, after the wait.
    clock = {"now": 1111111109.0}
    monkeypatch.setattr(staff_pool.time, "time", lambda: clock["now"])
    monkeypatch.setattr(staff_pool.time, "sleep", lambda seconds: clock.update(now=clock["now"] + seconds))
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

    assert totp_code(secret) == totp_code(secret, at=1111111110)
    assert clock["now"] == 1111111110.0


def test_make_totp_prints_the_code_and_nothing_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets_file = tmp_path / "staff-totp-secrets.json"
    staff_pool.keep_totp_secrets(
        {"officer.dokki@staff.shobbak.local": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"}, secrets_file
    )
    script = (
        "import sys, pathlib; from tools.local import staff_pool; "
        f"staff_pool.TOTP_SECRETS = pathlib.Path({str(secrets_file)!r}); sys.argv[1:] = sys.argv[1:]; "
        "sys.exit(staff_pool.main())"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, "totp", "officer.dokki@staff.shobbak.local"],
        cwd=PROJECT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert run.stdout.strip() in {
        totp_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", at=time.time() + offset) for offset in (-30, 0)
    }
    assert len(run.stdout) == 7
    assert run.stdout.strip().isdigit()
    unknown = subprocess.run(
        [sys.executable, "-c", script, "totp", "nobody@example.org"], cwd=PROJECT, capture_output=True, text=True
    )
    assert unknown.returncode == 2
    assert unknown.stdout == ""
    assert "not a local staff account" in unknown.stderr


def test_the_makefile_s_totp_target_runs_the_pool_s_command() -> None:
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    assert '-m tools.local.staff_pool totp "$(USER)"' in makefile
