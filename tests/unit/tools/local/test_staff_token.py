"""`make token`: a staff token for the local stage, signed with the local pool's key and verified
as the API verifies a pool's (tools/local/staff_token.py)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from chalicelib.adapters.staff_tokens import InvalidToken, verify_staff_token
from chalicelib.config import StaffTokenSettings
from chalicelib.domain.staff import Role
from tools.local import staff_token
from tools.local.staff_token import LOCAL_AUDIENCE, LOCAL_ISSUER, local_signing_key, mint_token


@pytest.fixture
def settings(tmp_path: Path) -> StaffTokenSettings:
    local_signing_key(tmp_path)  # writes the pool's public keys where the API reads them locally
    return StaffTokenSettings(LOCAL_ISSUER, LOCAL_AUDIENCE, None, str(tmp_path / "staff-jwks.json"))


def test_the_public_keys_are_written_as_a_jwks(tmp_path: Path) -> None:
    key = local_signing_key(tmp_path)
    published = json.loads((tmp_path / "staff-jwks.json").read_text())
    assert key.kid in {entry["kid"] for entry in published["keys"]}


def test_a_minted_token_is_the_member_of_staff_it_names(settings: StaffTokenSettings) -> None:
    token = mint_token(local_signing_key(Path(settings.jwks_file).parent), Role.OFFICER, "dokki", principal="o-1")

    staff = verify_staff_token(token, settings)

    assert (staff.principal, staff.role, staff.district_code) == ("o-1", Role.OFFICER, "dokki")


def test_headquarters_has_no_district_and_each_token_its_own_subject(settings: StaffTokenSettings) -> None:
    key = local_signing_key(Path(settings.jwks_file).parent)
    first, second = (verify_staff_token(mint_token(key, Role.HQ, None), settings) for _ in range(2))

    assert (first.role, first.district_code) == (Role.HQ, None)
    assert first.principal != second.principal


def test_a_token_past_its_lifetime_or_for_another_client_is_refused(settings: StaffTokenSettings) -> None:
    key = local_signing_key(Path(settings.jwks_file).parent)
    expired = mint_token(key, Role.CLERK, "dokki", now=time.time() - 3600, lifetime_s=60)
    elsewhere = mint_token(key, Role.CLERK, "dokki", audience="another-app-client")

    for token in (expired, elsewhere):
        with pytest.raises(InvalidToken):
            verify_staff_token(token, settings)


def test_make_token_prints_one_and_refuses_an_unknown_district(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["staff_token", "--role", "manager", "--district", "dokki"])
    assert staff_token.main() == 0
    assert capsys.readouterr().out.strip().count(".") == 2  # header.claims.signature

    monkeypatch.setattr(sys, "argv", ["staff_token", "--role", "clerk", "--district", "atlantis"])
    with pytest.raises(SystemExit):
        staff_token.main()
    assert "DISTRICT must be a district code" in capsys.readouterr().err
