"""The `aws` fixture deploys the stack once and puts it back before each test (tests/moto_state.py):
what one test leaves in moto, the next must not see, and the stack must be whole again."""

from __future__ import annotations

import boto3
from botocore.config import Config
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from tests.conftest import TEST_REGION, MotoStack

TABLE = "shobbak-local-requests"
STREAMED_TABLE = TABLE
BUCKET_PREFIX = "shobbak-local-documents-"


def _bucket() -> str:
    [bucket] = [b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"] if b["Name"].startswith(BUCKET_PREFIX)]
    return bucket


def _leave_state_everywhere() -> None:
    dynamodb, s3, sns, sqs = (boto3.client(name, region_name=TEST_REGION) for name in ("dynamodb", "s3", "sns", "sqs"))
    dynamodb.put_item(TableName=TABLE, Item={"tracking_number": {"S": "left"}, "item": {"S": "behind"}})
    s3.put_object(Bucket=_bucket(), Key="left-behind", Body=b"x")
    s3.put_object(Bucket=_bucket(), Key="left-behind", Body=b"y")
    sns.publish(PhoneNumber="+201000000000", Message="left behind")
    sns.opt_in_phone_number(phoneNumber=sns.list_phone_numbers_opted_out()["phoneNumbers"][0])
    topic = sns.list_topics()["Topics"][0]["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sms", Endpoint="+201000000002")
    queue = sqs.list_queues()["QueueUrls"][0]
    sqs.send_message(QueueUrl=queue, MessageBody="left behind")
    boto3.client("ssm", region_name=TEST_REGION).put_parameter(Name="/left/behind", Value="x", Type="String")
    boto3.client("dynamodb", region_name="us-east-1").create_table(
        TableName="elsewhere",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def _state() -> dict[str, object]:
    """What a test could read of moto's state, through the APIs."""
    dynamodb, s3, sns, sqs = (boto3.client(name, region_name=TEST_REGION) for name in ("dynamodb", "s3", "sns", "sqs"))
    streams = boto3.client(
        "dynamodbstreams", region_name=TEST_REGION, config=Config(account_id_endpoint_mode="disabled")
    )
    stream_arn = dynamodb.describe_table(TableName=STREAMED_TABLE)["Table"]["LatestStreamArn"]
    [shard] = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    return {
        "tables": sorted(dynamodb.list_tables()["TableNames"]),
        "items": {name: dynamodb.scan(TableName=name)["Items"] for name in dynamodb.list_tables()["TableNames"]},
        "stream records": streams.get_records(ShardIterator=iterator)["Records"],
        "buckets": sorted(bucket["Name"] for bucket in s3.list_buckets()["Buckets"]),
        "versions": s3.list_object_versions(Bucket=_bucket()).get("Versions", []),
        "versioning": s3.get_bucket_versioning(Bucket=_bucket()).get("Status"),
        "sms": dict(sns_backends[DEFAULT_ACCOUNT_ID][TEST_REGION].sms_messages),
        "opted out": sorted(sns.list_phone_numbers_opted_out()["phoneNumbers"]),
        "topics": sorted(topic["TopicArn"] for topic in sns.list_topics()["Topics"]),
        "subscriptions": sns.list_subscriptions()["Subscriptions"],
        "messages": {
            url: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
            for url in sqs.list_queues()["QueueUrls"]
        },
        "parameters": boto3.client("ssm", region_name=TEST_REGION).describe_parameters()["Parameters"],
        "tables elsewhere": boto3.client("dynamodb", region_name="us-east-1").list_tables()["TableNames"],
    }


def test_what_a_test_leaves_in_moto_is_gone_for_the_next_and_the_stack_is_as_deployed(
    moto_stack: MotoStack,
) -> None:
    moto_stack.start()
    try:
        deployed = _state()
        _leave_state_everywhere()
        assert _state() != deployed
    finally:
        moto_stack.stop()
    moto_stack.start()
    try:
        assert _state() == deployed
        for deployed_resources in ("tables", "buckets", "topics", "messages"):
            assert deployed[deployed_resources], deployed_resources
    finally:
        moto_stack.stop()


def test_after_a_tests_own_mock_aws_reset_moto_the_stack_is_deployed_again(moto_stack: MotoStack) -> None:
    moto_stack.start()
    try:
        deployed = _state()
    finally:
        moto_stack.stop()
    with mock_aws():
        assert boto3.client("dynamodb", region_name=TEST_REGION).list_tables()["TableNames"] == []
    moto_stack.start()
    try:
        assert _state()["tables"] == deployed["tables"]
    finally:
        moto_stack.stop()
