"""The back office in the console (issue 21, sections 3 to 5): the district's queues, the blind
request view and its moves. Each page calls the office API's own services (services/office_queue.py,
office_view.py, office_moves.py, office_assignment.py, office_identity.py) as the member of staff
signed in, so the permission matrix and district isolation are the API's: another district's
request answers as if it did not exist.

A refusal is the API's (api/http/errors.py) told in Arabic on a page; a 409 (someone moved the
request first) shows the request as it now stands, with the note typed kept in the form.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from chalice import Blueprint, Response

from chalicelib.api.http.console_session import FORM_TYPES, ConsolePage, console_page
from chalicelib.api.http.errors import refusal_of
from chalicelib.api.http.office_views import (
    applicant_answer,
    blind_view_answer,
    queue_answer,
    queue_entry_answer,
    workload_answer,
)
from chalicelib.console import office_views
from chalicelib.console import render as pages
from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.documents import STATUS_NAMES_AR as DOCUMENT_STATUS_NAMES_AR
from chalicelib.domain.errors import Busy, Conflict, Forbidden, InvalidInput, NotFound, TooManyRequests, Unavailable
from chalicelib.domain.staff import Action, Role
from chalicelib.domain.statuses import ALLOWED_MOVES, FINAL_STATUSES, STATUS_NAMES_AR, Status

if TYPE_CHECKING:  # types only: each route loads its service when it first runs
    from chalicelib.services.office_view import BlindView

console_office = Blueprint(__name__)
QUEUE = "/v1/console/queue"
REFUSED = (InvalidInput, NotFound, Forbidden, Conflict, Busy, Unavailable, TooManyRequests)


def _refused_page(page: ConsolePage, error: Exception) -> Response:
    refusal = refusal_of(error)
    body = pages.render("problem.html.j2", session=page.session, csrf=page.csrf, title="تعذّر الإجراء",
                        message=refusal.message_ar)  # fmt: skip
    return page.html(body, refusal.status)


def _departments(district_code: str | None, today: date) -> list[str]:
    from chalicelib.services.catalogue import current_catalogue

    services = current_catalogue().services(on=today, district_code=district_code)
    return sorted({service.department for service in services})


@console_office.route(QUEUE, methods=["GET"])
@console_page(console_office)
def console_queue(page: ConsolePage) -> Response:
    """A queue page: filters in the URL (a GET form), one DynamoDB Query a page."""
    from chalicelib.services.catalogue import current_catalogue
    from chalicelib.services.office_queue import view_queue

    params = dict(page.request.query_params or {})
    params.setdefault("status", Status.IN_REVIEW.value)
    now = datetime.now(UTC)
    try:
        queue = queue_answer(view_queue(page.staff, params, now))
    except REFUSED as error:
        return _refused_page(page, error)
    catalogue, today = current_catalogue(), cairo_today(now)
    rows = _rows(queue["requests"], now)
    filters = {name: params[name] for name in ("status", "department", "district") if params.get(name)}
    next_link = f"{QUEUE}?{urlencode({**filters, 'cursor': queue['next_cursor']})}" if queue["next_cursor"] else None
    body = pages.render(
        "office/queue.html.j2", session=page.session, csrf=page.csrf, rows=rows, queue=queue, filters=filters,
        statuses=STATUS_NAMES_AR, departments=_departments(queue["district_code"], today), next_link=next_link,
        department_name=office_views.department_name,
        district_name=office_views.office_names(catalogue.districts()).get(queue["district_code"], ""),
        districts=[district for district in catalogue.districts() if district.active]
        if page.staff.role is Role.HQ else [],
    )  # fmt: skip
    return page.html(body)


def _request_page(
    page: ConsolePage, blind: BlindView, *, status_code: int = 200, problem: str | None = None,
    kept: dict[str, str] | None = None, notice: str | None = None, identity: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    """The request view: the page reads the office API's answer, shaped as the API shapes it."""
    from chalicelib.services.catalogue import current_catalogue

    view = blind_view_answer(blind)
    now = datetime.now(UTC)
    catalogue, today = current_catalogue(), cairo_today(now)
    status = Status(view["status"])
    service = catalogue.service(view["service_code"], on=date.fromisoformat(view["submitted_at"][:10]))
    staff = page.staff
    allowed = ALLOWED_MOVES[status] if staff.may(Action.TRANSITION) else frozenset()
    moves = [target for target in Status if target in allowed and staff.may_move(status, target)]
    present = {document["document"] for document in view["documents"] if document["status"] != "rejected"}
    received = set(view["documents_received"])  # handed in at a window: by name, as on the receipt
    document_names = {document.code: document.name_ar for document in (service.documents if service else ())}
    documents = [
        {
            "code": document.code,
            "name_ar": document.name_ar,
            "missing": document.code not in present and document.name_ar not in received,
        }
        for document in (service.documents if service else ())
    ]
    offices = office_views.office_names(catalogue.districts())
    labels = {field.name: field.label_ar for field in (service.fields if service else ())}
    body = pages.render(
        "office/request.html.j2", session=page.session, csrf=page.csrf, view=view, problem=problem, notice=notice,
        district_name=offices.get(view["district_code"], view["district_code"]), offices=offices,
        department_name=office_views.department_name(view["department"]), labels=labels,
        channel=office_views.FILING_CHANNELS_AR.get(view["channel"], view["channel"]),
        open=status not in FINAL_STATUSES, role=staff.role.value, me=staff.principal, identity=identity,
        may_correct=_may_correct(page, view, now),
        officers=_officers(view["district_code"]) if staff.role is Role.MANAGER and status not in FINAL_STATUSES
        else [],
        districts=[district for district in catalogue.districts() if district.active
                   and district.code != view["district_code"]] if staff.may(Action.TRANSFER) else [],
        grouped=office_views.grouped(view["tracking_number"]), moves=moves, statuses=STATUS_NAMES_AR,
        due=office_views.due_state(status, date.fromisoformat(view["sla_due_date"]), today, catalogue.holidays(),
                                   status in FINAL_STATUSES),
        timeline=office_views.timeline(view, document_names, offices), documents=documents,
        cairo=office_views.cairo_moment,
        kept=kept or page.session.kept_form or {}, document_names=document_names,
        document_statuses={status.value: name for status, name in DOCUMENT_STATUS_NAMES_AR.items()},
        payment_statuses=office_views.PAYMENT_STATUSES_AR,
    )  # fmt: skip
    return page.html(body, status_code)


