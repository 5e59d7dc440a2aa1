"""Taking, assigning, revealing, erasing, transferring and searching in the console (issue 21,
sections 3 to 5), signed in through the staff pool made in moto."""

from __future__ import annotations

import gzip
import re

from chalice.test import Client

from tests.integration.api.routes import test_console_office as office_pages
from tests.integration.api.routes.test_console import _age
from tests.integration.api.routes.test_console_office import file
from tools.testing.synthetic import applicant

OFFICER, MANAGER, STRANGER, HQ = (
    "officer.dokki@staff.shobbak.local",
    "manager.dokki@staff.shobbak.local",
    "officer.warraq@staff.shobbak.local",
    "hq@staff.shobbak.local",
)
REASON = "المواطن حضر للشباك ويطلب تصحيح رقم هاتفه"
# The pool's accounts and their signed-in browsers, as the queue's tests make them.
secrets, signed_in = office_pages.secrets, office_pages.signed_in


def _small(answer) -> bool:  # type: ignore[no-untyped-def]
    return len(gzip.compress(answer.body)) <= 14 * 1024


def test_an_officer_takes_a_request_and_finds_it_in_my_work(signed_in, client: Client) -> None:
    tracking_number = file(client)
    officer = signed_in(OFFICER)
    view = officer.get(f"/v1/console/requests/{tracking_number}").body.decode()
    assert "أتولى هذا الطلب" in view
    assert "لم يتوله أحد" in view

    taken = officer.post(f"/v1/console/requests/{tracking_number}/assignment", {"version": "1"})

    page = taken.body.decode()
    assert taken.status_code == 200, page
    assert OFFICER in page
    assert "إسناد" in page  # on the timeline
    assert 'name="version" value="2"' in page
    assert "أتولى هذا الطلب" not in page
    mine = officer.get("/v1/console/my-work")
    assert mine.status_code == 200
    assert tracking_number in mine.body.decode()
    assert _small(mine)
    late = officer.post(f"/v1/console/requests/{tracking_number}/assignment", {"version": "1"})
    assert late.status_code == 409
    assert 'name="version" value="2"' in late.body.decode()


def test_a_manager_assigns_from_the_district_s_officers_and_sees_the_workload(signed_in, client: Client) -> None:
    tracking_number = file(client)
    manager = signed_in(MANAGER)
    view = manager.get(f"/v1/console/requests/{tracking_number}")
    options = re.findall(r'<option value="([^"]+@staff\.shobbak\.local)"', view.body.decode())
    assert options == [OFFICER]  # the district's officers only
    assert _small(view)

    given = manager.post(f"/v1/console/requests/{tracking_number}/assignment", {"officer": OFFICER, "version": "1"})
    assert given.status_code == 200, given.body.decode()
    assert tracking_number in signed_in(OFFICER).get("/v1/console/my-work").body.decode()

    load = manager.get("/v1/console/workload")
    page = load.body.decode()
    assert load.status_code == 200
    assert re.search(rf'{re.escape(OFFICER)}</td><td data-label="مفتوحة">1</td>', page)
    assert _small(load)


def test_an_officer_cannot_assign_to_someone_else_nor_take_another_district_s_request(
    signed_in, client: Client
) -> None:
    tracking_number = file(client)
    officer = signed_in(OFFICER)
    officer.get(f"/v1/console/requests/{tracking_number}")
    other = officer.post(f"/v1/console/requests/{tracking_number}/assignment", {"officer": STRANGER, "version": "1"})
    stranger = signed_in(STRANGER)
    stranger.get("/v1/console/")
    foreign = stranger.post(f"/v1/console/requests/{tracking_number}/assignment", {"version": "1"})

    assert other.status_code == 400  # not an officer of the request's district
    assert foreign.status_code == 404
    assert tracking_number not in stranger.get("/v1/console/my-work").body.decode()
    assert signed_in(OFFICER).get("/v1/console/workload").status_code == 403


