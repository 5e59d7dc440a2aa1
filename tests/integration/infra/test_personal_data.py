"""Who may read the applicants' personal data, and who did read the documents (issue 22, defect 12),
read from the packaged template (infra/personal-data.yaml says why it is built this way).

The key policy is evaluated here for the principals that matter, by IAM's rules for the parts it
uses: a statement applies when its action matches and every condition holds (each key of a
condition operator must match one of its values); Deny is not used in it, so one Allow decides.
The account is the key policy's principal, so a caller also needs IAM's own grant: both are asked.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

import pytest

from tests.integration.infra.test_packaged_template import as_list, of_type, referenced, statements

ACCOUNT, REGION, PARTITION = "123456789012", "eu-central-1", "aws"
THROUGH_DYNAMODB = f"dynamodb.{REGION}.amazonaws.com"
# What reading or writing an item through DynamoDB asks of the table's key for its caller.
TABLE_USE = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:DescribeKey")
DIRECT_USE = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant")
ADMINISTRATOR = f"arn:aws:iam::{ACCOUNT}:role/Administrator"


def resolved(value: Any, stage: str) -> Any:
    """A !Sub of the account's pseudo parameters and Stage, as CloudFormation resolves it."""
    if isinstance(value, list):
        return [resolved(item, stage) for item in value]
    if isinstance(value, dict) and "Fn::Sub" in value:
        known = {"AWS::Partition": PARTITION, "AWS::AccountId": ACCOUNT, "AWS::Region": REGION, "Stage": stage}
        return re.sub(r"\$\{([^}]+)\}", lambda match: known[match.group(1)], value["Fn::Sub"])
    if value == {"Ref": "AWS::AccountId"}:
        return ACCOUNT
    if isinstance(value, dict):
        return {key: resolved(item, stage) for key, item in value.items()}
    return value


def key_policy_allows(
    template: dict[str, Any], stage: str, principal: str, action: str, context: dict[str, str]
) -> bool:
    """Whether PersonalDataKey's policy lets `principal` (of this account) call `action` in `context`."""
    policy = template["Resources"]["PersonalDataKey"]["Properties"]["KeyPolicy"]
    request = {"aws:PrincipalArn": principal, "kms:CallerAccount": ACCOUNT, **context}
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"  # a Deny would need the evaluation of both
        if resolved(statement["Principal"], stage) != {"AWS": f"arn:{PARTITION}:iam::{ACCOUNT}:root"}:
            continue  # a service's own statement: not an account principal's
        if not any(fnmatch.fnmatchcase(action, pattern) for pattern in as_list(statement["Action"])):
            continue
        if all(_holds(operator, key, resolved(expected, stage), request)
               for operator, keys in statement.get("Condition", {}).items()
               for key, expected in keys.items()):  # fmt: skip
            return True
    return False


def _holds(operator: str, key: str, expected: Any, request: dict[str, str]) -> bool:
    assert operator in {"StringEquals", "ArnEquals", "Bool"}, operator  # what this evaluator knows
    return key in request and request[key] in [str(value).lower() if operator == "Bool" else value
                                               for value in as_list(expected)]  # fmt: skip


def applicants_roles(template: dict[str, Any]) -> set[str]:
    """The roles (logical names) whose policies reach the applicants table."""
    return {name for name, role in of_type(template, "AWS::IAM::Role").items()
            if any("ApplicantsTable" in str(statement["Resource"]) for statement in statements(role)
                   if "Resource" in statement)}  # fmt: skip


def role_arn(template: dict[str, Any], stage: str, role: str) -> str:
    name = resolved(template["Resources"][role]["Properties"]["RoleName"], stage)
    return f"arn:{PARTITION}:iam::{ACCOUNT}:role/{name}"


def iam_grants_the_key(template: dict[str, Any], role: str, action: str) -> bool:
    for policy in of_type(template, "AWS::IAM::Policy").values():
        if role not in [referenced(attached) for attached in policy["Properties"]["Roles"]]:
            continue
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            names_key = referenced(statement["Resource"]) == "PersonalDataKey"
            via = statement.get("Condition", {}).get("StringEquals", {}).get("kms:ViaService", {})
            if (
                names_key
                and "dynamodb" in str(via)
                and any(fnmatch.fnmatchcase(action, pattern) for pattern in as_list(statement["Action"]))
            ):
                return True
    return False


def test_the_applicants_table_is_under_a_key_of_its_own_that_rotates(template: dict[str, Any]) -> None:
    encryption = template["Resources"]["ApplicantsTable"]["Properties"]["SSESpecification"]
    key = template["Resources"]["PersonalDataKey"]

    assert encryption["SSEEnabled"] is True
    assert encryption["SSEType"] == "KMS"
    assert referenced(encryption["KMSMasterKeyId"]) == "PersonalDataKey"
    assert key["Properties"]["EnableKeyRotation"] is True
    # Nothing else is under it: the operations key's readers (CloudWatch, Logs) never are.
    users = [name for name, resource in template["Resources"].items()
             if "PersonalDataKey" in str(resource.get("Properties", {}))]  # fmt: skip
    assert sorted(users) == ["ApplicantsKeyThroughDynamoDb", "ApplicantsTable", "PersonalDataKeyAlias"]


