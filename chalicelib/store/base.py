"""The base of every PynamoDB model: one Meta and one DynamoDB client for all of them.

A model names its table and nothing else:

    class ApplicantRecord(StoredModel):
        class Meta(TableMeta):
            table = "applicants"

The physical table name (per stage) and the region are read when PynamoDB asks, never at
import; every model sends through the process's one DynamoDB client (store/connection.py).
"""

from __future__ import annotations

from typing import ClassVar

from pynamodb.connection import TableConnection
from pynamodb.models import Model

from chalicelib.config import aws_region, table_name
from chalicelib.store.connection import on_shared_client


class _StageTableName:
    """The physical name of the Meta's `table`, resolved from the stage each time PynamoDB asks
    (never at import: Chalice's test client and `chalice local` set the stage around a call)."""

    def __get__(self, instance: object, owner: type[TableMeta]) -> str:
        return table_name(owner.table)


class _Region:
    def __get__(self, instance: object, owner: type) -> str | None:
        return aws_region()


class TableMeta:
    """The Meta of every model: `table` names its table in infra/resources.yaml."""

    table: ClassVar[str]
    table_name = _StageTableName()
    region = _Region()


class StoredModel(Model):
    """Base of every model: sends through the process's one DynamoDB client."""

    @classmethod
    def _get_connection(cls) -> TableConnection:
        return on_shared_client(super()._get_connection())
