"""The catalogue: administrative units, services with their fees and deadlines by date, and holidays.

It lives in JSON files in ``data/`` that people edit and review like code. They are validated strictly,
so that a bad edit fails the test suite instead of a citizen's request.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"

DISTRICT_KINDS = frozenset({"district", "markaz"})
FIELD_TYPES = frozenset({"text", "textarea", "number", "date", "choice"})
# What a text field's answer must look like beyond its length: "reference_number", the number of a
# decision, a licence or a registration, digits with the separators such numbers carry («123 لسنة 2024», 123/2024).
FIELD_FORMATS = frozenset({"reference_number"})
ALL_DISTRICTS = "all"

_CODE = re.compile(r"[a-z][a-z0-9_]*")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
# date.fromisoformat also takes "20260701" and week dates; the files use one spelling only.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class District:
    """An administrative unit (a district or a markaz) at the current rollout phase."""

    code: str
    name_ar: str
    name_en: str
    kind: str
    phase: int
    active: bool


@dataclass(frozen=True)
class Document:
    """A document a service asks for."""

    code: str
    name_ar: str
    name_en: str
    # A copy of an identity document: staff open it only after an audited identity reveal.
    identity: bool = False
    # False for a document needed only in some cases: its absence never holds an approval back.
    required: bool = True


@dataclass(frozen=True)
class FieldOption:
    """One choice of a `choice` field."""

    value: str
    label_ar: str
    label_en: str


@dataclass(frozen=True)
class FormField:
    """A detail a service asks the applicant for, with the limits its answer must keep."""

    name: str
    label_ar: str
    label_en: str
    type: str
    required: bool
    options: tuple[FieldOption, ...]
    max_length: int | None
    minimum: float | None
    maximum: float | None
    format: str | None = None  # one of FIELD_FORMATS, for a text field


@dataclass(frozen=True)
class Service:
    """A service as it stands on one day: the fee and deadline come from the version then in force."""

    code: str
    name_ar: str
    name_en: str
    group: str
    department: str
    legal_basis_ar: str
    legal_basis_en: str
    documents: tuple[Document, ...]
    fields: tuple[FormField, ...]
    fee_egp: int
    sla_days: int
    effective_from: date
    district_codes: frozenset[str] | None  # None: offered in every unit

    def offered_in(self, district_code: str) -> bool:
        return self.district_codes is None or district_code in self.district_codes


@dataclass(frozen=True)
class _DistrictEntry:
    """A unit as the file describes it; whether it is active depends on the rollout phase."""

    code: str
    name_ar: str
    name_en: str
    kind: str
    phase: int

    def at_rollout(self, rollout_phase: int) -> District:
        return District(
            code=self.code,
            name_ar=self.name_ar,
            name_en=self.name_en,
            kind=self.kind,
            phase=self.phase,
            active=self.phase <= rollout_phase,
        )


@dataclass(frozen=True)
class CatalogueData:
    """The three files once validated. It does not depend on the rollout phase, so it can be cached."""

    districts: tuple[_DistrictEntry, ...]
    group_names_ar: Mapping[str, str]
    # Each service's versions, oldest first, each a complete Service; services in file order.
    service_versions: tuple[tuple[Service, ...], ...]
    holidays: frozenset[date]


class Catalogue:
    """The catalogue as seen at one rollout phase."""

    def __init__(self, data: CatalogueData, rollout_phase: int) -> None:
        if isinstance(rollout_phase, bool) or not isinstance(rollout_phase, int) or rollout_phase < 1:
            raise ValueError(f"rollout_phase must be an integer of 1 or more, got {rollout_phase!r}")
        self._districts = tuple(entry.at_rollout(rollout_phase) for entry in data.districts)
        self._districts_by_code = {district.code: district for district in self._districts}
        self._versions_by_code = {versions[0].code: versions for versions in data.service_versions}
        self._group_names_ar = data.group_names_ar
        self._holidays = data.holidays

    def districts(self) -> list[District]:
        """Every unit, active or not, in file order."""
        return list(self._districts)

    def district(self, code: str) -> District | None:
        return self._districts_by_code.get(code)

    def services(self, on: date, district_code: str | None = None) -> list[Service]:
        """The services in force on `on`, in file order; only those offered in `district_code` when given.

        An unknown district offers nothing.
        """
        if district_code is not None and district_code not in self._districts_by_code:
            return []
        in_force = (_version_in_force(versions, on) for versions in self._versions_by_code.values())
        return [
            service
            for service in in_force
            if service is not None and (district_code is None or service.offered_in(district_code))
        ]

    def service(self, code: str, on: date) -> Service | None:
        """The service as it stands on `on`; None when the code is unknown or not yet in force."""
        versions = self._versions_by_code.get(code)
        return None if versions is None else _version_in_force(versions, on)

    def holidays(self) -> frozenset[date]:
        return self._holidays

    def group_name_ar(self, group: str) -> str:
        """The Arabic name of a service group; KeyError for a group the catalogue does not have."""
        return self._group_names_ar[group]


def load_catalogue(rollout_phase: int) -> Catalogue:
    """The bundled catalogue with the units of phases up to `rollout_phase` active."""
    return Catalogue(_bundled_data(), rollout_phase)


@functools.cache
def _bundled_data() -> CatalogueData:
    # The files ship with the code and never change while it runs, so each is read once per process.
    return parse_catalogue_data(_read_json("districts.json"), _read_json("services.json"), _read_json("holidays.json"))


def _read_json(name: str) -> object:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    try:
        return json.loads(text, object_pairs_hook=_object_without_duplicate_keys)
    except ValueError as error:
        raise ValueError(f"{name}: {error}") from error


def _object_without_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of two equal keys without a word; in a hand-edited file that hides a mistake.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _version_in_force(versions: tuple[Service, ...], on: date) -> Service | None:
    current = None
    for version in versions:
        if version.effective_from > on:
            break
        current = version
    return current


# Validation. Each function takes the parsed JSON and `where`, the path used in its error messages.


def parse_catalogue_data(districts_doc: object, services_doc: object, holidays_doc: object) -> CatalogueData:
    """Validate the three parsed files together; ValueError names the first problem and where it is."""
    districts = _parse_districts(districts_doc, "districts.json")
    group_names_ar, service_versions = _parse_services(
        services_doc, "services.json", frozenset(entry.code for entry in districts)
    )
    return CatalogueData(
        districts=districts,
        group_names_ar=group_names_ar,
        service_versions=service_versions,
        holidays=_parse_holidays(holidays_doc, "holidays.json"),
    )


def _parse_districts(doc: object, where: str) -> tuple[_DistrictEntry, ...]:
    top = _object(doc, where, required={"districts"}, optional={"note"})
    _note(top, where)
    entries = []
    for index, item in enumerate(_list(top["districts"], f"{where}: districts")):
        item_where = f"{where}: districts[{index}]"
        unit = _object(item, item_where, required={"code", "name_ar", "name_en", "kind", "phase"})
        entries.append(
            _DistrictEntry(
                code=_code(unit["code"], f"{item_where}.code"),
                name_ar=_arabic(unit["name_ar"], f"{item_where}.name_ar"),
                name_en=_english(unit["name_en"], f"{item_where}.name_en"),
                kind=_one_of(unit["kind"], DISTRICT_KINDS, f"{item_where}.kind"),
                phase=_integer(unit["phase"], f"{item_where}.phase", minimum=1),
            )
        )
    _unique([entry.code for entry in entries], f"{where}: district code")
    return tuple(entries)


def _parse_services(
    doc: object, where: str, district_codes: frozenset[str]
) -> tuple[dict[str, str], tuple[tuple[Service, ...], ...]]:
    top = _object(doc, where, required={"groups", "services"}, optional={"note"})
    _note(top, where)
    group_names_ar = {}
    for index, item in enumerate(_list(top["groups"], f"{where}: groups")):
        item_where = f"{where}: groups[{index}]"
        group = _object(item, item_where, required={"code", "name_ar", "name_en"})
        code = _code(group["code"], f"{item_where}.code")
        if code in group_names_ar:
            raise ValueError(f"{where}: group code {code!r} appears more than once")
        group_names_ar[code] = _arabic(group["name_ar"], f"{item_where}.name_ar")
        _english(group["name_en"], f"{item_where}.name_en")
    services = tuple(
        _parse_service(item, f"{where}: services[{index}]", frozenset(group_names_ar), district_codes)
        for index, item in enumerate(_list(top["services"], f"{where}: services"))
    )
    _unique([versions[0].code for versions in services], f"{where}: service code")
    return group_names_ar, services


def _parse_service(
    item: object, where: str, groups: frozenset[str], district_codes: frozenset[str]
) -> tuple[Service, ...]:
    service = _object(
        item,
        where,
        required={
            "code",
            "name_ar",
            "name_en",
            "group",
            "department",
            "legal_basis_ar",
            "legal_basis_en",
            "documents",
            "fields",
            "districts",
            "versions",
        },
    )
    where = f"{where} ({service.get('code')!r})"
    documents = tuple(
        _parse_document(document, f"{where}.documents[{index}]")
        for index, document in enumerate(_list(service["documents"], f"{where}.documents"))
    )
    fields = tuple(
        _parse_field(field, f"{where}.fields[{index}]")
        for index, field in enumerate(_list(service["fields"], f"{where}.fields"))
    )
    _unique([field.name for field in fields], f"{where}: field name")
    _unique([document.code for document in documents], f"{where}: document code")
    # What every version shares; _parse_versions fills in the fee, the deadline and the date.
    template = Service(
        code=_code(service["code"], f"{where}.code"),
        name_ar=_arabic(service["name_ar"], f"{where}.name_ar"),
        name_en=_english(service["name_en"], f"{where}.name_en"),
        group=_one_of(service["group"], groups, f"{where}.group"),
        department=_code(service["department"], f"{where}.department"),
        legal_basis_ar=_arabic(service["legal_basis_ar"], f"{where}.legal_basis_ar"),
        legal_basis_en=_english(service["legal_basis_en"], f"{where}.legal_basis_en"),
        documents=documents,
        fields=fields,
        fee_egp=0,
        sla_days=0,
        effective_from=date.min,
        district_codes=_parse_service_districts(service["districts"], f"{where}.districts", district_codes),
    )
    return _parse_versions(service["versions"], f"{where}.versions", template)


def _parse_document(item: object, where: str) -> Document:
    document = _object(item, where, required={"code", "name_ar", "name_en"}, optional={"identity", "required"})
    return Document(
        code=_code(document["code"], f"{where}.code"),
        name_ar=_arabic(document["name_ar"], f"{where}.name_ar"),
        name_en=_english(document["name_en"], f"{where}.name_en"),
        identity=_boolean(document.get("identity", False), f"{where}.identity"),
        required=_boolean(document.get("required", True), f"{where}.required"),
    )


def _parse_field(item: object, where: str) -> FormField:
    field = _object(
        item,
        where,
        required={"name", "label_ar", "label_en", "type", "required"},
        optional={"options", "max_length", "min", "max", "format"},
    )
    field_type = _one_of(field["type"], FIELD_TYPES, f"{where}.type")
    _only_for(field, "format", {"text"}, field_type, where)
    # Each extra key only means something for some types; elsewhere it would be silently ignored.
    _only_for(field, "options", {"choice"}, field_type, where)
    _only_for(field, "max_length", {"text", "textarea"}, field_type, where)
    _only_for(field, "min", {"number"}, field_type, where)
    _only_for(field, "max", {"number"}, field_type, where)
    options = ()
    if field_type == "choice":
        if "options" not in field:
            raise ValueError(f"{where}: a choice field needs options")
        options = tuple(
            _parse_option(option, f"{where}.options[{index}]")
            for index, option in enumerate(_list(field["options"], f"{where}.options"))
        )
        _unique([option.value for option in options], f"{where}: option value")
    minimum = _number(field["min"], f"{where}.min") if "min" in field else None
    maximum = _number(field["max"], f"{where}.max") if "max" in field else None
    if minimum is not None and maximum is not None and minimum > maximum:
        raise ValueError(f"{where}: min {minimum} is greater than max {maximum}")
    max_length = field.get("max_length")
    return FormField(
        name=_code(field["name"], f"{where}.name"),
        label_ar=_arabic(field["label_ar"], f"{where}.label_ar"),
        label_en=_english(field["label_en"], f"{where}.label_en"),
        type=field_type,
        required=_boolean(field["required"], f"{where}.required"),
        options=options,
        max_length=None if max_length is None else _integer(max_length, f"{where}.max_length", minimum=1),
        minimum=minimum,
        maximum=maximum,
        format=_one_of(field["format"], FIELD_FORMATS, f"{where}.format") if "format" in field else None,
    )


def _parse_option(item: object, where: str) -> FieldOption:
    option = _object(item, where, required={"value", "label_ar", "label_en"})
    return FieldOption(
        value=_code(option["value"], f"{where}.value"),
        label_ar=_arabic(option["label_ar"], f"{where}.label_ar"),
        label_en=_english(option["label_en"], f"{where}.label_en"),
    )


def _parse_service_districts(value: object, where: str, district_codes: frozenset[str]) -> frozenset[str] | None:
    if value == ALL_DISTRICTS:
        return None
    if not isinstance(value, list):
        raise ValueError(f"{where}: expected {ALL_DISTRICTS!r} or a list of district codes, got {value!r}")
    codes = [_one_of(code, district_codes, f"{where}[{index}]") for index, code in enumerate(_list(value, where))]
    _unique(codes, f"{where}: district code")
    return frozenset(codes)


def _parse_versions(value: object, where: str, template: Service) -> tuple[Service, ...]:
    versions: list[Service] = []
    for index, item in enumerate(_list(value, where)):
        item_where = f"{where}[{index}]"
        version = _object(
            item,
            item_where,
            required={"effective_from", "fee_egp", "sla_days", "decree_ar", "decree_en", "confirmed"},
        )
        effective_from = _iso_date(version["effective_from"], f"{item_where}.effective_from")
        # Sorted, so that reviewers read the history in order and the one in force is the last that started.
        if versions and effective_from <= versions[-1].effective_from:
            raise ValueError(
                f"{item_where}.effective_from: {effective_from} does not come after "
                f"{versions[-1].effective_from}; list versions oldest first, one per date"
            )
        _arabic(version["decree_ar"], f"{item_where}.decree_ar")
        _english(version["decree_en"], f"{item_where}.decree_en")
        _boolean(version["confirmed"], f"{item_where}.confirmed")
        versions.append(
            replace(
                template,
                fee_egp=_integer(version["fee_egp"], f"{item_where}.fee_egp", minimum=0),
                sla_days=_integer(version["sla_days"], f"{item_where}.sla_days", minimum=1),
                effective_from=effective_from,
            )
        )
    return tuple(versions)


def _parse_holidays(doc: object, where: str) -> frozenset[date]:
    top = _object(doc, where, required={"holidays"}, optional={"note"})
    _note(top, where)
    days: list[date] = []
    for index, item in enumerate(_list(top["holidays"], f"{where}: holidays")):
        item_where = f"{where}: holidays[{index}]"
        holiday = _object(item, item_where, required={"date", "name_ar", "name_en"})
        day = _iso_date(holiday["date"], f"{item_where}.date")
        if days and day <= days[-1]:
            raise ValueError(f"{item_where}.date: {day} does not come after {days[-1]}; keep dates in order")
        _arabic(holiday["name_ar"], f"{item_where}.name_ar")
        _english(holiday["name_en"], f"{item_where}.name_en")
        days.append(day)
    return frozenset(days)


def _object(value: object, where: str, required: set[str], optional: set[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected an object, got {type(value).__name__}")
    unknown = value.keys() - required - (optional or set())
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}")
    missing = required - value.keys()
    if missing:
        raise ValueError(f"{where}: missing key(s) {sorted(missing)}")
    return value


def _only_for(field: dict[str, Any], key: str, types: set[str], field_type: str, where: str) -> None:
    if key in field and field_type not in types:
        raise ValueError(f"{where}: {key!r} does not apply to a {field_type} field")


def _note(top: dict[str, Any], where: str) -> None:
    if "note" in top:
        _text(top["note"], f"{where}: note")


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: expected a non-empty list, got {value!r}")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: expected non-empty text, got {value!r}")
    if value != value.strip():
        raise ValueError(f"{where}: {value!r} has leading or trailing spaces")
    return value


def _arabic(value: object, where: str) -> str:
    text = _text(value, where)
    if not _ARABIC_LETTER.search(text):
        raise ValueError(f"{where}: expected Arabic text, got {text!r}")
    return text


def _english(value: object, where: str) -> str:
    # Catches an Arabic text pasted into the English slot, the likeliest mix-up in a bilingual file.
    text = _text(value, where)
    if _ARABIC_LETTER.search(text):
        raise ValueError(f"{where}: expected English text, got {text!r}")
    return text


def _code(value: object, where: str) -> str:
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        raise ValueError(f"{where}: expected a lowercase ASCII code like 'shop_licence', got {value!r}")
    return value


def _one_of(value: object, allowed: frozenset[str], where: str) -> str:
    if value not in allowed:
        raise ValueError(f"{where}: {value!r} is not one of {sorted(allowed)}")
    return str(value)


def _integer(value: object, where: str, minimum: int) -> int:
    # bool is an int in Python; `true` in a fee is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{where}: expected a whole number of at least {minimum}, got {value!r}")
    return value


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: expected a number, got {value!r}")
    return float(value)


def _boolean(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{where}: expected true or false, got {value!r}")
    return value


def _iso_date(value: object, where: str) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError(f"{where}: expected a date written YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"{where}: {value!r} is not a real date") from error


def _unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} appears more than once")
        seen.add(value)