def test_exactly_the_functions_that_reach_applicants_may_use_its_key_and_only_through_dynamodb(
    template: dict[str, Any], stage: str
) -> None:
    reaching = applicants_roles(template)
    assert reaching == {
        "ApiHandlerRole", "OfficeApiRole", "DeliverMessagesRole", "SweepMessagesRole", "RecordWhatsappReceiptsRole"
    }  # fmt: skip
    through_dynamodb = {"kms:ViaService": THROUGH_DYNAMODB}
    others = [role for role in of_type(template, "AWS::IAM::Role") if role not in reaching]
    assert others

    for role in reaching:
        arn = role_arn(template, stage, role)
        for action in TABLE_USE:
            assert key_policy_allows(template, stage, arn, action, through_dynamodb), (role, action)
            assert iam_grants_the_key(template, role, action), (role, action)
        for action in DIRECT_USE:  # the key never decrypts what a role brings to KMS itself
            assert not key_policy_allows(template, stage, arn, action, {}), (role, action)
    for role in others:
        assert not iam_grants_the_key(template, role, "kms:Decrypt"), role
        assert "RoleName" not in template["Resources"][role]["Properties"] or not key_policy_allows(
            template, stage, role_arn(template, stage, role), "kms:Decrypt", through_dynamodb
        ), role
    # An administrator (AdministratorAccess grants kms:* in IAM) administers it but reads nothing.
    assert not key_policy_allows(template, stage, ADMINISTRATOR, "kms:Decrypt", through_dynamodb)
    assert key_policy_allows(template, stage, ADMINISTRATOR, "kms:PutKeyPolicy", {})


def test_dynamodb_may_keep_the_table_under_the_key_whoever_deploys_it(template: dict[str, Any], stage: str) -> None:
    """CloudFormation creating or updating the table, or a restore (runbook section 6), creates
    DynamoDB's grants as its caller; a grant for anything but an AWS resource, or outside
    DynamoDB, is refused."""
    deployer = ADMINISTRATOR
    for_the_table = {"kms:ViaService": THROUGH_DYNAMODB, "kms:GrantIsForAWSResource": "true"}

    assert key_policy_allows(template, stage, deployer, "kms:CreateGrant", for_the_table)
    assert key_policy_allows(template, stage, deployer, "kms:DescribeKey", for_the_table)
    assert not key_policy_allows(template, stage, deployer, "kms:CreateGrant", {"kms:ViaService": THROUGH_DYNAMODB})
    assert not key_policy_allows(template, stage, deployer, "kms:CreateGrant", {"kms:GrantIsForAWSResource": "true"})
    key = template["Resources"]["PersonalDataKey"]
    services = [statement["Principal"] for statement in key["Properties"]["KeyPolicy"]["Statement"]
                if "Service" in statement["Principal"]]  # fmt: skip
    assert services == [{"Service": "dynamodb.amazonaws.com"}]
    assert key["DeletionPolicy"] == "RetainExceptOnCreate"  # the retained table needs it


def test_the_key_policy_names_the_roles_without_depending_on_them(template: dict[str, Any]) -> None:
    """A reference to a role from the key policy would close a cycle (key, roles, table, key),
    and a role named as a Principal must exist before the key: fixed names in a condition."""
    key = str(template["Resources"]["PersonalDataKey"]["Properties"])

    for role in applicants_roles(template):
        assert f"'Ref': '{role}'" not in key, role
        assert f"'{role}'" not in key, role


@pytest.mark.parametrize(
    ("bucket", "ownership"),
    [("DocumentAccessLogsBucket", "BucketOwnerEnforced"), ("EdgeAccessLogsBucket", "BucketOwnerPreferred")],
)
def test_each_access_log_is_private_kept_a_year_and_cannot_be_deleted_by_hand(
    template: dict[str, Any], bucket: str, ownership: str
) -> None:
    properties = template["Resources"][bucket]["Properties"]
    policy = template["Resources"][f"{bucket}Policy"]["Properties"]["PolicyDocument"]["Statement"]

    assert all(properties["PublicAccessBlockConfiguration"].values())
    [encryption] = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}  # what log delivery writes
    # CloudFront's standard logs are written through the bucket's ACL; S3's through its policy.
    assert properties["OwnershipControls"]["Rules"] == [{"ObjectOwnership": ownership}]
    expiries = [rule["ExpirationInDays"] for rule in properties["LifecycleConfiguration"]["Rules"]
                if "ExpirationInDays" in rule]  # fmt: skip
    assert expiries == [365]
    denied = [statement for statement in policy if statement["Effect"] == "Deny" and statement["Principal"] == "*"
              and "s3:DeleteObject" in as_list(statement["Action"]) and "Condition" not in statement]  # fmt: skip
    assert denied, bucket
    assert template["Resources"][bucket]["DeletionPolicy"] == "RetainExceptOnCreate"


def test_every_read_of_a_document_and_every_request_at_the_edge_is_logged(template: dict[str, Any]) -> None:
    documents = template["Resources"]["DocumentsBucket"]["Properties"]["LoggingConfiguration"]
    delivery = template["Resources"]["DocumentAccessLogsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    edge = template["Resources"]["PortalDistribution"]["Properties"]["DistributionConfig"]["Logging"]

    assert referenced(documents["DestinationBucketName"]) == "DocumentAccessLogsBucket"
    assert documents["TargetObjectKeyFormat"] == {"PartitionedPrefix": {"PartitionDateSource": "EventTime"}}
    [writer] = [statement for statement in delivery if statement["Effect"] == "Allow"]
    assert writer["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert writer["Action"] == "s3:PutObject"
    assert documents["LogFilePrefix"] in writer["Resource"]["Fn::Sub"]
    assert referenced(writer["Condition"]["ArnLike"]["aws:SourceArn"]) == "DocumentsBucket"
    # CloudFront wants the bucket's global domain name (bucket.s3.amazonaws.com).
    assert edge["Bucket"] == {"Fn::GetAtt": ["EdgeAccessLogsBucket", "DomainName"]}
    assert edge["IncludeCookies"] is False
