"""The back office's days in chromium on the real local stack (issue 21, section 6): an officer, a
manager and headquarters, each signed in through the local staff pool with password and TOTP, each
walk with JavaScript off and on. The request they work is one a clerk of Dokki filed at the window
for Omraniya (through the office API, as the counter's form does: the clerk's own walk is
test_office_console_browser.py). Every page is checked by tests/e2e/console_browser.py, once, in
the walk with JavaScript (the server sends the same HTML either way); its screenshots land in
test-artifacts/console/, its gzipped size in back-office-gzipped-sizes.json.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
import uuid
from typing import Any

import boto3
import pytest
from playwright.sync_api import Page, expect

from chalicelib.domain.console_sessions import FRESH_S
from chalicelib.domain.staff import Role
from chalicelib.domain.statuses import STATUS_NAMES_AR, Status
from chalicelib.domain.tracking import grouped_for_reading
from chalicelib.store.console_sessions import SESSION, ConsoleSessionRecord, record_key
from tests.e2e.console_browser import Documents, SignIn, check_console_page, current_code, screenshot
from tests.e2e.stack import LocalStack
from tests.factories import submission
from tools.local.staff_pool import LocalPool, account_email, create_account, local_staff_password
from tools.local.staff_token import local_signing_key, mint_token
from tools.testing.synthetic import applicant

pytestmark = pytest.mark.e2e

CLERKS_DISTRICT, DISTRICT, OTHER_DISTRICT = "dokki", "omraniya", "warraq"
DISTRICT_AR, OTHER_DISTRICT_AR = "العمرانية", "الوراق"
ACTIVE_DISTRICTS = 3  # dokki, omraniya, warraq: the local catalogue's rollout phase 1
# Free, so it starts as submitted: an officer may move it on (awaiting_payment is left by paying).
SERVICE, DEPARTMENT = "demolition_licence", "planning"
SECOND_OFFICER = f"officer2.{DISTRICT}@staff.shobbak.local"
NOTE = "راجعت الرسم الهندسي؛ ينقص تقرير السلامة الإنشائية."
REVEAL_REASON = "اتصل المواطن يسأل عن طلبه ورقم هاتفه المسجل خاطئ."
TRANSFER_REASON = "العقار يقع في نطاق حي الوراق وليس العمرانية."
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
JAVASCRIPT = [pytest.param(True, id="with-javascript"), pytest.param(False, id="without-javascript")]
GZIPPED_SIZES = "back-office-gzipped-sizes"  # each page's, in test-artifacts/console/ (console_browser.sizes)


def office_api(stack: LocalStack, path: str, role: Role, district: str | None, body: dict[str, Any] | None = None
               ) -> dict[str, Any]:  # fmt: skip
    """The office API as a script calls it, with a token of the local pool's issuer (`make token`)."""
    headers = {"Authorization": f"Bearer {mint_token(local_signing_key(), role, district)}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers |= {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
    request = urllib.request.Request(stack.api_url + path, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as refusal:
        raise AssertionError(f"{path}: {refusal.code} {refusal.read().decode()}") from None


def filed_at_the_window(stack: LocalStack) -> str:
    """A walk-in a clerk of Dokki files for Omraniya; its tracking number."""
    body = submission(SERVICE, district_code=DISTRICT)
    filed = office_api(stack, "/v1/office/requests", Role.CLERK, CLERKS_DISTRICT, body)
    assert filed["status"] == Status.SUBMITTED.value
    return str(filed["tracking_number"])


def version_of(stack: LocalStack, tracking_number: str) -> int:
    return int(office_api(stack, f"/v1/office/requests/{tracking_number}", Role.OFFICER, DISTRICT)["version"])


def assert_no_identity(html: bytes) -> None:
    """Nothing of who asked: the name, the national ID or the phone, in any digits or spacing."""
    text = html.decode("utf-8")
    flat = re.sub(r"\s", "", text)
    who = applicant()
    assert who["full_name"] not in text
    for secret in (who["national_id"], who["phone"], who["phone"].lstrip("+")[-10:]):
        digits = re.sub(r"\D", "", secret)
        assert digits not in flat, "an identity reached the page"
        assert digits.translate(ARABIC_INDIC) not in flat, "an identity reached the page, in Arabic-Indic digits"


def mode_of(javascript: bool) -> str:
    return "js" if javascript else "nojs"


@pytest.mark.parametrize("javascript", JAVASCRIPT)
def test_an_officer_finds_takes_and_moves_a_request_and_is_told_when_someone_moved_it_first(
    local_stack: LocalStack, signed_in: SignIn, javascript: bool, sizes: dict[str, Any]
) -> None:
    tracking_number = filed_at_the_window(local_stack)
    grouped = grouped_for_reading(tracking_number)
    officer = signed_in(Role.OFFICER, DISTRICT, javascript)
    documents = Documents(officer)

    officer.get_by_role("link", name="طوابير الحي حسب الإدارة والحالة").click()
    officer.get_by_label("الحالة").select_option(Status.SUBMITTED.value)
    officer.get_by_label("الإدارة").select_option(DEPARTMENT)
    officer.get_by_role("button", name="عرض").click()
    expect(officer).to_have_url(re.compile(rf"status={Status.SUBMITTED.value}&department={DEPARTMENT}"))
    row = officer.locator("tr", has=officer.get_by_role("link", name=grouped))
    expect(row).to_contain_text("رخصة هدم")
    if javascript:
        check_console_page(officer, "queue", documents.last_body(), sizes)

    officer.get_by_role("link", name=grouped).click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(f"طلب {grouped}")
    assert_no_identity(documents.last_body())
    if javascript:
        check_console_page(officer, "request", documents.last_body(), sizes)

    officer.get_by_role("button", name="أتولى هذا الطلب").click()
    expect(officer.locator(".inset")).to_have_text("أُسند الطلب.")
    expect(officer.locator("dt:has-text('يتولاه') + dd")).to_have_text(account_email(Role.OFFICER, DISTRICT))
    assert_no_identity(documents.last_body())

    officer.goto(f"{local_stack.portal_url}/v1/console/my-work")
    expect(officer.get_by_role("link", name=grouped)).to_be_visible()
    if javascript:
        check_console_page(officer, "my-work", documents.last_body(), sizes)
    officer.get_by_role("link", name=grouped).click()

    officer.get_by_label(STATUS_NAMES_AR[Status.IN_REVIEW]).check()
    officer.get_by_label("ملاحظة المكتب (لا يراها المواطن)").fill(NOTE)
    # Meanwhile a colleague moves it through the office API, on the version the page shows.
    first = {"to": Status.IN_REVIEW.value, "note": "بدأت الفحص.", "version": version_of(local_stack, tracking_number)}
    office_api(local_stack, f"/v1/office/requests/{tracking_number}/transitions", Role.OFFICER, DISTRICT, first)
    officer.get_by_role("button", name="نقل", exact=True).click()

    assert documents.last is not None
    assert documents.last.status == 409
    expect(officer.locator(".error-summary")).to_contain_text("سبقك أحد إلى تغيير هذا الطلب")
    expect(officer.locator("dt:has-text('الحالة') + dd")).to_have_text(STATUS_NAMES_AR[Status.IN_REVIEW])
    expect(officer.get_by_label("ملاحظة المكتب (لا يراها المواطن)")).to_have_value(NOTE)
    assert_no_identity(documents.last_body())
    if javascript:
        check_console_page(officer, "request-conflict", documents.last_body(), sizes)

    officer.get_by_label(STATUS_NAMES_AR[Status.NEEDS_INFO]).check()
    officer.get_by_role("button", name="نقل", exact=True).click()
    expect(officer.locator(".inset")).to_have_text(f"نُقل الطلب إلى «{STATUS_NAMES_AR[Status.NEEDS_INFO]}».")
    expect(officer.locator(".timeline")).to_contain_text(NOTE)
    assert_no_identity(documents.last_body())
    screenshot(officer, f"officer-moved-{mode_of(javascript)}")


@pytest.fixture(scope="module")
def second_officer(local_stack: LocalStack) -> str:
    """Another officer of Omraniya in the local pool, to reassign to (make run makes one a district)."""
    cognito = boto3.client("cognito-idp", endpoint_url=local_stack.aws_url, region_name="eu-central-1",
                           aws_access_key_id="local", aws_secret_access_key="local")  # fmt: skip
    (pool,) = cognito.list_user_pools(MaxResults=10)["UserPools"]
    (client,) = cognito.list_user_pool_clients(UserPoolId=pool["Id"], MaxResults=10)["UserPoolClients"]
    local = LocalPool(pool_id=pool["Id"], client_id=client["ClientId"], region="eu-central-1")
    create_account(cognito, local, SECOND_OFFICER, Role.OFFICER, DISTRICT, local_staff_password())
    return SECOND_OFFICER


def age_the_sign_in(stack: LocalStack, page: Page) -> None:
    """The session signed in longer ago than a reveal allows, as the store holds it."""
    (cookie,) = page.context.cookies()
    dynamodb = boto3.client("dynamodb", endpoint_url=stack.aws_url, region_name="eu-central-1",
                            aws_access_key_id="local", aws_secret_access_key="local")  # fmt: skip
    dynamodb.update_item(
        TableName=ConsoleSessionRecord.Meta.table_name,
        Key={"key": {"S": record_key(SESSION, cookie["value"])}},
        UpdateExpression="SET signed_in_at = :then",
        ConditionExpression="attribute_exists(#key)",
        ExpressionAttributeNames={"#key": "key"},
        ExpressionAttributeValues={":then": {"N": str(int(time.time()) - FRESH_S - 60)}},
    )


def sign_in_again(page: Page, stack: LocalStack, email: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("سجّل الدخول مرة أخرى")
    expect(page.get_by_label("البريد الإلكتروني الوظيفي")).to_have_value(email)
    page.get_by_label("كلمة المرور").fill(local_staff_password())
    page.get_by_role("button", name="متابعة").click()
    page.get_by_label("الرمز (6 أرقام)").fill(current_code(stack, email))
    page.get_by_role("button", name="تسجيل الدخول").click()


@pytest.mark.parametrize("javascript", JAVASCRIPT)
def test_a_manager_reassigns_reveals_after_signing_in_again_and_reads_the_districts_figures(
    local_stack: LocalStack, signed_in: SignIn, javascript: bool, sizes: dict[str, Any],
    second_officer: str,
) -> None:  # fmt: skip
    tracking_number = filed_at_the_window(local_stack)
    grouped = grouped_for_reading(tracking_number)
    first_officer = account_email(Role.OFFICER, DISTRICT)
    held = {"officer": first_officer, "version": version_of(local_stack, tracking_number)}
    office_api(local_stack, f"/v1/office/requests/{tracking_number}/assignment", Role.MANAGER, DISTRICT, held)
    email = account_email(Role.MANAGER, DISTRICT)
    manager = signed_in(Role.MANAGER, DISTRICT, javascript)
    documents = Documents(manager)

    manager.get_by_role("link", name="عبء العمل لكل موظف").click()
    expect(manager.locator("tr", has_text=first_officer)).to_be_visible()
    if javascript:
        check_console_page(manager, "workload", documents.last_body(), sizes)

    manager.goto(f"{local_stack.portal_url}/v1/console/")
    manager.get_by_label("البحث برقم المتابعة").fill(tracking_number)
    manager.get_by_role("button", name="بحث").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text(f"طلب {grouped}")
    manager.get_by_label("إسناد إلى").select_option(second_officer)
    manager.get_by_role("button", name="إسناد", exact=True).click()
    expect(manager.locator(".inset")).to_have_text("أُسند الطلب.")
    expect(manager.locator("dt:has-text('يتولاه') + dd")).to_have_text(second_officer)
    expect(manager.locator(".timeline")).to_contain_text(f"إسناد إلى {second_officer}")
    assert_no_identity(documents.last_body())
    if javascript:
        check_console_page(manager, "request-manager", documents.last_body(), sizes)

    age_the_sign_in(local_stack, manager)
    manager.get_by_label(re.compile("سبب الكشف")).fill(REVEAL_REASON)
    manager.get_by_role("button", name="كشف الهوية").click()
    assert documents.last is not None
    assert documents.last.status == 401
    assert_no_identity(documents.last_body())
    sign_in_again(manager, local_stack, email)
    expect(manager.get_by_role("heading", level=1)).to_have_text(f"طلب {grouped}")
    expect(manager.get_by_label(re.compile("سبب الكشف"))).to_have_value(REVEAL_REASON)
    manager.get_by_role("button", name="كشف الهوية").click()

    expect(manager.locator(".inset")).to_have_text("كُشفت هوية مقدم الطلب وسُجّل ذلك في السجل.")
    expect(manager.locator("dt:has-text('الرقم القومي') + dd")).to_have_text(applicant()["national_id"])
    expect(manager.locator(".timeline")).to_contain_text("كشف هوية مقدم الطلب")
    expect(manager.locator(".timeline")).to_contain_text(REVEAL_REASON)
    if javascript:
        check_console_page(manager, "reveal", documents.last_body(), sizes)
    manager.goto(f"{local_stack.portal_url}/v1/console/requests/{tracking_number}")  # shown once: read again, blind
    assert_no_identity(documents.last_body())

    manager.goto(f"{local_stack.portal_url}/v1/console/")
    manager.get_by_role("link", name="أداء الحي").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text(f"أداء {DISTRICT_AR}")
    expect(manager.locator(".card")).to_have_count(1)
    if javascript:
        check_console_page(manager, "figures-manager", documents.last_body(), sizes)


@pytest.mark.parametrize("javascript", JAVASCRIPT)
def test_headquarters_finds_a_request_across_districts_transfers_it_and_reads_every_districts_figures(
    local_stack: LocalStack, signed_in: SignIn, javascript: bool, sizes: dict[str, Any]
) -> None:
    tracking_number = filed_at_the_window(local_stack)
    grouped = grouped_for_reading(tracking_number)
    hq = signed_in(Role.HQ, None, javascript)
    documents = Documents(hq)

    hq.get_by_label("البحث برقم المتابعة في كل الأحياء").fill(grouped.translate(ARABIC_INDIC))
    hq.get_by_role("button", name="بحث").click()
    expect(hq.get_by_role("heading", level=1)).to_have_text(f"طلب {grouped}")
    expect(hq.locator(".caption")).to_contain_text(DISTRICT_AR)
    assert_no_identity(documents.last_body())
    if javascript:
        check_console_page(hq, "search", documents.last_body(), sizes)

    hq.get_by_label("إلى", exact=True).select_option(OTHER_DISTRICT)
    hq.get_by_label("سبب التحويل").fill(TRANSFER_REASON)
    hq.get_by_role("button", name="تحويل", exact=True).click()
    expect(hq.locator(".inset")).to_have_text("حُوّل الطلب.")
    expect(hq.locator(".caption")).to_contain_text(OTHER_DISTRICT_AR)
    expect(hq.locator(".timeline")).to_contain_text(f"{DISTRICT_AR} ← {OTHER_DISTRICT_AR}")
    expect(hq.locator(".timeline")).to_contain_text(TRANSFER_REASON)
    assert_no_identity(documents.last_body())
    if javascript:
        check_console_page(hq, "transfer", documents.last_body(), sizes)

    hq.goto(f"{local_stack.portal_url}/v1/console/")
    hq.get_by_role("link", name="أداء الأحياء جنباً إلى جنب").click()
    expect(hq.get_by_role("heading", level=1)).to_have_text("المحافظة في لمحة")
    expect(hq.locator(".card")).to_have_count(ACTIVE_DISTRICTS)
    expect(hq.locator(".card-title", has_text=OTHER_DISTRICT_AR)).to_be_visible()
    if javascript:
        check_console_page(hq, "figures-hq", documents.last_body(), sizes)
