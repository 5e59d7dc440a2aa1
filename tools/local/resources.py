"""Deploys infra/resources.yaml, the one definition of Shobbak's tables, into CloudFormation.

The local stack deploys it into the moto server, the tests into moto in process: both get
exactly the tables that AWS gets, built by CloudFormation from the same file.
"""

from __future__ import annotations

from typing import Any

from tools import PROJECT

RESOURCES_TEMPLATE = PROJECT / "infra" / "resources.yaml"


def deploy_resources(cloudformation: Any, stage: str, s3: Any = None) -> dict[str, str]:
    """Creates the stack for `stage` and returns its outputs (logical name to value). With an S3
    client, also applies the bucket settings moto's CloudFormation skips (see settle_buckets)."""
    stack_name = f"shobbak-{stage}-resources"
    cloudformation.create_stack(
        StackName=stack_name,
        TemplateBody=RESOURCES_TEMPLATE.read_text(encoding="utf-8"),
        Parameters=[{"ParameterKey": "Stage", "ParameterValue": stage}],
    )
    cloudformation.get_waiter("stack_create_complete").wait(
        StackName=stack_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
    )
    if s3 is not None:
        settle_buckets(cloudformation, s3, stack_name)
    return deployed_outputs(cloudformation, stage)


def deployed_outputs(cloudformation: Any, stage: str) -> dict[str, str]:
    """The outputs (logical name to value) of the stack deployed for `stage`."""
    stack = cloudformation.describe_stacks(StackName=f"shobbak-{stage}-resources")["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def settle_buckets(cloudformation: Any, s3: Any, stack_name: str) -> None:
    """moto's CloudFormation creates a bucket but ignores its versioning, encryption, public
    access block and lifecycle: they are applied here through the S3 API, read from the same
    template, so that the local bucket is configured as the deployed one is."""
    from tools.local.template_yaml import load_template

    template = load_template(RESOURCES_TEMPLATE)
    defaults = {name: spec.get("Default") for name, spec in template.get("Parameters", {}).items()}
    physical = {
        resource.get("LogicalResourceId"): resource.get("PhysicalResourceId")
        for resource in cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]
    }
    for logical, resource in template["Resources"].items():
        if resource["Type"] != "AWS::S3::Bucket":
            continue
        bucket, properties = physical.get(logical), resource.get("Properties", {})
        if bucket is None:
            raise RuntimeError(f"the stack has no bucket {logical}")
        if "VersioningConfiguration" in properties:
            s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration=dict(properties["VersioningConfiguration"]))
        if "BucketEncryption" in properties:
            rules = [
                {"ApplyServerSideEncryptionByDefault": dict(rule["ServerSideEncryptionByDefault"])}
                for rule in properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
            ]
            s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": rules})
        if "PublicAccessBlockConfiguration" in properties:
            block = dict(properties["PublicAccessBlockConfiguration"])
            s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=block)
        if "LifecycleConfiguration" in properties:
            rules = [_lifecycle_rule(rule, defaults) for rule in properties["LifecycleConfiguration"]["Rules"]]
            s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})


def _lifecycle_rule(rule: dict[str, Any], parameters: dict[str, Any]) -> dict[str, Any]:
    """One rule of CloudFormation's lifecycle shape in the S3 API's shape (the keys the template uses)."""

    def value(raw: Any) -> Any:
        return int(parameters[raw["Ref"]]) if isinstance(raw, dict) and "Ref" in raw else raw

    tags = [{"Key": tag["Key"], "Value": tag["Value"]} for tag in rule.get("TagFilters", [])]
    converted: dict[str, Any] = {"ID": rule["Id"], "Status": rule["Status"], "Filter": {"Prefix": ""}}
    if len(tags) == 1:
        converted["Filter"] = {"Tag": tags[0]}
    elif tags:
        converted["Filter"] = {"And": {"Tags": tags}}
    if "ExpirationInDays" in rule:
        converted["Expiration"] = {"Days": value(rule["ExpirationInDays"])}
    if "ExpiredObjectDeleteMarker" in rule:
        converted["Expiration"] = {"ExpiredObjectDeleteMarker": rule["ExpiredObjectDeleteMarker"]}
    if "NoncurrentVersionExpiration" in rule:
        converted["NoncurrentVersionExpiration"] = {
            "NoncurrentDays": rule["NoncurrentVersionExpiration"]["NoncurrentDays"]
        }
    if "AbortIncompleteMultipartUpload" in rule:
        converted["AbortIncompleteMultipartUpload"] = dict(rule["AbortIncompleteMultipartUpload"])
    return converted
