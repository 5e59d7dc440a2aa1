"""A tracking number from a path is normalized once, where it enters (load_visible), and only
the stored one is used after (issue 23, item 12): written in Arabic-Indic digits with spaces,
it reveals the applicant and its closing starts the deletion clock of its uploads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from chalicelib.domain.staff import Role, StaffMember
from chalicelib.services import office_assignment, office_identity, office_moves
from chalicelib.services.submission import ONLINE, submit_request
from chalicelib.store.documents import documents_of
from tests.conftest import TEST_REGION
from tests.factories import free_service_code, national_id, submission
from tools.local.staff_pool import create_account, create_pool, local_pool_environment, local_staff_password

NOW = datetime.now(UTC)
LATER = NOW + timedelta(minutes=5)
MANAGER = StaffMember("manager-1", Role.MANAGER, "dokki")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture
def tracking_number(aws: None) -> str:
    return submit_request(submission(free_service_code()), None, ONLINE, NOW).tracking_number


def as_written(tracking_number: str) -> str:
    return " ".join([tracking_number[:4], tracking_number[4:8], tracking_number[8:]]).translate(ARABIC_INDIC)


def test_a_reveal_by_a_number_written_otherwise_finds_the_applicant(tracking_number: str) -> None:
    revealed = office_identity.reveal_identity(
        MANAGER, as_written(tracking_number), {"reason": "التحقق من الهوية"}, LATER
    )

    assert (revealed.tracking_number, revealed.national_id) == (tracking_number, national_id())


def test_closing_by_a_number_written_otherwise_closes_the_uploads_too(
    tracking_number: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[str] = []
    monkeypatch.setattr(office_moves, "schedule_deletion", lambda number, *rest: closed.append(number))

    office_moves.move_request(
        MANAGER, as_written(tracking_number), {"to": "cancelled", "note": "إلغاء", "version": 1}, NOW
    )

    assert closed == [tracking_number]
    assert documents_of(tracking_number) == []


def test_an_assignment_by_a_number_written_otherwise_is_audited_under_the_stored_number(
    tracking_number: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in local_pool_environment().items():
        monkeypatch.setenv(name, value)
    cognito = boto3.client("cognito-idp", region_name=TEST_REGION)
    pool = create_pool(cognito)
    create_account(cognito, pool, "officer.dokki@staff.shobbak.local", Role.OFFICER, "dokki", local_staff_password())
    officer = next(
        attribute["Value"]
        for attribute in cognito.admin_get_user(UserPoolId=pool.pool_id, Username="officer.dokki@staff.shobbak.local")[
            "UserAttributes"
        ]
        if attribute["Name"] == "sub"
    )
    audited: list[dict[str, object]] = []
    monkeypatch.setattr(office_assignment, "audit", lambda event, **fields: audited.append({"event": event, **fields}))

    office_assignment.assign_request(MANAGER, as_written(tracking_number), {"officer": officer, "version": 1}, NOW)

    assert [(line["event"], line["tracking_number"]) for line in audited] == [("request_assigned", tracking_number)]
