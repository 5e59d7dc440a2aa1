"""Open311's XML: the same answers as its JSON, each list item named as the specification names it."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

# A list's element name → the name of each item in it.
ITEM_NAMES = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}


def to_xml(root: str, value: Any) -> str:
    element = ElementTree.Element(root)
    _fill(element, value)
    return '<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(element, encoding="unicode")


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for name, item in value.items():
            _fill(ElementTree.SubElement(element, name), item)
    elif isinstance(value, list):
        item_name = ITEM_NAMES[element.tag]
        for item in value:
            _fill(ElementTree.SubElement(element, item_name), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