def _officers(district_code: str) -> list[Any]:
    """Whom a manager may assign to: the pool's officers of the district (one Cognito call, no
    DynamoDB one); none when the pool cannot be reached, and the page says so."""
    from chalicelib.adapters.staff_pool import PoolRefusal, officers_of

    try:
        return officers_of(district_code)
    except PoolRefusal:
        return []


@console_office.route("/v1/console/requests/{tracking_number}", methods=["GET"])
@console_page(console_office)
def console_request(page: ConsolePage, tracking_number: str) -> Response:
    """The blind request view: everything but who asked, in at most 2 DynamoDB calls."""
    from chalicelib.services.office_view import view_request

    try:
        view = view_request(page.staff, tracking_number, datetime.now(UTC))
    except REFUSED as error:
        return _refused_page(page, error)
    return _request_page(page, view)


@console_office.route("/v1/console/requests/{tracking_number}/move", methods=["POST"], content_types=FORM_TYPES)
@console_page(console_office)
def console_move(page: ConsolePage, tracking_number: str) -> Response:
    """A move from the request view, on the version the page carried; a 409 answers the request as
    it now stands, explained, with the note kept."""
    from chalicelib.services.office_moves import move_request
    from chalicelib.services.office_view import BlindView

    form = page.form
    version = form.get("version", "")
    body: dict[str, Any] = {
        "to": form.get("to", ""),
        "note": form.get("note", ""),
        "version": int(version) if version.isascii() and version.isdigit() else 0,
    }
    if form.get("message_to_citizen"):
        body["message_to_citizen"] = form["message_to_citizen"]
    missing = _all_values(page, "missing")
    if missing:
        body["missing_documents"] = missing
    try:
        view = move_request(page.staff, tracking_number, body, datetime.now(UTC))
    except Conflict as conflict:
        kept = {name: value for name, value in form.items() if name in ("to", "note", "message_to_citizen")}
        explained = (
            "سبقك أحد إلى تغيير هذا الطلب، فلم يُحفظ ما أرسلته. هذه حالته الآن؛ ملاحظتك محفوظة في النموذج، "
            "راجعها ثم أرسلها من جديد إن كانت ما زالت مناسبة."
            if conflict.code == "stale_version"
            else conflict.message_ar
        )
        if isinstance(conflict.current, BlindView):
            return _request_page(page, conflict.current, status_code=409, problem=explained, kept=kept)
        return _refused_page(page, conflict)
    except InvalidInput as invalid:
        from chalicelib.services.office_view import view_request

        current = view_request(page.staff, tracking_number, datetime.now(UTC))
        problem = " ".join(invalid.fields.values()) or invalid.message_ar
        return _request_page(page, current, status_code=400, problem=problem, kept=dict(form))
    except REFUSED as error:
        return _refused_page(page, error)
    return _request_page(page, view, notice=f"نُقل الطلب إلى «{STATUS_NAMES_AR[Status(view.request.status)]}».")


