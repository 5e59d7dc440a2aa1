"""Records each AWS call made while one of Shobbak's functions serves, as (function, IAM action,
resource ARN): what IAM would authorize against that function's role.

Which function serves is known where Chalice is entered: an API request (Chalice.__call__, by its
route's method and path template), an event (EventSourceHandler.__call__, by its handler string
`module.function`) or the staff token authorizer (ChaliceAuthorizer.__call__). Calls made outside
them (a test's own setup and checks) are not recorded. Each botocore client created after
`install()` reports its calls through its `before-parameter-build` event, which boto3's and
PynamoDB's clients both emit; an S3 client's presigned POSTs and GETs are recorded as the upload
or download they authorize, since S3 checks them against the signer's role when they are used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from fnmatch import fnmatchcase
from typing import Any

import botocore.session
from chalice.app import Chalice, ChaliceAuthorizer, EventSourceHandler

ACCOUNT = "123456789012"  # moto's
Call = tuple[str, str, str]  # (who served: "route GET /v1/x" or "handler module.function", action, resource ARN)

_serving: ContextVar[str | None] = ContextVar("serving", default=None)
# botocore signs a presigned POST through a CreateBucket it never sends: not a call to record.
_presigning_post: ContextVar[bool] = ContextVar("presigning_post", default=False)
recorded: set[Call] = set()
# Calls a test declares it makes on purpose where IAM refuses them (its iam_refusal_expected
# marker, tests/iam_enforcement.py): set aside under the test's id rather than recorded, so that
# they are judged against that declaration. A module global, not a context variable: a test
# process runs one test at a time, and a route served on another thread still belongs to it.
_expecting: tuple[str, list[tuple[str, str]]] | None = None
expected_refusals: set[tuple[str, str, str, str]] = set()  # (test id, who served, action, resource)

_TRANSACT_WRITES = {
    "Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem",
}  # fmt: skip


def dynamodb_calls(operation: str, params: dict[str, Any], region: str) -> list[tuple[str, str]]:
    def table(name: str, index: str | None = None) -> str:
        arn = f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{name}"
        return f"{arn}/index/{index}" if index else arn

    if operation == "TransactWriteItems":  # DynamoDB authorizes each action of a transaction on its own
        return [(f"dynamodb:{_TRANSACT_WRITES[kind]}", table(item[kind]["TableName"]))
                for item in params["TransactItems"] for kind in item]  # fmt: skip
    if operation == "TransactGetItems":
        return [("dynamodb:GetItem", table(item["Get"]["TableName"])) for item in params["TransactItems"]]
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return [(f"dynamodb:{operation}", table(name)) for name in params["RequestItems"]]
    if "TableName" in params:
        return [(f"dynamodb:{operation}", table(params["TableName"], params.get("IndexName")))]
    return [(f"dynamodb:{operation}", "*")]


def s3_calls(operation: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    bucket, key, version = params.get("Bucket"), params.get("Key"), params.get("VersionId")
    target = f"arn:aws:s3:::{bucket}/{key}" if key is not None else f"arn:aws:s3:::{bucket}"
    if operation in ("GetObject", "HeadObject"):  # a given version needs GetObjectVersion
        return [("s3:GetObjectVersion" if version else "s3:GetObject", target)]
    if operation == "CopyObject":
        source = params["CopySource"]
        if isinstance(source, str):
            path, _, query = source.partition("?versionId=")
            source = {"Bucket": path.split("/", 1)[0], "Key": path.split("/", 1)[1], "VersionId": query or None}
        read = "s3:GetObjectVersion" if source.get("VersionId") else "s3:GetObject"
        return [("s3:PutObject", target), (read, f"arn:aws:s3:::{source['Bucket']}/{source['Key']}")]
    if operation in ("ListObjects", "ListObjectsV2"):
        return [("s3:ListBucket", target)]
    if operation in ("ListObjectVersions",):
        return [("s3:ListBucketVersions", target)]
    if operation == "DeleteObjects":  # IAM authorizes the delete of each key it names on its own
        return [
            (
                "s3:DeleteObjectVersion" if one.get("VersionId") else "s3:DeleteObject",
                f"arn:aws:s3:::{bucket}/{one['Key']}",
            )
            for one in params["Delete"]["Objects"]
        ]
    if operation in ("DeleteObject", "GetObjectTagging", "PutObjectTagging") and version:
        return [(f"s3:{operation.replace('Object', 'ObjectVersion', 1)}", target)]
    return [(f"s3:{operation}", target)]


# The user pools API's operations that Cognito authorizes by the user's session or tokens, or
# leaves open, and for which "Amazon Cognito doesn't evaluate IAM policies" (each one's page in the
# Amazon Cognito user pools API reference; the developer guide's "Using the Amazon Cognito user
# pools API and user pool endpoints" lists them as unauthenticated and token-authorized): no IAM
# action to grant, and none that a role could grant.
COGNITO_WITHOUT_IAM = frozenset({
    # unauthenticated
    "InitiateAuth", "RespondToAuthChallenge", "SignUp", "ConfirmSignUp", "ResendConfirmationCode",
    "ForgotPassword", "ConfirmForgotPassword",
    # authorized by the user's session or access token (RevokeToken: by the refresh token)
    "AssociateSoftwareToken", "VerifySoftwareToken", "SetUserMFAPreference", "SetUserSettings",
    "ChangePassword", "GetUser", "UpdateUserAttributes", "DeleteUserAttributes", "DeleteUser",
    "GetUserAttributeVerificationCode", "VerifyUserAttribute", "GlobalSignOut", "RevokeToken",
    "ConfirmDevice", "ForgetDevice", "GetDevice", "ListDevices", "UpdateDeviceStatus",
    "GetUserAuthFactors", "GetTokensFromRefreshToken", "StartWebAuthnRegistration",
    "CompleteWebAuthnRegistration", "ListWebAuthnCredentials", "DeleteWebAuthnCredential",
})  # fmt: skip


def cognito_calls(operation: str, params: dict[str, Any], region: str) -> list[tuple[str, str]]:
    """What IAM authorizes for a user pools call: nothing for a public or token-authorized one; for
    the rest (the Admin* operations, ListUsersInGroup…) `cognito-idp:<operation>` on the pool's ARN."""
    if operation in COGNITO_WITHOUT_IAM:
        return []
    pool = params.get("UserPoolId")
    return [(f"cognito-idp:{operation}", f"arn:aws:cognito-idp:{region}:{ACCOUNT}:userpool/{pool}" if pool else "*")]


