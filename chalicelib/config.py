"""Configuration, read from the environment when it is asked for, never at import time.

Chalice's test client and `chalice local` put a stage's environment variables in place
only around a call, so a value captured at import would be the wrong stage's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_STAGE = "local"


@dataclass(frozen=True)
class Settings:
    stage: str
    rollout_phase: int

    def table_name(self, table: str) -> str:
        """The physical name of one of the tables in infra/resources.yaml."""
        return f"shobbak-{self.stage}-{table}"


def settings() -> Settings:
    return Settings(
        stage=os.environ.get("SHOBBAK_STAGE", DEFAULT_STAGE),
        rollout_phase=int(os.environ.get("ROLLOUT_PHASE", "1")),
    )


def aws_region() -> str | None:
    """Lambda sets AWS_REGION; local tools usually set AWS_DEFAULT_REGION."""
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")


@dataclass(frozen=True)
class StaffTokenSettings:
    """Where staff tokens come from: a Cognito user pool when deployed, a local key pair locally."""

    issuer: str
    audience: str
    jwks_url: str | None
    jwks_file: str | None


def staff_token_settings() -> StaffTokenSettings:
    return StaffTokenSettings(
        issuer=os.environ.get("STAFF_TOKEN_ISSUER", ""),
        audience=os.environ.get("STAFF_TOKEN_AUDIENCE", ""),
        jwks_url=os.environ.get("STAFF_TOKEN_JWKS_URL") or None,
        jwks_file=_from_app_root(os.environ.get("STAFF_TOKEN_JWKS_FILE")),
    )


def _from_app_root(path: str | None) -> str | None:
    """A relative path is the app's own (where app.py is), whatever the working directory."""
    if not path:
        return None
    return str(Path(__file__).resolve().parent.parent / path)
