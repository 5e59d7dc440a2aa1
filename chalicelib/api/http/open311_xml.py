"""Open311's XML: the same answers as its JSON, each list item named as the specification names it."""

from __future__ import annotations

import re
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


# What XML 1.0 does not allow in a document (its Char production): most control characters,
# lone surrogates, U+FFFE and U+FFFF. A client's input (a field's name, echoed in an error)
# may hold any of them; each becomes U+FFFD, the replacement character.
_NOT_XML_1_0 = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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
        element.text = _NOT_XML_1_0.sub("\ufffd", str(value))
