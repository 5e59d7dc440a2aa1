"""Assembles the OpenAPI 3.1 document from Chalice's route table and each route's entry (by_route.py)."""

from __future__ import annotations

from typing import Any

from chalice import Chalice
from chalice.app import RouteEntry

from chalicelib.api.openapi.by_route import ENTRIES, entry_for
from chalicelib.api.openapi.entries import OPEN311_API_KEY, STAFF_BEARER, Entry, error_answer
from chalicelib.api.openapi.schemas import SCHEMAS

TAGS = [
    {"name": "citizen", "description": "الخدمات والطلبات والاستعلام — the catalogue, applications and inquiries"},
    {"name": "portal", "description": "صفحات البوابة بدون جافاسكربت — the portal's forms, answered with pages"},
    {"name": "payments", "description": "الدفع — card payments and the gateways' signed callbacks"},
    {"name": "office", "description": "مكاتب الأحياء — the district offices, behind the staff token"},
    {
        "name": "console",
        "description": "وحدة عمل الموظفين — the office console's pages, signed in through the staff pool",
    },
    {"name": "open311", "description": "Open311 GeoReport v2, jurisdiction `giza.gov.eg`"},
    {"name": "meta", "description": "This description"},
]

SECURITY_SCHEMES = {
    STAFF_BEARER: {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A staff token (RS256) naming the role (clerk, officer, manager, hq) and district; "
        "locally `make token ROLE=officer DISTRICT=dokki`.",
    },
    OPEN311_API_KEY: {
        "type": "apiKey",
        "in": "query",
        "name": "api_key",
        "description": "The key the governorate issues to an Open311 partner system (OPEN311_API_KEY); "
        "a POST may carry it in its form body instead.",
    },
}

# What the gateway answers, before any handler runs, to a request behind the staff authorizer
# without a valid token: its gateway response (infra/api.yaml) gives it the one error shape.
_NO_VALID_TOKEN = error_answer("No staff token, or one that is not valid", "unauthorized")


def openapi_document(app: Chalice) -> dict[str, Any]:
    """The document for every route that has an entry; routes without one are left out, which
    the document's test reports (a missing description is a test failure, not a 500 here)."""
    paths: dict[str, dict[str, Any]] = {}
    for path, methods in sorted(app.routes.items()):
        for method, route in sorted(methods.items()):
            entry = entry_for(route)
            if entry is not None:
                paths.setdefault(path, {})[method.lower()] = _operation(route, entry)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Shobbak — شباك",
            "version": "1.0.0",
            "summary": "Giza Governorate's one-window citizen services: واجهة شباك لخدمات محافظة الجيزة",
            "description": "Every answer is UTF-8 JSON unless stated. Errors share one shape (`Error`): "
            "a code, an Arabic and an English message, and each field in error with its Arabic message. "
            "Digit fields accept ASCII, Arabic-Indic and Persian digits.",
        },
        "servers": [{"url": "/", "description": "This API, where this document was read"}],
        "tags": TAGS,
        "paths": paths,
        "components": {"schemas": SCHEMAS, "securitySchemes": SECURITY_SCHEMES},
    }


def undocumented_path_parameters(route: RouteEntry) -> list[str]:
    """Path parameters the route has and its entry does not describe."""
    entry = entry_for(route)
    described = {parameter.name for parameter in entry.parameters if parameter.where == "path"} if entry else set()
    return [name for name in route.view_args if name not in described]


def unrouted_entries(app: Chalice) -> list[tuple[str, str]]:
    """Entries (method, path) that name no route of the app."""
    routed = {(method, path) for path, methods in app.routes.items() for method in methods}
    return sorted(ENTRIES.keys() - routed)


def _operation(route: RouteEntry, entry: Entry) -> dict[str, Any]:
    answers = dict(entry.answers)
    security = [{name: []} for name in entry.security]
    if route.authorizer is not None:
        security.append({STAFF_BEARER: []})
        answers.setdefault(401, _NO_VALID_TOKEN)
    operation: dict[str, Any] = {
        "operationId": route.view_name,
        "summary": entry.summary,
        "tags": [entry.tag],
        "responses": {str(status): answer.as_openapi() for status, answer in sorted(answers.items())},
    }
    if entry.description:
        operation["description"] = entry.description
    if entry.parameters:
        operation["parameters"] = [parameter.as_openapi() for parameter in entry.parameters]
    if entry.body is not None:
        operation["requestBody"] = entry.body.as_openapi()
    operation["security"] = security  # [] says "no credentials", which is true of the public routes
    return operation