def sms_voice_identity(identity: str, region: str) -> str:
    """The ARN IAM authorizes a voice or text message against: the origination identity sending it."""
    if identity.startswith("arn:"):
        return identity
    kind = "pool" if identity.startswith("pool-") else "phone-number"
    return f"arn:aws:sms-voice:{region}:{ACCOUNT}:{kind}/{identity}"


def iam_calls(service: str, prefix: str, operation: str, params: dict[str, Any], region: str) -> list[tuple[str, str]]:
    """The (action, resource ARN) pairs IAM authorizes for one API call."""
    if service == "dynamodb":
        return dynamodb_calls(operation, params, region)
    if service == "s3":
        return s3_calls(operation, params)
    if service == "cognito-idp":
        return cognito_calls(operation, params, region)
    if service == "sns" and operation == "Publish":  # an SMS goes to a phone number, which has no ARN
        return [("sns:Publish", params.get("TopicArn") or params.get("TargetArn") or "*")]
    if service == "pinpoint-sms-voice-v2" and operation in ("SendVoiceMessage", "SendTextMessage"):
        return [(f"{prefix}:{operation}", sms_voice_identity(params.get("OriginationIdentity", ""), region))]
    if service == "ssm" and operation in ("GetParameter", "GetParameters"):
        names = params.get("Names") or [params["Name"]]
        return [(f"ssm:{operation}", f"arn:aws:ssm:{region}:{ACCOUNT}:parameter/{name.lstrip('/')}") for name in names]
    return [(f"{prefix}:{operation}", "*")]


def resource_part(arn: str) -> str:
    """An ARN's resource, after its service, region and account: `parameter/shobbak/local/x`."""
    return arn.split(":", 5)[5] if arn.count(":") >= 5 else arn


