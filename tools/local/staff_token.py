"""`make token ROLE=<role> DISTRICT=<code>`: a signed staff token for the local stage.

The local stage trusts one RSA key pair kept in .local/ (never committed, made on first
use); deployed stages trust only their Cognito user pool. The token has the shape of a
Cognito ID token, so the same verifier checks both.
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
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from chalicelib.adapters.staff_tokens import ALGORITHM, DISTRICT_CLAIM, ROLE_CLAIM
from chalicelib.domain.staff import Role
from chalicelib.services.catalogue import current_catalogue
from tools import PROJECT

LOCAL_KEYS = PROJECT / ".local"
LOCAL_ISSUER = "https://shobbak.local/staff"
LOCAL_AUDIENCE = "shobbak-local-office"
WORKING_DAY_S = 8 * 3600


@dataclass(frozen=True)
class SigningKey:
    private_key: rsa.RSAPrivateKey
    kid: str


def local_signing_key(directory: Path = LOCAL_KEYS) -> SigningKey:
    """The local stage's key pair, made on first use; its public half is published as a JWKS."""
    private_path, jwks_path = directory / "staff-signing-key.pem", directory / "staff-jwks.json"
    if not private_path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        private_path.touch(mode=0o600)
        private_path.write_bytes(pem)
        public_jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
        public_jwk.update(kid=f"local-{uuid.uuid4().hex[:12]}", alg=ALGORITHM, use="sig")
        jwks_path.write_text(json.dumps({"keys": [public_jwk]}, indent=2), encoding="utf-8")
    private_key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    kid = json.loads(jwks_path.read_text(encoding="utf-8"))["keys"][0]["kid"]
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise TypeError(f"{private_path} does not hold an RSA private key")
    return SigningKey(private_key=private_key, kid=kid)


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
