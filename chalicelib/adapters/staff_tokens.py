"""Verifying staff tokens: RS256 JWTs, Cognito ID tokens when deployed, local ones locally.

Every check is explicit: the algorithm is fixed (never read from the token), the key is
found by its `kid` among the issuer's published keys, issuer, audience and expiry are
required and checked, and role and district come only from signed claims.
PyJWT is imported on first use: the citizen routes never pay for it on a cold start.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from chalicelib.config import StaffTokenSettings
from chalicelib.domain.staff import Role, StaffMember

ALGORITHM = "RS256"
CLOCK_SKEW_S = 30
ROLE_CLAIM = "cognito:groups"
DISTRICT_CLAIM = "custom:district"
ROLE_NAMES = frozenset(role.value for role in Role)
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "token_use"]


class InvalidToken(Exception):
    """The token proves nothing; the reason is for the logs, never for the caller."""


def verify_staff_token(token: str, settings: StaffTokenSettings) -> StaffMember:
    import jwt

    if not settings.issuer or not settings.audience:
        raise InvalidToken("staff token issuer or audience not configured")
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != ALGORITHM:
            raise InvalidToken(f"algorithm {header.get('alg')!r} refused")
        key = _signing_key(str(header.get("kid", "")), settings)
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=settings.audience,
            issuer=settings.issuer,
            leeway=CLOCK_SKEW_S,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError as error:
        raise InvalidToken(type(error).__name__) from None
    return _staff_member(claims)


def _staff_member(claims: dict[str, Any]) -> StaffMember:
    # Cognito signs access tokens with the same keys; only ID tokens carry the groups and
    # the district as this API expects them.
    if claims.get("token_use") != "id":
        raise InvalidToken("not an ID token")
    groups = claims.get(ROLE_CLAIM)
    roles = (
        {group for group in groups if isinstance(group, str) and group in ROLE_NAMES}
        if isinstance(groups, list)
        else set()
    )
    if len(roles) != 1:
        raise InvalidToken("a staff token must carry exactly one role")
    role = Role(roles.pop())
    district = claims.get(DISTRICT_CLAIM)
    if role is Role.HQ:
        district = None
    elif not isinstance(district, str) or not district:
        raise InvalidToken("a district role without a district")
    return StaffMember(principal=str(claims["sub"]), role=role, district_code=district)


def _signing_key(kid: str, settings: StaffTokenSettings) -> Any:
    import jwt

    # The pool's published keys when its URL is known (deployed, and `make run`'s API); the file of
    # them otherwise (the tests and benchmarks in process, with no server to ask).
    if settings.jwks_url:
        try:
            return _jwks_client(settings.jwks_url).get_signing_key(kid).key
        except jwt.PyJWKClientError:
            raise InvalidToken("unknown key id") from None
    if settings.jwks_file:
        try:
            keys = _keys_from_file(settings.jwks_file, Path(settings.jwks_file).stat().st_mtime_ns)
        except (OSError, ValueError):
            raise InvalidToken("the local key set is missing or unreadable (make token creates it)") from None
        if kid not in keys:
            raise InvalidToken("unknown key id")
        return keys[kid]
    raise InvalidToken("no staff token keys configured")


@cache
def _keys_from_file(path: str, modified_ns: int) -> dict[str, Any]:
    """The local key set, read again only when the file changes (`make token` may create it)."""
    import jwt

    key_set = jwt.PyJWKSet.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    return {key.key_id: key.key for key in key_set.keys if key.key_id}


@cache
def _jwks_client(url: str) -> Any:
    """One client per key set URL per container: it caches the pool's keys between calls."""
    import jwt

    return jwt.PyJWKClient(url, cache_keys=True, lifespan=3600, timeout=5)
