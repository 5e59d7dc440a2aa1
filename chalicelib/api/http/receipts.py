"""The printable Arabic receipt a citizen takes home from the one window."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from chalicelib.domain.calendar import CAIRO, arabic_date
from chalicelib.domain.tracking import grouped_for_reading
from chalicelib.services.intake import Intake

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@cache
def _environment() -> Any:
    # Jinja2 is imported here, on the first receipt: the citizen routes never load it.
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
    )


def render_receipt(intake: Intake) -> str:
    answer = intake.answer
    registered = datetime.fromisoformat(answer["submitted_at"].replace("Z", "+00:00")).astimezone(CAIRO)
    return (
        _environment()
        .get_template("receipt.html.j2")
        .render(
            tracking_grouped=grouped_for_reading(answer["tracking_number"]),
            district_name=intake.district.name_ar,
            office_name=intake.office.name_ar,
            elsewhere=intake.office.code != intake.district.code,
            service_name=intake.service.name_ar,
            full_name=intake.full_name,
            registered_at=f"{arabic_date(registered.date())}، الساعة {registered:%H:%M}",
            due_date=arabic_date(date.fromisoformat(answer["sla_due_date"])),
            payment=answer["payment"],
            documents=[document.name_ar for document in intake.documents_received],
        )
    )
