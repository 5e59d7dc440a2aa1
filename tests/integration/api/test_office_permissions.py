"""The permission matrix, written out, checked against domain/staff.py, and exercised cell by cell.

Every test works on a request a citizen filed in Dokki. "own" means the caller belongs to
Dokki, "other" that the caller belongs to Warraq; headquarters belongs to no district and
sees every one, so its two rows are alike. Any window serves the governorate: intake is
allowed from another district's window too, and the request still belongs to Dokki.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.domain.catalogue import load_catalogue
from chalicelib.domain.staff import MOVES_BY_ROLE, PERMISSIONS, Action, Role, StaffMember
from chalicelib.domain.statuses import ALLOWED_MOVES, Status
from chalicelib.domain.tracking import new_tracking_number
from tests.factories import CATALOGUE_DAY, free_service_code, national_id, paid_service_code, submission
from tests.integration.api.calls import hand_in_every_document, post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.uploads import clean_document

TABLES = (
    "shobbak-local-requests",
    "shobbak-local-applicants",
    "shobbak-local-idempotency",
    "shobbak-local-documents",
    "shobbak-local-outbox",
)
REQUEST_DISTRICT = "dokki"
CALLER_DISTRICT = {"own": "dokki", "other": "warraq"}
REVEAL_REASON = "المواطن حضر للشباك ويطلب تصحيح رقم هاتفه"
TRANSFER_TO = "omraniya"
TRANSFER_REASON = "العقار يقع في نطاق حي العمرانية لا الدقي"

# Which role may do what, in any district it sees.
PERMISSION_TABLE = """
role    intake view_request view_queue transition reveal_identity erase_identity transfer record_documents open_document view_performance
clerk   yes    yes          -          yes        -               -              -        yes              -             -
officer -      yes          yes        yes        -               -              -        -                yes           -
manager yes    yes          yes        yes        yes             yes            -        yes              yes           yes
hq      -      yes          yes        -          -               -              yes      -                yes           yes
"""  # noqa: E501 - a row per role, read as a table

# What the API answers, for a request (or a queue, or an intake) in Dokki. The transition
# tried is one the role may make: ready → closed for a clerk, submitted → in_review otherwise;
# the transfer sends the request to Omraniya; the paper recorded is the service's first
# document; the document opened is a clean upload of its second (not an identity document).
#   403: the role may not do this at all, or not for that district (queues);
#   404: the role may, but the request is another district's: exactly as if it did not exist;
#   303: the document's presigned link.
STATUS_TABLE = """
role    caller intake view_request view_queue transition reveal_identity erase_identity transfer record_documents open_document view_performance
clerk   own    201    200          403        200        403             403            403      200              403           403
clerk   other  201    404          403        404        403             403            403      404              403           403
officer own    403    200          200        200        403             403            403      403              303           403
officer other  403    404          403        404        403             403            403      403              404           403
manager own    201    200          200        200        200             200            403      200              303           200
manager other  201    404          403        404        404             404            403      404              404           403
hq      own    403    200          200        403        403             403            200      403              303           200
hq      other  403    200          200        403        403             403            200      403              303           200
"""  # noqa: E501 - a row per role and caller, read as a table

# Which moves along the state machine each role may make by hand. Leaving awaiting_payment
# for review is the payment's doing alone; cancelling is the manager's; the clerk only hands
# a ready document over; headquarters reads.
MOVES_TABLE = """
from              to          clerk  officer  manager  hq
submitted         in_review   -      yes      yes      -
submitted         cancelled   -      -        yes      -
awaiting_payment  in_review   -      -        -        -
awaiting_payment  cancelled   -      -        yes      -
in_review         needs_info  -      yes      yes      -
in_review         approved    -      yes      yes      -
in_review         rejected    -      yes      yes      -
needs_info        in_review   -      yes      yes      -
needs_info        cancelled   -      -        yes      -
approved          ready       -      yes      yes      -
rejected          closed      -      yes      yes      -
ready             closed      yes    yes      yes      -
"""

# The manager's moves that bring a new request (free: submitted; fee-bearing: awaiting_payment)
# to each status.
PATH_TO: dict[Status, tuple[Status, ...]] = {
    Status.SUBMITTED: (),
    Status.AWAITING_PAYMENT: (),
    Status.IN_REVIEW: (Status.IN_REVIEW,),
    Status.NEEDS_INFO: (Status.IN_REVIEW, Status.NEEDS_INFO),
    Status.APPROVED: (Status.IN_REVIEW, Status.APPROVED),
    Status.REJECTED: (Status.IN_REVIEW, Status.REJECTED),
    Status.READY: (Status.IN_REVIEW, Status.APPROVED, Status.READY),
}


def documents_of_free_service() -> list[str]:
    service = load_catalogue(rollout_phase=1).service(free_service_code(), on=CATALOGUE_DAY)
    assert service is not None
    return [document.code for document in service.documents if not document.identity]


def rows(table: str) -> tuple[list[str], list[list[str]]]:
    header, *body = (line.split() for line in table.strip().splitlines())
    return header, body


def permission_table() -> dict[Role, frozenset[Action]]:
    header, body = rows(PERMISSION_TABLE)
    actions = [Action(name) for name in header[1:]]
    return {
        Role(role): frozenset(action for action, cell in zip(actions, cells, strict=True) if cell == "yes")
        for role, *cells in body
    }


def status_table() -> dict[tuple[Role, str, Action], int]:
    header, body = rows(STATUS_TABLE)
    actions = [Action(name) for name in header[2:]]
    return {
        (Role(role), caller, action): int(cell)
        for role, caller, *cells in body
        for action, cell in zip(actions, cells, strict=True)
    }


def moves_table() -> dict[tuple[Role, Status, Status], bool]:
    header, body = rows(MOVES_TABLE)
    roles = [Role(name) for name in header[2:]]
    return {
        (role, Status(current), Status(target)): cell == "yes"
        for current, target, *cells in body
        for role, cell in zip(roles, cells, strict=True)
    }


def move_tried_by(role: Role) -> tuple[Status, Status]:
    return (Status.READY, Status.CLOSED) if role is Role.CLERK else (Status.SUBMITTED, Status.IN_REVIEW)


def caller_district(role: Role, caller: str) -> str | None:
    return None if role is Role.HQ else CALLER_DISTRICT[caller]


# --- the tables are the rules ------------------------------------------------------------------


def test_the_permission_table_is_what_the_domain_grants() -> None:
    assert permission_table() == PERMISSIONS


def test_the_moves_table_is_what_the_domain_allows_each_role() -> None:
    table = moves_table()

    assert {(current, target) for _, current, target in table} == {
        (current, target) for current, targets in ALLOWED_MOVES.items() for target in targets
    }
    for role in Role:
        allowed = {(current, target) for (who, current, target), yes in table.items() if who is role and yes}
        assert allowed == MOVES_BY_ROLE[role], role


def expected_status(role: Role, caller: str, action: Action) -> int:
    """The answer the rules imply: permission first, then whose district it is."""
    member = StaffMember(principal="anyone", role=role, district_code=caller_district(role, caller))
    if not member.may(action):
        return 403
    if action is Action.INTAKE:
        return 201  # any window, for any active district
    if action in (Action.VIEW_QUEUE, Action.VIEW_PERFORMANCE):
        return 200 if member.sees_district(REQUEST_DISTRICT) else 403
    if not member.sees_district(REQUEST_DISTRICT):
        return 404
    if action is Action.TRANSITION and not member.may_move(*move_tried_by(role)):
        return 403
    return 303 if action is Action.OPEN_DOCUMENT else 200


def test_the_status_table_follows_from_the_permission_matrix() -> None:
    table = status_table()

    assert len(table) == len(Role) * len(CALLER_DISTRICT) * len(Action)
    assert table == {
        (role, caller, action): expected_status(role, caller, action)
        for role in Role
        for caller in CALLER_DISTRICT
        for action in Action
    }


# --- through the API -----------------------------------------------------------------------------


def stored_items() -> dict[str, int]:
    dynamodb = boto3.client("dynamodb")
    return {table: dynamodb.scan(TableName=table, Select="COUNT")["Count"] for table in TABLES}


def file_request(client: Client, service_code: str) -> str:
    filed = post_json(client, "/v1/requests", submission(service_code, district_code=REQUEST_DISTRICT))
    assert filed.status_code == 201, filed.body
    return filed.json_body["tracking_number"]


def move(client: Client, headers: dict[str, str], tracking_number: str, target: Status, version: int) -> Any:
    body: dict[str, Any] = {"to": target.value, "note": "ملاحظة الموظف", "version": version}
    if target is Status.NEEDS_INFO:
        body["message_to_citizen"] = "أرسل صورة عقد الإيجار."
    return post_json(client, f"/v1/office/requests/{tracking_number}/transitions", body, headers)


def request_in(client: Client, staff: StaffHeaders, status: Status) -> tuple[str, int]:
    """A request in Dokki in `status`, moved there by Dokki's manager; and its version."""
    service_code = paid_service_code() if status is Status.AWAITING_PAYMENT else free_service_code()
    tracking_number = file_request(client, service_code)
    manager = staff("manager", REQUEST_DISTRICT)
    version = 1
    if PATH_TO[status]:  # nothing is approved without them; recording them is a change of its own
        version = hand_in_every_document(client, manager, tracking_number).json_body["version"]
    for target in PATH_TO[status]:
        moved = move(client, manager, tracking_number, target, version)
        assert moved.status_code == 200, moved.body
        version = moved.json_body["version"]
    assert seen_by_manager(client, staff, tracking_number)["status"] == status.value
    return tracking_number, version


