"""What the back office sees of a request's life (issue 21, sections 3 and 7): the request view's
timeline shows the messages sent (kind and channel only) and the document scans beside the changes
of status, still blind and in at most 2 DynamoDB calls; a queue row shows the service's Arabic
name, the documents in, and that the citizen uploaded something since staff last changed it."""

from __future__ import annotations

import boto3
from chalice.test import Client

from tests.integration.api.routes import test_console_office as office_pages
from tests.integration.api.routes.test_console_office import _data_calls, _session_calls, file
from tests.integration.api.test_documents import codes
from tests.integration.api.uploads import BUCKET, PDF, deliver_events, offer
from tools.testing.aws_calls import counted_aws_calls
from tools.testing.synthetic import applicant

OFFICER = "officer.dokki@staff.shobbak.local"
UPLOADED_SINCE = "رفع المواطن مستندًا منذ آخر تغيير"
secrets, signed_in = office_pages.secrets, office_pages.signed_in


def clean_document(client: Client, tracking_number: str, document: str) -> None:
    """An upload offered, put where its presigned form would put it, arrived and scanned clean
    through the deployed handlers (the form's own POST is tested in tests/integration/api/test_documents.py)."""
    offered = offer(client, tracking_number, document)
    assert offered.status_code == 201, offered.body
    fields = offered.json_body["upload"]["fields"]
    boto3.client("s3").put_object(Bucket=BUCKET, Key=fields["key"], Body=PDF, ContentType="application/pdf")
    assert deliver_events(client, fields["key"])[-1] == {"status": "clean"}


def _sweep(client: Client) -> None:
    event = client.events.generate_cw_event("aws.events", "Scheduled Event", {}, [])
    assert client.lambda_.invoke("sweep_messages", event).payload.get("sent", 0) >= 1


def test_the_timeline_shows_messages_sent_and_scans_blind_in_two_calls(signed_in, client: Client) -> None:
    tracking_number = file(client)
    _sweep(client)  # the "received" message goes out by SMS
    clean_document(client, tracking_number, codes(client)["first"])
    officer = signed_in(OFFICER)
    session_only = _session_calls(officer)

    with counted_aws_calls() as calls:
        answer = officer.get(f"/v1/console/requests/{tracking_number}")
    page = answer.body.decode()

    assert answer.status_code == 200
    assert _data_calls(calls) - session_only <= 2
    timeline = page[page.index('<ol class="timeline">') : page.index("</ol>", page.index('<ol class="timeline">'))]
    assert "رسالة إلى المواطن: استلام الطلب · رسالة نصية" in timeline
    assert "وصل وقُبل" in timeline  # the scan's verdict
    assert timeline.index("جديد ←") < timeline.index("رسالة إلى المواطن")  # oldest first
    who = applicant()
    for value in (who["full_name"], who["national_id"], who["phone"], who["phone"][1:]):
        assert value not in page


def test_a_queue_row_shows_the_documents_in_and_an_upload_since_the_last_move(signed_in, client: Client) -> None:
    tracking_number = file(client)
    officer = signed_in(OFFICER)
    before = officer.get("/v1/console/queue?status=submitted").body.decode()
    row = before[before.index(tracking_number) :].split("</tr>")[0]
    assert "0 من " in row
    assert UPLOADED_SINCE not in row

    clean_document(client, tracking_number, codes(client)["first"])

    after = officer.get("/v1/console/queue?status=submitted").body.decode()
    row = after[after.index(tracking_number) :].split("</tr>")[0]
    assert "1 من " in row
    assert UPLOADED_SINCE in row  # said in words, not by a colour

    officer.post(f"/v1/console/requests/{tracking_number}/move", {"to": "in_review", "note": "رأيته", "version": "1"})
    moved = officer.get("/v1/console/queue?status=in_review").body.decode()
    row = moved[moved.index(tracking_number) :].split("</tr>")[0]
    assert "1 من " in row
    assert UPLOADED_SINCE not in row
