from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from chalicelib.domain.catalogue import (
    FIELD_TYPES,
    Catalogue,
    _object_without_duplicate_keys,
    load_catalogue,
    parse_catalogue_data,
)

TODAY = date(2026, 11, 27)
ARABIC = re.compile(r"[\u0621-\u064a]")

PHASE_ONE = {"dokki", "omraniya", "warraq"}
CITY_DISTRICTS = PHASE_ONE | {
    "agouza", "haram", "talbiya", "bulaq_dakrur", "south_giza", "imbaba", "munira_gharbiya",
}  # fmt: skip
MARKAZ_UNITS = {
    "awsim", "kerdasa", "abu_numrus", "hawamdiya", "badrashin", "ayyat", "saff", "atfih", "manshaat_qanatir",
    "bahariya",
}  # fmt: skip
REAL_SERVICES = {
    "building_violation_reconciliation", "shop_licence", "road_occupancy_new", "road_occupancy_renewal",
    "demolition_licence", "utility_connection", "building_permit",
}  # fmt: skip


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(rollout_phase=1)


class TestDistricts:
    def test_all_twenty_units_with_unique_codes(self, catalogue: Catalogue) -> None:
        codes = [district.code for district in catalogue.districts()]
        assert len(codes) == len(set(codes)) == 20
        assert set(codes) == CITY_DISTRICTS | MARKAZ_UNITS

    def test_kinds(self, catalogue: Catalogue) -> None:
        kinds = {district.code: district.kind for district in catalogue.districts()}
        assert {code for code, kind in kinds.items() if kind == "district"} == CITY_DISTRICTS
        assert {code for code, kind in kinds.items() if kind == "markaz"} == MARKAZ_UNITS

    def test_names(self, catalogue: Catalogue) -> None:
        for district in catalogue.districts():
            assert ARABIC.search(district.name_ar), district.code
            assert not ARABIC.search(district.name_en), district.code
        assert catalogue.district("dokki").name_ar == "الدقي"
        assert catalogue.district("bahariya").name_ar == "الواحات البحرية"

    def test_new_urban_communities_and_unconfirmed_districts_are_absent(self, catalogue: Catalogue) -> None:
        names = {district.name_en.lower() for district in catalogue.districts()}
        assert not any("october" in name or "zayed" in name or "hadayek" in name for name in names)
        assert catalogue.district("north_giza") is None

    def test_only_phase_one_is_active_at_phase_one(self, catalogue: Catalogue) -> None:
        assert {district.code for district in catalogue.districts() if district.active} == PHASE_ONE

    def test_city_districts_are_active_at_phase_two(self) -> None:
        active = {district.code for district in load_catalogue(2).districts() if district.active}
        assert active == CITY_DISTRICTS

    def test_every_unit_is_active_at_phase_three(self) -> None:
        assert all(district.active for district in load_catalogue(3).districts())

    def test_the_rollout_decision_is_not_cached(self) -> None:
        assert not load_catalogue(1).district("haram").active
        assert load_catalogue(2).district("haram").active
        assert not load_catalogue(1).district("haram").active

    def test_districts_come_in_file_order(self, catalogue: Catalogue) -> None:
        assert catalogue.districts()[0].code == "dokki"
        assert catalogue.districts()[-1].code == "bahariya"

    def test_unknown_district(self, catalogue: Catalogue) -> None:
        assert catalogue.district("nowhere") is None

    @pytest.mark.parametrize("phase", [0, -1, True, "1"])
    def test_a_bad_rollout_phase_is_refused(self, phase: Any) -> None:
        with pytest.raises(ValueError, match="rollout_phase"):
            load_catalogue(phase)


