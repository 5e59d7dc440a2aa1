"""The office console (issue 21, docs/interfaces.md#office-console): `GET /v1/console/` is its
home when signed in, its sign-in page when not; the sign-in's steps, signing out, and the
console's stylesheet and script. Pages built on it use `console_page` (api/http/console_session.py).

Sign-in against the staff pool (adapters/staff_pool.py): email and password, then Cognito's
challenges in turn: a new password on the first sign-in, then the authenticator app's enrolment
(QR code and secret, and a code to confirm), else the app's current code. Each step's state is
kept server-side under the cookie's id (services/console_sessions.py).

Each view imports services/console_sessions.py when it first runs, as api/routes/citizen.py's
do: the store it loads is paid for by the console's requests, not by every function's cold start.
"""

from __future__ import annotations

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib.adapters import staff_pool
from chalicelib.api.http.console_session import (
    CSRF_FIELD,
    FORM_TYPES,
    ConsolePage,
    console_page,
    cookie_id,
    csrf_is_right,
    csrf_token,
    form_fields,
    page_answer,
    page_to_come_back_to,
    see_other,
    session_cookie,
)
from chalicelib.console import render as pages
from chalicelib.domain.console_sessions import IDLE_WARNING_S, Session, SignIn
from chalicelib.domain.digits import digits_only

console = Blueprint(__name__)
HOME = "/v1/console/"
PASSWORD_STEP = "PASSWORD"  # noqa: S105 - a step's name, no secret: a sign-in that has not reached Cognito yet (it may keep a form)

REFUSALS_AR = {
    "wrong_credentials": "البريد الإلكتروني أو كلمة المرور غير صحيحين.",
    "locked_out": "أُوقف تسجيل الدخول مؤقتاً بعد محاولات خاطئة كثيرة. انتظر بضع دقائق ثم حاول مرة أخرى، "
    "أو اطلب من مدير الحي إعادة تعيين كلمة المرور.",
    "wrong_code": "الرمز غير صحيح أو انتهت مدته. اكتب الأرقام الستة الظاهرة الآن في تطبيق المصادقة.",
    "weak_password": "كلمة المرور الجديدة لا تفي بالشروط: 12 حرفاً على الأقل، فيها حرف إنجليزي كبير وحرف صغير "
    "ورقم ورمز.",
    "expired_challenge": "انتهت مهلة تسجيل الدخول. ابدأ من جديد بالبريد الإلكتروني وكلمة المرور.",
    "expired_reset_code": "رمز إعادة التعيين غير صحيح أو انتهت مدته. اطلب رمزاً جديداً.",
    "too_many": "محاولات كثيرة في وقت قصير. انتظر قليلاً ثم حاول مرة أخرى.",
    "reset_required": "يجب تعيين كلمة مرور جديدة لهذا الحساب. اختر «نسيت كلمة المرور».",
    "unavailable": "خدمة تسجيل الدخول لا تعمل الآن. حاول مرة أخرى بعد قليل.",
    "mismatch": "كلمتا المرور غير متطابقتين.",
    "missing": "اكتب البريد الإلكتروني وكلمة المرور.",
}


def forbidden_page() -> Response:
    return page_answer(
        pages.render("problem.html.j2", title="انتهت صلاحية النموذج",
                     message="لم يُحفظ شيء: انتهت صلاحية هذا النموذج أو لم يُرسل من الوحدة نفسها. "
                     "افتح الصفحة من جديد ثم أعد المحاولة."),
        403,
    )  # fmt: skip


def _signed_out_cookie(request: Request) -> tuple[str, str | None]:
    """The cookie's id for a signed-out visitor, and the Set-Cookie that gives a new one if needed."""
    from chalicelib.services import console_sessions

    current = cookie_id(request)
    if current:
        return current, None
    fresh = console_sessions.new_cookie_id()
    return fresh, session_cookie(fresh)


def _sign_in_form(
    current: str, cookie: str | None, *, email: str = "", problem: str | None = None, notice: str | None = None,
    status: int = 200, again: bool = False,
) -> Response:  # fmt: skip
    body = pages.render(
        "sign_in.html.j2", csrf=csrf_token(current), email=email, again=again, notice=notice,
        problems={"password": REFUSALS_AR[problem]} if problem else {},
    )  # fmt: skip
    return page_answer(body, status, cookie)


def sign_in_page_for(request: Request, kept_form: dict[str, str] | None) -> Response:
    """Signed out (or the session ended): the sign-in page; a form posted then is kept, with the
    page it came from, and given back after signing in."""
    from chalicelib.services import console_sessions

    current, cookie = _signed_out_cookie(request)
    next_path = page_to_come_back_to(request)
    if kept_form or next_path:
        console_sessions.keep_sign_in(current, "", staff_pool.Challenge(PASSWORD_STEP, ""), next_path, kept_form)
    notice = "انتهت جلستك. سجّل الدخول مرة أخرى، وسيعود إليك ما كتبته." if kept_form else None
    return _sign_in_form(current, cookie, notice=notice, status=401 if kept_form else 200, again=bool(kept_form))


