"""The office console's pages as HTML (Jinja2, imported on the first page rendered).

Every page extends templates/base.html.j2: Arabic, right to left, the portal's look (the console's
stylesheet is the portal's, plus console.css), no inline script or style. A page that changes
something puts `csrf_field()` in its form; `session` (services/console_sessions.Session) names
who is signed in, and the base shows when the session ends if nothing is done.
"""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import Any

from chalicelib.domain.calendar import CAIRO

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
PORTAL_CSS = Path(__file__).resolve().parent.parent / "portal" / "static" / "portal.css"
# The figures' look, the standalone performance screen's own (chalicelib/api/figures_screen/).
FIGURES_CSS = Path(__file__).resolve().parent.parent / "api" / "figures_screen" / "figures.css"
PORTAL_TEMPLATES = Path(__file__).resolve().parent.parent / "portal" / "templates"  # its form macros
BASE_PATH = "/v1/console/"

ROLE_NAMES_AR = {
    "clerk": "موظف الشباك",
    "officer": "موظف المكتب الخلفي",
    "manager": "مدير الحي",
    "hq": "ديوان المحافظة",
}


@functools.cache
def _environment() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATES, PORTAL_TEMPLATES]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["cairo_time"] = lambda epoch: datetime.fromtimestamp(int(epoch), CAIRO).strftime("%H:%M")
    environment.globals.update(base=BASE_PATH, role_names=ROLE_NAMES_AR)
    # The portal's form macros (_macros.html.j2, the counter's fields) compile only with its filters.
    from chalicelib.portal.render import _environment as portal_environment

    environment.filters.update(
        {name: f for name, f in portal_environment().filters.items() if name not in environment.filters}
    )
    return environment


def render(template: str, **context: Any) -> str:
    context.setdefault("session", None)
    context.setdefault("problems", {})
    context.setdefault("notice", None)
    return _environment().get_template(template).render(**context)


@functools.cache
def stylesheet() -> str:
    """The portal's stylesheet and the console's additions, one file (one request)."""
    files = (PORTAL_CSS, STATIC / "console.css", STATIC / "counter.css", FIGURES_CSS)
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


@functools.cache
def script() -> str:
    return (STATIC / "console.js").read_text(encoding="utf-8")


def totp_qr_data_uri(secret: str, email: str, issuer: str = "Shobbak") -> str:
    """The authenticator app's enrolment as a QR code (an otpauth:// URI), an SVG data URI made here
    with segno, never by a remote service."""
    from urllib.parse import quote

    import segno

    uri = f"otpauth://totp/{quote(issuer)}:{quote(email)}?secret={secret}&issuer={quote(issuer)}&digits=6&period=30"
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#0b0c0c", light="#ffffff")


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, to type into an app without a camera."""
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))
