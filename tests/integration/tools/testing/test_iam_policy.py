"""tools/testing/iam_policy.py against IAM's documented evaluation rules (IAM User Guide:
reference_policies_evaluation-logic, reference_policies_elements_action, _resource, _notresource,
_notaction). The recorder's mapping of calls to what IAM authorizes is tested in
tests/unit/tools/testing/test_aws_call_recorder.py; the one test here that needs both stays."""

from __future__ import annotations

import yaml

from tests.iam_enforcement import Template, imported, local_staff_pool_id
from tests.integration.infra.conftest import packaged
from tools.testing.aws_call_recorder import s3_calls
from tools.testing.iam_policy import evaluate

TABLE = "arn:aws:dynamodb:eu-central-1:123456789012:table/shobbak-local-requests"


def allow(action: object, resource: object, **more: object) -> dict[str, object]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **more}


def test_a_request_no_statement_allows_is_denied_implicitly() -> None:
    decision = evaluate([allow("dynamodb:GetItem", TABLE)], "dynamodb:PutItem", TABLE)
    assert not decision.allowed
    assert decision.denied_by == ()
    assert not evaluate([], "dynamodb:GetItem", TABLE).allowed


def test_an_explicit_deny_overrides_any_allow() -> None:
    statements = [
        allow("dynamodb:*", "*"),
        {"Effect": "Deny", "Action": "dynamodb:DeleteItem", "Resource": TABLE, "Sid": "No"},
    ]
    assert not evaluate(statements, "dynamodb:DeleteItem", TABLE).allowed
    assert evaluate(statements, "dynamodb:DeleteItem", TABLE).denied_by == ("No",)
    assert evaluate(statements, "dynamodb:GetItem", TABLE).allowed


def test_actions_match_without_regard_to_case_with_star_and_question_mark() -> None:
    assert evaluate([allow("DynamoDB:getitem", TABLE)], "dynamodb:GetItem", TABLE).allowed
    assert evaluate([allow("dynamodb:Get*", TABLE)], "dynamodb:GetItem", TABLE).allowed
    assert evaluate([allow("s3:GetObject?ersion", "*")], "s3:GetObjectVersion", "arn:aws:s3:::b/k").allowed
    assert not evaluate([allow("dynamodb:Get*", TABLE)], "dynamodb:BatchGetItem", TABLE).allowed


def test_resources_match_with_regard_to_case() -> None:
    assert not evaluate(
        [allow("s3:GetObject", "arn:aws:s3:::b/Uploads/*")], "s3:GetObject", "arn:aws:s3:::b/uploads/x"
    ).allowed


def test_a_star_runs_over_slashes_and_past_colons_only_at_a_segments_end() -> None:
    uploads = [allow("s3:GetObject", "arn:aws:s3:::b/uploads/*")]
    assert evaluate(uploads, "s3:GetObject", "arn:aws:s3:::b/uploads/2025/a/b.pdf").allowed
    assert evaluate([allow("sns:Publish", "arn:aws:sns:*")], "sns:Publish", "arn:aws:sns:eu-central-1:1:t").allowed
    within = [allow("sns:Publish", "arn:aws:sns:eu-*-1:1:t")]
    assert evaluate(within, "sns:Publish", "arn:aws:sns:eu-central-1:1:t").allowed
    assert not evaluate(within, "sns:Publish", "arn:aws:sns:eu-x:y-1:1:t").allowed  # a mid-segment * stops at a colon
    assert not evaluate(
        [allow("sns:Publish", "arn:aws:sns:eu-central-?:1:t")], "sns:Publish", "arn:aws:sns:eu-central-10:1:t"
    ).allowed


def test_an_index_is_a_resource_of_its_own() -> None:
    index = f"{TABLE}/index/opened"
    assert not evaluate([allow("dynamodb:Query", TABLE)], "dynamodb:Query", index).allowed
    assert evaluate([allow("dynamodb:Query", f"{TABLE}/index/*")], "dynamodb:Query", index).allowed


def test_not_resource_grants_everything_but_what_it_names() -> None:
    sms = [{"Effect": "Allow", "Action": "sns:Publish", "NotResource": "arn:aws:sns:*:*:*"}]
    assert evaluate(sms, "sns:Publish", "*").allowed  # a phone number, which has no ARN
    assert not evaluate(sms, "sns:Publish", "arn:aws:sns:eu-central-1:1:alerts").allowed


def test_not_action_grants_every_other_action() -> None:
    statements = [{"Effect": "Allow", "NotAction": "dynamodb:Delete*", "Resource": TABLE}]
    assert evaluate(statements, "dynamodb:PutItem", TABLE).allowed
    assert not evaluate(statements, "dynamodb:DeleteItem", TABLE).allowed


def test_a_condition_is_not_evaluated_but_named() -> None:
    statements = [allow("kms:Decrypt", "*", Sid="ViaDynamoDB", Condition={"StringEquals": {"kms:ViaService": "x"}})]
    decision = evaluate(statements, "kms:Decrypt", "arn:aws:kms:eu-central-1:1:key/k")
    assert decision.allowed
    assert decision.conditions_ignored == ("ViaDynamoDB",)


def test_deleting_several_objects_is_authorized_per_key_as_delete_object_or_its_version() -> None:
    objects = [{"Key": "uploads/a"}, {"Key": "uploads/b", "VersionId": "v1"}]
    assert s3_calls("DeleteObjects", {"Bucket": "b", "Delete": {"Objects": objects}}) == [
        ("s3:DeleteObject", "arn:aws:s3:::b/uploads/a"),
        ("s3:DeleteObjectVersion", "arn:aws:s3:::b/uploads/b"),
    ]
    granted = [allow("s3:DeleteObject", "arn:aws:s3:::b/uploads/*")]
    (plain, versioned) = s3_calls("DeleteObjects", {"Bucket": "b", "Delete": {"Objects": objects}})
    assert evaluate(granted, *plain).allowed
    assert not evaluate(granted, *versioned).allowed  # a version's delete is an action of its own


def test_the_office_role_signs_in_to_the_pool_it_imports_and_no_other() -> None:
    template = Template(yaml.safe_load(packaged("dev").read_text(encoding="utf-8")))
    pool = imported("shobbak-local-staff-pool-arn")
    assert pool == f"arn:aws:cognito-idp:eu-central-1:123456789012:userpool/{local_staff_pool_id()}"
    office = template.roles["OfficeAPIHandler"]
    assert evaluate(office, "cognito-idp:AdminInitiateAuth", pool).allowed
    assert evaluate(office, "cognito-idp:ListUsersInGroup", pool).allowed
    other_pool = "arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_other"
    assert not evaluate(office, "cognito-idp:AdminInitiateAuth", other_pool).allowed
    assert not evaluate(office, "cognito-idp:AdminGetUser", pool).allowed
    assert not evaluate(template.roles["APIHandler"], "cognito-idp:AdminInitiateAuth", pool).allowed
