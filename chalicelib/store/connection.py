"""Every PynamoDB model, transaction and batch sends through the process's one DynamoDB client.

Left to itself, PynamoDB gives each model class its own Connection, and each Connection makes
its own botocore session and client on first use: eight clients in one process, each paid for
by the first request that touches its model. Here every Connection hands out the one client of
chalicelib/aws_clients.py, configured as PynamoDB configures its own.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore.client import BaseClient, Config
from pynamodb.connection import Connection, TableConnection
from pynamodb.settings import get_settings_value

from chalicelib.aws_clients import aws_client


def dynamodb_client() -> BaseClient:
    return aws_client("dynamodb", _pynamodb_client_config)


class SharedClientConnection(Connection):
    """A PynamoDB Connection that makes no client of its own: it uses the process's one."""

    @property
    def client(self) -> Any:
        return dynamodb_client()


def on_shared_client(table: TableConnection) -> TableConnection:
    """`table` (a model's TableConnection), moved onto a SharedClientConnection once."""
    if not isinstance(table.connection, SharedClientConnection):
        shared = SharedClientConnection()
        shared.add_meta_table(table.get_meta_table())
        table.connection = shared
    return table


@cache
def shared_connection() -> Connection:
    """The Connection that TransactWrite and TransactGet send through (two threads racing to
    make it would make two, harmlessly: neither holds a client of its own)."""
    return SharedClientConnection()


def _pynamodb_client_config() -> Config:
    """What pynamodb.connection.base.Connection.client configures (with its LEGACY retries)."""
    return Config(
        parameter_validation=False,  # PynamoDB builds the requests; botocore need not re-check them
        connect_timeout=get_settings_value("connect_timeout_seconds"),
        read_timeout=get_settings_value("read_timeout_seconds"),
        max_pool_connections=get_settings_value("max_pool_connections"),
        retries={"total_max_attempts": 1 + get_settings_value("max_retry_attempts"), "mode": "standard"},
    )