class TestServices:
    def test_the_real_services_are_in_force_today(self, catalogue: Catalogue) -> None:
        services = catalogue.services(TODAY)
        assert len(services) >= 6
        assert {service.code for service in services} >= REAL_SERVICES

    @pytest.mark.parametrize("code", sorted(REAL_SERVICES))
    def test_each_service_is_complete(self, catalogue: Catalogue, code: str) -> None:
        service = catalogue.service(code, TODAY)
        assert service is not None
        for text in (service.name_ar, service.legal_basis_ar, catalogue.group_name_ar(service.group)):
            assert ARABIC.search(text)
        assert service.documents
        assert all(ARABIC.search(document.name_ar) for document in service.documents)
        assert 3 <= len(service.fields) <= 6
        assert all(ARABIC.search(field.label_ar) and field.type in FIELD_TYPES for field in service.fields)
        assert service.fee_egp >= 0
        assert service.sla_days >= 1
        assert service.effective_from <= TODAY

    def test_choice_fields_have_options_and_others_do_not(self, catalogue: Catalogue) -> None:
        for service in catalogue.services(TODAY):
            for field in service.fields:
                assert bool(field.options) == (field.type == "choice"), (service.code, field.name)

    def test_facts_from_the_domain(self, catalogue: Catalogue) -> None:
        assert catalogue.service("building_violation_reconciliation", TODAY).fee_egp <= 5000
        assert catalogue.service("shop_licence", TODAY).fee_egp <= 1000
        assert catalogue.service("demolition_licence", TODAY).fee_egp == 0

    def test_groups(self, catalogue: Catalogue) -> None:
        assert catalogue.group_name_ar("planning_buildings") == "التنظيم والمباني"
        assert catalogue.group_name_ar("occupancies") == "الإشغالات"
        assert catalogue.group_name_ar("housing") == "الإسكان"
        with pytest.raises(KeyError):
            catalogue.group_name_ar("parking")

    @pytest.mark.parametrize(
        ("on", "fee_egp", "effective_from"),
        [
            pytest.param(date(2026, 6, 30), 750, date(2024, 1, 1), id="the-day-before"),
            pytest.param(date(2026, 7, 1), 1000, date(2026, 7, 1), id="the-day-it-starts"),
            pytest.param(TODAY, 1000, date(2026, 7, 1), id="today"),
        ],
    )
    def test_effective_dating_picks_the_version_in_force(
        self, catalogue: Catalogue, on: date, fee_egp: int, effective_from: date
    ) -> None:
        service = catalogue.service("shop_licence", on)
        assert (service.fee_egp, service.effective_from) == (fee_egp, effective_from)

    def test_a_service_before_its_first_version_does_not_exist(self, catalogue: Catalogue) -> None:
        assert catalogue.service("shop_licence", date(2023, 12, 31)) is None
        assert "shop_licence" not in {service.code for service in catalogue.services(date(2023, 12, 31))}

    def test_unknown_service(self, catalogue: Catalogue) -> None:
        assert catalogue.service("passport", TODAY) is None

    def test_every_unit_is_offered_the_services_marked_all(self, catalogue: Catalogue) -> None:
        everywhere = [service.code for service in catalogue.services(TODAY)]
        assert [service.code for service in catalogue.services(TODAY, "bahariya")] == everywhere

    def test_an_unknown_district_offers_nothing(self, catalogue: Catalogue) -> None:
        assert catalogue.services(TODAY, "nowhere") == []


class TestHolidays:
    @pytest.mark.parametrize("year", [2026, 2027])
    def test_fixed_holidays_of_each_year(self, catalogue: Catalogue, year: int) -> None:
        fixed = {(1, 7), (1, 25), (4, 25), (5, 1), (6, 30), (7, 23), (10, 6)}
        assert {date(year, month, day) for month, day in fixed} <= catalogue.holidays()

    @pytest.mark.parametrize("year", [2026, 2027])
    def test_moving_holidays_of_each_year(self, catalogue: Catalogue, year: int) -> None:
        # Eid al-Fitr (3), Arafat and Eid al-Adha (4), Islamic New Year, Prophet's Birthday, Sham el-Nessim.
        in_year = {day for day in catalogue.holidays() if day.year == year}
        assert len(in_year) == 7 + 3 + 4 + 1 + 1 + 1

    def test_sham_el_nessim_is_the_monday_after_coptic_easter(self, catalogue: Catalogue) -> None:
        assert {date(2026, 4, 13), date(2027, 5, 3)} <= catalogue.holidays()
        assert date(2026, 4, 13).weekday() == date(2027, 5, 3).weekday() == 0


