"""Each function's role in the packaged template grants every call its code makes (issue 22,
defects 1 and 2): moto enforces no IAM, so a missing permission shows only in production.

CALLS is written from reading the code each function runs (its blueprint, then the services and
chalicelib/store/ beneath it), one entry per AWS action and resource. DynamoDB authorizes each
action of a TransactWriteItems on its own (a Put needs PutItem, an Update UpdateItem, a Delete
DeleteItem), and a Query of an index needs the index's own ARN (`table/NAME/index/INDEX`).
When code starts a new call, add it here: the test then says which role lacks it.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

import pytest

from tests.integration.infra.test_packaged_template import as_list, functions, referenced, statements

# The figures table (its logical name).
FIGURES = "FiguresTable"

# What a new request writes, online, at a window or through Open311 (store/requests.py
# record_submission): the request and its first history entry, its proof (an update), the
# applicant, the idempotency record, the messages it sends.
_SUBMISSION = [
    ("dynamodb:PutItem", "RequestsTable"),
    ("dynamodb:UpdateItem", "RequestsTable"),
    ("dynamodb:PutItem", "ApplicantsTable"),
    ("dynamodb:GetItem", "IdempotencyTable"),
    ("dynamodb:PutItem", "IdempotencyTable"),
    ("dynamodb:PutItem", "OutboxTable"),
]
# Telling a citizen (services/notifications.py deliver): claim and settle the message, whom and
# what to tell, the per-phone daily count, and the voice topic.
_DELIVERY = [
    ("dynamodb:GetItem", "OutboxTable"),
    ("dynamodb:UpdateItem", "OutboxTable"),
    ("dynamodb:GetItem", "ApplicantsTable"),
    ("dynamodb:GetItem", "RequestsTable"),
    ("dynamodb:PutItem", "RequestsTable"),  # the timeline's entry for a message sent: kind and channel
    ("dynamodb:UpdateItem", "LimitsTable"),
    ("sns:Publish", "VoiceCallsTopic"),
    ("ssm:GetParameter", "parameter/lookup-hmac-key"),
]
# The business number's ARN, as infra/functions.yaml builds it from WhatsAppPhoneNumberId.
WHATSAPP_NUMBER = "arn:aws:social-messaging:${AWS::Region}:${AWS::AccountId}:phone-number-id/NumberId"
# A message sent on WhatsApp (services/notifications.py _hand_to_whatsapp), from the stream or the sweeper.
_WHATSAPP = [("social-messaging:SendWhatsAppMessage", WHATSAPP_NUMBER)]
# A WhatsApp receipt (services/notifications.py record_receipts): settles its message, or sends its
# SMS at once (deliver, with the message's channel already WhatsApp: never the voice topic).
_RECEIPTS = [call for call in _DELIVERY if call != ("sns:Publish", "VoiceCallsTopic")]

CALLS: dict[str, list[tuple[str, str]]] = {
    "APIHandler": [
        *_SUBMISSION,
        ("dynamodb:UpdateItem", "LimitsTable"),  # submissions per phone and day, proof attempts
        ("dynamodb:Query", "RequestsTable"),  # a request's partition (store/requests.py load_request)
        ("dynamodb:GetItem", "RequestsTable"),
        ("dynamodb:UpdateItem", "ApplicantsTable"),  # notification preference (set_notify_by)
        ("dynamodb:PutItem", "PaymentsTable"),  # a card order (store/payments.py)
        ("dynamodb:BatchGetItem", "RequestsTable"),  # Open311 lookup by id (store/requests/request.py)
        ("dynamodb:Query", "RequestsTable/index/opened"),  # Open311 listing by date
        ("dynamodb:GetItem", "DocumentsTable"),
        ("dynamodb:PutItem", "DocumentsTable"),
        ("dynamodb:Query", "DocumentsTable/index/request_documents"),
        ("s3:PutObject", "DocumentsBucket/uploads/*"),  # signs the presigned POST
        ("s3:GetObject", "DocumentsBucket/uploads/*"),  # HEAD of an upload
        ("ssm:GetParameter", "parameter/paymob-api-key"),
        ("ssm:GetParameter", "parameter/open311-api-key"),
        ("ssm:GetParameter", "parameter/lookup-hmac-key"),
        ("ssm:GetParameter", "parameter/public-url"),
    ],
    "OfficeAPIHandler": [
        *_SUBMISSION,  # filing at the window
        ("dynamodb:Query", "RequestsTable"),
        ("dynamodb:GetItem", "RequestsTable"),
        ("dynamodb:Query", "RequestsTable/index/queue"),
        ("dynamodb:Query", "RequestsTable/index/department_queue"),
        ("dynamodb:UpdateItem", "ApplicantsTable"),  # closing sets the applicant's expiry (record_move)
        ("dynamodb:GetItem", "ApplicantsTable"),  # an identity revealed
        ("dynamodb:DeleteItem", "ApplicantsTable"),  # an identity erased (record_erasure)
        ("dynamodb:UpdateItem", "LimitsTable"),  # reveals, and lookups by national ID, per member of staff
        # the counter's lookup by national ID (services/counter.py look_up_by_national_id)
        ("dynamodb:Query", "ApplicantsTable/index/by_national_id"),
        ("dynamodb:BatchGetItem", "RequestsTable"),
        ("dynamodb:GetItem", "DocumentsTable"),
        ("dynamodb:PutItem", "DocumentsTable"),
        ("dynamodb:Query", "DocumentsTable/index/request_documents"),
        ("s3:GetObject", "DocumentsBucket/uploads/*"),  # presigned GET
        ("s3:PutObject", "DocumentsBucket/uploads/*"),  # the retention copy onto itself
        ("s3:DeleteObjectVersion", "DocumentsBucket/uploads/*"),  # an erased identity document's versions
        ("s3:ListBucketVersions", "DocumentsBucket"),  # finding them
        ("dynamodb:Query", FIGURES),
        ("ssm:GetParameter", "parameter/lookup-hmac-key"),
        # the office console (issue 21): its sessions (store/console_sessions.py) and signing in
        # through the staff pool (adapters/staff_pool.py; the pool's other calls are not IAM's)
        ("dynamodb:GetItem", "ConsoleSessionsTable"),
        ("dynamodb:PutItem", "ConsoleSessionsTable"),
        ("dynamodb:UpdateItem", "ConsoleSessionsTable"),
        ("dynamodb:DeleteItem", "ConsoleSessionsTable"),
        ("cognito-idp:AdminInitiateAuth", "import/staff-pool-arn"),
        ("cognito-idp:AdminRespondToAuthChallenge", "import/staff-pool-arn"),
        ("cognito-idp:ListUsersInGroup", "import/staff-pool-arn"),  # officers of a district (assignment)
    ],
    "PaymentCallbacksHandler": [
        ("dynamodb:GetItem", "RequestsTable"),
        ("dynamodb:PutItem", "RequestsTable"),
        ("dynamodb:UpdateItem", "RequestsTable"),  # the proof, in the notice's transaction
        ("dynamodb:GetItem", "PaymentsTable"),  # the card order a Paymob notice is about
        ("dynamodb:PutItem", "PaymentsTable"),
        ("dynamodb:PutItem", "OutboxTable"),
        ("ssm:GetParameter", "parameter/fawry-secure-key"),
        ("ssm:GetParameter", "parameter/paymob-hmac-secret"),
    ],
    "DeliverMessages": [*_DELIVERY, *_WHATSAPP],
    "SweepMessages": [*_DELIVERY, *_WHATSAPP, ("dynamodb:Query", "OutboxTable/index/due")],
    "RecordWhatsappReceipts": _RECEIPTS,
    "ReconcilePayments": [("dynamodb:Query", "PaymentsTable/index/ledger"), ("dynamodb:PutItem", "PaymentsTable")],
    "KeepPerformanceFigures": [("dynamodb:GetItem", FIGURES), ("dynamodb:UpdateItem", FIGURES)],
    "RecountOverdueRequests": [
        ("dynamodb:Query", "RequestsTable/index/queue"),
        ("dynamodb:Query", FIGURES),
        ("dynamodb:UpdateItem", FIGURES),
    ],
    "PublishPerformance": [("dynamodb:Query", FIGURES), ("s3:PutObject", "PortalBucket/performance.html")],
    "DocumentArrived": [
        ("dynamodb:GetItem", "DocumentsTable"),
        ("dynamodb:PutItem", "DocumentsTable"),
        ("s3:GetObject", "DocumentsBucket/uploads/*"),
        ("s3:GetObjectVersionTagging", "DocumentsBucket/uploads/*"),  # is it the retention copy?
        ("s3:DeleteObjectVersion", "DocumentsBucket/uploads/*"),  # a version a used slot refuses
    ],
    "DocumentScanned": [("dynamodb:GetItem", "DocumentsTable"), ("dynamodb:PutItem", "DocumentsTable")],
}


def arn_pattern(resource: Any) -> str:
    """A statement's resource as a pattern over this file's names: a table, bucket or topic by
    its logical name ("RequestsTable", "RequestsTable/index/queue"), a parameter by its last part,
    another stack's export by the end of its name."""
    if isinstance(resource, str):
        return resource
    if "Fn::ImportValue" in resource:  # another stack's export ("import/staff-pool-arn")
        exported = resource["Fn::ImportValue"]
        return (
            "import/"
            + str(exported.get("Fn::Sub", exported) if isinstance(exported, dict) else exported).split("}-")[-1]
        )
    if "Fn::Sub" in resource:
        # The list form's own variables stand as their names ("${NumberId}" as "NumberId").
        given = resource["Fn::Sub"] if isinstance(resource["Fn::Sub"], list) else [resource["Fn::Sub"], {}]
        text = given[0].replace("${AWS::Partition}", "aws")
        for name in given[1]:
            text = text.replace(f"${{{name}}}", name)
        text = re.sub(r"\$\{(\w+)\.Arn\}", r"\1", text)
        text = re.sub(r"^arn:aws:s3:::shobbak-\$\{Stage\}-documents-\$\{AWS::AccountId\}", "DocumentsBucket", text)
        return re.sub(r"^arn:.*:parameter/shobbak/\$\{Stage\}/", "parameter/", text)
    return referenced(resource)


