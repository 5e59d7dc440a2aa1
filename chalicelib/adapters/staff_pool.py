"""The staff pool's sign-in, spoken from the server (the console is a backend for frontend).

The API signs staff in with its own IAM credentials (AdminInitiateAuth with
ADMIN_USER_PASSWORD_AUTH, the only flow infra/staff-pool.yaml's app client allows besides
refresh), answers Cognito's challenges in turn, and keeps the tokens; the browser never sees
one. The pool and its client are the ones the API trusts: the pool id is the last segment of
STAFF_TOKEN_ISSUER, the client id is STAFF_TOKEN_AUDIENCE.

Cognito's refusals become `PoolRefusal`s with a reason the console words in Arabic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.aws_clients import aws_client
from chalicelib.config import staff_token_settings

NEW_PASSWORD_REQUIRED, MFA_SETUP, SOFTWARE_TOKEN_MFA = "NEW_PASSWORD_REQUIRED", "MFA_SETUP", "SOFTWARE_TOKEN_MFA"


@dataclass(frozen=True)
class Tokens:
    id_token: str
    access_token: str
    refresh_token: str
    expires_in_s: int


@dataclass(frozen=True)
class Challenge:
    name: str  # one of NEW_PASSWORD_REQUIRED, MFA_SETUP, SOFTWARE_TOKEN_MFA
    session: str


@dataclass(frozen=True)
class Enrolment:
    secret: str
    session: str


class PoolRefusal(Exception):
    """Cognito said no. `reason`: wrong_credentials, locked_out, wrong_code, weak_password,
    expired_challenge, expired_reset_code, too_many, unavailable."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _pool() -> tuple[str, str]:
    settings = staff_token_settings()
    return settings.issuer.rstrip("/").rsplit("/", 1)[-1], settings.audience


def _cognito() -> Any:
    return aws_client("cognito-idp")


def _refusal(error: Exception) -> PoolRefusal:
    code = getattr(error, "response", {}).get("Error", {}).get("Code", "")
    message = str(getattr(error, "response", {}).get("Error", {}).get("Message", ""))
    if code == "NotAuthorizedException" and "attempts exceeded" in message.lower():
        return PoolRefusal("locked_out")  # Cognito's lockout after repeated wrong passwords
    if code == "NotAuthorizedException" and "session" in message.lower():
        return PoolRefusal("expired_challenge")
    reasons = {
        "NotAuthorizedException": "wrong_credentials",
        "UserNotFoundException": "wrong_credentials",
        "PasswordResetRequiredException": "reset_required",
        "CodeMismatchException": "wrong_code",
        "EnableSoftwareTokenMFAException": "wrong_code",
        "InvalidPasswordException": "weak_password",
        "ExpiredCodeException": "expired_reset_code",
        "ResourceNotFoundException": "expired_challenge",
        "LimitExceededException": "too_many",
        "TooManyRequestsException": "too_many",
        "TooManyFailedAttemptsException": "too_many",
        "InvalidParameterException": "wrong_code",
    }
    return PoolRefusal(reasons.get(code, "unavailable"))


def _answer(answer: dict[str, Any]) -> Tokens | Challenge:
    result = answer.get("AuthenticationResult")
    if result:
        return Tokens(
            id_token=result["IdToken"],
            access_token=result["AccessToken"],
            refresh_token=result.get("RefreshToken", ""),
            expires_in_s=int(result.get("ExpiresIn", 3600)),
        )
    return Challenge(name=answer["ChallengeName"], session=answer["Session"])


def _calling(operation: Any, **parameters: Any) -> dict[str, Any]:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return operation(**parameters)
    except ClientError as error:
        raise _refusal(error) from None
    except BotoCoreError:
        raise PoolRefusal("unavailable") from None


def sign_in(email: str, password: str) -> Tokens | Challenge:
    pool_id, client_id = _pool()
    return _answer(_calling(
        _cognito().admin_initiate_auth, UserPoolId=pool_id, ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters={"USERNAME": email, "PASSWORD": password},
    ))  # fmt: skip


