"""A model names its table; the stage's physical name and the region are read each time PynamoDB
asks, never at import (chalicelib/store/base.py)."""

from __future__ import annotations

import pytest

from chalicelib.store.applicants import ApplicantRecord
from chalicelib.store.base import StoredModel, TableMeta
from chalicelib.store.console_sessions import ConsoleSessionRecord
from chalicelib.store.requests.request import RequestRecord


def test_the_table_name_follows_the_stage_set_around_a_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOBBAK_STAGE", raising=False)
    assert ApplicantRecord.Meta.table_name == "shobbak-local-applicants"

    monkeypatch.setenv("SHOBBAK_STAGE", "dev")

    assert ApplicantRecord.Meta.table_name == "shobbak-dev-applicants"
    assert ConsoleSessionRecord.Meta.table_name == "shobbak-dev-console-sessions"
    assert RequestRecord.Meta.table_name == "shobbak-dev-requests"


def test_the_region_is_lambdas_or_else_the_local_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_REGION", "eu-south-1")
    assert ApplicantRecord.Meta.region == "eu-south-1"

    monkeypatch.delenv("AWS_REGION")
    assert ApplicantRecord.Meta.region == "us-east-1"


def test_a_new_model_needs_only_its_table() -> None:
    class Example(StoredModel):
        class Meta(TableMeta):
            table = "figures"

    assert Example.Meta.table_name.endswith("-figures")
