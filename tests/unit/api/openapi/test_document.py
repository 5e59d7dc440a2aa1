"""The OpenAPI description (chalicelib/api/openapi/document.py): valid OpenAPI 3.1, and exactly Chalice's
routes, so it cannot drift. Served at /v1/openapi.json: tests/integration/api/routes/test_description.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from app import app
from chalicelib.api.openapi.document import openapi_document, undocumented_path_parameters, unrouted_entries

ARABIC = re.compile(r"[\u0621-\u064a]")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document(app)


def route_table() -> set[tuple[str, str]]:
    return {(method.lower(), path) for path, methods in app.routes.items() for method in methods}


def test_the_document_lists_every_route_and_method_chalice_has_and_no_other(document: dict[str, Any]) -> None:
    documented = {(method, path) for path, operations in document["paths"].items() for method in operations}

    assert route_table() - documented == set(), "routes without an entry: add it to chalicelib/api/openapi/<area>.py"
    assert documented - route_table() == set()


def test_every_entry_names_a_route_chalice_has() -> None:
    assert unrouted_entries(app) == []


def test_every_path_parameter_of_every_route_is_described() -> None:
    undescribed = {
        f"{method} {path}": missing
        for path, methods in app.routes.items()
        for method, route in methods.items()
        if (missing := undocumented_path_parameters(route))
    }

    assert undescribed == {}


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_operation_ids_are_unique(document: dict[str, Any]) -> None:
    ids = [operation["operationId"] for operations in document["paths"].values() for operation in operations.values()]

    assert len(ids) == len(set(ids)) == len(route_table())


def test_the_office_routes_need_the_staff_bearer_token_and_may_answer_401(document: dict[str, Any]) -> None:
    office = {path: ops for path, ops in document["paths"].items() if path.startswith("/v1/office/")}

    assert office
    for operations in office.values():
        for operation in operations.values():
            assert operation["security"] == [{"staffBearer": []}]
            assert "401" in operation["responses"]
    assert document["components"]["securitySchemes"]["staffBearer"]["scheme"] == "bearer"


def test_open311_filing_and_listing_name_the_api_key_scheme(document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["open311ApiKey"]

    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "query", "api_key")
    for path in ("/open311/v2/requests.json", "/open311/v2/requests.xml"):
        assert document["paths"][path]["post"]["security"] == [{"open311ApiKey": []}]
        assert "403" in document["paths"][path]["post"]["responses"]


def test_every_refusal_is_documented_with_the_one_error_shape(document: dict[str, Any]) -> None:
    for path, operations in document["paths"].items():
        if path.startswith("/open311/"):
            continue
        for operation in operations.values():
            for status, answer in operation["responses"].items():
                json_media = answer.get("content", {}).get("application/json")
                if status.startswith(("4", "5")) and json_media and status != "401":
                    assert json_media["schema"] == {"$ref": "#/components/schemas/Error"}, (path, status)


def examples(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            media = [*operation.get("requestBody", {}).get("content", {}).values()]
            media += [m for answer in operation["responses"].values() for m in answer.get("content", {}).values()]
            for one in media:
                if "example" in one:
                    yield f"{method} {path}", one["schema"], one["example"]


def test_every_example_matches_its_schema_and_the_document_has_arabic_ones(document: dict[str, Any]) -> None:
    found = list(examples(document))
    for where, schema, example in found:
        validator = Draft202012Validator({**schema, "components": document["components"]})
        errors = [error.message for error in validator.iter_errors(example)]
        assert errors == [], where

    arabic = [where for where, _, example in found if ARABIC.search(str(example))]
    assert len(arabic) >= 10
