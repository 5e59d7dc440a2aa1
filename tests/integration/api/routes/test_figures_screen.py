"""The staff figures screen's three files (chalicelib/api/routes/figures_screen.py), served by the API
itself: the page (no figure in it, no token needed to load it), its script and its stylesheet.
What the screen shows, in chromium, is tested in tests/e2e."""

from __future__ import annotations

import pytest
from chalice.test import Client

from chalicelib.api.routes.figures_screen import SCREEN_DIR

PAGE, SCRIPT, STYLESHEET = "/v1/screens/performance", "/v1/screens/performance.js", "/v1/screens/performance.css"


@pytest.mark.parametrize(
    ("path", "content_type", "cache"),
    [
        (PAGE, "text/html; charset=utf-8", "no-store"),
        (SCRIPT, "text/javascript; charset=utf-8", "public, max-age=300"),
        (STYLESHEET, "text/css; charset=utf-8", "public, max-age=300"),
    ],
    ids=["page", "script", "stylesheet"],
)
def test_each_file_is_served_without_a_token_as_its_own_type(
    client: Client, path: str, content_type: str, cache: str
) -> None:
    answer = client.http.get(path)

    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == content_type
    assert answer.headers["Cache-Control"] == cache
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "no-referrer"


def test_everything_the_page_loads_comes_from_the_api_s_own_origin(client: Client) -> None:
    policy = client.http.get(PAGE).headers["Content-Security-Policy"]
    page = client.http.get(PAGE).body.decode()

    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert '<script src="performance.js" defer></script>' in page
    assert '<link rel="stylesheet" href="performance.css">' in page


def test_the_page_carries_the_staff_sign_in_address_escaped(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFF_SIGN_IN_URL", 'https://staff.example/login?client_id=x&state="y"')

    page = client.http.get(PAGE).body.decode()

    assert 'data-sign-in-url="https://staff.example/login?client_id=x&amp;state=&quot;y&quot;"' in page
    assert "{sign_in_url}" not in page


def test_the_stylesheet_is_the_screen_s_own_look_then_the_figures_look_the_console_shares(client: Client) -> None:
    served = client.http.get(STYLESHEET).body.decode()

    own = (SCREEN_DIR / "screen.css").read_text(encoding="utf-8")
    shared = (SCREEN_DIR / "figures.css").read_text(encoding="utf-8")
    assert served == own + "\n" + shared


def test_the_script_is_the_screen_s_file(client: Client) -> None:
    assert client.http.get(SCRIPT).body.decode() == (SCREEN_DIR / "screen.js").read_text(encoding="utf-8")
