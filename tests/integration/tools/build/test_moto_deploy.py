"""tools/build/moto_deploy.py on small templates: what CloudFormation would refuse before creating, what
moto leaves out (recorded, never created), and moto put back as it was afterwards.
tests/integration/infra/test_deploy_into_moto.py uses it on the packaged template."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.conftest import PROJECT, TEST_REGION
from tools.build.moto_deploy import NOT_EMULATED, StackFailed, create_stack, moto_gaps, refusals, with_code_in

TEMPLATE: dict[str, Any] = {
    "Parameters": {
        "Stage": {"Type": "String", "AllowedValues": ["dev", "prod"]},
        "AlertEmail": {"Type": "String", "AllowedPattern": "^[^@]+@[^@]+$"},
        "Domain": {"Type": "String", "Default": ""},
        "Address": {"Type": "String", "Default": ""},
    },
    "Rules": {
        "AddressKnown": {
            "Assertions": [
                {
                    "Assert": {
                        "Fn::Or": [
                            {"Fn::Not": [{"Fn::Equals": [{"Ref": "Domain"}, ""]}]},
                            {"Fn::Not": [{"Fn::Equals": [{"Ref": "Address"}, ""]}]},
                        ]
                    },
                    "AssertDescription": "Give Domain or Address.",
                }
            ]
        }
    },
    "Resources": {},
}


def test_parameters_are_refused_as_cloudformation_refuses_them() -> None:
    assert refusals(TEMPLATE, {"Stage": "dev"}, TEST_REGION) == ["AlertEmail: not given and no default"]
    assert refusals(TEMPLATE, {"Stage": "test", "AlertEmail": "oncall"}, TEST_REGION) == [
        "Stage: 'test' not in ['dev', 'prod']",
        "AlertEmail: does not match ^[^@]+@[^@]+$",
    ]
    given = {"Stage": "dev", "AlertEmail": "oncall@giza.gov.eg"}
    assert refusals(TEMPLATE, given, TEST_REGION) == ["AddressKnown: Give Domain or Address."]
    assert refusals(TEMPLATE, given | {"Address": "https://portal"}, TEST_REGION) == []


def test_the_edge_stack_is_refused_outside_us_east_1() -> None:
    from cfnlint.decode import cfn_yaml

    edge = cfn_yaml.load(str(PROJECT / "infra" / "edge-waf.yaml"))

    assert refusals(edge, {"Stage": "prod"}, "eu-central-1") == [
        "OnlyInUsEast1: A CLOUDFRONT-scope web ACL can only be created in us-east-1."
    ]
    assert refusals(edge, {"Stage": "prod"}, "us-east-1") == []


def test_a_refused_stack_is_not_created() -> None:
    with mock_aws():
        cloudformation = boto3.client("cloudformation", region_name=TEST_REGION)
        with pytest.raises(StackFailed, match="AddressKnown"):
            create_stack(cloudformation, "refused", TEMPLATE, {"Stage": "dev", "AlertEmail": "oncall@giza.gov.eg"})

        assert cloudformation.list_stacks()["StackSummaries"] == []


def test_what_moto_cannot_create_is_recorded_and_not_created() -> None:
    template = {
        "Resources": {
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "kept"}},
            "Alarm": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {"AlarmActions": [{"Fn::GetAtt": ["Queue", "Arn"]}]},
            },
        },
        "Outputs": {"AlarmArn": {"Value": {"Fn::GetAtt": ["Alarm", "Arn"]}}},
    }
    with mock_aws(), moto_gaps() as gaps:
        outputs = create_stack(boto3.client("cloudformation", region_name=TEST_REGION), "gaps", template, {})

        assert gaps.skipped == {"Alarm": "AWS::CloudWatch::Alarm"}
        assert outputs == {"AlarmArn": f"{NOT_EMULATED}-Alarm.Arn"}
        assert boto3.client("cloudwatch", region_name=TEST_REGION).describe_alarms()["MetricAlarms"] == []
        assert boto3.client("sqs", region_name=TEST_REGION).get_queue_url(QueueName="kept")["QueueUrl"]


def test_moto_is_put_back_as_it_was() -> None:
    from moto.cloudformation import parsing
    from moto.kms.models import Key

    resource_class_from_type, create_key = (
        parsing.resource_class_from_type,
        Key.__dict__["create_from_cloudformation_json"],
    )
    with mock_aws(), moto_gaps():
        assert parsing.resource_class_from_type is not resource_class_from_type

    assert parsing.resource_class_from_type is resource_class_from_type
    assert Key.__dict__["create_from_cloudformation_json"] is create_key
    assert parsing.resource_class_from_type("AWS::CloudWatch::Alarm") is None


def test_every_function_is_pointed_at_the_uploaded_zip() -> None:
    sam = {"Resources": {
        "One": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "./deployment.zip"}},
        "Two": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "./deployment.zip"}},
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
    }}  # fmt: skip

    pointed = with_code_in(sam, "artefacts", "prod/deployment.zip")

    assert [resource["Properties"].get("CodeUri") for resource in pointed["Resources"].values()] == [
        "s3://artefacts/prod/deployment.zip", "s3://artefacts/prod/deployment.zip", None,
    ]  # fmt: skip
    assert sam["Resources"]["One"]["Properties"]["CodeUri"] == "./deployment.zip"  # the packaged template untouched
