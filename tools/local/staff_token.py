"""`make token ROLE=<role> DISTRICT=<code>`: a signed staff token for the local stage.

The local stage trusts its staff pool (tools/local/staff_pool.py), the one of infra/staff-pool.yaml
made in moto: the API checks a token against that pool's issuer, its app client and its published
keys (docs/office-console.md). moto signs every pool's tokens with one RSA key shipped in its
package, so a script's token is signed here with that same key and carries the pool's issuer and
client: the API cannot tell it from one the pool issued at sign-in, and no stack need be running.
The pool's public keys are also written to .local/staff-jwks.json, which the tests and the
benchmarks (in process, no moto server to ask) read instead of the pool's JWKS URL.
Deployed stages trust only their Cognito user pool, whose private key nobody holds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from moto.utilities.utils import load_resource

from chalicelib.adapters.staff_tokens import ALGORITHM, DISTRICT_CLAIM, ROLE_CLAIM
from chalicelib.domain.staff import Role
from chalicelib.services.catalogue import current_catalogue
from tools import PROJECT

LOCAL_KEYS = PROJECT / ".local"
# The local pool's issuer and app client (tools/local/staff_pool.py makes them the same on every
# run; tests/integration/tools/local/test_staff_pool.py checks these against a pool made from the template).
LOCAL_POOL_ID = "eu-central-1_b98da6469e7dc6e5e18f86d373794eebb3969938a7"
LOCAL_ISSUER = f"https://cognito-idp.eu-central-1.amazonaws.com/{LOCAL_POOL_ID}"
LOCAL_AUDIENCE = "81f9ed7dc637c7f276b52100ab"
WORKING_DAY_S = 8 * 3600


@dataclass(frozen=True)
class SigningKey:
    private_key: rsa.RSAPrivateKey
    kid: str


def local_signing_key(directory: Path = LOCAL_KEYS) -> SigningKey:
    """The local pool's signing key (moto's), its public half written to `directory` as a JWKS."""
    private_jwk = load_resource("cognitoidp/resources/jwks-private.json")
    public_keys = load_resource("cognitoidp/resources/jwks-public.json")
    jwks_path = directory / "staff-jwks.json"
    published = json.dumps(public_keys, indent=2)
    if not jwks_path.exists() or jwks_path.read_text(encoding="utf-8") != published:
        directory.mkdir(parents=True, exist_ok=True)
        jwks_path.write_text(published, encoding="utf-8")
    private_key = RSAAlgorithm.from_jwk(json.dumps(private_jwk))
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise TypeError("moto's pool key is not an RSA private key")
    return SigningKey(private_key=private_key, kid=str(private_jwk["kid"]))


def mint_token(
    signing_key: SigningKey,
    role: Role,
    district_code: str | None,
    *,
    issuer: str = LOCAL_ISSUER,
    audience: str = LOCAL_AUDIENCE,
    lifetime_s: int = WORKING_DAY_S,
    now: float | None = None,
    principal: str | None = None,
) -> str:
    issued = int(now if now is not None else time.time())
    claims: dict[str, object] = {
        "sub": principal or f"{role.value}-{district_code or 'governorate'}-{uuid.uuid4().hex[:8]}",
        "iss": issuer,
        "aud": audience,
        "iat": issued,
        "exp": issued + lifetime_s,
        "token_use": "id",
        ROLE_CLAIM: [role.value],
    }
    if district_code is not None:
        claims[DISTRICT_CLAIM] = district_code
    return jwt.encode(claims, signing_key.private_key, algorithm=ALGORITHM, headers={"kid": signing_key.kid})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--role", required=True, choices=[role.value for role in Role])
    parser.add_argument("--district", default="", help="a district code; ignored for hq")
    arguments = parser.parse_args()
    role = Role(arguments.role)
    district = None if role is Role.HQ else arguments.district
    if role is not Role.HQ and current_catalogue().district(district) is None:
        parser.error(f"DISTRICT must be a district code (see /v1/districts) for role {role.value}")
    print(mint_token(local_signing_key(), role, district))
    return 0


if __name__ == "__main__":
    sys.exit(main())
