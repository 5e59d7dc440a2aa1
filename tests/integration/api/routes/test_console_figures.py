"""The performance screen inside the console (issue 21, sections 4 and 5, and the slips of §7):
a manager's district under its own name, every district side by side for headquarters, overdue
rows that open their request and list open requests only, days and numbers as elsewhere."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

from chalice.test import Client

from chalicelib.domain.tracking import grouped_for_reading
from chalicelib.services.submission import ONLINE, submit_request
from tests.factories import submission
from tests.integration.api.routes import test_console_office as office_pages
from tests.integration.api.routes.test_console_office import FREE_AND_FAST

MANAGER, OFFICER, HQ = (
    "manager.dokki@staff.shobbak.local",
    "officer.dokki@staff.shobbak.local",
    "hq@staff.shobbak.local",
)
LONG_AGO = datetime(2026, 3, 1, 9, tzinfo=UTC)
secrets, signed_in = office_pages.secrets, office_pages.signed_in


def test_a_manager_sees_their_district_with_overdue_rows_that_open(signed_in, client: Client) -> None:
    late = submit_request(submission(FREE_AND_FAST), None, ONLINE, LONG_AGO).tracking_number
    closed = submit_request(submission(FREE_AND_FAST), None, ONLINE, LONG_AGO).tracking_number
    manager = signed_in(MANAGER)
    manager.get(f"/v1/console/requests/{closed}")
    cancelled = manager.post(
        f"/v1/console/requests/{closed}/move", {"to": "cancelled", "note": "طلب المواطن", "version": "1"}
    )
    assert cancelled.status_code == 200

    answer = manager.get("/v1/console/figures")
    page = answer.body.decode()

    assert answer.status_code == 200
    assert "المحافظة في لمحة" not in page
    assert "<h1>أداء الدقي</h1>" in page
    assert f'href="/v1/console/requests/{late}"' in page  # the overdue row opens
    assert grouped_for_reading(late) in page  # grouped, as elsewhere
    assert closed not in page  # overdue counts open requests only
    assert "مارس 2026" in page  # the due day as "3 مارس 2026", not ISO
    assert "2026-03-" not in page
    assert "العمرانية" not in page  # no other district
    assert "<script>" not in page
    assert "style=" not in page
    assert len(gzip.compress(answer.body)) <= 14 * 1024


def test_headquarters_sees_every_district_side_by_side_and_chooses_one(signed_in, client: Client) -> None:
    hq = signed_in(HQ)

    page = hq.get("/v1/console/figures?district=warraq").body.decode()

    assert "<h1>المحافظة في لمحة</h1>" in page
    for name in ("الدقي", "العمرانية", "الوراق"):
        assert name in page
    assert 'href="/v1/console/figures?district=dokki"' in page
    assert "الوراق: الإدارات والخدمات" in page


def test_an_officer_has_no_figures_page(signed_in, client: Client) -> None:
    answer = signed_in(OFFICER).get("/v1/console/figures")

    assert answer.status_code == 403
    assert "تعذّر الإجراء" in answer.body.decode()
