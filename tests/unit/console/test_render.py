"""The office console's pages and files as chalicelib/console/render.py writes them: plain Python."""

from __future__ import annotations

import base64
from urllib.parse import unquote

from chalicelib.console.render import (
    FIGURES_CSS,
    PORTAL_CSS,
    STATIC,
    grouped_secret,
    script,
    stylesheet,
    totp_qr_data_uri,
)


def test_the_stylesheet_is_the_portal_s_then_the_console_s_counter_s_and_the_figures_in_one_file() -> None:
    parts = [
        path.read_text(encoding="utf-8")
        for path in (PORTAL_CSS, STATIC / "console.css", STATIC / "counter.css", FIGURES_CSS)
    ]

    assert stylesheet() == "\n".join(parts)


def test_the_script_is_the_console_s_own_file() -> None:
    assert script() == (STATIC / "console.js").read_text(encoding="utf-8")


def test_the_secret_is_grouped_in_fours_to_type_by_hand() -> None:
    assert grouped_secret("JBSWY3DPEHPK3PXPQ") == "JBSW Y3DP EHPK 3PXP Q"
    assert grouped_secret("") == ""


def test_the_enrolment_qr_code_is_an_svg_made_here_not_a_remote_image() -> None:
    uri = totp_qr_data_uri("JBSWY3DPEHPK3PXP", "mona@giza.gov.eg")

    assert uri.startswith("data:image/svg+xml")
    svg = unquote(uri.split(",", 1)[1]) if ";base64" not in uri else base64.b64decode(uri.split(",", 1)[1]).decode()
    assert "<svg" in svg
    assert "http://" not in svg.replace("http://www.w3.org/2000/svg", "")