def _all_values(page: ConsolePage, name: str) -> list[str]:
    """Every value of a repeated field (checkboxes); page.form keeps the last one only."""
    from urllib.parse import parse_qsl

    raw = page.request.raw_body or b""
    return [value for key, value in parse_qsl(raw.decode("utf-8", errors="replace")) if key == name]


@console_office.route("/v1/console/requests/{tracking_number}/documents/{document_id}", methods=["GET"])
@console_page(console_office)
def console_open_document(page: ConsolePage, tracking_number: str, document_id: str) -> Response:
    """Opens a clean document as the office API does: audited, then to a short-lived link."""
    from chalicelib.services.office_documents import open_document

    try:
        link = open_document(page.staff, tracking_number, document_id, datetime.now(UTC))
    except REFUSED as error:
        return _refused_page(page, error)
    return Response(body="", status_code=303, headers={"Location": link, "Cache-Control": "no-store"})


def _version_of(page: ConsolePage) -> int:
    version = page.form.get("version", "")
    return int(version) if version.isascii() and version.isdigit() else 0


def _acted(
    page: ConsolePage, tracking_number: str, act: Any, body: dict[str, Any], done: str, kept: tuple[str, ...] = ()
) -> Response:
    """Runs an office service on the request and answers its view: the notice `done`; a 409 the
    request as it now stands with the form's `kept` fields; a refusal of the input, explained."""
    from chalicelib.services.office_view import BlindView, view_request

    form_kept = {name: page.form[name] for name in kept if name in page.form}
    try:
        view = act(page.staff, tracking_number, body, datetime.now(UTC))
    except Conflict as conflict:
        if isinstance(conflict.current, BlindView):
            return _request_page(page, conflict.current, status_code=409, problem=conflict.message_ar, kept=form_kept)
        return _refused_page(page, conflict)
    except InvalidInput as invalid:
        current = view_request(page.staff, tracking_number, datetime.now(UTC))
        problem = " ".join(invalid.fields.values()) or invalid.message_ar
        return _request_page(page, current, status_code=400, problem=problem, kept=form_kept)
    except REFUSED as error:
        return _refused_page(page, error)
    if not isinstance(view, BlindView):  # the service answered something else: the request as it now is
        view = view_request(page.staff, tracking_number, datetime.now(UTC))
    return _request_page(page, view, notice=done)


@console_office.route("/v1/console/requests/{tracking_number}/assignment", methods=["POST"], content_types=FORM_TYPES)
@console_page(console_office)
def console_assign(page: ConsolePage, tracking_number: str) -> Response:
    """Take (an officer, for themself: the form names their own email) or assign (a manager)."""
    from chalicelib.services.office_assignment import assign_request

    officer = page.form.get("officer") or page.session.email
    body = {"officer": officer, "version": _version_of(page)}
    return _acted(page, tracking_number, assign_request, body, "أُسند الطلب.")


@console_office.route("/v1/console/requests/{tracking_number}/identity", methods=["POST"], content_types=FORM_TYPES)
@console_page(console_office)
def console_reveal(page: ConsolePage, tracking_number: str) -> Response:
    """Who asked, for a manager: a stated reason and a sign-in within 5 minutes; recorded on the
    timeline before it is shown."""
    from chalicelib.services.office_identity import reveal_identity
    from chalicelib.services.office_view import view_request

    if (again := page.require_fresh()) is not None:
        return again
    try:
        identity = reveal_identity(page.staff, tracking_number, {"reason": page.form.get("reason", "")},
                                   datetime.now(UTC))  # fmt: skip
        view = view_request(page.staff, tracking_number, datetime.now(UTC))
    except InvalidInput as invalid:
        current = view_request(page.staff, tracking_number, datetime.now(UTC))
        problem = " ".join(invalid.fields.values()) or invalid.message_ar
        kept = {"reason": page.form.get("reason", "")}
        return _request_page(page, current, status_code=400, problem=problem, kept=kept)
    except REFUSED as error:
        return _refused_page(page, error)
    return _request_page(page, view, notice="كُشفت هوية مقدم الطلب وسُجّل ذلك في السجل.",
                         identity=applicant_answer(identity))  # fmt: skip