def _respond(challenge: str, session: str, responses: dict[str, str]) -> Tokens | Challenge:
    pool_id, client_id = _pool()
    return _answer(_calling(
        _cognito().admin_respond_to_auth_challenge, UserPoolId=pool_id, ClientId=client_id,
        ChallengeName=challenge, Session=session, ChallengeResponses=responses,
    ))  # fmt: skip


def set_new_password(session: str, email: str, new_password: str) -> Tokens | Challenge:
    return _respond(NEW_PASSWORD_REQUIRED, session, {"USERNAME": email, "NEW_PASSWORD": new_password})


def answer_code(session: str, email: str, code: str) -> Tokens | Challenge:
    return _respond(SOFTWARE_TOKEN_MFA, session, {"USERNAME": email, "SOFTWARE_TOKEN_MFA_CODE": code})


def start_enrolment(session: str) -> Enrolment:
    answer = _calling(_cognito().associate_software_token, Session=session)
    return Enrolment(secret=answer["SecretCode"], session=answer["Session"])


def finish_enrolment(session: str, email: str, code: str) -> Tokens | Challenge:
    verified = _calling(_cognito().verify_software_token, Session=session, UserCode=code, FriendlyDeviceName="console")
    if verified.get("Status") != "SUCCESS":
        raise PoolRefusal("wrong_code")
    answer = _respond(MFA_SETUP, verified["Session"], {"USERNAME": email})
    if isinstance(answer, Tokens):
        # TOTP becomes the account's MFA for every later sign-in.
        _calling(
            _cognito().set_user_mfa_preference,
            AccessToken=answer.access_token,
            SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
        )
    return answer


def refreshed(refresh_token: str) -> Tokens:
    pool_id, client_id = _pool()
    answer = _answer(_calling(
        _cognito().admin_initiate_auth, UserPoolId=pool_id, ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh_token},
    ))  # fmt: skip
    if not isinstance(answer, Tokens):
        raise PoolRefusal("expired_challenge")
    return Tokens(answer.id_token, answer.access_token, answer.refresh_token or refresh_token, answer.expires_in_s)


def sign_out(access_token: str) -> None:
    """Ends the account's tokens at the pool: GlobalSignOut invalidates its access and refresh
    tokens, so neither this session's nor a copy of them works again. (RevokeToken would end this
    sign-in's alone; moto does not emulate it, and a member of staff works at one desk.)
    A token already dead is no failure."""
    try:
        _calling(_cognito().global_sign_out, AccessToken=access_token)
    except PoolRefusal:
        return


def forgot_password(email: str) -> None:
    _, client_id = _pool()
    _calling(_cognito().forgot_password, ClientId=client_id, Username=email)


def reset_password(email: str, code: str, new_password: str) -> None:
    _, client_id = _pool()
    _calling(
        _cognito().confirm_forgot_password, ClientId=client_id, Username=email, ConfirmationCode=code,
        Password=new_password,
    )  # fmt: skip


@dataclass(frozen=True)
class Officer:
    """An officer's account in the pool: `principal` is its `sub`, what its tokens name."""

    principal: str
    email: str


def officers_of(district_code: str) -> list[Officer]:
    """The officers of a district: the pool's `officer` group, those whose `custom:district` is it
    (ListUsersInGroup, granted to the API's role for this alone), by email.

    The pool is the register of who is an officer where; the requests' history would name only
    those who have already touched one, and by `sub` alone."""
    pool_id, _ = _pool()
    officers: list[Officer] = []
    parameters: dict[str, Any] = {"UserPoolId": pool_id, "GroupName": "officer", "Limit": 60}
    while True:
        answer = _calling(_cognito().list_users_in_group, **parameters)
        for user in answer.get("Users", []):
            attributes = {attribute["Name"]: attribute["Value"] for attribute in user.get("Attributes", [])}
            if user.get("Enabled", True) and attributes.get("custom:district") == district_code and "sub" in attributes:
                officers.append(Officer(principal=attributes["sub"], email=attributes.get("email", user["Username"])))
        if not answer.get("NextToken"):
            break
        parameters["NextToken"] = answer["NextToken"]
    return sorted(officers, key=lambda officer: officer.email)
