"""verify_staff_token: what a staff token must be to be believed, and everything it refuses.

Each test signs its own tokens with keys made here and trusts them through a JWKS file in
tmp_path, the way the local stage trusts .local/staff-jwks.json. Every refusal must be an
InvalidToken, never another exception, and never a StaffMember.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from jwt.algorithms import RSAAlgorithm

from chalicelib.adapters.staff_tokens import (
    CLOCK_SKEW_S,
    REQUIRED_CLAIMS,
    InvalidToken,
    verify_staff_token,
)
from chalicelib.config import StaffTokenSettings
from chalicelib.domain.staff import Role, StaffMember
from tools.local.staff_token import LOCAL_AUDIENCE, LOCAL_ISSUER, local_signing_key, mint_token

ISSUER = "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_TestPool"
AUDIENCE = "test-office-app-client"
KID = "test-key-1"
DROP = object()  # a claim given this value is left out of the token
ALIASES = {"cognito_groups": "cognito:groups", "custom_district": "custom:district"}


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def impostor_key() -> rsa.RSAPrivateKey:
    """Another RSA key: whoever holds it is not the issuer, whatever kid they claim."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def write_jwks(path: Path, *keys: tuple[str, rsa.RSAPrivateKey]) -> None:
    """A published key set, the way tools/local/staff_token.local_signing_key writes one."""
    published = []
    for kid, key in keys:
        public_jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
        public_jwk.update(kid=kid, alg="RS256", use="sig")
        published.append(public_jwk)
    path.write_text(json.dumps({"keys": published}, indent=2), encoding="utf-8")


@pytest.fixture
def settings(tmp_path: Path, rsa_key: rsa.RSAPrivateKey) -> StaffTokenSettings:
    jwks_file = tmp_path / "staff-jwks.json"
    write_jwks(jwks_file, (KID, rsa_key))
    return StaffTokenSettings(issuer=ISSUER, audience=AUDIENCE, jwks_url=None, jwks_file=str(jwks_file))


def claims(**overrides: Any) -> dict[str, Any]:
    """The claims of a valid Cognito ID token for an officer of Dokki; overrides change or DROP some."""
    now = int(time.time())
    body: dict[str, Any] = {
        "sub": "officer-dokki-1",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 3600,
        "token_use": "id",
        "cognito:groups": ["officer"],
        "custom:district": "dokki",
    }
    for alias, value in overrides.items():
        name = ALIASES.get(alias, alias)
        if value is DROP:
            body.pop(name, None)
        else:
            body[name] = value
    return body


def sign(body: dict[str, Any], key: Any, algorithm: str = "RS256", kid: str | None = KID) -> str:
    """A JWS over exactly these claims (jwt.encode would refuse to sign some of the odd ones)."""
    headers = {"kid": kid} if kid is not None else {}
    payload = json.dumps(body, separators=(",", ":")).encode()
    return jwt.api_jws.encode(payload, key, algorithm=algorithm, headers=headers)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def segment(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def refused(token: str, settings: StaffTokenSettings) -> InvalidToken:
    with pytest.raises(InvalidToken) as refusal:
        verify_staff_token(token, settings)
    return refusal.value


# --- accepted ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "district"),
    [
        (Role.CLERK, "dokki"),
        (Role.OFFICER, "dokki"),
        (Role.MANAGER, "dokki"),
        (Role.CLERK, "warraq"),
        (Role.OFFICER, "omraniya"),
        (Role.MANAGER, "warraq"),
    ],
)
def test_a_district_role_with_its_district_is_that_member_of_staff(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, role: Role, district: str
) -> None:
    token = sign(claims(sub="staff-42", cognito_groups=[role.value], custom_district=district), rsa_key)

    assert verify_staff_token(token, settings) == StaffMember(principal="staff-42", role=role, district_code=district)


def test_headquarters_belongs_to_no_district(settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey) -> None:
    token = sign(claims(sub="hq-1", cognito_groups=["hq"], custom_district=DROP), rsa_key)

    assert verify_staff_token(token, settings) == StaffMember(principal="hq-1", role=Role.HQ, district_code=None)