def test_a_reveal_asks_for_a_fresh_sign_in_then_shows_who_and_records_it(signed_in, client: Client) -> None:
    tracking_number = file(client)
    manager = signed_in(MANAGER)
    manager.get(f"/v1/console/requests/{tracking_number}")
    _age(manager.cookie, signed_in_s=6 * 60)

    again = manager.post(f"/v1/console/requests/{tracking_number}/identity", {"reason": REASON})
    assert again.status_code == 401
    assert applicant()["national_id"] not in again.body.decode()

    fresh = signed_in(MANAGER)
    fresh.get(f"/v1/console/requests/{tracking_number}")
    shown = fresh.post(f"/v1/console/requests/{tracking_number}/identity", {"reason": REASON})
    page = shown.body.decode()
    assert shown.status_code == 200, page
    assert applicant()["national_id"] in page
    assert "كشف هوية مقدم الطلب" in page  # on the timeline
    assert REASON in page
    assert applicant()["national_id"] not in fresh.get(f"/v1/console/requests/{tracking_number}").body.decode()


def test_an_officer_cannot_reveal(signed_in, client: Client) -> None:
    tracking_number = file(client)
    officer = signed_in(OFFICER)
    page = officer.get(f"/v1/console/requests/{tracking_number}").body.decode()
    assert "كشف الهوية" not in page

    refused = officer.post(f"/v1/console/requests/{tracking_number}/identity", {"reason": REASON})

    assert refused.status_code == 403
    assert applicant()["national_id"] not in refused.body.decode()


def test_a_manager_erases_an_identity_after_a_fresh_sign_in(signed_in, client: Client) -> None:
    tracking_number = file(client)
    manager = signed_in(MANAGER)
    manager.get(f"/v1/console/requests/{tracking_number}")
    _age(manager.cookie, signed_in_s=6 * 60)
    again = manager.post(f"/v1/console/requests/{tracking_number}/erasure", {"erasure_reason": REASON})
    assert again.status_code == 401

    fresh = signed_in(MANAGER)
    fresh.get(f"/v1/console/requests/{tracking_number}")
    erased = fresh.post(f"/v1/console/requests/{tracking_number}/erasure", {"erasure_reason": REASON})

    assert erased.status_code == 200, erased.body.decode()
    assert "محيت بناءً على طلب صاحبها" in erased.body.decode()


def test_headquarters_finds_a_request_by_number_and_transfers_it(signed_in, client: Client) -> None:
    tracking_number = file(client, district_code="warraq")
    hq = signed_in(HQ)
    assert 'action="/v1/console/search"' in hq.get("/v1/console/").body.decode()

    spaced = " ".join(re.findall(r".{1,4}", tracking_number))
    found = hq.get(f"/v1/console/search?tracking_number={spaced.replace(' ', '+')}")
    assert found.status_code == 303
    assert found.headers["Location"] == f"/v1/console/requests/{tracking_number}"
    view = hq.get(found.headers["Location"]).body.decode()
    assert 'name="to_district"' in view

    reason = "العقار يقع في نطاق حي الدقي"
    moved = hq.post(
        f"/v1/console/requests/{tracking_number}/transfer",
        {"to_district": "dokki", "transfer_reason": reason, "version": "1"},
    )

    assert moved.status_code == 200, moved.body.decode()
    assert "تحويل إلى حي آخر" in moved.body.decode()
    assert tracking_number in signed_in(OFFICER).get("/v1/console/queue?status=submitted").body.decode()
    assert hq.get("/v1/console/search?tracking_number=../x").status_code == 400


def test_assigning_without_the_csrf_token_changes_nothing(signed_in, client: Client) -> None:
    tracking_number = file(client)
    officer = signed_in(OFFICER)

    forged = officer.post(f"/v1/console/requests/{tracking_number}/assignment", {"version": "1"}, csrf="")

    assert forged.status_code == 403
    assert "لم يتوله أحد" in officer.get(f"/v1/console/requests/{tracking_number}").body.decode()
