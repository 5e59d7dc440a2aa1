"""The printable Arabic receipt a citizen takes home from the one window, as the office API's
JSON answers it (`receipt_html`): a page of its own, styled inline because it travels as a
string to whatever prints it. What it says is services/counter.py's Receipt, the console's."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

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
    from chalicelib.services.counter import receipt_of

    return _environment().get_template("receipt.html.j2").render(receipt=receipt_of(intake))
