"""The OpenAPI entries of chalicelib/api/routes/figures_screen.py, by route."""

from __future__ import annotations

from chalicelib.api.openapi.entries import (
    Answer,
    Entry,
    html_answer,
)

ENTRIES: dict[tuple[str, str], Entry] = {
    # screen
    ("GET", "/v1/screens/performance"): Entry(
        "The staff performance screen (a page; it signs in and reads the performance API)",
        tag="office",
        answers={200: html_answer("The screen")},
    ),
    # script
    ("GET", "/v1/screens/performance.js"): Entry(
        "The screen's script",
        tag="office",
        answers={200: Answer("The script", {"text/javascript": {"schema": {"type": "string"}}})},
    ),
    # stylesheet
    ("GET", "/v1/screens/performance.css"): Entry(
        "The screen's stylesheet",
        tag="office",
        answers={200: Answer("The stylesheet", {"text/css": {"schema": {"type": "string"}}})},
    ),
}
