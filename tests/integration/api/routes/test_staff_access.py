"""Every office route sits behind the staff token authorizer: a bad token is a 401 in the bilingual
error shape (infra/api.yaml's UNAUTHORIZED gateway response), and changes nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from chalice.test import Client
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.api.http.responses import JSON_HEADERS
from chalicelib.domain.staff import Role
from tests.factories import free_service_code, submission
from tests.integration.api.calls import post_json, stored_counts
from tests.integration.api.conftest import StaffHeaders
from tools.local.api_gateway import gateway_answers
from tools.local.staff_token import LOCAL_AUDIENCE, LOCAL_ISSUER, WORKING_DAY_S, SigningKey, mint_token

TABLES = ("shobbak-local-requests", "shobbak-local-applicants", "shobbak-local-idempotency")
REVEAL_REASON = "المواطن حضر للشباك ويسأل عن طلبه"

# method, path (with {tn} for the request's tracking number), body
ROUTES: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "intake": ("POST", "/v1/office/requests", submission(free_service_code())),
    "queue": ("GET", "/v1/office/requests?status=submitted", None),
    "view": ("GET", "/v1/office/requests/{tn}", None),
    "transition": ("POST", "/v1/office/requests/{tn}/transitions", {"to": "in_review", "note": "فحص", "version": 1}),
    "identity": ("POST", "/v1/office/requests/{tn}/identity", {"reason": REVEAL_REASON}),
}
VALID_STATUS = {"intake": 201, "queue": 200, "view": 200, "transition": 200, "identity": 200}


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def segment(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def valid_claims() -> dict[str, Any]:
    """What a manager of Dokki's token says; the bad tokens below differ from it in one way each."""
    now = int(time.time())
    return {
        "sub": "manager-dokki",
        "iss": LOCAL_ISSUER,
        "aud": LOCAL_AUDIENCE,
        "iat": now,
        "exp": now + 3600,
        "token_use": "id",
        "cognito:groups": ["manager"],
        "custom:district": "dokki",
    }


def alg_none(key: SigningKey) -> str:
    return f"{segment({'alg': 'none', 'typ': 'JWT', 'kid': key.kid})}.{segment(valid_claims())}."


def hs256_with_the_public_key(key: SigningKey) -> str:
    secret = key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = f"{segment({'alg': 'HS256', 'typ': 'JWT', 'kid': key.kid})}.{segment(valid_claims())}"
    return f"{signing_input}.{b64url(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"


def wrong_signature(key: SigningKey) -> str:
    impostor = SigningKey(private_key=rsa.generate_private_key(public_exponent=65537, key_size=2048), kid=key.kid)
    return mint_token(impostor, Role.MANAGER, "dokki")


def expired(key: SigningKey) -> str:
    return mint_token(key, Role.MANAGER, "dokki", now=time.time() - WORKING_DAY_S - 3600)


def no_role(key: SigningKey) -> str:
    return jwt.encode({**valid_claims(), "cognito:groups": ["staff"]}, key.private_key, "RS256", {"kid": key.kid})


def bearer(make: Callable[[SigningKey], str]) -> Callable[[SigningKey], dict[str, str]]:
    return lambda key: {"Authorization": f"Bearer {make(key)}"}


BAD_CREDENTIALS: dict[str, Callable[[SigningKey], dict[str, str]]] = {
    "no-authorization-header": lambda key: {},
    "basic-scheme": lambda key: {"Authorization": "Basic abc"},
    "basic-scheme-with-a-valid-token": lambda key: {"Authorization": f"Basic {mint_token(key, Role.MANAGER, 'dokki')}"},
    "bare-token-without-scheme": lambda key: {"Authorization": mint_token(key, Role.MANAGER, "dokki")},
    "bearer-empty": lambda key: {"Authorization": "Bearer "},
    "bearer-not-a-jwt": lambda key: {"Authorization": "Bearer not-a-jwt"},
    "alg-none": bearer(alg_none),
    "hs256-with-the-public-key": bearer(hs256_with_the_public_key),
    "wrong-signature": bearer(wrong_signature),
    "expired": bearer(expired),
    "wrong-issuer": bearer(lambda key: mint_token(key, Role.MANAGER, "dokki", issuer="https://evil.example/staff")),
    "wrong-audience": bearer(lambda key: mint_token(key, Role.MANAGER, "dokki", audience="another-app")),
    "no-role": bearer(no_role),
}


