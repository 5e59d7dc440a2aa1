"""What the area tests share: the routes one routes module registers, read from Chalice's own table."""

from __future__ import annotations

from app import app


def routes_of(routes_module: str) -> set[tuple[str, str]]:
    """(method, path) of every route whose view is defined in chalicelib/api/routes/<routes_module>.py."""
    module = f"chalicelib.api.routes.{routes_module}"
    return {
        (method, path)
        for path, methods in app.routes.items()
        for method, route in methods.items()
        if route.view_function.__module__ == module
    }


def media_types(answer: object) -> set[str]:
    return set(getattr(answer, "content", {}))
