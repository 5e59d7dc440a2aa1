"""Open311's XML (chalicelib/api/http/open311_xml.py): each list's items named as the specification names them."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from chalicelib.api.http.open311_xml import to_xml

DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


def parsed(xml: str) -> ElementTree.Element:
    return ElementTree.fromstring(xml.removeprefix(DECLARATION))  # noqa: S314 - the code under test's own output


def test_each_list_item_is_named_after_its_list() -> None:
    xml = to_xml("services", [{"service_code": "shop_licence", "metadata": True}, {"service_code": "x"}])

    assert xml.startswith(DECLARATION)
    root = parsed(xml)
    assert [child.tag for child in root] == ["service", "service"]
    assert root[0].find("service_code").text == "shop_licence"  # type: ignore[union-attr]


def test_booleans_are_written_as_xml_writes_them_and_nothing_is_an_empty_element() -> None:
    xml = to_xml("request", {"metadata": True, "deleted": False, "address": None, "count": 3})

    assert "<metadata>true</metadata><deleted>false</deleted><address /><count>3</count>" in xml


def test_lists_inside_items_use_their_own_item_names() -> None:
    xml = to_xml("service", {"attributes": [{"code": "a", "values": [{"key": "k"}]}]})

    assert "<attributes><attribute><code>a</code><values><value><key>k</key></value></values>" in xml


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1f", "\ud800", "\ufffe", "\uffff"])
def test_a_character_xml_does_not_allow_becomes_the_replacement_character(character: str) -> None:
    xml = to_xml("errors", [{"description": f"field{character}name"}])

    assert "field\ufffdname" in xml
    assert parsed(xml).find("error/description").text == "field\ufffdname"  # type: ignore[union-attr]


def test_arabic_and_markup_in_text_are_kept_and_escaped() -> None:
    xml = to_xml("errors", [{"description": "حقل <مطلوب> & ناقص"}])

    assert "حقل &lt;مطلوب&gt; &amp; ناقص" in xml


def test_a_list_the_specification_does_not_name_is_a_mistake_of_ours() -> None:
    with pytest.raises(KeyError):
        to_xml("things", [1])