def allows(role: dict[str, Any], action: str, resource: str) -> bool:
    def matches(statement: dict[str, Any]) -> bool:
        acts = any(fnmatch.fnmatchcase(action, pattern) for pattern in as_list(statement["Action"]))
        if "NotResource" in statement:
            return acts and not any(
                fnmatch.fnmatchcase(resource, arn_pattern(r)) for r in as_list(statement["NotResource"])
            )
        return acts and any(fnmatch.fnmatchcase(resource, arn_pattern(r)) for r in as_list(statement["Resource"]))

    found = statements(role)
    return any(s["Effect"] == "Allow" and matches(s) for s in found) and not any(
        s["Effect"] == "Deny" and matches(s) for s in found
    )


@pytest.mark.parametrize("function", sorted(CALLS))
def test_the_role_grants_every_call_its_function_makes(template: dict[str, Any], function: str) -> None:
    role = template["Resources"][referenced(functions(template)[function]["Properties"]["Role"])]

    missing = [(action, resource) for action, resource in CALLS[function] if not allows(role, action, resource)]

    assert missing == [], function


def test_every_function_that_calls_aws_is_listed(template: dict[str, Any]) -> None:
    assert set(functions(template)) - set(CALLS) <= {"StaffToken", "PlaceVoiceCalls"}  # no table, bucket or topic
