"""The staff token: the authorizer API Gateway runs before every office route, and `staff_route`,
the one way an office route is declared.

The authorizer imports what verifies a token when it first runs: API Gateway runs it as a Lambda
function of its own. What a member of staff may do, and in which districts, is the services' to
decide (chalicelib/domain/staff.py) from the role and district the token names.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from chalice import AuthResponse, Blueprint, Response
from chalice.app import AuthRequest, Request

from chalicelib.api.http.bodies import ACCEPTED_MEDIA_TYPES
from chalicelib.api.http.responses import answers_errors
from chalicelib.api.routes.startup import GuardedBlueprint
from chalicelib.config import staff_token_settings
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.observability.audit import audit, audit_logger
from chalicelib.observability.logs import logger

staff_access = GuardedBlueprint(__name__)  # its functions start without app.py

# A staff route's handler: the member of staff calling first, then the route's path parameters.
StaffView = Callable[..., Response]


@staff_access.authorizer()
def staff_token(auth_request: AuthRequest) -> AuthResponse:
    """Built-in authorizer: enforced by API Gateway, by `chalice local` and by the test client."""
    from chalicelib.adapters.staff_tokens import InvalidToken, verify_staff_token

    for each in (logger, audit_logger):
        each.clear_state()  # it runs before the request's own logging context exists
    scheme, _, credentials = (auth_request.token or "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise _unauthorized()
    try:
        staff = verify_staff_token(credentials.strip(), staff_token_settings())
    except InvalidToken as refusal:
        audit("staff_token_refused", reason=str(refusal))
        raise _unauthorized() from None
    # The whole office API at once: API Gateway caches this answer per token.
    return AuthResponse(
        routes=["*"],
        principal_id=staff.principal,
        context={"role": staff.role.value, "district_code": staff.district_code or ""},
    )


def _unauthorized() -> Exception:
    """API Gateway answers 401 when a token authorizer fails with exactly "Unauthorized", in the
    bilingual error shape of infra/api.yaml's UNAUTHORIZED gateway response; chalice's local gateway
    (chalice local, the test client) needs its own exception for it, which tools/local/api_gateway.py
    answers with the same response."""
    try:
        from chalice.local import NotAuthorizedError
    except ImportError:  # deployed: chalice.local is not packaged
        return Exception("Unauthorized")
    return NotAuthorizedError({"x-amzn-ErrorType": "UnauthorizedException"}, b'{"message":"Unauthorized"}')


def staff_route(
    blueprint: Blueprint, path: str, *, methods: list[str], takes_body: bool = False
) -> Callable[[StaffView], Callable[..., Response]]:
    """Declares an office route: behind the staff token (a request without a valid one is answered
    401 before any handler runs), refusals answered in the one error shape, and the handler given
    the member of staff calling. `takes_body`: the route reads a JSON body (other media types are
    let in to be refused in that shape, not Chalice's)."""
    options: dict[str, Any] = {"content_types": ACCEPTED_MEDIA_TYPES} if takes_body else {}

    def declare(view: StaffView) -> Callable[..., Response]:
        @functools.wraps(view)
        def with_caller(*args: Any, **kwargs: Any) -> Response:
            return view(caller(blueprint.current_request), *args, **kwargs)

        return blueprint.route(path, methods=methods, authorizer=staff_token, **options)(answers_errors(with_caller))

    return declare


def caller(request: Request) -> StaffMember:
    """The member of staff the token named, as the authorizer passed it on."""
    context = request.context["authorizer"]
    return StaffMember(
        principal=context["principalId"],
        role=Role(context["role"]),
        district_code=context["district_code"] or None,
    )