def test_headquarters_with_a_district_claim_is_accepted_but_still_belongs_to_no_district(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey
) -> None:
    token = sign(claims(cognito_groups=["hq"], custom_district="dokki"), rsa_key)

    staff = verify_staff_token(token, settings)

    assert staff.role is Role.HQ
    assert staff.district_code is None


def test_groups_besides_the_one_role_are_ignored(settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey) -> None:
    token = sign(claims(cognito_groups=["all-staff", "manager", "dokki-office", "Officer"]), rsa_key)

    assert verify_staff_token(token, settings).role is Role.MANAGER


def test_a_token_minted_by_make_token_is_accepted_with_the_key_it_publishes(tmp_path: Path) -> None:
    signing_key = local_signing_key(tmp_path)
    local = StaffTokenSettings(
        issuer=LOCAL_ISSUER,  # the local staff pool's (tools/local/staff_pool.py)
        audience=LOCAL_AUDIENCE,
        jwks_url=None,
        jwks_file=str(tmp_path / "staff-jwks.json"),
    )

    staff = verify_staff_token(mint_token(signing_key, Role.CLERK, "warraq", principal="clerk-7"), local)

    assert staff == StaffMember(principal="clerk-7", role=Role.CLERK, district_code="warraq")


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"exp": -(CLOCK_SKEW_S - 10)}, id="expired-within-the-leeway"),
        pytest.param({"iat": CLOCK_SKEW_S - 10}, id="issued-in-the-future-within-the-leeway"),
        pytest.param({"nbf": CLOCK_SKEW_S - 10}, id="not-before-within-the-leeway"),
    ],
)
def test_clocks_a_little_apart_are_tolerated(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, overrides: dict[str, int]
) -> None:
    now = int(time.time())
    token = sign(claims(**{name: now + offset for name, offset in overrides.items()}), rsa_key)

    assert verify_staff_token(token, settings).role is Role.OFFICER


# --- malformed --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("", id="empty"),
        pytest.param("not-a-jwt", id="random-text"),
        pytest.param("Bearer abc.def.ghi", id="with-the-scheme"),
        pytest.param("abc.def", id="two-segments"),
        pytest.param("a.b.c.d", id="four-segments"),
        pytest.param("!!!.@@@.###", id="bad-base64"),
        pytest.param(f"{b64url(b'not json')}.{segment({'sub': 'x'})}.c2ln", id="header-not-json"),
        pytest.param(f"{b64url(b'[1, 2]')}.{segment({'sub': 'x'})}.c2ln", id="header-not-an-object"),
        pytest.param("eyJhbGciOiJSUzI1NiJ9", id="header-only"),
        pytest.param("..", id="three-empty-segments"),
    ],
)
def test_a_malformed_token_is_refused(settings: StaffTokenSettings, token: str) -> None:
    refused(token, settings)


def test_a_payload_that_is_not_json_is_refused(settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey) -> None:
    header = segment({"alg": "RS256", "typ": "JWT", "kid": KID})
    payload = b64url(b"not json at all")
    signature = rsa_key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())

    refused(f"{header}.{payload}.{b64url(signature)}", settings)


# --- algorithms -------------------------------------------------------------------------------


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
@pytest.mark.parametrize("signature", ["", "c2lnbmF0dXJl"], ids=["unsigned", "junk-signature"])
def test_an_unsigned_alg_none_token_is_refused(settings: StaffTokenSettings, alg: str, signature: str) -> None:
    token = f"{segment({'alg': alg, 'typ': 'JWT', 'kid': KID})}.{segment(claims())}.{signature}"

    refused(token, settings)


@pytest.mark.parametrize("encoding", ["pem-spki", "pem-pkcs1", "jwk-json"])
def test_hs256_signed_with_the_public_key_as_secret_is_refused(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, encoding: str
) -> None:
    """Algorithm confusion: the public key is public, so an HMAC keyed with it proves nothing."""
    public = rsa_key.public_key()
    secret = {
        "pem-spki": public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
        "pem-pkcs1": public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1),
        "jwk-json": RSAAlgorithm.to_jwk(public).encode(),
    }[encoding]
    signing_input = f"{segment({'alg': 'HS256', 'typ': 'JWT', 'kid': KID})}.{segment(claims())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()

    refused(f"{signing_input}.{b64url(signature)}", settings)


