"""The counter in the office console (issue 21, section 2): a walk-in filed for any active
district, its receipt and the receipt printed again, through Chalice's test client signed in
through the staff pool made in moto (as tests/integration/api/routes/test_console.py does)."""

from __future__ import annotations

import gzip
import html
import json
import re
import subprocess
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.config import portal_settings
from chalicelib.domain.staff import Role
from chalicelib.domain.tracking import grouped_for_reading
from tests.conftest import TEST_REGION
from tests.factories import national_id, submission
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.routes.test_console import Browser
from tools.local.staff_pool import create_account, create_pool, local_pool_environment, local_staff_password

CLERK = "clerk.dokki@staff.shobbak.local"
OTHER_CLERK = "clerk.warraq@staff.shobbak.local"
OFFICER = "officer.dokki@staff.shobbak.local"
PORTAL = "http://127.0.0.1:8080"


@pytest.fixture
def secrets(aws: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in local_pool_environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PORTAL_BASE_URL", PORTAL)
    cognito = boto3.client("cognito-idp", region_name=TEST_REGION)
    pool = create_pool(cognito)
    accounts = {CLERK: (Role.CLERK, "dokki"), OTHER_CLERK: (Role.CLERK, "warraq"), OFFICER: (Role.OFFICER, "dokki")}
    return {
        email: create_account(cognito, pool, email, role, district, local_staff_password())
        for email, (role, district) in accounts.items()
    }


def signed_in(client: Client, secrets: dict[str, str], email: str) -> Browser:
    from tools.local.staff_pool import totp_code

    browser = Browser(client)
    browser.get("/v1/console/")
    browser.post("/v1/console/sign-in", {"email": email, "password": local_staff_password()})
    browser.post("/v1/console/sign-in/code", {"code": totp_code(secrets[email])})
    return browser


def walk_in(**changes: str) -> dict[str, str]:
    """The shop_licence form's fields as a clerk types them, for another district (warraq)."""
    body = submission("shop_licence", "warraq")
    fields = {"district_code": "warraq", "notify_by": "sms", "consent": "yes"}
    fields |= {f"applicant.{name}": str(value) for name, value in body["applicant"].items()}
    fields |= {f"details.{name}": str(value) for name, value in body["details"].items()}
    fields |= {"document.national_id_copy": "yes", "document.shop_sketch": "yes"}
    return fields | changes


def idempotency_key(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)


def file_walk_in(browser: Browser, **changes: str) -> Any:
    form = browser.get("/v1/console/counter/services/shop_licence").body.decode()
    return browser.post(
        "/v1/console/counter/services/shop_licence", {"idempotency_key": idempotency_key(form), **walk_in(**changes)}
    )


def tracking_number_of(page: str) -> str:
    grouped = re.search(r'<p class="receipt-number">رقم المتابعة<strong dir="ltr">([0-9 ]+)</strong>', page).group(1)
    return grouped.replace(" ", "")


def test_the_service_is_found_by_typing_and_one_match_opens_its_form(client: Client, secrets: dict[str, str]) -> None:
    browser = signed_in(client, secrets, CLERK)
    search = browser.get("/v1/console/counter")
    assert search.status_code == 200
    assert 'type="search"' in search.body.decode()

    one = browser.get("/v1/console/counter?q=" + "ترخيص محل")  # the test client sends the query as typed
    assert one.status_code == 303
    assert one.headers["Location"] == "/v1/console/counter/services/shop_licence"
    several = browser.get("/v1/console/counter?q=" + "ترخيص").body.decode()
    assert "ترخيص محل عام" in several
    assert "/v1/console/counter/services/shop_licence" in several
    # Hamzas, ة/ه and Arabic-Indic digits are typed every which way.
    assert browser.get("/v1/console/counter?q=" + "رخصه هدم").status_code == 303


def test_a_clerk_files_a_walk_in_for_another_district_and_gets_the_receipt(
    client: Client, secrets: dict[str, str], staff: StaffHeaders
) -> None:
    browser = signed_in(client, secrets, CLERK)

    answer = file_walk_in(browser)

    page = answer.body.decode()
    assert answer.status_code == 201, page
    number = tracking_number_of(page)
    assert grouped_for_reading(number) in page
    assert "ترخيص محل عام" in page
    assert "شباك التقديم</dt><dd>الدقي" in page
    assert "الحي الذي يفحصه</dt><dd>الوراق" in page
    assert "صورة بطاقة الرقم القومي" in page
    assert "رسم كروكي لموقع المحل ومساحته" in page
    assert "عقد ملكية المحل" not in page
    assert "بتوقيت القاهرة" in page
    assert not re.search("[\u0660-\u0669]", page)  # Western digits
    assert "نسخة</strong>" not in page
    assert national_id() not in page
    assert PORTAL in page

    officer = client.http.get(f"/v1/office/requests/{number}", headers=staff("officer", "warraq"))
    assert officer.json_body["channel"] == "window"
    assert officer.json_body["documents_received"] == ["صورة بطاقة الرقم القومي", "رسم كروكي لموقع المحل ومساحته"]
    assert officer.json_body["district_code"] == "warraq"


def test_the_receipt_shows_the_fee_how_to_pay_and_a_qr_code_of_the_track_page(
    client: Client, secrets: dict[str, str]
) -> None:
    browser = signed_in(client, secrets, CLERK)
    page = file_walk_in(browser).body.decode()
    number = tracking_number_of(page)

    reference = re.search(r'<bdi dir="ltr" class="receipt-reference">([0-9 ]+)</bdi>', page).group(1)
    assert reference.replace(" ", "").startswith(number)
    assert reference == grouped_for_reading(reference)
    assert "جنيه مصري" in page
    assert "فوري" in page
    assert "قبل " in page
    qr = re.search(r'<img class="receipt-qr" src="(data:image/svg\+xml[^"]+)"', page).group(1)
    track_url = f"{portal_settings().api_base_url}/v1/inquiries?tracking_number={number}"
    assert decoded_qr(html.unescape(qr), track_url) == track_url


def test_the_qr_code_opens_the_track_form_with_the_number_filled_in_even_with_javascript_off(
    client: Client, secrets: dict[str, str]
) -> None:
    number = tracking_number_of(file_walk_in(signed_in(client, secrets, CLERK)).body.decode())

    opened = client.http.get(f"/v1/inquiries?tracking_number={number}")  # what the QR code opens

    page = opened.body.decode()
    assert opened.status_code == 200
    assert re.search(rf'<input[^>]+name="tracking_number"[^>]+value="{number}"', page)
    assert 'name="national_id_last4"' in page
    assert "<script>" not in page
    # Without a number (a result page reopened), back to the portal's track page as before.
    assert client.http.get("/v1/inquiries").status_code == 303
    assert client.http.get("/v1/inquiries?tracking_number=12").status_code == 303


# The portal's script under node, on a page holding one tracking-number field and the query given.
_TRACK_PAGE = """
const field = { value: process.argv[3] };
global.window = { location: { search: process.argv[2] } };
global.document = { addEventListener() {}, querySelectorAll(selector) {
  return selector === 'input[name="tracking_number"]' ? [field] : []; } };
require(process.argv[1]);
console.log(JSON.stringify(field.value));
"""


def _track_field_after(query: str, typed: str = "") -> str:
    from chalicelib.portal.assets import STATIC_DIR

    ran = subprocess.run(
        ["node", "-e", _TRACK_PAGE, str(STATIC_DIR / "portal.js"), query, typed],
        capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip
    return json.loads(ran.stdout)


def test_the_static_track_page_s_script_fills_the_number_in_from_its_query() -> None:
    """track.html?tracking_number=N is static: its script fills the field in, read as the server
    reads digits, and never overwrites what the citizen typed or fills in what is not a number."""
    arabic_indic = "%D9%A1%D9%A2%D9%A3%D9%A4%D9%A5%D9%A6%D9%A7%D9%A8%D9%A9%D9%A0%D9%A1%D9%A2%D9%A3"

    assert _track_field_after("?tracking_number=1234567890123") == "1234567890123"
    assert _track_field_after(f"?lang=ar&tracking_number={arabic_indic}") == "1234567890123"
    assert _track_field_after("?tracking_number=1234567890123", typed="999") == "999"
    assert _track_field_after("?tracking_number=abc") == ""
    assert _track_field_after("") == ""


def decoded_qr(data_uri: str, expected: str) -> str:
    """No QR decoder is installed: segno's code is deterministic, so the image is compared with
    segno's code of the expected URL (and of a near miss, which must differ)."""
    from chalicelib.api.routes.console_counter import track_qr_data_uri

    assert track_qr_data_uri(expected + "0") != data_uri
    return expected if track_qr_data_uri(expected) == data_uri else ""


def test_a_receipt_printed_again_is_marked_copy(client: Client, secrets: dict[str, str]) -> None:
    browser = signed_in(client, secrets, CLERK)
    number = tracking_number_of(file_walk_in(browser).body.decode())

    again = browser.get(f"/v1/console/counter/receipts?tracking_number={number}")

    page = again.body.decode()
    assert again.status_code == 200
    assert "نسخة</strong>" in page
    assert grouped_for_reading(number) in page
    assert "صورة بطاقة الرقم القومي" in page
    assert "<bdi>منى أحمد عبد الله</bdi>" in page


def test_a_clerk_of_another_district_cannot_reprint_or_read_the_request(
    client: Client, secrets: dict[str, str]
) -> None:
    number = tracking_number_of(file_walk_in(signed_in(client, secrets, CLERK)).body.decode())
    other = signed_in(client, secrets, OTHER_CLERK)  # warraq examines it, but dokki's window filed it

    refused = other.get(f"/v1/console/counter/receipts?tracking_number={number}")

    assert refused.status_code == 404
    assert "منى" not in refused.body.decode()
    assert grouped_for_reading(number) not in refused.body.decode()


def test_an_officer_has_no_counter(client: Client, secrets: dict[str, str]) -> None:
    officer = signed_in(client, secrets, OFFICER)

    assert officer.get("/v1/console/counter").status_code == 403
    assert officer.get("/v1/console/counter/services/shop_licence").status_code == 403


def test_mistakes_come_back_in_arabic_naming_each_field_and_linking_to_it(
    client: Client, secrets: dict[str, str]
) -> None:
    browser = signed_in(client, secrets, CLERK)

    answer = file_walk_in(browser, **{"applicant.phone": "123", "applicant.full_name": "", "consent": ""})

    page = answer.body.decode()
    assert answer.status_code == 400
    assert "<title>خطأ:" in page
    assert '<a href="#f-applicant-phone">رقم الهاتف المحمول:' in page
    assert '<a href="#f-applicant-full_name">الاسم الكامل:' in page
    assert '<a href="#f-consent">' in page
    assert 'id="f-applicant-phone"' in page
    assert 'value="123"' in page  # what was typed comes back
    assert "checked" in page  # and the documents ticked
    # The national ID typed is read back: birth date and governorate, Western digits.
    assert "1 يناير 1990" in page
    assert "الجيزة" in page


def test_arabic_indic_digits_are_read_as_the_portal_reads_them(client: Client, secrets: dict[str, str]) -> None:
    browser = signed_in(client, secrets, CLERK)
    indic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

    answer = file_walk_in(
        browser, **{"applicant.national_id": national_id().translate(indic), "applicant.phone": "٠١٠١٢٣٤٥٦٧٨"}
    )

    assert answer.status_code == 201


def test_a_wrong_check_digit_or_a_landline_is_refused_like_on_the_portal(
    client: Client, secrets: dict[str, str]
) -> None:
    browser = signed_in(client, secrets, CLERK)
    wrong_length = file_walk_in(browser, **{"applicant.national_id": national_id()[:-1]})
    assert wrong_length.status_code == 400
    assert '<a href="#f-applicant-national_id">الرقم القومي:' in wrong_length.body.decode()


def test_sending_the_form_twice_files_once(client: Client, secrets: dict[str, str]) -> None:
    browser = signed_in(client, secrets, CLERK)
    form = browser.get("/v1/console/counter/services/shop_licence").body.decode()
    fields = {"idempotency_key": idempotency_key(form), **walk_in()}

    first = browser.post("/v1/console/counter/services/shop_licence", fields)
    second = browser.post("/v1/console/counter/services/shop_licence", fields)

    assert tracking_number_of(first.body.decode()) == tracking_number_of(second.body.decode())


def test_filing_without_the_csrf_token_files_nothing(client: Client, secrets: dict[str, str]) -> None:
    browser = signed_in(client, secrets, CLERK)
    browser.get("/v1/console/counter/services/shop_licence")

    forged = browser.post("/v1/console/counter/services/shop_licence", walk_in(), csrf="")

    assert forged.status_code == 403
    requests = boto3.client("dynamodb", region_name=TEST_REGION)
    assert requests.scan(TableName="shobbak-local-requests", Select="COUNT")["Count"] == 0


def test_the_counter_s_pages_are_small_strict_and_keyboard_ready(client: Client, secrets: dict[str, str]) -> None:
    browser = signed_in(client, secrets, CLERK)
    pages = {
        "search": browser.get("/v1/console/counter"),
        "form": browser.get("/v1/console/counter/services/shop_licence"),
    }
    pages["receipt"] = file_walk_in(browser)
    pages["mistakes"] = file_walk_in(browser, **{"applicant.phone": "1"})

    for name, answer in pages.items():
        page = answer.body.decode()
        assert len(gzip.compress(answer.body)) <= 14 * 1024, name
        assert "script-src 'self'" in answer.headers["Content-Security-Policy"], name
        assert "<script>" not in page, name
        assert "style=" not in page, name
        assert "<style" not in page, name
        assert '<html lang="ar" dir="rtl">' in page, name
    form = pages["form"].body.decode()
    assert 'autocomplete="name"' in form
    assert 'autocomplete="tel-national"' in form
    assert form.count('type="submit"') == 2  # sign-out's, in its own form, and the filing's: Enter files
    assert 'name="csrf"' in form
    stylesheet = browser.get("/v1/console/console.css").body.decode()
    assert "@media print" in stylesheet
    assert "@page" in stylesheet


def file_online_for(client: Client, citizen: str, phone: str = "01012345678") -> str:
    body = submission(district_code="dokki")
    body["applicant"] = {**body["applicant"], "national_id": citizen, "phone": phone}
    return client.http.post(
        "/v1/requests", body=json.dumps(body), headers={"Content-Type": "application/json"}
    ).json_body["tracking_number"]


def at_the_lookup(client: Client, secrets: dict[str, str], email: str) -> Browser:
    """Signed in, on the lookup's form (whose page gives the CSRF token to post with)."""
    browser = signed_in(client, secrets, email)
    browser.get("/v1/console/counter/lookup")
    return browser


def test_a_clerk_of_another_district_finds_a_walk_in_s_requests_by_national_id(
    client: Client, secrets: dict[str, str]
) -> None:
    mine = file_online_for(client, national_id())
    theirs = file_online_for(client, national_id(birth="850505", serial="4321"), phone="01112345678")
    browser = signed_in(client, secrets, OTHER_CLERK)  # warraq's window; the requests are dokki's
    assert "/v1/console/counter/lookup" in browser.get("/v1/console/counter").body.decode()
    form = browser.get("/v1/console/counter/lookup")
    assert form.status_code == 200

    found = browser.post("/v1/console/counter/lookup", {"national_id": national_id()})

    page = found.body.decode()
    assert found.status_code == 200, page
    assert grouped_for_reading(mine) in page
    assert grouped_for_reading(theirs) not in page
    assert national_id() not in page  # not even typed back
    assert "منى" not in page
    assert re.search(r"<td>[^<]+</td><td>[^<]+</td><td>\d{1,2} [^<]+ \d{4}</td>", page)  # service, status, date


def test_nobody_found_by_national_id_is_said_plainly(client: Client, secrets: dict[str, str]) -> None:
    browser = at_the_lookup(client, secrets, CLERK)

    found = browser.post("/v1/console/counter/lookup", {"national_id": national_id()})

    assert found.status_code == 200
    assert "لا يوجد طلب مسجّل بهذا الرقم القومي" in found.body.decode()


def test_a_national_id_that_cannot_be_read_comes_back_to_be_corrected(client: Client, secrets: dict[str, str]) -> None:
    browser = at_the_lookup(client, secrets, CLERK)

    refused = browser.post("/v1/console/counter/lookup", {"national_id": "1234"})

    page = refused.body.decode()
    assert refused.status_code == 400
    assert "<title>خطأ:" in page
    assert '<a href="#national_id">' in page
    assert 'value="1234"' in page


def test_lookups_are_limited_a_minute_with_the_429_explained_in_arabic(
    client: Client, secrets: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from chalicelib.domain.limits import lookups_window
    from chalicelib.services import limits

    this_minute = datetime.now(UTC)  # every lookup of the test counts in the same minute
    monkeypatch.setattr(limits, "lookups_window", lambda principal, now: lookups_window(principal, this_minute))
    monkeypatch.setenv("NATIONAL_ID_LOOKUPS_PER_MINUTE", "1")
    browser = at_the_lookup(client, secrets, CLERK)
    assert browser.post("/v1/console/counter/lookup", {"national_id": national_id()}).status_code == 200

    limited = browser.post("/v1/console/counter/lookup", {"national_id": national_id()})

    page = limited.body.decode()
    assert limited.status_code == 429
    assert "لم يتم البحث" in page
    assert "الحد المسموح لكل موظف" in page
    assert "بتوقيت القاهرة" in page


def test_the_lookup_needs_the_csrf_token_and_a_counter_role(client: Client, secrets: dict[str, str]) -> None:
    file_online_for(client, national_id())
    clerk = at_the_lookup(client, secrets, CLERK)
    assert clerk.post("/v1/console/counter/lookup", {"national_id": national_id()}, csrf="").status_code == 403

    officer = signed_in(client, secrets, OFFICER)
    assert officer.get("/v1/console/counter/lookup").status_code == 403
    refused = officer.post("/v1/console/counter/lookup", {"national_id": national_id()})
    assert refused.status_code == 403
    assert "منى" not in refused.body.decode()


def test_the_lookup_pages_are_small_strict_and_arabic(client: Client, secrets: dict[str, str]) -> None:
    file_online_for(client, national_id())
    browser = signed_in(client, secrets, CLERK)
    pages = {
        "form": browser.get("/v1/console/counter/lookup"),
        "found": browser.post("/v1/console/counter/lookup", {"national_id": national_id()}),
        "mistake": browser.post("/v1/console/counter/lookup", {"national_id": "1"}),
    }
    for name, answer in pages.items():
        page = answer.body.decode()
        assert len(gzip.compress(answer.body)) <= 14 * 1024, name
        assert "script-src 'self'" in answer.headers["Content-Security-Policy"], name
        assert "<script>" not in page, name
        assert "style=" not in page, name
        assert "<style" not in page, name
        assert '<html lang="ar" dir="rtl">' in page, name
        assert 'name="csrf"' in page, name
