"""The one DynamoDB connection that transactions share, made on first use.

PynamoDB's TransactWrite sends through the Connection it is given; a new Connection per
request means a new botocore client per request, which costs more than the write itself.
"""

from __future__ import annotations

from functools import cache

from pynamodb.connection import Connection

from chalicelib.config import aws_region


@cache
def shared_connection() -> Connection:
    return Connection(region=aws_region())
