"""The lock files hold every pin of their requirements files, and a stale one is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.build import check_locks


def test_the_repository_locks_are_current() -> None:
    assert check_locks.stale_pins() == []


def test_a_pin_missing_from_its_lock_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "requirements.txt").write_text("pynamodb==6.1.0\nboto3==1.44.8  # matched\n")
    (tmp_path / "requirements.lock").write_text("pynamodb==6.1.0 \\\n    --hash=sha256:00\n")
    monkeypatch.setattr(check_locks, "PROJECT", tmp_path)
    monkeypatch.setattr(check_locks, "LOCKED", {"requirements.txt": "requirements.lock"})

    assert check_locks.stale_pins() == ["requirements.txt pins boto3==1.44.8, requirements.lock has nothing"]
