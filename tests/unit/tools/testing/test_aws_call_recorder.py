"""The recorder's mapping of each AWS call to the (action, resource) pairs IAM authorizes
(tools/testing/aws_call_recorder.py), which tests/iam_enforcement.py judges against each role."""

from __future__ import annotations

from tools.testing.aws_call_recorder import (
    cognito_calls,
    dynamodb_calls,
    iam_calls,
    resource_part,
    s3_calls,
    sms_voice_identity,
    stage_of,
)


def test_each_action_of_a_transaction_is_authorized_on_its_own() -> None:
    items = [{"Put": {"TableName": "a"}}, {"Update": {"TableName": "b"}}, {"ConditionCheck": {"TableName": "c"}}]
    assert [action for action, _ in dynamodb_calls("TransactWriteItems", {"TransactItems": items}, "r")] == [
        "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem",
    ]  # fmt: skip
    (query,) = dynamodb_calls("Query", {"TableName": "t", "IndexName": "opened"}, "eu-central-1")
    assert query == ("dynamodb:Query", "arn:aws:dynamodb:eu-central-1:123456789012:table/t/index/opened")


def test_reading_a_given_version_needs_get_object_version() -> None:
    assert s3_calls("HeadObject", {"Bucket": "b", "Key": "k", "VersionId": "1"}) == [
        ("s3:GetObjectVersion", "arn:aws:s3:::b/k")
    ]
    assert s3_calls("GetObject", {"Bucket": "b", "Key": "k"}) == [("s3:GetObject", "arn:aws:s3:::b/k")]
    assert ("s3:GetObjectVersion", "arn:aws:s3:::b/k") in s3_calls(
        "CopyObject", {"Bucket": "b", "Key": "k", "CopySource": {"Bucket": "b", "Key": "k", "VersionId": "1"}}
    )


def test_a_voice_message_is_authorized_against_its_origination_identity() -> None:
    assert sms_voice_identity("pool-abc", "eu-central-1") == "arn:aws:sms-voice:eu-central-1:123456789012:pool/pool-abc"
    assert sms_voice_identity("arn:aws:sms-voice:r:1:phone-number/p", "r") == "arn:aws:sms-voice:r:1:phone-number/p"


def test_cognitos_public_and_token_authorized_calls_need_no_iam_action() -> None:
    for operation, params in [
        ("InitiateAuth", {"ClientId": "c"}),
        ("RespondToAuthChallenge", {"ClientId": "c", "Session": "s"}),
        ("AssociateSoftwareToken", {"Session": "s"}),
        ("VerifySoftwareToken", {"Session": "s", "UserCode": "123456"}),
        ("SetUserMFAPreference", {"AccessToken": "t"}),
        ("GlobalSignOut", {"AccessToken": "t"}),
        ("ForgotPassword", {"ClientId": "c", "Username": "u"}),
        ("ConfirmForgotPassword", {"ClientId": "c", "Username": "u"}),
        ("ChangePassword", {"AccessToken": "t"}),
        ("GetUser", {"AccessToken": "t"}),
        ("RevokeToken", {"Token": "t", "ClientId": "c"}),
    ]:
        assert iam_calls("cognito-idp", "cognito-idp", operation, params, "eu-central-1") == [], operation


def test_cognitos_admin_calls_are_authorized_on_the_pool() -> None:
    pool = "arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_abc"
    for operation in ("AdminInitiateAuth", "AdminGetUser", "AdminUserGlobalSignOut", "ListUsersInGroup"):
        assert cognito_calls(operation, {"UserPoolId": "eu-central-1_abc"}, "eu-central-1") == [
            (f"cognito-idp:{operation}", pool)
        ]


def test_batches_are_authorized_per_table_and_a_call_without_a_table_on_everything() -> None:
    items = {"RequestItems": {"a": {}, "b": {}}}
    assert dynamodb_calls("BatchGetItem", items, "r") == [
        ("dynamodb:BatchGetItem", "arn:aws:dynamodb:r:123456789012:table/a"),
        ("dynamodb:BatchGetItem", "arn:aws:dynamodb:r:123456789012:table/b"),
    ]
    assert dynamodb_calls("TransactGetItems", {"TransactItems": [{"Get": {"TableName": "a"}}]}, "r") == [
        ("dynamodb:GetItem", "arn:aws:dynamodb:r:123456789012:table/a")
    ]
    assert dynamodb_calls("ListTables", {}, "r") == [("dynamodb:ListTables", "*")]


def test_an_sms_topic_and_parameters_are_named_by_their_arns() -> None:
    assert iam_calls("sns", "sns", "Publish", {"PhoneNumber": "+201012345678"}, "r") == [("sns:Publish", "*")]
    assert iam_calls("sns", "sns", "Publish", {"TopicArn": "arn:aws:sns:r:1:t"}, "r") == [
        ("sns:Publish", "arn:aws:sns:r:1:t")
    ]
    assert iam_calls("ssm", "ssm", "GetParameters", {"Names": ["/shobbak/local/a", "b"]}, "r") == [
        ("ssm:GetParameters", "arn:aws:ssm:r:123456789012:parameter/shobbak/local/a"),
        ("ssm:GetParameters", "arn:aws:ssm:r:123456789012:parameter/b"),
    ]
    assert iam_calls("s3", "s3", "ListObjectsV2", {"Bucket": "b"}, "r") == [("s3:ListBucket", "arn:aws:s3:::b")]
    assert iam_calls("xray", "xray", "PutTraceSegments", {}, "r") == [("xray:PutTraceSegments", "*")]


def test_a_resource_is_what_follows_the_arns_account_and_a_stage_is_named_by_who_served() -> None:
    assert resource_part("arn:aws:ssm:r:123456789012:parameter/shobbak/local/x") == "parameter/shobbak/local/x"
    assert resource_part("*") == "*"
    assert stage_of("route GET /v1/x in stage dev") == ("dev", "route GET /v1/x")
    assert stage_of("handler chalicelib.handlers.deliver") == ("local", "handler chalicelib.handlers.deliver")