def seen_by_manager(client: Client, staff: StaffHeaders, tracking_number: str) -> dict[str, Any]:
    return client.http.get(
        f"/v1/office/requests/{tracking_number}", headers=staff("manager", REQUEST_DISTRICT)
    ).json_body


def act(
    client: Client,
    headers: dict[str, str],
    action: Action,
    tracking_number: str,
    role: Role,
    version: int,
    document_id: str = "",
) -> Any:
    if action is Action.TRANSFER:
        body = {"to_district": TRANSFER_TO, "reason": TRANSFER_REASON, "version": version}
        return post_json(client, f"/v1/office/requests/{tracking_number}/transfer", body, headers)
    if action is Action.RECORD_DOCUMENTS:
        body = {"documents": [documents_of_free_service()[0]], "version": version}
        return post_json(client, f"/v1/office/requests/{tracking_number}/documents/received", body, headers)
    if action is Action.OPEN_DOCUMENT:
        return client.http.get(f"/v1/office/requests/{tracking_number}/documents/{document_id}", headers=headers)
    if action is Action.INTAKE:
        body = submission(free_service_code(), district_code=REQUEST_DISTRICT)
        return post_json(client, "/v1/office/requests", body, headers)
    if action is Action.VIEW_REQUEST:
        return client.http.get(f"/v1/office/requests/{tracking_number}", headers=headers)
    if action is Action.VIEW_QUEUE:
        return client.http.get(f"/v1/office/requests?status=submitted&district={REQUEST_DISTRICT}", headers=headers)
    if action is Action.TRANSITION:
        return move(client, headers, tracking_number, move_tried_by(role)[1], version)
    if action is Action.VIEW_PERFORMANCE:
        return client.http.get(f"/v1/office/performance?district={REQUEST_DISTRICT}", headers=headers)
    body = {"reason": REVEAL_REASON}
    if action is Action.ERASE_IDENTITY:
        return post_json(client, f"/v1/office/requests/{tracking_number}/erasure", body, headers)
    return post_json(client, f"/v1/office/requests/{tracking_number}/identity", body, headers)


