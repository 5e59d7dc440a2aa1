"""infra/resources.yaml deployed into moto's CloudFormation as the local stack and the tests deploy
it, the bucket settings moto's CloudFormation skips applied through S3 (tools/local/resources.py).
The `aws` fixture deploys the local stage with it; these tests read what it made."""

from __future__ import annotations

import boto3
from cfnlint.decode import cfn_yaml

from tests.conftest import TEST_REGION
from tools.local.resources import RESOURCES_TEMPLATE, deploy_resources, deployed_outputs


def documents_bucket() -> str:
    return deployed_outputs(boto3.client("cloudformation", region_name=TEST_REGION), "local")["DocumentsBucketName"]


def test_the_outputs_name_every_table_topic_and_bucket_of_the_stage(aws: None) -> None:
    outputs = deployed_outputs(boto3.client("cloudformation", region_name=TEST_REGION), "local")

    declared = cfn_yaml.load(str(RESOURCES_TEMPLATE))["Outputs"]
    assert set(outputs) == set(declared)
    assert outputs["RequestsTableName"] == "shobbak-local-requests"
    tables = set(boto3.client("dynamodb", region_name=TEST_REGION).list_tables()["TableNames"])
    assert {value for key, value in outputs.items() if key.endswith("TableName")} <= tables


def test_the_documents_bucket_is_versioned_encrypted_and_private_as_deployed(aws: None) -> None:
    s3 = boto3.client("s3", region_name=TEST_REGION)
    bucket = documents_bucket()

    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    [rule] = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())


def test_the_buckets_lifecycle_is_the_templates_in_the_s3_apis_shape(aws: None) -> None:
    rules = boto3.client("s3", region_name=TEST_REGION).get_bucket_lifecycle_configuration(Bucket=documents_bucket())
    by_id = {rule["ID"]: rule for rule in rules["Rules"]}

    closed = by_id["delete-after-the-request-closes"]
    assert closed["Filter"] == {"Tag": {"Key": "retention", "Value": "request-closed"}}
    assert closed["Expiration"]["Days"] > 0  # the DocumentRetentionDays parameter's default
    old = by_id["old-versions-and-abandoned-uploads"]
    assert old["NoncurrentVersionExpiration"]["NoncurrentDays"] == 1
    assert old["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}
    assert by_id["expired-delete-markers"]["Expiration"] == {"ExpiredObjectDeleteMarker": True}


def test_another_stage_gets_tables_of_its_own_from_the_same_file(aws: None) -> None:
    cloudformation = boto3.client("cloudformation", region_name=TEST_REGION)

    outputs = deploy_resources(cloudformation, "dev")

    assert outputs["RequestsTableName"] == "shobbak-dev-requests"
    assert deployed_outputs(cloudformation, "local")["RequestsTableName"] == "shobbak-local-requests"