@pytest.mark.parametrize("algorithm", ["RS384", "RS512", "PS256", "PS512"])
def test_another_rsa_algorithm_with_the_right_key_is_refused(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, algorithm: str
) -> None:
    refused(sign(claims(), rsa_key, algorithm=algorithm), settings)


def test_es256_with_an_ec_key_is_refused(settings: StaffTokenSettings) -> None:
    ec_key = ec.generate_private_key(ec.SECP256R1())

    refused(sign(claims(), ec_key, algorithm="ES256"), settings)


def test_a_token_with_its_own_key_embedded_in_the_header_is_refused(
    settings: StaffTokenSettings, impostor_key: rsa.RSAPrivateKey
) -> None:
    embedded = json.loads(RSAAlgorithm.to_jwk(impostor_key.public_key()))
    token = jwt.encode(claims(), impostor_key, algorithm="RS256", headers={"kid": KID, "jwk": embedded})

    refused(token, settings)


# --- keys -------------------------------------------------------------------------------------


def test_a_token_signed_by_another_key_under_the_trusted_kid_is_refused(
    settings: StaffTokenSettings, impostor_key: rsa.RSAPrivateKey
) -> None:
    refused(sign(claims(), impostor_key, kid=KID), settings)


def test_a_tampered_payload_is_refused(settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey) -> None:
    header, _, signature = sign(claims(), rsa_key).split(".")
    promoted = segment(claims(cognito_groups=["manager"]))

    refused(f"{header}.{promoted}.{signature}", settings)


@pytest.mark.parametrize("kid", ["another-key", "", None], ids=["unknown", "empty", "absent"])
def test_a_kid_the_key_set_does_not_hold_is_refused(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, kid: str | None
) -> None:
    refused(sign(claims(), rsa_key, kid=kid), settings)


def test_without_any_key_source_every_token_is_refused(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey
) -> None:
    keyless = StaffTokenSettings(issuer=ISSUER, audience=AUDIENCE, jwks_url=None, jwks_file=None)

    refused(sign(claims(), rsa_key), keyless)


@pytest.mark.parametrize(
    ("issuer", "audience"),
    [("", AUDIENCE), (ISSUER, ""), ("", "")],
    ids=["no-issuer", "no-audience", "neither"],
)
def test_without_issuer_or_audience_configured_every_token_is_refused(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, issuer: str, audience: str
) -> None:
    unconfigured = StaffTokenSettings(issuer=issuer, audience=audience, jwks_url=None, jwks_file=settings.jwks_file)
    token = sign(claims(iss=issuer, aud=audience), rsa_key)

    refused(token, unconfigured)


def test_a_new_key_written_to_the_key_set_file_is_picked_up(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, impostor_key: rsa.RSAPrivateKey
) -> None:
    jwks_file = Path(str(settings.jwks_file))
    old_token = sign(claims(), rsa_key, kid=KID)
    new_token = sign(claims(), impostor_key, kid="rotated-key")
    assert verify_staff_token(old_token, settings).role is Role.OFFICER
    refused(new_token, settings)
    before = jwks_file.stat().st_mtime_ns

    write_jwks(jwks_file, ("rotated-key", impostor_key))
    # Some file systems stamp times coarsely; make sure the rewrite reads as a change.
    if jwks_file.stat().st_mtime_ns == before:
        os.utime(jwks_file, ns=(before + 1_000_000_000, before + 1_000_000_000))

    assert verify_staff_token(new_token, settings).role is Role.OFFICER
    refused(old_token, settings)


# --- issuer, audience, time -------------------------------------------------------------------


@pytest.mark.parametrize(
    "issuer",
    [
        "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_OtherPool",
        ISSUER + "/",
        ISSUER.replace("https://", "http://"),
        ISSUER.upper(),
        "https://shobbak.local/staff",
    ],
)
def test_a_wrong_issuer_is_refused(settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, issuer: str) -> None:
    refused(sign(claims(iss=issuer), rsa_key), settings)


