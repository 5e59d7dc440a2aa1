"""How the catalogue is shown over the API (chalicelib/api/http/catalogue_views.py)."""

from __future__ import annotations

from chalicelib.api.http.catalogue_views import district_view, service_view
from chalicelib.domain.catalogue import load_catalogue
from tests.factories import CATALOGUE_DAY

CATALOGUE = load_catalogue(rollout_phase=1)


def test_a_district_shows_its_code_names_kind_phase_and_whether_it_is_online() -> None:
    dokki = CATALOGUE.district("dokki")
    assert dokki is not None

    assert district_view(dokki) == {"code": "dokki", "name_ar": dokki.name_ar, "name_en": dokki.name_en,
                                    "kind": dokki.kind, "phase": dokki.phase, "active": True}  # fmt: skip


def test_a_service_shows_its_group_by_name_its_documents_and_its_fields() -> None:
    service = CATALOGUE.service("shop_licence", on=CATALOGUE_DAY)
    assert service is not None

    view = service_view(service, CATALOGUE)

    assert view["group_name_ar"] == CATALOGUE.group_name_ar(service.group)
    assert view["effective_from"] == service.effective_from.isoformat()
    assert [document["code"] for document in view["documents"]] == [document.code for document in service.documents]
    assert set(view["documents"][0]) == {"code", "name_ar", "name_en", "identity", "required"}
    assert [field["name"] for field in view["fields"]] == [form_field.name for form_field in service.fields]


def test_a_field_shows_its_options_and_bounds_only_when_it_has_them() -> None:
    fields = [
        field
        for service in CATALOGUE.services(on=CATALOGUE_DAY)
        for field in service_view(service, CATALOGUE)["fields"]
    ]
    choices = [field for field in fields if field["type"] == "choice"]
    texts = [field for field in fields if field["type"] == "text"]

    assert choices
    assert all(field["options"] and set(field["options"][0]) == {"value", "label_ar", "label_en"} for field in choices)
    assert texts
    assert all("options" not in field and "min" not in field and "max" not in field for field in texts)