# A small catalogue that is valid; each test below breaks one thing in a copy of it.
VALID_DISTRICTS: dict[str, Any] = {
    "note": "Test units.",
    "districts": [
        {"code": "dokki", "name_ar": "الدقي", "name_en": "Dokki", "kind": "district", "phase": 1},
        {"code": "awsim", "name_ar": "أوسيم", "name_en": "Awsim", "kind": "markaz", "phase": 3},
    ],
}
VALID_VERSION: dict[str, Any] = {
    "effective_from": "2026-07-01",
    "fee_egp": 100,
    "sla_days": 10,
    "decree_ar": "قرار تجريبي",
    "decree_en": "Test decree",
    "confirmed": False,
}
VALID_SERVICES: dict[str, Any] = {
    "groups": [{"code": "occupancies", "name_ar": "الإشغالات", "name_en": "Occupancies"}],
    "services": [
        {
            "code": "shop_licence",
            "name_ar": "ترخيص محل عام",
            "name_en": "Shop licence",
            "group": "occupancies",
            "department": "shops",
            "legal_basis_ar": "القانون رقم 154 لسنة 2019",
            "legal_basis_en": "Law 154 of 2019",
            "documents": [
                {
                    "code": "national_id_copy",
                    "name_ar": "صورة بطاقة الرقم القومي",
                    "name_en": "Copy of the national ID card",
                }
            ],
            "fields": [
                {
                    "name": "activity",
                    "label_ar": "النشاط",
                    "label_en": "Activity",
                    "type": "text",
                    "required": True,
                },
                {
                    "name": "area_m2",
                    "label_ar": "المساحة",
                    "label_en": "Area",
                    "type": "number",
                    "required": True,
                    "min": 1,
                    "max": 500,
                },
                {
                    "name": "tenure",
                    "label_ar": "الحيازة",
                    "label_en": "Tenure",
                    "type": "choice",
                    "required": True,
                    "options": [
                        {"value": "owned", "label_ar": "ملك", "label_en": "Owned"},
                        {"value": "leased", "label_ar": "إيجار", "label_en": "Leased"},
                    ],
                },
            ],
            "districts": ["dokki"],
            "versions": [
                {**VALID_VERSION, "effective_from": "2024-01-01", "fee_egp": 50},
                VALID_VERSION,
            ],
        }
    ],
}
VALID_HOLIDAYS: dict[str, Any] = {
    "holidays": [
        {"date": "2026-10-06", "name_ar": "عيد القوات المسلحة", "name_en": "Armed Forces Day"},
        {"date": "2027-01-07", "name_ar": "عيد الميلاد المجيد", "name_en": "Coptic Christmas"},
    ]
}

Docs = tuple[dict[str, Any], dict[str, Any], dict[str, Any]]


def valid_docs() -> Docs:
    return copy.deepcopy((VALID_DISTRICTS, VALID_SERVICES, VALID_HOLIDAYS))


def build(docs: Docs, rollout_phase: int = 1) -> Catalogue:
    return Catalogue(parse_catalogue_data(*docs), rollout_phase)


def unit(docs: Docs) -> dict[str, Any]:
    return docs[0]["districts"][0]


def service(docs: Docs) -> dict[str, Any]:
    return docs[1]["services"][0]


def field(docs: Docs, index: int) -> dict[str, Any]:
    return service(docs)["fields"][index]


def version(docs: Docs, index: int) -> dict[str, Any]:
    return service(docs)["versions"][index]


def holiday(docs: Docs, index: int) -> dict[str, Any]:
    return docs[2]["holidays"][index]


