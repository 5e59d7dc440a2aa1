"""Correcting who asked in the console (issue 21, §7): the form shows on the manager's request view
after their reveal, works without script, is CSRF-protected, and keeps what was typed when refused."""

from __future__ import annotations

import boto3
from chalice.test import Client

from tests.integration.api.routes import test_console_office as office_pages
from tests.integration.api.routes.test_console_office import file
from tests.integration.api.routes.test_console_office_work import MANAGER, OFFICER, REASON

secrets, signed_in = office_pages.secrets, office_pages.signed_in
FORM = "تصحيح البيانات"


def phone_of(tracking_number: str) -> str:
    table = boto3.resource("dynamodb").Table("shobbak-local-applicants")
    return table.get_item(Key={"tracking_number": tracking_number})["Item"]["phone"]


def revealed(signed_in, client: Client):  # type: ignore[no-untyped-def]
    tracking_number = file(client)
    manager = signed_in(MANAGER)
    before = manager.get(f"/v1/console/requests/{tracking_number}").body.decode()
    assert FORM not in before  # no reveal of theirs yet
    shown = manager.post(f"/v1/console/requests/{tracking_number}/identity", {"reason": REASON})
    assert shown.status_code == 200
    return manager, tracking_number, shown.body.decode()


def test_after_a_reveal_the_manager_corrects_the_phone_with_a_reason(signed_in, client: Client) -> None:
    manager, tracking_number, page = revealed(signed_in, client)
    assert FORM in page
    assert f'action="/v1/console/requests/{tracking_number}/applicant"' in page

    fields = {"phone": "٠١١ ٢٣٤٥ ٦٧٨٩", "full_name": "", "correction_reason": REASON, "version": "1"}
    done = manager.post(f"/v1/console/requests/{tracking_number}/applicant", fields)

    body = done.body.decode()
    assert done.status_code == 200, body
    assert "صُحّحت بيانات مقدم الطلب" in body
    assert "تصحيح بيانات مقدم الطلب" in body  # on the timeline
    assert 'name="version" value="2"' in body
    assert "+201123456789" not in body  # the timeline names fields, never values
    assert phone_of(tracking_number) == "+201123456789"


def test_a_refused_phone_is_explained_and_what_was_typed_is_kept(signed_in, client: Client) -> None:
    manager, tracking_number, _ = revealed(signed_in, client)
    before = phone_of(tracking_number)

    fields = {"phone": "0233334444", "full_name": "", "correction_reason": REASON, "version": "1"}
    refused = manager.post(f"/v1/console/requests/{tracking_number}/applicant", fields)

    body = refused.body.decode()
    assert refused.status_code == 400
    assert "رقم أرضي" in body
    assert 'value="0233334444"' in body
    assert REASON in body
    assert phone_of(tracking_number) == before


def test_a_stale_form_answers_409_with_the_typed_values_kept(signed_in, client: Client) -> None:
    manager, tracking_number, _ = revealed(signed_in, client)
    fields = {"phone": "01123456789", "full_name": "", "correction_reason": REASON, "version": "1"}
    assert manager.post(f"/v1/console/requests/{tracking_number}/applicant", fields).status_code == 200

    again = manager.post(f"/v1/console/requests/{tracking_number}/applicant", {**fields, "phone": "01234567890"})

    assert again.status_code == 409
    assert 'value="01234567890"' in again.body.decode()
    assert phone_of(tracking_number) == "+201123456789"


def test_without_the_csrf_field_or_as_an_officer_nothing_changes(signed_in, client: Client) -> None:
    manager, tracking_number, _ = revealed(signed_in, client)
    before = phone_of(tracking_number)
    fields = {"phone": "01123456789", "full_name": "", "correction_reason": REASON, "version": "1"}

    forged = manager.post(f"/v1/console/requests/{tracking_number}/applicant", fields, csrf="forged")
    officer = signed_in(OFFICER)
    officer.get(f"/v1/console/requests/{tracking_number}")
    refused = officer.post(f"/v1/console/requests/{tracking_number}/applicant", fields)

    assert forged.status_code == 403
    assert refused.status_code == 403
    assert FORM not in officer.get(f"/v1/console/requests/{tracking_number}").body.decode()
    assert phone_of(tracking_number) == before