def sign_in_again(request: Request, session: Session, form: dict[str, str]) -> Response:
    """For the pages that ask a fresh sign-in (reveal, erase): the session ends here, and the
    sign-in page comes back to this page with what was posted."""
    from chalicelib.services import console_sessions

    console_sessions.end_session(session.cookie_id)
    fresh = console_sessions.new_cookie_id()
    kept = {name: value for name, value in form.items() if name != CSRF_FIELD} or None
    console_sessions.keep_sign_in(
        fresh, session.email, staff_pool.Challenge(PASSWORD_STEP, ""), page_to_come_back_to(request), kept
    )
    return _sign_in_form(
        fresh, session_cookie(fresh), email=session.email, again=True, status=401,
        notice="لهذا الإجراء، سجّل الدخول مرة أخرى (آخر تسجيل دخول مضى عليه أكثر من 5 دقائق).",
    )  # fmt: skip


def _signed_in(tokens: staff_pool.Tokens, sign_in: SignIn | None, email: str) -> Response:
    from chalicelib.services import console_sessions

    session = console_sessions.open_session(tokens, sign_in, email)
    return see_other(session.next_path or HOME, session_cookie(session.cookie_id))


def _next_step(
    answer: staff_pool.Tokens | staff_pool.Challenge, current: str, email: str, sign_in: SignIn | None
) -> Response:
    """Where Cognito's answer leads: signed in, or the page of its next challenge."""
    from chalicelib.services import console_sessions

    if isinstance(answer, staff_pool.Tokens):
        return _signed_in(answer, sign_in, email)
    next_path, kept = (sign_in.next_path, sign_in.kept_form) if sign_in else (None, None)
    if answer.name == staff_pool.MFA_SETUP:
        enrolment = staff_pool.start_enrolment(answer.session)
        console_sessions.keep_sign_in(
            current, email, staff_pool.Challenge(staff_pool.MFA_SETUP, enrolment.session), next_path, kept
        )
        return page_answer(pages.render(
            "enrol.html.j2", csrf=csrf_token(current), email=email,
            qr=pages.totp_qr_data_uri(enrolment.secret, email), secret=pages.grouped_secret(enrolment.secret),
        ))  # fmt: skip
    console_sessions.keep_sign_in(current, email, answer, next_path, kept)
    template = "new_password.html.j2" if answer.name == staff_pool.NEW_PASSWORD_REQUIRED else "code.html.j2"
    return page_answer(pages.render(template, csrf=csrf_token(current), email=email))


def _posted(request: Request) -> tuple[str, dict[str, str]] | Response:
    current, form = cookie_id(request), form_fields(request)
    if not current or not csrf_is_right(current, form.get(CSRF_FIELD)):
        return forbidden_page()
    return current, form


def _code(form: dict[str, str]) -> str:
    return digits_only(form.get("code", ""))


@console.route("/v1/console", methods=["GET"])  # and /v1/console/: API Gateway drops a trailing slash
def console_home() -> Response:
    from chalicelib.services import console_sessions

    request = console.current_request
    session = console_sessions.current_session(cookie_id(request))
    if session is None:
        return sign_in_page_for(request, None)
    if session.next_path and session.next_path != HOME:
        return see_other(session.next_path)
    page = ConsolePage(request=request, session=session, form={})
    return page.html(pages.render("home.html.j2", session=session, csrf=page.csrf, warn_s=IDLE_WARNING_S))


@console.route("/v1/console/sign-in", methods=["POST"], content_types=FORM_TYPES)
def console_sign_in() -> Response:
    from chalicelib.services import console_sessions

    posted = _posted(console.current_request)
    if isinstance(posted, Response):
        return posted
    current, form = posted
    email, password = form.get("email", "").strip().lower(), form.get("password", "")
    if not email or not password:
        return _sign_in_form(current, None, email=email, problem="missing", status=400)
    sign_in_state = console_sessions.sign_in_in_progress(current)
    try:
        return _next_step(staff_pool.sign_in(email, password), current, email, sign_in_state)
    except staff_pool.PoolRefusal as refusal:
        status = 429 if refusal.reason in ("locked_out", "too_many") else 401
        return _sign_in_form(current, None, email=email, problem=refusal.reason, status=status)