def _expected(action: str, resource: str) -> bool:
    return _expecting is not None and any(
        action == expected_action and fnmatchcase(resource_part(resource), pattern)
        for expected_action, pattern in _expecting[1]
    )


def _record(pairs: list[tuple[str, str]]) -> None:
    serving = _serving.get()
    if serving is None or _presigning_post.get():
        return
    for action, resource in pairs:
        if _expected(action, resource):
            expected_refusals.add((_expecting[0], serving, action, resource))  # type: ignore[index]
        else:
            recorded.add((serving, action, resource))


@contextmanager
def expecting_refusals(test: str, allowances: list[tuple[str, str]]) -> Iterator[None]:
    """While `test` runs, its calls of each (action, resource pattern over the ARN's resource part)
    go to `expected_refusals`, to be judged as refusals the test means to meet."""
    global _expecting
    _expecting = (test, allowances)
    try:
        yield
    finally:
        _expecting = None


@contextmanager
def serving(who: str) -> Iterator[None]:
    token = _serving.set(who)
    try:
        yield
    finally:
        _serving.reset(token)


def _hooked_client(create_client: Any) -> Any:
    def create(session: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
        client = create_client(session, service_name, *args, **kwargs)
        region = client.meta.region_name

        def on_call(params: dict[str, Any], model: Any, **_: Any) -> None:
            service_model = model.service_model
            prefix = service_model.signing_name or service_model.endpoint_prefix
            _record(iam_calls(service_model.service_name, prefix, model.name, params, region))

        client.meta.events.register("before-parameter-build", on_call, unique_id="iam-call-recorder")
        if service_name == "s3":
            presign_post = client.generate_presigned_post

            def presigned_post(Bucket: str, Key: str, *rest: Any, **more: Any) -> Any:  # boto3's names
                _record([("s3:PutObject", f"arn:aws:s3:::{Bucket}/{Key}")])
                token = _presigning_post.set(True)
                try:
                    return presign_post(Bucket, Key, *rest, **more)
                finally:
                    _presigning_post.reset(token)

            client.generate_presigned_post = presigned_post
        return client

    return create


LOCAL_STAGE = "local"
_IN_STAGE = " in stage "
# What the tests made in moto for a stage other than the local one, by export name (its staff
# pool's stack's exports) and by logical id (its resources, CloudFormation's physical ids): what a
# role's Fn::ImportValue or Ref resolves to when that stage's calls are judged.
deployed_values: dict[str, dict[str, str]] = {}


def stage_of(serving: str) -> tuple[str, str]:
    """(the stage a call was served in, who served it): "route GET /v1/x in stage dev" is dev's."""
    who, _, stage = serving.partition(_IN_STAGE)
    return stage or LOCAL_STAGE, who


def _entered(call: Any, who: Any) -> Any:
    def entered(self: Any, event: Any, context: Any) -> Any:
        # The stage the function runs as (chalicelib/config.py reads the same variable): the tests
        # run the local stage, and the packaged one too (tests/integration/api/packaged_stage.py).
        stage = os.environ.get("SHOBBAK_STAGE") or LOCAL_STAGE
        with serving(who(self, event) + ("" if stage == LOCAL_STAGE else _IN_STAGE + stage)):
            return call(self, event, context)

    return entered


def _route(app: Any, event: Any) -> str:
    context = event.get("requestContext") or {}
    method = context.get("httpMethod", event.get("httpMethod"))
    return f"route {method} {context.get('resourcePath', event.get('resource'))}"


def _handler(handler: Any, event: Any) -> str:
    function = handler.func
    return f"handler {function.__module__}.{function.__name__}"


_installed = False


def install() -> None:
    """From now on, every client created records its calls, and Chalice's entry points who serves."""
    global _installed
    if _installed:
        return
    _installed = True
    botocore.session.Session.create_client = _hooked_client(botocore.session.Session.create_client)
    Chalice.__call__ = _entered(Chalice.__call__, _route)
    EventSourceHandler.__call__ = _entered(EventSourceHandler.__call__, _handler)
    ChaliceAuthorizer.__call__ = _entered(ChaliceAuthorizer.__call__, _handler)
