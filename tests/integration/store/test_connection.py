"""Every model, transaction and batch sends through the process's one DynamoDB client
(chalicelib/store/connection.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.settings import get_settings_value

from chalicelib.store.applicants import ApplicantRecord
from chalicelib.store.connection import SharedClientConnection, dynamodb_client, shared_connection
from chalicelib.store.limits import LimitCounter
from chalicelib.store.outbox import OutboxMessage
from chalicelib.store.requests.request import RequestRecord


def test_every_model_and_the_transactions_use_the_one_client(aws: None) -> None:
    client = dynamodb_client()
    assert dynamodb_client() is client
    for model in (ApplicantRecord, LimitCounter, OutboxMessage, RequestRecord):
        connection = model._get_connection().connection
        assert isinstance(connection, SharedClientConnection)
        assert connection.client is client
    assert shared_connection() is shared_connection()
    assert shared_connection().client is client


def test_a_models_connection_is_moved_onto_the_shared_client_once(aws: None) -> None:
    first = OutboxMessage._get_connection().connection
    assert OutboxMessage._get_connection().connection is first


def test_the_client_is_configured_as_pynamodb_configures_its_own(aws: None) -> None:
    config = dynamodb_client().meta.config
    assert config.connect_timeout == get_settings_value("connect_timeout_seconds")
    assert config.read_timeout == get_settings_value("read_timeout_seconds")
    assert config.max_pool_connections == get_settings_value("max_pool_connections")
    assert config.retries["total_max_attempts"] == 1 + get_settings_value("max_retry_attempts")


def test_the_shared_client_reads_and_writes(aws: None) -> None:
    LimitCounter("reveals#someone#2026-11-27T09", count=2, expires_at=datetime(2026, 11, 27, 10, tzinfo=UTC)).save()
    assert LimitCounter.get("reveals#someone#2026-11-27T09", consistent_read=True).count == 2