@console_office.route("/v1/console/requests/{tracking_number}/applicant", methods=["POST"], content_types=FORM_TYPES)
@console_page(console_office)
def console_correct(page: ConsolePage, tracking_number: str) -> Response:
    """A wrong phone or name corrected by a manager within the hour of their reveal, with a reason."""
    from chalicelib.services.office_identity import correct_applicant

    body = {"phone": page.form.get("phone", ""), "full_name": page.form.get("full_name", ""),
            "reason": page.form.get("correction_reason", ""), "version": _version_of(page)}  # fmt: skip
    return _acted(page, tracking_number, correct_applicant, body, "صُحّحت بيانات مقدم الطلب وأُبلغ بها.",
                  ("phone", "full_name", "correction_reason"))  # fmt: skip


def _may_correct(page: ConsolePage, view: dict[str, Any], now: datetime) -> bool:
    """Whether the page offers the correction form: the service's own rule, on the view's history."""
    from chalicelib.domain.staff import Reveal, revealed_lately

    reveals = [
        Reveal(
            entry["actor"], entry["office"], datetime.strptime(entry["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        )
        for entry in view["history"]
        if entry["event"] == "identity_revealed"
    ]
    return not view["identity_erased"] and revealed_lately(page.staff, reveals, view["district_code"], now)


@console_office.route("/v1/console/requests/{tracking_number}/erasure", methods=["POST"], content_types=FORM_TYPES)
@console_page(console_office)
def console_erase(page: ConsolePage, tracking_number: str) -> Response:
    """Erases who asked on the data subject's request: a manager, a sign-in within 5 minutes."""
    from chalicelib.services.office_identity import erase_identity

    if (again := page.require_fresh()) is not None:
        return again
    body = {"reason": page.form.get("erasure_reason", "")}
    return _acted(page, tracking_number, erase_identity, body, "مُحيت هوية مقدم الطلب.", ("erasure_reason",))


@console_office.route("/v1/console/requests/{tracking_number}/transfer", methods=["POST"], content_types=FORM_TYPES)
@console_page(console_office)
def console_transfer(page: ConsolePage, tracking_number: str) -> Response:
    """Headquarters sends a misrouted request to the district that should handle it, with a reason."""
    from chalicelib.services.office_moves import transfer_request

    body = {"to_district": page.form.get("to_district", ""), "reason": page.form.get("transfer_reason", ""),
            "version": _version_of(page)}  # fmt: skip
    return _acted(page, tracking_number, transfer_request, body, "حُوّل الطلب.", ("to_district", "transfer_reason"))


@console_office.route("/v1/console/search", methods=["GET"])
@console_page(console_office)
def console_search(page: ConsolePage) -> Response:
    """A tracking number (Arabic-Indic digits and spaces allowed) to its request view: across every
    district for headquarters, the member's own district otherwise (the view decides)."""
    from chalicelib.api.http.console_session import see_other
    from chalicelib.domain.digits import digits_only

    number = digits_only((page.request.query_params or {}).get("tracking_number", ""))
    if not (number.isascii() and number.isdigit()):
        return page.html(pages.render("problem.html.j2", session=page.session, csrf=page.csrf,
                                      title="البحث", message="اكتب رقم المتابعة."), 400)  # fmt: skip
    return see_other(f"/v1/console/requests/{number}")


def _rows(entries: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """Queue entries as a page's rows: the service's Arabic name, the deadline, the documents."""
    from chalicelib.services.catalogue import current_catalogue

    catalogue, today = current_catalogue(), cairo_today(now)
    holidays = catalogue.holidays()
    rows = []
    for entry in entries:
        status = Status(entry["status"])
        service = catalogue.service(entry["service_code"], on=today)
        due = office_views.due_state(
            status, date.fromisoformat(entry["sla_due_date"]), today, holidays, status in FINAL_STATUSES
        )
        documents = office_views.documents_state(service.documents if service else (), entry)
        rows.append({**entry, "grouped": office_views.grouped(entry["tracking_number"]), "due": due,
                     "service_name_ar": service.name_ar if service else entry["service_code"],
                     "department_ar": office_views.department_name(entry["department"]),
                     "status_ar": STATUS_NAMES_AR[status], "documents": documents})  # fmt: skip
    return rows


@console_office.route("/v1/console/my-work", methods=["GET"])
@console_page(console_office)
def console_my_work(page: ConsolePage) -> Response:
    """The open requests the officer (or manager) holds, most urgent first."""
    from chalicelib.services.office_queue import my_work

    now = datetime.now(UTC)
    try:
        entries = [queue_entry_answer(entry) for entry in my_work(page.staff, now)]
    except REFUSED as error:
        return _refused_page(page, error)
    body = pages.render("office/my_work.html.j2", session=page.session, csrf=page.csrf, rows=_rows(entries, now))
    return page.html(body)


@console_office.route("/v1/console/workload", methods=["GET"])
@console_page(console_office)
def console_workload(page: ConsolePage) -> Response:
    """The district's open and overdue requests per officer who holds them (manager, hq)."""
    from chalicelib.services.office_queue import workload

    district = (page.request.query_params or {}).get("district")
    try:
        load = workload_answer(workload(page.staff, district, datetime.now(UTC)))
    except REFUSED as error:
        return _refused_page(page, error)
    from chalicelib.services.catalogue import current_catalogue

    offices = office_views.office_names(current_catalogue().districts())
    body = pages.render("office/workload.html.j2", session=page.session, csrf=page.csrf, load=load,
                        district_name=offices.get(load["district_code"], load["district_code"]))  # fmt: skip
    return page.html(body)


@console_office.route("/v1/console/figures", methods=["GET"])
@console_page(console_office)
def console_figures(page: ConsolePage) -> Response:
    """The performance screen inside the console: a manager's district, or every district side by
    side for headquarters (`district` chooses whose departments, services and overdue requests show).
    The figures services the office API serves (services/figures.py); the words of console/figures_views.py."""
    from chalicelib.api.http.figures_views import overdue_view, report_view
    from chalicelib.console import figures_views
    from chalicelib.services.figures import figures_report, overdue_list

    params = page.request.query_params or {}
    now = datetime.now(UTC)
    today = cairo_today(now)
    first = today.replace(day=1)
    last_month_end = first.fromordinal(first.toordinal() - 1)
    months = {"from": first.isoformat(), "to": today.isoformat()}
    before = {"from": last_month_end.replace(day=1).isoformat(), "to": last_month_end.isoformat()}
    one = {"district": page.staff.district_code} if page.staff.role is not Role.HQ and page.staff.district_code else {}
    try:
        # The office API's answers, shaped as it shapes them, are what the page's template reads.
        this_month = report_view(figures_report(page.staff, {**months, **one}, now))
        last_month = report_view(figures_report(page.staff, {**before, **one}, now))
        codes = [district["code"] for district in this_month["districts"]]
        chosen = params.get("district") if params.get("district") in codes else codes[0]
        cursor = {"cursor": params["cursor"]} if params.get("cursor") else {}
        overdue = overdue_view(overdue_list(page.staff, {"district": chosen, "page_size": "20", **cursor}, now))
    except REFUSED as error:
        return _refused_page(page, error)
    previous = {district["code"]: district for district in last_month["districts"]}
    districts = [
        {**district, "comparison": figures_views.comparison(
            district["on_time_rate"], previous.get(district["code"], {}).get("on_time_rate")),
         "received_before": previous.get(district["code"], {}).get("received", 0)}
        for district in this_month["districts"]
    ]  # fmt: skip
    overdue_rows = [{**row, "grouped": office_views.grouped(row["tracking_number"]),
                     "due_day": figures_views.day(row["sla_due_date"])} for row in overdue["requests"]]  # fmt: skip
    more = (f"/v1/console/figures?{urlencode({'district': chosen, 'cursor': overdue['next_cursor']})}"
            if overdue["next_cursor"] else None)  # fmt: skip
    body = pages.render(
        "office/figures.html.j2", session=page.session, csrf=page.csrf, districts=districts,
        chosen=next(district for district in districts if district["code"] == chosen), overdue=overdue_rows,
        more=more, every_district=page.staff.role is Role.HQ, period=f"من {figures_views.day(months['from'])} "
        f"إلى {figures_views.day(months['to'])}", rate=figures_views.rate, number=figures_views.number,
    )  # fmt: skip
    return page.html(body)
