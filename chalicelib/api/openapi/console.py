"""The OpenAPI entries of chalicelib/api/routes/console.py, by route."""

from __future__ import annotations

from chalicelib.api.openapi.entries import Answer, Entry, html_answer

ENTRIES: dict[tuple[str, str], Entry] = {
    # console_home
    ("GET", "/v1/console"): Entry(
        "The office console: its home signed in, its sign-in page signed out",
        tag="console",
        answers={200: html_answer("A page")},
    ),
    # console_sign_in
    ("POST", "/v1/console/sign-in"): Entry(
        "Signs in with email and password (a form)", tag="console", answers={200: html_answer("The next step")}
    ),
    # console_new_password
    ("POST", "/v1/console/sign-in/new-password"): Entry(
        "First sign-in: sets the new password (a form)", tag="console", answers={200: html_answer("The next step")}
    ),
    # console_enrol
    ("POST", "/v1/console/sign-in/enrol"): Entry(
        "First sign-in: confirms the authenticator app with a code (a form)",
        tag="console",
        answers={303: Answer("Signed in: to the console")},
    ),
    # console_code
    ("POST", "/v1/console/sign-in/code"): Entry(
        "Signs in: the authenticator app's code (a form)",
        tag="console",
        answers={303: Answer("Signed in: to the console")},
    ),
    # console_sign_out
    ("POST", "/v1/console/sign-out"): Entry(
        "Signs out: the session and the pool's tokens revoked (a form)",
        tag="console",
        answers={303: Answer("To the sign-in page")},
    ),
    # console_forgotten_password_form
    ("GET", "/v1/console/password"): Entry(
        "Forgotten password: the form that asks for a code", tag="console", answers={200: html_answer("A page")}
    ),
    # console_forgotten_password
    ("POST", "/v1/console/password"): Entry(
        "Forgotten password: asks for a code, then sets a new password with it (a form)",
        tag="console",
        answers={200: html_answer("A page")},
    ),
    # console_stylesheet
    ("GET", "/v1/console/console.css"): Entry(
        "The console's stylesheet",
        tag="console",
        answers={200: Answer("The stylesheet", {"text/css": {"schema": {"type": "string"}}})},
    ),
    # console_script
    ("GET", "/v1/console/console.js"): Entry(
        "The console's script (it only enhances)",
        tag="console",
        answers={200: Answer("The script", {"text/javascript": {"schema": {"type": "string"}}})},
    ),
}
