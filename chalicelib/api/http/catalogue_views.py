"""How the catalogue is shown over the API (docs/interfaces.md#catalogue), with a few extra keys clients may use."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.catalogue import Catalogue, District, Document, FormField, Service


def district_view(district: District) -> dict[str, Any]:
    return {
        "code": district.code,
        "name_ar": district.name_ar,
        "name_en": district.name_en,
        "kind": district.kind,
        "phase": district.phase,
        "active": district.active,
    }


def service_view(service: Service, catalogue: Catalogue) -> dict[str, Any]:
    return {
        "code": service.code,
        "name_ar": service.name_ar,
        "name_en": service.name_en,
        "group": service.group,
        "group_name_ar": catalogue.group_name_ar(service.group),
        "department": service.department,
        "fee_egp": service.fee_egp,
        "sla_days": service.sla_days,
        "effective_from": service.effective_from.isoformat(),
        "legal_basis_ar": service.legal_basis_ar,
        "legal_basis_en": service.legal_basis_en,
        "documents": [_document_view(document) for document in service.documents],
        "fields": [_field_view(form_field) for form_field in service.fields],
    }


def _document_view(document: Document) -> dict[str, Any]:
    return {
        "code": document.code,
        "name_ar": document.name_ar,
        "name_en": document.name_en,
        "identity": document.identity,
        "required": document.required,
    }


def _field_view(form_field: FormField) -> dict[str, Any]:
    view: dict[str, Any] = {
        "name": form_field.name,
        "label_ar": form_field.label_ar,
        "label_en": form_field.label_en,
        "type": form_field.type,
        "required": form_field.required,
    }
    if form_field.options:
        view["options"] = [
            {"value": option.value, "label_ar": option.label_ar, "label_en": option.label_en}
            for option in form_field.options
        ]
    optional = {"max_length": form_field.max_length, "min": form_field.minimum, "max": form_field.maximum}
    view.update({key: value for key, value in optional.items() if value is not None})
    return view
