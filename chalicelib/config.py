"""Configuration, read from the environment when it is asked for, never at import time.

Chalice's test client and `chalice local` put a stage's environment variables in place
only around a call, so a value captured at import would be the wrong stage's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_STAGE = "local"
# Set by the Lambda runtime itself (Chalice sets AWS_EXECUTION_ENV even locally, so not that one).
LAMBDA_FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME"


class UnknownStage(RuntimeError):
    """A deployed function was not told its stage: it must not guess (and never guess "local",
    whose secrets are published in docs/interfaces.md#local-secrets)."""


@dataclass(frozen=True)
class Settings:
    """The stage, and the rules every function reads: rollout phase, invoice validity, retention."""

    stage: str
    rollout_phase: int
    invoice_validity_hours: int
    # How long who asked is kept after the request closes (then DynamoDB's TTL deletes it).
    applicant_retention_days: int


def table_name(table: str) -> str:
    """The physical name of one of the tables in infra/resources.yaml, in this stage: what
    PynamoDB asks several times a call, so it reads the stage alone (store/base.py)."""
    return f"shobbak-{stage()}-{table}"


def running_in_lambda() -> bool:
    return bool(os.environ.get(LAMBDA_FUNCTION_NAME))


def stage() -> str:
    """The stage this code runs as. Off Lambda (tests, `make run`) it defaults to "local"; in
    Lambda it must be given, and may not be "local": failing closed, rather than falling back
    to the local stage's tables and published secrets."""
    named = os.environ.get("SHOBBAK_STAGE", "")
    if not running_in_lambda():
        return named or DEFAULT_STAGE
    if not named:
        raise UnknownStage("SHOBBAK_STAGE is not set: a deployed function refuses to start without its stage")
    if named == DEFAULT_STAGE:
        raise UnknownStage("SHOBBAK_STAGE is 'local' in Lambda: the local stage's secrets are public")
    return named


def settings() -> Settings:
    return Settings(
        stage=stage(),
        rollout_phase=int(os.environ.get("ROLLOUT_PHASE", "1")),
        invoice_validity_hours=int(os.environ.get("INVOICE_VALIDITY_HOURS", "168")),
        applicant_retention_days=int(os.environ.get("APPLICANT_RETENTION_DAYS", "365")),
    )


def aws_region() -> str | None:
    """Lambda sets AWS_REGION; local tools usually set AWS_DEFAULT_REGION."""
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")


@dataclass(frozen=True)
class PortalSettings:
    """Where the citizen portal and the API are, as a browser reaches them.

    "/" (stored empty) means "this same origin": deployed, CloudFront serves both under one domain, so
    links and form actions are "/"-based (.chalice/config.json sets it for dev and prod). Locally they are
    two origins: `make run` passes its own ports, and the defaults are those of `make run`.
    """

    portal_base_url: str
    api_base_url: str


LOCAL_PORTAL_URL = "http://127.0.0.1:8080"
LOCAL_API_URL = "http://127.0.0.1:8000"


def portal_settings() -> PortalSettings:
    return PortalSettings(
        portal_base_url=os.environ.get("PORTAL_BASE_URL", LOCAL_PORTAL_URL).rstrip("/"),
        api_base_url=os.environ.get("API_BASE_URL", LOCAL_API_URL).rstrip("/"),
    )


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


@dataclass(frozen=True)
class StaffScreenSettings:
    """Where the performance screen sends staff to sign in when deployed: the staff pool's hosted
    sign-in page (its /oauth2/authorize URL with client_id, response_type=token and scope);
    empty locally, where a `make token` token is pasted instead."""

    sign_in_url: str


def staff_screen_settings() -> StaffScreenSettings:
    return StaffScreenSettings(sign_in_url=os.environ.get("STAFF_SIGN_IN_URL", ""))


def _from_app_root(path: str | None) -> str | None:
    """A relative path is the app's own (where app.py is), whatever the working directory."""
    if not path:
        return None
    return str(Path(__file__).resolve().parent.parent / path)


@dataclass(frozen=True)
class PaymobSettings:
    """Where and as whom the card gateway is called."""

    api_base: str
    integration_id: int
    iframe_id: int
    # The merchant account's id, which Paymob signs as each transaction's `owner`.
    merchant_id: int
    # One deadline for all of a checkout's calls to Paymob, well inside the Lambda timeout
    # (lambda_timeout, .chalice/config.json), so that a slow gateway gets the friendly 503.
    checkout_seconds: float


def paymob_settings() -> PaymobSettings:
    return PaymobSettings(
        api_base=os.environ.get("PAYMOB_API_BASE", "https://accept.paymob.com").rstrip("/"),
        integration_id=int(os.environ.get("PAYMOB_INTEGRATION_ID", "0")),
        iframe_id=int(os.environ.get("PAYMOB_IFRAME_ID", "0")),
        merchant_id=int(os.environ.get("PAYMOB_MERCHANT_ID", "0")),
        checkout_seconds=float(os.environ.get("PAYMOB_CHECKOUT_SECONDS", DEFAULT_CHECKOUT_SECONDS)),
    )


DEFAULT_CHECKOUT_SECONDS = "8"


def card_orders_per_invoice() -> int:
    """How many card checkouts one invoice may start (each registers a Paymob order)."""
    return int(os.environ.get("CARD_ORDERS_PER_INVOICE", "5"))


@dataclass(frozen=True)
class MessagingSettings:
    """Who SMS messages come from, where voice calls are asked for and placed from, which
    WhatsApp business number sends and how long its receipt is waited for before the SMS, and the
    portal's short address that texts send citizens to for the details."""

    sms_sender_id: str | None
    voice_calls_topic_arn: str
    voice_origination_identity: str
    portal_address: str
    whatsapp_phone_number_id: str
    whatsapp_receipt_wait_minutes: int


# The portal's own domain (infra/parameters.yaml, PortalDomainName), as short as a text needs it.
DEFAULT_PORTAL_ADDRESS = "shobbak.giza.gov.eg"


class PortalAddressTooLong(ValueError):
    """PORTAL_SHORT_ADDRESS would push a text past one SMS segment."""


def messaging_settings() -> MessagingSettings:
    from chalicelib.domain.messages import PORTAL_ADDRESS_MAX

    portal_address = os.environ.get("PORTAL_SHORT_ADDRESS") or DEFAULT_PORTAL_ADDRESS
    if len(portal_address) > PORTAL_ADDRESS_MAX:
        raise PortalAddressTooLong(f"PORTAL_SHORT_ADDRESS takes {PORTAL_ADDRESS_MAX} characters at most")
    return MessagingSettings(
        sms_sender_id=os.environ.get("SMS_SENDER_ID") or None,
        voice_calls_topic_arn=os.environ.get("VOICE_CALLS_TOPIC_ARN", ""),
        voice_origination_identity=os.environ.get("VOICE_ORIGINATION_IDENTITY", ""),
        portal_address=portal_address,
        whatsapp_phone_number_id=os.environ.get("WHATSAPP_PHONE_NUMBER_ID", ""),
        whatsapp_receipt_wait_minutes=int(os.environ.get("WHATSAPP_RECEIPT_WAIT_MINUTES", "30")),
    )


@dataclass(frozen=True)
class LimitSettings:
    """How much one subject may ask for (chalicelib/services/limits.py). Limits per client
    address belong to the WAF in front, so that a district office or a cafe behind one
    address is never locked out by the application."""

    failed_attempts_per_hour: int  # per tracking number, issued or not
    online_submissions_per_phone_per_day: int  # filings at the window are not limited
    messages_per_phone_per_day: int
    reveals_per_hour_before_alert: int  # per member of staff: more is an alert for operations
    national_id_lookups_per_minute: int  # per member of staff, at the counter (services/counter.py)


def limit_settings() -> LimitSettings:
    return LimitSettings(
        failed_attempts_per_hour=int(os.environ.get("FAILED_ATTEMPTS_PER_HOUR", "10")),
        online_submissions_per_phone_per_day=int(os.environ.get("ONLINE_SUBMISSIONS_PER_PHONE_PER_DAY", "5")),
        messages_per_phone_per_day=int(os.environ.get("MESSAGES_PER_PHONE_PER_DAY", "10")),
        reveals_per_hour_before_alert=int(os.environ.get("REVEALS_PER_HOUR_BEFORE_ALERT", "10")),
        national_id_lookups_per_minute=int(os.environ.get("NATIONAL_ID_LOOKUPS_PER_MINUTE", "3")),
    )


@dataclass(frozen=True)
class DocumentSettings:
    """Where uploads go, and how long an upload form and a download link stay valid."""

    bucket: str
    upload_form_seconds: int
    download_link_seconds: int


# moto's account: the local stage's bucket, like the deployed ones, carries its account's id.
LOCAL_ACCOUNT_ID = "123456789012"
# A presigned GET for staff expires within 5 minutes (docs/interfaces.md#documents); an upload form in an hour.
DOWNLOAD_LINK_SECONDS = 300


def document_settings() -> DocumentSettings:
    stage = settings().stage
    return DocumentSettings(
        bucket=os.environ.get("DOCUMENTS_BUCKET", f"shobbak-{stage}-documents-{LOCAL_ACCOUNT_ID}"),
        upload_form_seconds=int(os.environ.get("UPLOAD_FORM_SECONDS", "3600")),
        download_link_seconds=min(DOWNLOAD_LINK_SECONDS, int(os.environ.get("DOWNLOAD_LINK_SECONDS", "300"))),
    )


# Where browsers reach the API from outside, absolute (S3 sends them back there after an upload).
# Deployed, the stack writes it to an SSM parameter, since the functions cannot be told the
# CloudFront distribution's domain without a cycle (the distribution's origin is the API, whose
# integrations are the functions); chalicelib/api/routes/documents.py reads it only to build an upload.
PUBLIC_API_URL = "PUBLIC_API_URL"


# What a deployed function must be told (infra/parameters.yaml and .chalice/config.json fill them).
# A secret, and the public address, may be given itself ($NAME) or by the SSM parameter that
# holds it ($NAME_PARAMETER, whose existence is not checked here: that would cost every cold start
# an SSM call).
DEPLOYMENT_SETTINGS = (
    "SHOBBAK_STAGE",
    "PORTAL_BASE_URL",
    "API_BASE_URL",
    "STAFF_TOKEN_ISSUER",
    "STAFF_TOKEN_AUDIENCE",
    "STAFF_TOKEN_JWKS_URL",
    "PAYMOB_INTEGRATION_ID",
    "PAYMOB_IFRAME_ID",
    "PAYMOB_MERCHANT_ID",
    "VOICE_ORIGINATION_IDENTITY",
    "VOICE_CALLS_TOPIC_ARN",
    "DOCUMENTS_BUCKET",
)
DEPLOYMENT_SECRETS = ("FAWRY_SECURE_KEY", "PAYMOB_HMAC_SECRET", "PAYMOB_API_KEY", "OPEN311_API_KEY", "LOOKUP_HMAC_KEY")
_SETTINGS_OR_PARAMETERS = (*DEPLOYMENT_SECRETS, PUBLIC_API_URL)
_NUMERIC_SETTINGS = ("PAYMOB_INTEGRATION_ID", "PAYMOB_IFRAME_ID", "PAYMOB_MERCHANT_ID")


class IncompleteDeployment(RuntimeError):
    """A deployed function is missing configuration: it must not start and fail later, at a payment."""


def missing_deployment_settings(environment: dict[str, str]) -> list[str]:
    """The names of the deployment's settings that are absent, empty, placeholders or malformed."""

    def given(name: str) -> bool:
        value = environment.get(name, "").strip()
        return bool(value) and not value.upper().startswith("SET-")

    missing = [name for name in DEPLOYMENT_SETTINGS if not given(name)]
    missing += [name for name in _NUMERIC_SETTINGS if given(name) and not environment[name].strip().isdigit()]
    missing += [name for name in _SETTINGS_OR_PARAMETERS if not (given(name) or given(f"{name}_PARAMETER"))]
    return missing


def require_deployment_settings() -> None:
    """In Lambda, on a deployed stage, refuses to start (Lambda's init fails, every invocation
    errors and the Errors alarm fires) unless every setting is there. Off Lambda it does nothing:
    tests and `make run` read their configuration lazily, as everywhere else."""
    environment = dict(os.environ)
    if not environment.get("AWS_LAMBDA_FUNCTION_NAME") or environment.get("SHOBBAK_STAGE") == DEFAULT_STAGE:
        return
    missing = missing_deployment_settings(environment)
    if missing:
        raise IncompleteDeployment(f"refusing to start without: {', '.join(missing)}")
