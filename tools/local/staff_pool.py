"""The local staff pool: infra/staff-pool.yaml's Cognito pool, created in moto, with its accounts.

moto's CloudFormation does not emulate Cognito, so the pool, its app client and its groups are
created through the Cognito API from the template's own properties (read here, never copied):
what the template says is what the local pool is. Then one account per role and active district,
`<role>.<district>@staff.shobbak.local`, and `hq@staff.shobbak.local`, each with the password
LOCAL_STAFF_PASSWORD, its group, its `custom:district`, and TOTP enrolled as a person would enrol
it (AssociateSoftwareToken, then VerifySoftwareToken with a code).

moto gives every pool and client a random id unless MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY and
..._CLIENT_ID_STRATEGY are HASH: the stack sets both (`local_pool_environment`), so the local pool's
issuer and client id are the same on every run and .chalice/config.json can name them. moto signs
every pool's tokens with one RSA key shipped in its package and checks TOTP codes only when
MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP is true, against one secret for every account; the secrets
it hands out at enrolment are kept in .local/ for `make totp`.

`python -m tools.local.staff_pool totp EMAIL` (`make totp USER=<email>`) prints an account's code.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from chalicelib.domain.staff import Role
from tools import PROJECT

STAFF_POOL_TEMPLATE = PROJECT / "infra" / "staff-pool.yaml"
TOTP_SECRETS = PROJECT / ".local" / "staff-totp-secrets.json"
# A stack started beside another (the e2e tests start one per pytest worker) keeps its accounts'
# secrets in a file of its own, named here, so that neither overwrites the other's.
TOTP_SECRETS_VARIABLE = "LOCAL_TOTP_SECRETS"
ACCOUNT_DOMAIN = "staff.shobbak.local"
# The local stage's only: every other stage's staff choose their own (docs/interfaces.md#local-secrets).
DEFAULT_LOCAL_STAFF_PASSWORD = "Shobbak-local-2025!"  # noqa: S105 - a published default, local stage only
TOTP_STEP_S = 30
# moto checks a code against the current step only (Cognito allows some drift), so a code read in
# a step's last seconds can expire before it arrives: a person waits for the next one, and so do we.
TOTP_LEAST_LIFE_S = 5


def local_staff_password() -> str:
    return os.environ.get("LOCAL_STAFF_PASSWORD") or DEFAULT_LOCAL_STAFF_PASSWORD


def local_pool_environment() -> dict[str, str]:
    """What moto needs to make the pool the template describes, on every run the same."""
    return {
        "MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY": "HASH",
        "MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY": "HASH",
        "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP": "true",
    }


def account_email(role: Role, district_code: str | None) -> str:
    return f"hq@{ACCOUNT_DOMAIN}" if role is Role.HQ else f"{role.value}.{district_code}@{ACCOUNT_DOMAIN}"


@dataclass(frozen=True)
class LocalPool:
    pool_id: str
    client_id: str
    region: str

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.pool_id}"

    def jwks_url(self, aws_url: str) -> str:
        """Where the moto server publishes the pool's keys, as Cognito does under the issuer."""
        return f"{aws_url}/{self.pool_id}/.well-known/jwks.json"


class _CloudFormationLoader(yaml.SafeLoader):
    """Reads the template's short-form functions (!Sub, !Ref) as their long forms."""


for _tag in ("Sub", "Ref", "GetAtt"):
    _CloudFormationLoader.add_constructor(
        f"!{_tag}",
        lambda loader, node, name=("Ref" if _tag == "Ref" else f"Fn::{_tag}"): {name: loader.construct_scalar(node)},
    )


def _resources_of(type_name: str, template: dict[str, Any]) -> list[dict[str, Any]]:
    return [resource["Properties"] for resource in template["Resources"].values() if resource["Type"] == type_name]


def _substituted(value: Any, stage: str) -> Any:
    if isinstance(value, dict) and "Fn::Sub" in value:
        return str(value["Fn::Sub"]).replace("${Stage}", stage)
    if isinstance(value, dict) and value.get("Ref") == "Stage":
        return stage
    if isinstance(value, dict):
        return {key: _substituted(item, stage) for key, item in value.items()}
    if isinstance(value, list):
        return [_substituted(item, stage) for item in value]
    return value