def without_correlation(headers: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name.lower() != "x-correlation-id"}


def assert_allowed(response: Any, action: Action, tracking_number: str, role: Role) -> None:
    answer = response.json_body if action is not Action.OPEN_DOCUMENT else {}
    if action is Action.INTAKE:
        assert answer["tracking_number"] != tracking_number
        assert answer["status"] == "submitted"
    elif action is Action.VIEW_REQUEST:
        assert (answer["tracking_number"], answer["district_code"]) == (tracking_number, REQUEST_DISTRICT)
    elif action is Action.VIEW_QUEUE:
        assert answer["district_code"] == REQUEST_DISTRICT
        assert tracking_number in [entry["tracking_number"] for entry in answer["requests"]]
    elif action is Action.TRANSITION:
        assert answer["status"] == move_tried_by(role)[1].value
        assert answer["history"][-1]["actor_role"] == role.value
    elif action is Action.ERASE_IDENTITY:
        assert (answer["tracking_number"], answer["identity_erased"]) == (tracking_number, True)
    elif action is Action.TRANSFER:
        assert (answer["district_code"], answer["history"][-1]["event"]) == (TRANSFER_TO, "transferred")
    elif action is Action.RECORD_DOCUMENTS:
        received = [entry["document"] for entry in answer["documents"] if entry["status"] == "received_at_window"]
        assert received == [documents_of_free_service()[0]]
    elif action is Action.OPEN_DOCUMENT:
        assert "X-Amz-Expires=300" in response.headers["Location"]
    elif action is Action.VIEW_PERFORMANCE:
        assert [district["code"] for district in answer["districts"]] == [REQUEST_DISTRICT]
        assert tracking_number not in response.body.decode()
    else:
        assert answer["tracking_number"] == tracking_number
        assert answer["national_id"] == national_id()


