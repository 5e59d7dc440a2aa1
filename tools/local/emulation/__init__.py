"""The local AWS emulation's patches to moto (pinned at 5.2.5 in requirements-dev.txt), applied by
server.py to the moto server of `make run`, the e2e tests and the load test.

Each patch replaces a piece of moto's DynamoDB internals (object_versions.py, of its S3) so that
the emulation behaves as AWS does and stays fast as its tables and buckets grow (server.py says
why). They reach into moto's private classes, so before taking a new moto:
- read the classes each module imports (models.py: dynamo_type.Item, table.StreamRecord and
  dynamodbstreams' ShardIterator; queries.py: table.Table's query; serialization.py:
  core.serialize.BaseJSONSerializer;
  streams.py: table.StreamShard and dynamodbstreams' ShardIterator; transactions.py:
  moto.dynamodb.models' transact_write_items; object_versions.py: s3.models.FakeKey's attributes
  and S3Backend.list_object_versions, moto's only deep copy of a key) for renamed attributes or
  changed signatures;
- run each patch's own tests, which compare it with moto's own answer
  (tests/integration/tools/local/emulation/test_<module>.py, and
  tests/unit/tools/local/emulation/test_serialization.py), then the concurrency and e2e suites,
  which drive the moto server under load;
- check whether the new moto fixed what a patch works around (a transaction undone by deep copy,
  items kept for ever, streams never trimmed, every object's content copied to list its versions):
  a patch no longer needed is removed, not kept.
tests/moto_state.py, which saves and puts back moto's in-process state between tests, reads moto's
backends too (BackendDict and S3's global bucket names): run tests/test_moto_state.py as well.
"""
