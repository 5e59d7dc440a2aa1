"""The office's views as use cases: dates in Cairo, and deadlines past the known holidays."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest

from chalicelib.domain.catalogue import Catalogue, parse_catalogue_data
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.services.office_queue import view_queue
from chalicelib.services.office_view import view_request
from chalicelib.services.submission import ONLINE, submit_request
from tests.conftest import PROJECT
from tests.factories import submission

DATA = PROJECT / "chalicelib" / "domain" / "data"
OFFICER = StaffMember(principal="officer-1", role=Role.OFFICER, district_code="dokki")


def catalogue_where_shop_licences_start_on(day: str) -> Catalogue:
    """The bundled catalogue, except that the shop licence is first offered on `day`."""
    services = json.loads((DATA / "services.json").read_text(encoding="utf-8"))
    shop = next(service for service in services["services"] if service["code"] == "shop_licence")
    shop["versions"] = [{**shop["versions"][-1], "effective_from": day}]
    return Catalogue(
        parse_catalogue_data(
            json.loads((DATA / "districts.json").read_text(encoding="utf-8")),
            services,
            json.loads((DATA / "holidays.json").read_text(encoding="utf-8")),
        ),
        rollout_phase=1,
    )


def test_the_office_view_dates_a_request_in_cairo(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # 22:30 UTC on 30 June is 01:30 on 1 July in Cairo: the shop licence is already on offer there.
    catalogue = catalogue_where_shop_licences_start_on("2026-07-01")
    for module in ("office_view", "submission"):
        monkeypatch.setattr(f"chalicelib.services.{module}.current_catalogue", lambda: catalogue)
    submitted_at = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)
    filed = submit_request(submission("shop_licence"), None, ONLINE, submitted_at)

    view = view_request(OFFICER, filed.tracking_number, submitted_at)

    assert view.service_name_ar == "ترخيص محل عام"


def test_a_deadline_past_the_known_holidays_is_provisional_and_alerts_operations(
    aws: None, log_lines: io.StringIO
) -> None:
    # 22 working days from late September 2027 run past 6 October 2027, the last holiday listed.
    late = datetime(2027, 9, 26, 9, 0, tzinfo=UTC)
    early = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    provisional = submit_request(submission("shop_licence", "dokki", notify_by="none"), None, ONLINE, late)
    firm = submit_request(submission("shop_licence", "dokki"), None, ONLINE, early)

    assert bool(view_request(OFFICER, provisional.tracking_number, late).request.sla_provisional) is True
    assert bool(view_request(OFFICER, firm.tracking_number, early).request.sla_provisional) is False
    queue = view_queue(OFFICER, {"status": "awaiting_payment"}, late).entries
    assert {entry.request.tracking_number: bool(entry.request.sla_provisional) for entry in queue} == {
        provisional.tracking_number: True,
        firm.tracking_number: False,
    }
    alerts = [json.loads(line) for line in log_lines.getvalue().splitlines() if '"alert"' in line]
    assert [(alert["alert"], alert["tracking_number"]) for alert in alerts] == [
        ("deadline_past_known_holidays", provisional.tracking_number)
    ]
    assert alerts[0]["holidays_known_until"] == "2027-10-06"