BREAKAGES = [
    pytest.param(lambda d: d[0].update(cities=[]), r"unknown key\(s\) \['cities'\]", id="unknown top-level key"),
    pytest.param(lambda d: unit(d).update(governor="x"), r"districts\[0\]: unknown key", id="unknown district key"),
    pytest.param(
        lambda d: unit(d).pop("name_ar"), r"missing key\(s\) \['name_ar'\]", id="district without Arabic name"
    ),
    pytest.param(lambda d: unit(d).update(name_ar="Dokki"), "expected Arabic text", id="Arabic name in Latin letters"),
    pytest.param(lambda d: unit(d).update(name_ar=" "), "expected non-empty text", id="empty Arabic name"),
    pytest.param(lambda d: unit(d).update(name_ar="الدقي "), "leading or trailing spaces", id="name with stray spaces"),
    pytest.param(lambda d: unit(d).update(name_en="الدقي"), "expected English text", id="Arabic in the English slot"),
    pytest.param(lambda d: unit(d).update(code="Dokki"), "lowercase ASCII code", id="capitalised code"),
    pytest.param(
        lambda d: d[0]["districts"][1].update(code="dokki"),
        "'dokki' appears more",
        id="duplicate district code",
    ),
    pytest.param(lambda d: unit(d).update(kind="city"), r"kind: 'city' is not one of", id="unknown kind"),
    pytest.param(lambda d: unit(d).update(phase=0), r"phase: expected a whole number of at least 1", id="phase zero"),
    pytest.param(lambda d: unit(d).update(phase="1"), "phase: expected a whole number", id="phase as text"),
    pytest.param(lambda d: unit(d).update(phase=True), "phase: expected a whole number", id="phase as boolean"),
    pytest.param(lambda d: d[0].update(districts=[]), "expected a non-empty list", id="no districts"),
    pytest.param(
        lambda d: d[1]["services"].append(service(d)),
        "'shop_licence' appears more",
        id="duplicate service code",
    ),
    pytest.param(lambda d: service(d).update(fee_egp=5), r"unknown key\(s\) \['fee_egp'\]", id="unknown service key"),
    pytest.param(lambda d: service(d).update(group="parking"), r"group: 'parking' is not one of", id="unknown group"),
    pytest.param(lambda d: d[1]["groups"].append(d[1]["groups"][0]), "group code 'occupancies'", id="duplicate group"),
    pytest.param(lambda d: d[1]["groups"][0].update(name_ar="Occ"), "expected Arabic text", id="group without Arabic"),
    pytest.param(lambda d: service(d).update(department="Shops Dept"), "department: expected", id="bad department"),
    pytest.param(lambda d: service(d).update(documents=[]), "documents: expected a non-empty list", id="no documents"),
    pytest.param(lambda d: service(d).update(fields=[]), "fields: expected a non-empty list", id="no fields"),
    pytest.param(lambda d: field(d, 0).update(type="dropdown"), r"type: 'dropdown' is not one of", id="bad field type"),
    pytest.param(lambda d: field(d, 0).update(name="Activity"), "lowercase ASCII code", id="field name not snake case"),
    pytest.param(
        lambda d: field(d, 1).update(name="activity"),
        "field name 'activity' appears",
        id="duplicate field name",
    ),
    pytest.param(
        lambda d: field(d, 0).update(required="yes"),
        "required: expected true or false",
        id="required as text",
    ),
    pytest.param(lambda d: field(d, 2).pop("options"), "a choice field needs options", id="choice without options"),
    pytest.param(lambda d: field(d, 2).update(options=[]), "options: expected a non-empty list", id="empty options"),
    pytest.param(
        lambda d: field(d, 0).update(options=[]),
        "'options' does not apply to a text",
        id="options on a text field",
    ),
    pytest.param(
        lambda d: field(d, 2)["options"][1].update(value="owned"),
        "option value 'owned'",
        id="duplicate option",
    ),
    pytest.param(
        lambda d: field(d, 1).update(max_length=5), "'max_length' does not apply", id="max_length on a number"
    ),
    pytest.param(
        lambda d: field(d, 0).update(max_length=0),
        "max_length: expected a whole number",
        id="zero max_length",
    ),
    pytest.param(lambda d: field(d, 0).update(min=1), "'min' does not apply to a text field", id="min on a text field"),
    pytest.param(lambda d: field(d, 1).update(min=600), "min 600.0 is greater than max 500.0", id="min above max"),
    pytest.param(lambda d: field(d, 1).update(max="500"), "max: expected a number", id="max as text"),
    pytest.param(lambda d: service(d).update(districts="All"), "expected 'all' or a list", id="all misspelt"),
    pytest.param(lambda d: service(d).update(districts=["zamalek"]), r"'zamalek' is not one of", id="unknown district"),
    pytest.param(
        lambda d: service(d).update(districts=["dokki", "dokki"]),
        "district code 'dokki'",
        id="duplicate district",
    ),
    pytest.param(lambda d: service(d).update(versions=[]), "versions: expected a non-empty list", id="no versions"),
    pytest.param(lambda d: service(d)["versions"].reverse(), "list versions oldest first", id="versions out of order"),
    pytest.param(
        lambda d: version(d, 0).update(effective_from="2026-07-01"),
        "does not come after",
        id="two versions on one date",
    ),
    pytest.param(
        lambda d: version(d, 1).pop("confirmed"),
        r"missing key\(s\) \['confirmed'\]",
        id="unconfirmed left unsaid",
    ),
    pytest.param(
        lambda d: version(d, 1).update(fee_egp=-1),
        "fee_egp: expected a whole number of at least 0",
        id="negative fee",
    ),
    pytest.param(
        lambda d: version(d, 1).update(fee_egp=99.5), "fee_egp: expected a whole number", id="fee in piastres"
    ),
    pytest.param(
        lambda d: version(d, 1).update(sla_days=0),
        "sla_days: expected a whole number of at least 1",
        id="zero deadline",
    ),
    pytest.param(
        lambda d: version(d, 1).update(effective_from="2026-13-01"),
        "is not a real date",
        id="impossible date",
    ),
    pytest.param(lambda d: version(d, 1).update(effective_from="20260701"), "written YYYY-MM-DD", id="compact date"),
    pytest.param(
        lambda d: version(d, 1).update(decree_ar="Decree"),
        "decree_ar: expected Arabic",
        id="decree without Arabic",
    ),
    pytest.param(lambda d: d[2]["holidays"].reverse(), "keep dates in order", id="holidays out of order"),
    pytest.param(lambda d: holiday(d, 1).update(date="2026-10-06"), "does not come after", id="duplicate holiday"),
    pytest.param(lambda d: holiday(d, 0).pop("name_ar"), r"missing key\(s\) \['name_ar'\]", id="holiday without name"),
    pytest.param(lambda d: d[2].update(holidays={}), "expected a non-empty list", id="holidays as a dict"),
    pytest.param(lambda d: d[2].clear(), r"missing key\(s\) \['holidays'\]", id="no holidays key"),
]