CELLS = [
    pytest.param(role, caller, action, id=f"{role.value}-{caller}-{action.value}")
    for role in Role
    for caller in CALLER_DISTRICT
    for action in Action
]


@pytest.mark.parametrize(("role", "caller", "action"), CELLS)
def test_each_cell_of_the_matrix(client: Client, staff: StaffHeaders, role: Role, caller: str, action: Action) -> None:
    expected = status_table()[(role, caller, action)]
    starts_in = move_tried_by(role)[0] if action is Action.TRANSITION else Status.SUBMITTED
    tracking_number, version = request_in(client, staff, starts_in)
    document_id = ""
    if action is Action.OPEN_DOCUMENT:
        document_id = clean_document(client, tracking_number, documents_of_free_service()[1])
    headers = staff(role.value, caller_district(role, caller))
    before, seen_before = stored_items(), seen_by_manager(client, staff, tracking_number)

    response = act(client, headers, action, tracking_number, role, version, document_id)

    assert response.status_code == expected, response.body
    if expected < 400:
        assert_allowed(response, action, tracking_number, role)
        return
    assert stored_items() == before
    assert seen_by_manager(client, staff, tracking_number) == seen_before
    if expected == 403:
        assert response.json_body["error"]["code"] == "forbidden"
    else:
        never_issued = act(client, headers, action, new_tracking_number(), role, version, document_id)
        assert never_issued.status_code == 404
        assert response.body == never_issued.body
        assert without_correlation(response.headers) == without_correlation(never_issued.headers)
        assert response.json_body["error"]["code"] == "not_found"
        assert stored_items() == before


MOVES = [
    pytest.param(role, current, target, id=f"{role.value}-{current.value}-to-{target.value}")
    for role in Role
    for current, targets in ALLOWED_MOVES.items()
    for target in sorted(targets)
]


@pytest.mark.parametrize(("role", "current", "target"), MOVES)
def test_each_move_by_each_role_in_its_own_district(
    client: Client, staff: StaffHeaders, role: Role, current: Status, target: Status
) -> None:
    """A clerk may not make an officer's moves, an officer may not cancel, nobody moves
    awaiting_payment → in_review by hand (not even a manager), and headquarters moves nothing."""
    allowed = moves_table()[(role, current, target)]
    tracking_number, version = request_in(client, staff, current)
    before, seen_before = stored_items(), seen_by_manager(client, staff, tracking_number)

    response = move(client, staff(role.value, caller_district(role, "own")), tracking_number, target, version)

    if allowed:
        assert response.status_code == 200, response.body
        assert (response.json_body["status"], response.json_body["version"]) == (target.value, version + 1)
        assert response.json_body["history"][-1]["actor_role"] == role.value
    else:
        assert response.status_code == 403, response.body
        assert response.json_body["error"]["code"] == "forbidden"
        assert stored_items() == before
        assert seen_by_manager(client, staff, tracking_number) == seen_before


# --- queues --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "manager"])
def test_without_a_district_a_district_role_sees_its_own_queue_only(
    client: Client, staff: StaffHeaders, role: str
) -> None:
    tracking_number = file_request(client, free_service_code())

    own = client.http.get("/v1/office/requests?status=submitted", headers=staff(role, "dokki"))
    other = client.http.get("/v1/office/requests?status=submitted", headers=staff(role, "warraq"))

    assert own.status_code == other.status_code == 200
    assert (own.json_body["district_code"], other.json_body["district_code"]) == ("dokki", "warraq")
    assert [entry["tracking_number"] for entry in own.json_body["requests"]] == [tracking_number]
    assert other.json_body["requests"] == []