def create_pool(cognito: Any, stage: str = "local") -> LocalPool:
    """infra/staff-pool.yaml's pool, app client and groups, made through the Cognito API."""
    template = yaml.load(STAFF_POOL_TEMPLATE.read_text(encoding="utf-8"), Loader=_CloudFormationLoader)  # noqa: S506 - SafeLoader's subclass
    (pool,) = _substituted(_resources_of("AWS::Cognito::UserPool", template), stage)
    (client,) = _substituted(_resources_of("AWS::Cognito::UserPoolClient", template), stage)
    groups = _substituted(_resources_of("AWS::Cognito::UserPoolGroup", template), stage)
    schema = [
        {key: value for key, value in attribute.items()} for attribute in pool["Schema"]
    ]  # the API takes the template's attribute definitions as they are
    created = cognito.create_user_pool(
        PoolName=pool["UserPoolName"],
        AdminCreateUserConfig=pool["AdminCreateUserConfig"],
        UsernameAttributes=pool["UsernameAttributes"],
        MfaConfiguration=pool["MfaConfiguration"],
        Policies=pool["Policies"],
        Schema=schema,
        UserPoolTags=pool["UserPoolTags"],
    )["UserPool"]
    pool_id = created["Id"]
    if "SOFTWARE_TOKEN_MFA" in pool["EnabledMfas"]:  # EnabledMfas is CloudFormation's; the API sets it apart
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            SoftwareTokenMfaConfiguration={"Enabled": True},
            MfaConfiguration=pool["MfaConfiguration"],
        )
    client_properties = {key: value for key, value in client.items() if key != "UserPoolId"}
    client_id = cognito.create_user_pool_client(UserPoolId=pool_id, **client_properties)["UserPoolClient"]["ClientId"]
    for group in groups:
        cognito.create_group(UserPoolId=pool_id, GroupName=group["GroupName"], Description=group["Description"])
    return LocalPool(pool_id=pool_id, client_id=client_id, region=cognito.meta.region_name)


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238's six digits (SHA-1, 30 s), as authenticator apps and Cognito compute them; without
    `at`, a code with at least TOTP_LEAST_LIFE_S seconds left to live."""
    import hashlib
    import hmac

    if at is None:
        at = _moment_with_life_left()
    padded = secret.upper() + "=" * (-len(secret) % 8)
    counter = int(at // TOTP_STEP_S)
    digest = hmac.new(base64.b32decode(padded), counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def _moment_with_life_left() -> float:
    now = time.time()
    life_left = TOTP_STEP_S - now % TOTP_STEP_S
    if life_left < TOTP_LEAST_LIFE_S:
        time.sleep(life_left)
        now = time.time()
    return now


def create_account(
    cognito: Any, pool: LocalPool, email: str, role: Role, district_code: str | None, password: str
) -> str:
    """A staff account as an administrator makes it and its owner finishes it (new password, then
    TOTP); returns the TOTP secret it enrolled."""
    attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
    if district_code is not None:
        attributes.append({"Name": "custom:district", "Value": district_code})
    cognito.admin_create_user(
        UserPoolId=pool.pool_id, Username=email, UserAttributes=attributes, MessageAction="SUPPRESS",
        TemporaryPassword=password,
    )  # fmt: skip
    cognito.admin_add_user_to_group(UserPoolId=pool.pool_id, Username=email, GroupName=role.value)
    cognito.admin_set_user_password(UserPoolId=pool.pool_id, Username=email, Password=password, Permanent=True)
    signed_in = cognito.admin_initiate_auth(
        UserPoolId=pool.pool_id, ClientId=pool.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )  # fmt: skip
    access_token = signed_in["AuthenticationResult"]["AccessToken"]
    secret = cognito.associate_software_token(AccessToken=access_token)["SecretCode"]
    cognito.verify_software_token(AccessToken=access_token, UserCode=totp_code(secret), FriendlyDeviceName="local")
    cognito.set_user_mfa_preference(
        AccessToken=access_token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    return secret


def create_accounts(cognito: Any, pool: LocalPool, active_districts: list[str], password: str) -> dict[str, str]:
    """Every local account (one per role and active district, and hq); returns email to TOTP secret."""
    accounts = [(role, district) for district in active_districts for role in Role if role is not Role.HQ]
    accounts.append((Role.HQ, None))
    return {
        account_email(role, district): create_account(
            cognito, pool, account_email(role, district), role, district, password
        )
        for role, district in accounts
    }


def totp_secrets_path() -> Path:
    """Where this stack's TOTP secrets are kept: LOCAL_TOTP_SECRETS if set, else .local/'s file."""
    named = os.environ.get(TOTP_SECRETS_VARIABLE)
    return Path(named) if named else TOTP_SECRETS


def keep_totp_secrets(secrets: dict[str, str], path: Path | None = None) -> None:
    path = path or totp_secrets_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps(secrets, indent=2, sort_keys=True), encoding="utf-8")


def set_up_local_pool(cognito: Any, active_districts: list[str]) -> LocalPool:
    """The pool, every account, and their TOTP secrets kept for `make totp`."""
    pool = create_pool(cognito)
    keep_totp_secrets(create_accounts(cognito, pool, active_districts, local_staff_password()))
    return pool


def main() -> int:
    parser = argparse.ArgumentParser(description="The local staff pool's accounts")
    commands = parser.add_subparsers(dest="command", required=True)
    totp = commands.add_parser("totp", help="print an account's current TOTP code")
    totp.add_argument("email")
    arguments = parser.parse_args()
    try:
        secrets = json.loads(totp_secrets_path().read_text(encoding="utf-8"))
    except OSError:
        print("no local staff accounts yet: start `make run` first", file=sys.stderr)
        return 2
    secret = secrets.get(arguments.email.strip().lower())
    if secret is None:
        print(f"{arguments.email} is not a local staff account (see docs/office-console.md)", file=sys.stderr)
        return 2
    print(totp_code(secret))
    return 0


if __name__ == "__main__":
    sys.exit(main())
