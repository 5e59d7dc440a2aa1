"""The API's OpenAPI 3.1 description, kept beside the routes, one module per area.

Each area's routes (chalicelib/api/routes/<area>.py) have their entries in `<area>.py` here, by
method and path; the document served at GET /v1/openapi.json is assembled from Chalice's routes
and those entries (document.py), so a route without an entry, or an entry without a route, cannot
go unnoticed (tests/unit/api/openapi/test_document.py). Shared shapes live in `schemas.py`, the parts
of an entry in `entries.py`.
"""