def assert_the_gateway_answer(response: Any, code: str) -> None:
    """The error shape (docs/interfaces.md#error-shape) with an Arabic and an English message, as
    the template's gateway response words it, with the headers of the API's own JSON answers."""
    error = json.loads(response.body)["error"]
    assert error["code"] == code
    assert re.search("[\u0600-\u06ff]", error["message_ar"])
    assert error["message_en"].isascii()
    assert error["fields"] == {}
    assert response.body.decode() in [answer.body for answer in gateway_answers().values()]
    for name, value in JSON_HEADERS.items():
        assert response.headers[name] == value


def stored_items() -> dict[str, int]:
    return stored_counts(TABLES)


def call(client: Client, route: str, tracking_number: str, headers: dict[str, str]) -> Any:
    method, path, body = ROUTES[route]
    path = path.format(tn=tracking_number)
    if method == "GET":
        return client.http.get(path, headers=headers)
    return client.http.post(path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers})


@pytest.fixture
def tracking_number(client: Client) -> str:
    """A free request filed by a citizen in Dokki: status submitted, version 1."""
    return post_json(client, "/v1/requests", submission(free_service_code())).json_body["tracking_number"]


@pytest.mark.parametrize("credentials", list(BAD_CREDENTIALS))
@pytest.mark.parametrize("route", list(ROUTES))
def test_a_bad_token_is_a_401_and_writes_nothing(
    client: Client,
    staff: StaffHeaders,
    signing_key: SigningKey,
    tracking_number: str,
    route: str,
    credentials: str,
) -> None:
    manager = staff("manager", "dokki")
    before = stored_items()
    seen_before = client.http.get(f"/v1/office/requests/{tracking_number}", headers=manager).json_body

    response = call(client, route, tracking_number, BAD_CREDENTIALS[credentials](signing_key))

    assert response.status_code == 401
    assert_the_gateway_answer(response, "unauthorized")
    assert stored_items() == before
    seen_after = client.http.get(f"/v1/office/requests/{tracking_number}", headers=manager).json_body
    assert seen_after == seen_before
    assert (seen_after["status"], seen_after["version"]) == ("submitted", 1)


@pytest.mark.parametrize("route", list(ROUTES))
def test_a_valid_token_passes(client: Client, staff: StaffHeaders, tracking_number: str, route: str) -> None:
    response = call(client, route, tracking_number, staff("manager", "dokki"))

    assert response.status_code == VALID_STATUS[route], response.body


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_the_scheme_is_read_without_regard_to_case(
    client: Client, signing_key: SigningKey, tracking_number: str, scheme: str
) -> None:
    token = mint_token(signing_key, Role.OFFICER, "dokki")

    response = client.http.get(f"/v1/office/requests/{tracking_number}", headers={"Authorization": f"{scheme} {token}"})

    assert response.status_code == 200


def test_a_token_that_expired_moments_ago_still_passes_within_the_clock_leeway(
    client: Client, signing_key: SigningKey, tracking_number: str
) -> None:
    token = mint_token(signing_key, Role.OFFICER, "dokki", lifetime_s=60, now=time.time() - 70)

    response = client.http.get(f"/v1/office/requests/{tracking_number}", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/v1/no-such-thing", {}),
        ("POST", "/v1/office/requests/1234567890123/no-such-move", {"Authorization": "Bearer whatever"}),
    ],
)
def test_a_path_the_api_does_not_have_is_a_bilingual_404(
    client: Client, method: str, path: str, headers: dict[str, str]
) -> None:
    response = client.http.request(method, path, headers=headers)

    assert response.status_code == 404
    assert_the_gateway_answer(response, "not_found")
