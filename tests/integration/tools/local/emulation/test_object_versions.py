"""ListObjectVersions in the local AWS emulation, which lists each version without copying its content
(tools/local/emulation/object_versions.py): the same listings, page by page, answered as moto in
this process answers them; the copies it makes are not kept; and every stored object still reads
back whole after many listings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
from moto import mock_aws

from tests.conftest import TEST_REGION
from tests.integration.tools.local.conftest import dashboard_data

Client = Callable[[str], Any]
BUCKET = "documents"
# Written in this order: a key written twice has two versions, and one key is then deleted.
WRITES = [
    ("uploads/a/one.pdf", b"%PDF first"),
    ("uploads/a/two.png", b"\x89PNG" + bytes(range(256)) * 40),
    ("uploads/a/one.pdf", b"%PDF second, longer than the first"),
    ("uploads/b/one.pdf", b"%PDF of b"),
    ("uploads/b/three.jpg", b"\xff\xd8" + b"jpeg" * 5000),
    ("other/readme.txt", b"not an upload"),
]
DELETED = "uploads/b/one.pdf"
LISTINGS: list[dict[str, Any]] = [
    {},
    {"Prefix": "uploads/a/"},
    {"Prefix": "uploads/", "Delimiter": "/"},
    {"MaxKeys": 2},
    {"Prefix": "uploads/", "MaxKeys": 3},
]


def fill(s3: Any) -> dict[str, str]:
    """The bucket with WRITES and the deletion; the name of each version id, in writing order."""
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": TEST_REGION})
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    names = {}
    for number, (key, body) in enumerate(WRITES):
        names[s3.put_object(Bucket=BUCKET, Key=key, Body=body)["VersionId"]] = f"version {number}"
    names[s3.delete_object(Bucket=BUCKET, Key=DELETED)["VersionId"]] = "delete marker"
    return names


def every_page(s3: Any, listing: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """Every page of `listing`, with the version ids (random in each moto) named, and the dates left out."""
    pages = []
    request = {"Bucket": BUCKET, **listing}
    while True:
        answer = s3.list_object_versions(**request)
        pages.append({
            "versions": [(version["Key"], names[version["VersionId"]], version["IsLatest"], version["ETag"],
                          version["Size"], version["StorageClass"]) for version in answer.get("Versions", [])],
            "markers": [(marker["Key"], names[marker["VersionId"]], marker["IsLatest"])
                        for marker in answer.get("DeleteMarkers", [])],
            "prefixes": answer.get("CommonPrefixes", []),
            "truncated": answer["IsTruncated"],
        })  # fmt: skip
        if not answer["IsTruncated"]:
            return pages
        request |= {"KeyMarker": answer["NextKeyMarker"], "VersionIdMarker": answer["NextVersionIdMarker"]}


def test_every_listing_answers_as_moto_does(emulation: Client) -> None:
    with mock_aws():
        in_process = boto3.client("s3", region_name=TEST_REGION)
        names = fill(in_process)
        expected = [every_page(in_process, listing, names) for listing in LISTINGS]
    emulated = emulation("s3")
    names = fill(emulated)

    answered = [every_page(emulated, listing, names) for listing in LISTINGS]

    assert len(expected[0][0]["versions"]) == len(WRITES)  # every version is listed, with its sizes and ETags
    assert expected[0][0]["markers"] == [(DELETED, "delete marker", True)]
    assert any(len(pages) > 1 for pages in expected)  # and some listings take several pages
    for listing, expected_pages, answered_pages in zip(LISTINGS, expected, answered, strict=True):
        assert answered_pages == expected_pages, listing


def test_listing_keeps_no_copy_and_leaves_every_object_whole(emulation: Client, emulation_url: str) -> None:
    s3 = emulation("s3")
    names = fill(s3)

    for _ in range(20):  # as the document scanner lists the bucket, twice a second
        s3.list_object_versions(Bucket=BUCKET)
    # Each listing's copies were freed in the emulation once it answered: none closed a stored object's content.

    assert len(dashboard_data(emulation_url)["s3"]["FakeKey"]) == len(WRITES)  # the stored versions only
    stored = s3.list_object_versions(Bucket=BUCKET)["Versions"]
    version_of = {names[version["VersionId"]]: version["VersionId"] for version in stored}
    for number, (key, body) in enumerate(WRITES):
        read = s3.get_object(Bucket=BUCKET, Key=key, VersionId=version_of[f"version {number}"])["Body"].read()
        assert read == body, key
