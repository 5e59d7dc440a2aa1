"""The documents bucket in S3: presigned forms and links, a look at what arrived, retention tags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from chalicelib.aws_clients import aws_client
from chalicelib.domain.documents import LARGEST_FILE_BYTES

# The tag the bucket's lifecycle rule deletes by (infra/resources.yaml): set when the request closes.
RETENTION_TAG_KEY, RETENTION_TAG_VALUE = "retention", "request-closed"
RETENTION_TAG = f"{RETENTION_TAG_KEY}={RETENTION_TAG_VALUE}"


class StorageUnavailable(Exception):
    """S3 refused or did not answer: what was asked of it may be only partly done; ask again."""


@dataclass(frozen=True)
class Arrival:
    """What arrived in the bucket for an upload: its size and its first bytes (what a file type is read from)."""

    size_bytes: int
    first_bytes: bytes


def _s3() -> Any:
    """The process's one S3 client, made on the first document call (chalicelib/aws_clients.py)."""
    return aws_client("s3", _signature_v4)


def _signature_v4() -> Any:
    from botocore.config import Config

    # SigV4 for the presigned POSTs and GETs (what S3 requires in every region opened since 2014).
    # Virtual-hosted addressing names the bucket's own region in the URL (bucket.s3.<region>.amazonaws.com):
    # left to its default, botocore signs for the global bucket.s3.amazonaws.com, which for a new
    # bucket outside us-east-1 may answer with a 307 to the regional one for up to a day, and the
    # portal's CSP (form-action) refuses to follow it. An endpoint given as an IP address (the local
    # stack's moto server) keeps path-style addresses.
    return Config(signature_version="s3v4", s3={"addressing_style": "virtual"})


def upload_form(bucket: str, key: str, content_type: str | None, redirect_url: str, expires_s: int) -> dict[str, Any]:
    """A presigned POST a plain HTML form can use. Its policy holds the upload to this key, at
    most 10 MB, and S3's answer to a redirect back to `redirect_url`; and to the declared type,
    when one is (None: the file's first bytes decide it on arrival, checked as strictly)."""
    fields = {"success_action_redirect": redirect_url}
    conditions: list[Any] = [["content-length-range", 1, LARGEST_FILE_BYTES], {"success_action_redirect": redirect_url}]
    if content_type is not None:
        fields["Content-Type"] = content_type
        conditions.insert(0, {"Content-Type": content_type})
    return _s3().generate_presigned_post(
        Bucket=bucket, Key=key, Fields=fields, Conditions=conditions, ExpiresIn=expires_s
    )


def look_at(bucket: str, key: str, version_id: str | None, sniffed_bytes: int) -> Arrival:
    """The size S3 holds for this version, and its first bytes (one ranged GET)."""
    version = {"VersionId": version_id} if version_id else {}
    head = _s3().head_object(Bucket=bucket, Key=key, **version)
    first = b""
    if head["ContentLength"] > 0:
        part = _s3().get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{sniffed_bytes - 1}", **version)
        first = part["Body"].read(sniffed_bytes)
    return Arrival(size_bytes=head["ContentLength"], first_bytes=first)


def size_of(bucket: str, key: str) -> int | None:
    """The size of the object's current version; None when there is none."""
    from botocore.exceptions import ClientError

    try:
        return int(_s3().head_object(Bucket=bucket, Key=key)["ContentLength"])
    except ClientError:
        return None


def download_link(
    bucket: str, key: str, version_id: str | None, content_type: str, file_name: str, expires_s: int
) -> str:
    """A presigned GET of exactly the checked version, shown inline under `file_name` (a name
    built from the document's kind: it is part of the URL, which must carry no personal data)."""
    parameters: dict[str, Any] = {
        "Bucket": bucket,
        "Key": key,
        "ResponseContentType": content_type,
        "ResponseContentDisposition": f"inline; filename*=UTF-8''{quote(file_name)}",
    }
    if version_id:
        parameters["VersionId"] = version_id
    return _s3().generate_presigned_url("get_object", Params=parameters, ExpiresIn=expires_s)


def start_retention_clock(bucket: str, key: str, version_id: str | None) -> str | None:
    """Copies the object onto itself tagged for the lifecycle rule: S3 counts a rule's days from
    an object's creation, so the copy starts them at the request's closure. Returns the copy's
    version id (the earlier version becomes noncurrent, which the rule also expires)."""
    source: dict[str, str] = {"Bucket": bucket, "Key": key}
    if version_id:
        source["VersionId"] = version_id
    copied = _s3().copy_object(
        Bucket=bucket,
        Key=key,
        CopySource=source,
        MetadataDirective="COPY",
        TaggingDirective="REPLACE",
        Tagging=RETENTION_TAG,
    )
    return copied.get("VersionId")


def is_retention_copy(bucket: str, key: str, version_id: str) -> bool:
    """Whether this version is the copy that started the retention clock (its tag says so: no
    presigned POST can set a tag, its policy names every field it takes)."""
    tags = _s3().get_object_tagging(Bucket=bucket, Key=key, VersionId=version_id)["TagSet"]
    return {"Key": RETENTION_TAG_KEY, "Value": RETENTION_TAG_VALUE} in tags


def delete_version(bucket: str, key: str, version_id: str) -> None:
    """Deletes one version for good (the version before it, if any, is current again)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        _s3().delete_object(Bucket=bucket, Key=key, VersionId=version_id)
    except (BotoCoreError, ClientError) as error:
        raise StorageUnavailable(str(error)) from error


def delete_every_version(bucket: str, key: str) -> int:
    """Deletes every version of the object, and every delete marker, for good; how many there were."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        found = []
        for page in _s3().get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=key):
            found += [
                {"Key": entry["Key"], "VersionId": entry["VersionId"]}
                for entry in page.get("Versions", []) + page.get("DeleteMarkers", [])
                if entry["Key"] == key  # the prefix would also match a longer key
            ]
        for start in range(0, len(found), 1000):  # DeleteObjects takes at most 1,000 at a time
            answer = _s3().delete_objects(Bucket=bucket, Delete={"Objects": found[start : start + 1000], "Quiet": True})
            if answer.get("Errors"):
                raise StorageUnavailable(f"{len(answer['Errors'])} versions were not deleted")
    except (BotoCoreError, ClientError) as error:
        raise StorageUnavailable(str(error)) from error
    return len(found)