@pytest.mark.parametrize("audience", ["another-app-client", AUDIENCE.upper(), [], ["another-app-client"]])
def test_a_wrong_audience_is_refused(settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, audience: Any) -> None:
    refused(sign(claims(aud=audience), rsa_key), settings)


def test_an_expired_token_is_refused_beyond_the_leeway(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey
) -> None:
    now = int(time.time())

    refused(sign(claims(iat=now - 3600, exp=now - CLOCK_SKEW_S - 30), rsa_key), settings)


def test_a_token_issued_in_the_future_beyond_the_leeway_is_refused(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey
) -> None:
    """PyJWT 2.10+ treats an `iat` later than now plus the leeway as "not yet valid"."""
    now = int(time.time())

    refused(sign(claims(iat=now + CLOCK_SKEW_S + 60, exp=now + 3600), rsa_key), settings)


def test_a_token_not_yet_valid_beyond_the_leeway_is_refused(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey
) -> None:
    now = int(time.time())

    refused(sign(claims(nbf=now + CLOCK_SKEW_S + 60), rsa_key), settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [("exp", "tomorrow"), ("iat", "today"), ("nbf", "soon"), ("sub", 42)],
)
def test_a_time_or_subject_claim_of_the_wrong_type_is_refused(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, name: str, value: Any
) -> None:
    refused(sign(claims(**{name: value}), rsa_key), settings)


# --- claims -----------------------------------------------------------------------------------


def test_the_required_claims_are_the_ones_cognito_id_tokens_carry() -> None:
    assert sorted(REQUIRED_CLAIMS) == sorted(["exp", "iat", "iss", "aud", "sub", "token_use"])


@pytest.mark.parametrize("name", ["exp", "iat", "iss", "aud", "sub", "token_use"])
@pytest.mark.parametrize("how", ["absent", "null"])
def test_a_token_missing_a_required_claim_is_refused(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, name: str, how: str
) -> None:
    refused(sign(claims(**{name: DROP if how == "absent" else None}), rsa_key), settings)


@pytest.mark.parametrize("token_use", ["access", "ID", "", 1])
def test_anything_but_an_id_token_is_refused(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, token_use: Any
) -> None:
    refused(sign(claims(token_use=token_use), rsa_key), settings)


@pytest.mark.parametrize(
    "groups",
    [
        pytest.param(DROP, id="no-groups-claim"),
        pytest.param([], id="no-groups"),
        pytest.param(["all-staff", "dokki-office"], id="no-role-group"),
        pytest.param(["admin"], id="unknown-group-only"),
        pytest.param(["Officer"], id="role-in-the-wrong-case"),
        pytest.param(["officer", "manager"], id="two-roles"),
        pytest.param(["clerk", "hq"], id="a-district-role-and-hq"),
        pytest.param("officer", id="a-string-not-a-list"),
        pytest.param({"officer": True}, id="an-object"),
    ],
)
def test_a_token_without_exactly_one_role_is_refused(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, groups: Any
) -> None:
    refused(sign(claims(cognito_groups=groups), rsa_key), settings)


@pytest.mark.parametrize("groups", [[["officer"]], [{"role": "officer"}]], ids=["nested-list", "object"])
def test_a_group_that_is_not_a_string_is_refused(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, groups: Any
) -> None:
    refused(sign(claims(cognito_groups=groups), rsa_key), settings)


@pytest.mark.parametrize("role", [Role.CLERK, Role.OFFICER, Role.MANAGER])
@pytest.mark.parametrize("district", [DROP, None, "", 7, ["dokki"]], ids=["absent", "null", "empty", "number", "list"])
def test_a_district_role_without_a_district_is_refused(
    settings: StaffTokenSettings, rsa_key: rsa.RSAPrivateKey, role: Role, district: Any
) -> None:
    refused(sign(claims(cognito_groups=[role.value], custom_district=district), rsa_key), settings)