class TestValidation:
    def test_the_small_catalogue_is_valid(self) -> None:
        catalogue = build(valid_docs())
        assert [district.code for district in catalogue.districts()] == ["dokki", "awsim"]
        assert catalogue.holidays() == frozenset({date(2026, 10, 6), date(2027, 1, 7)})
        area = catalogue.service("shop_licence", TODAY).fields[1]
        assert (area.minimum, area.maximum, area.max_length) == (1.0, 500.0, None)

    @pytest.mark.parametrize(("breakage", "message"), BREAKAGES)
    def test_broken_data_is_refused(self, breakage: Callable[[Docs], object], message: str) -> None:
        docs = valid_docs()
        breakage(docs)
        with pytest.raises(ValueError, match=message):
            parse_catalogue_data(*docs)

    def test_the_message_says_which_file_and_service(self) -> None:
        docs = valid_docs()
        field(docs, 0).update(type="dropdown")
        where = r"^services\.json: services\[0\] \('shop_licence'\)\.fields\[0\]\.type: "
        with pytest.raises(ValueError, match=where):
            parse_catalogue_data(*docs)

    def test_a_key_written_twice_in_a_file_is_refused(self) -> None:
        with pytest.raises(ValueError, match="duplicate key 'fee_egp'"):
            json.loads('{"fee_egp": 100, "fee_egp": 200}', object_pairs_hook=_object_without_duplicate_keys)


class TestDistrictRestriction:
    def test_a_restricted_service_is_offered_only_where_listed(self) -> None:
        catalogue = build(valid_docs())
        assert [service.code for service in catalogue.services(TODAY, "dokki")] == ["shop_licence"]
        assert catalogue.services(TODAY, "awsim") == []
        shop = catalogue.service("shop_licence", TODAY)
        assert shop.offered_in("dokki")
        assert not shop.offered_in("awsim")

    def test_all_means_every_unit(self) -> None:
        docs = valid_docs()
        service(docs)["districts"] = "all"
        shop = build(docs).service("shop_licence", TODAY)
        assert shop.district_codes is None
        assert shop.offered_in("awsim")

    def test_without_a_district_every_service_in_force_is_listed(self) -> None:
        assert [service.code for service in build(valid_docs()).services(TODAY)] == ["shop_licence"]


class TestEffectiveDating:
    @pytest.mark.parametrize(
        ("on", "fee_egp"),
        [
            pytest.param(date(2023, 12, 31), None, id="before-the-first-version"),
            pytest.param(date(2024, 1, 1), 50, id="first-day-of-the-first"),
            pytest.param(date(2026, 6, 30), 50, id="last-day-of-the-first"),
            pytest.param(date(2026, 7, 1), 100, id="first-day-of-the-second"),
            pytest.param(date(2030, 1, 1), 100, id="long-after"),
        ],
    )
    def test_the_version_in_force(self, on: date, fee_egp: int | None) -> None:
        shop = build(valid_docs()).service("shop_licence", on)
        assert (shop and shop.fee_egp) == fee_egp

    def test_a_future_version_is_invisible_until_it_starts(self) -> None:
        docs = valid_docs()
        service(docs)["versions"] = [{**VALID_VERSION, "effective_from": "2027-01-01"}]
        catalogue = build(docs)
        assert catalogue.service("shop_licence", TODAY) is None
        assert catalogue.services(TODAY) == []
        assert catalogue.service("shop_licence", date(2027, 1, 1)).sla_days == 10