@pytest.mark.parametrize("role", ["officer", "manager"])
def test_a_district_role_asking_for_another_districts_queue_is_forbidden(
    client: Client, staff: StaffHeaders, role: str
) -> None:
    file_request(client, free_service_code())

    response = client.http.get("/v1/office/requests?status=submitted&district=dokki", headers=staff(role, "warraq"))

    assert response.status_code == 403
    assert response.json_body["error"]["code"] == "forbidden"


def test_headquarters_must_name_the_district_of_the_queue(client: Client, staff: StaffHeaders) -> None:
    tracking_number = file_request(client, free_service_code())
    hq = staff("hq")

    unnamed = client.http.get("/v1/office/requests?status=submitted", headers=hq)
    dokki = client.http.get("/v1/office/requests?status=submitted&district=dokki", headers=hq)
    warraq = client.http.get("/v1/office/requests?status=submitted&district=warraq", headers=hq)

    assert unnamed.status_code == 400
    assert list(unnamed.json_body["error"]["fields"]) == ["district"]
    assert [entry["tracking_number"] for entry in dokki.json_body["requests"]] == [tracking_number]
    assert warraq.status_code == 200
    assert warraq.json_body["requests"] == []


# --- intake --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["clerk", "manager"])
def test_any_window_files_for_another_district_which_then_owns_the_request(
    client: Client, staff: StaffHeaders, role: str
) -> None:
    at_warraq = staff(role, "warraq", principal=f"{role}-at-warraq")

    filed = post_json(client, "/v1/office/requests", submission(free_service_code(), district_code="dokki"), at_warraq)

    assert filed.status_code == 201, filed.body
    tracking_number = filed.json_body["tracking_number"]
    dokki = client.http.get("/v1/office/requests?status=submitted", headers=staff("officer", "dokki")).json_body
    warraq = client.http.get("/v1/office/requests?status=submitted", headers=staff("officer", "warraq")).json_body
    assert [entry["tracking_number"] for entry in dokki["requests"]] == [tracking_number]
    assert warraq["requests"] == []
    seen = seen_by_manager(client, staff, tracking_number)
    assert (seen["district_code"], seen["filed_at_office"], seen["channel"]) == ("dokki", "warraq", "window")
    assert (seen["history"][0]["office"], seen["history"][0]["actor"]) == ("warraq", f"{role}-at-warraq")
    # The filing window does not own it: Warraq answers as if it did not exist.
    assert client.http.get(f"/v1/office/requests/{tracking_number}", headers=at_warraq).status_code == 404


@pytest.mark.parametrize(
    ("headers_of", "district_code", "expected"),
    [
        (("hq", None), "dokki", 403),  # headquarters has no window
        (("clerk", "agouza"), "dokki", 403),  # a window not yet switched on
        (("clerk", "warraq"), "agouza", 400),  # a district not yet switched on
    ],
)
def test_intake_refused_writes_nothing(
    client: Client, staff: StaffHeaders, headers_of: tuple[str, str | None], district_code: str, expected: int
) -> None:
    before = stored_items()

    response = post_json(
        client, "/v1/office/requests", submission(free_service_code(), district_code=district_code), staff(*headers_of)
    )

    assert response.status_code == expected, response.body
    assert set(response.json_body["error"]) == {"code", "message_ar", "message_en", "fields"}
    assert stored_items() == before


def test_an_unknown_tracking_number_and_another_districts_request_answer_alike_on_every_route(
    client: Client, staff: StaffHeaders
) -> None:
    tracking_number = file_request(client, free_service_code())
    unknown = new_tracking_number()
    warraq_manager = staff("manager", "warraq")
    transition = {"to": "in_review", "note": "ملاحظة", "version": 1}

    for method, suffix, body in [
        ("GET", "", None),
        ("POST", "/transitions", transition),
        ("POST", "/identity", {"reason": REVEAL_REASON}),
        ("POST", "/erasure", {"reason": REVEAL_REASON}),
        ("POST", "/documents/received", {"documents": [documents_of_free_service()[0]], "version": 1}),
        ("GET", "/documents/0123456789abcdef0123456789abcdef", None),
    ]:
        answers = []
        for number in (tracking_number, unknown):
            path = f"/v1/office/requests/{number}{suffix}"
            if method == "GET":
                answers.append(client.http.get(path, headers=warraq_manager))
            else:
                answers.append(client.http.post(path, body=json.dumps(body), headers=warraq_manager))
        assert [answer.status_code for answer in answers] == [404, 404], suffix
        assert answers[0].body == answers[1].body, suffix