def _challenge_step(expected: str, template: str, answer_it) -> Response:  # type: ignore[no-untyped-def]
    from chalicelib.services import console_sessions

    posted = _posted(console.current_request)
    if isinstance(posted, Response):
        return posted
    current, form = posted
    state = console_sessions.sign_in_in_progress(current)
    if state is None or state.challenge != expected:
        return _sign_in_form(current, None, problem="expired_challenge", status=400)
    try:
        return _next_step(answer_it(state, form), current, state.email, state)
    except staff_pool.PoolRefusal as refusal:
        if refusal.reason == "expired_challenge":
            return _sign_in_form(current, None, email=state.email, problem=refusal.reason, status=400)
        context = {"csrf": csrf_token(current), "email": state.email, "problems": {"code": REFUSALS_AR[refusal.reason]}}
        if expected == staff_pool.MFA_SETUP:
            return _sign_in_form(current, None, email=state.email, problem=refusal.reason, status=400)
        if expected == staff_pool.NEW_PASSWORD_REQUIRED:
            context["problems"] = {"new_password": REFUSALS_AR[refusal.reason]}
        return page_answer(pages.render(template, **context), 400)


@console.route("/v1/console/sign-in/new-password", methods=["POST"], content_types=FORM_TYPES)
def console_new_password() -> Response:
    def answer(state: SignIn, form: dict[str, str]) -> staff_pool.Tokens | staff_pool.Challenge:
        if form.get("new_password", "") != form.get("confirm_password", ""):
            raise staff_pool.PoolRefusal("mismatch")
        return staff_pool.set_new_password(state.challenge_session, state.email, form.get("new_password", ""))

    return _challenge_step(staff_pool.NEW_PASSWORD_REQUIRED, "new_password.html.j2", answer)


@console.route("/v1/console/sign-in/enrol", methods=["POST"], content_types=FORM_TYPES)
def console_enrol() -> Response:
    def answer(state: SignIn, form: dict[str, str]) -> staff_pool.Tokens | staff_pool.Challenge:
        return staff_pool.finish_enrolment(state.challenge_session, state.email, _code(form))

    return _challenge_step(staff_pool.MFA_SETUP, "enrol.html.j2", answer)


@console.route("/v1/console/sign-in/code", methods=["POST"], content_types=FORM_TYPES)
def console_code() -> Response:
    def answer(state: SignIn, form: dict[str, str]) -> staff_pool.Tokens | staff_pool.Challenge:
        return staff_pool.answer_code(state.challenge_session, state.email, _code(form))

    return _challenge_step(staff_pool.SOFTWARE_TOKEN_MFA, "code.html.j2", answer)


@console.route("/v1/console/sign-out", methods=["POST"], content_types=FORM_TYPES)
@console_page(console)
def console_sign_out(page: ConsolePage) -> Response:
    from chalicelib.services import console_sessions

    console_sessions.end_session(page.session.cookie_id)
    return see_other(HOME, session_cookie("", ends=True))


@console.route("/v1/console/password", methods=["GET"])
def console_forgotten_password_form() -> Response:
    current, cookie = _signed_out_cookie(console.current_request)
    return page_answer(pages.render("password.html.j2", csrf=csrf_token(current), step="ask", email=""), 200, cookie)


@console.route("/v1/console/password", methods=["POST"], content_types=FORM_TYPES)
def console_forgotten_password() -> Response:
    request = console.current_request
    posted = _posted(request)
    if isinstance(posted, Response):
        return posted
    current, form = posted
    email = form.get("email", "").strip().lower()
    context = {"csrf": csrf_token(current), "email": email}
    try:
        if form.get("step") == "reset":
            if form.get("new_password", "") != form.get("confirm_password", ""):
                raise staff_pool.PoolRefusal("mismatch")
            staff_pool.reset_password(email, _code(form), form.get("new_password", ""))
            return _sign_in_form(current, None, email=email, notice="تغيّرت كلمة المرور. سجّل الدخول بها الآن.")
        staff_pool.forgot_password(email)
    except staff_pool.PoolRefusal as refusal:
        step = "reset" if form.get("step") == "reset" else "ask"
        return page_answer(pages.render("password.html.j2", step=step, problems={"code": REFUSALS_AR[refusal.reason]},
                                        **context), 429 if refusal.reason == "too_many" else 400)  # fmt: skip
    # As Cognito (PreventUserExistenceErrors), the same answer whether or not the account exists.
    return page_answer(pages.render("password.html.j2", step="reset", **context))


def _static(body: str, content_type: str) -> Response:
    headers = {"Content-Type": content_type, "Cache-Control": "public, max-age=300"}
    headers["X-Content-Type-Options"] = "nosniff"
    return Response(body=body, status_code=200, headers=headers)


@console.route("/v1/console/console.css", methods=["GET"])
def console_stylesheet() -> Response:
    return _static(pages.stylesheet(), "text/css; charset=utf-8")


@console.route("/v1/console/console.js", methods=["GET"])
def console_script() -> Response:
    return _static(pages.script(), "text/javascript; charset=utf-8")
