"""The parts of one route's entry in the OpenAPI description, and the answers routes share.

An area's entries (openapi/<area>.py) are keyed by the route's method and path:

    ENTRIES = {
        ("GET", "/v1/districts"): Entry("The districts", tag="citizen", answers={200: json_answer(...)}),
    }

document.py reads them back for each route of Chalice's table. Path parameters of the route must be
described (a route without them described is reported by the document's test), query parameters and
headers as the handler reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
HTML = "text/html"
XML = "text/xml"

# Security schemes (components.securitySchemes in document.py).
STAFF_BEARER = "staffBearer"
OPEN311_API_KEY = "open311ApiKey"


def ref(schema_name: str) -> dict[str, str]:
    """A reference to one of the shared schemas (schemas.py)."""
    return {"$ref": f"#/components/schemas/{schema_name}"}


@dataclass(frozen=True)
class Parameter:
    """A path, query or header parameter a route reads."""

    name: str
    where: str  # "path", "query" or "header"
    description: str
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})
    required: bool = False
    example: Any = None

    def as_openapi(self) -> dict[str, Any]:
        parameter: dict[str, Any] = {
            "name": self.name,
            "in": self.where,
            "description": self.description,
            "required": self.required or self.where == "path",
            "schema": dict(self.schema),
        }
        if self.example is not None:
            parameter["example"] = self.example
        return parameter


@dataclass(frozen=True)
class Body:
    """The body a route takes, by media type."""

    description: str
    content: Mapping[str, Mapping[str, Any]]

    def as_openapi(self) -> dict[str, Any]:
        return {"description": self.description, "required": True, "content": _copy(self.content)}


@dataclass(frozen=True)
class Answer:
    """One status's answer; `a | b` offers both media types (JSON for an API client, a page for a form)."""

    description: str
    content: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    headers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # Every `error.code` this status may carry, as the `x-error-codes` extension: a client
    # can tell each refusal apart, and the tests refuse an answer whose code is not listed.
    codes: tuple[str, ...] = ()

    def __or__(self, other: Answer) -> Answer:
        codes = self.codes + tuple(code for code in other.codes if code not in self.codes)
        return replace(
            self,
            content={**self.content, **other.content},
            headers={**self.headers, **other.headers},
            codes=codes,
        )

    def as_openapi(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"description": self.description}
        if self.content:
            answer["content"] = _copy(self.content)
        if self.headers:
            answer["headers"] = _copy(self.headers)
        if self.codes:
            answer["x-error-codes"] = list(self.codes)
        return answer


@dataclass(frozen=True)
class Entry:
    """Everything the OpenAPI document says about one route."""

    summary: str
    tag: str
    answers: Mapping[int, Answer]
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    body: Body | None = None
    # Security scheme names a caller may use (any one of them); the staff token is added to
    # every route behind the staff authorizer without being named here.
    security: tuple[str, ...] = ()


def json_body(description: str, schema: Mapping[str, Any], example: Any, form: Mapping[str, Any] | None = None) -> Body:
    """A JSON body; `form` also accepts the portal's form post (answered with a page)."""
    content: dict[str, Mapping[str, Any]] = {JSON: {"schema": schema, "example": example}}
    if form is not None:
        content[FORM] = {"schema": form}
    return Body(description, content)


def form_body(description: str, schema: Mapping[str, Any], example: Any = None) -> Body:
    media: dict[str, Any] = {"schema": schema}
    if example is not None:
        media["example"] = example
    return Body(description, {FORM: media})


def json_answer(description: str, schema: Mapping[str, Any], example: Any = None) -> Answer:
    media: dict[str, Any] = {"schema": schema}
    if example is not None:
        media["example"] = example
    return Answer(description, {JSON: media})


def error_answer(description: str, *codes: str) -> Answer:
    """The one error shape of docs/interfaces.md#error-shape, carrying one of `codes` (the first
    is the example)."""
    example = None
    if codes:
        example = {"error": {"code": codes[0], **_ERROR_EXAMPLES.get(codes[0], _ERROR_EXAMPLES["*"])}}
    return replace(json_answer(description, ref("Error"), example), codes=codes)


def html_answer(description: str) -> Answer:
    return Answer(description, {HTML: {"schema": {"type": "string"}}})


def redirect_answer(description: str) -> Answer:
    return Answer(description, headers={"Location": {"description": "Where to go", "schema": {"type": "string"}}})


_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "string"}}}


def with_busy(answers: Mapping[int, Answer], pages: bool = False) -> dict[int, Answer]:
    """`answers` plus what a route that reads or writes the store answers when the store stays busy
    (chalicelib/api/http/errors.py): 409 `busy` when other writes of the same request kept winning,
    503 `temporarily_unavailable` when it stayed throttled; nothing written, `Retry-After` set.
    `pages`: a form post gets the same as a page."""
    busy = {
        409: error_answer("The same request kept changing under this write: try again", "busy"),
        503: error_answer("The store stayed busy: try again shortly", "temporarily_unavailable"),
    }
    merged = dict(answers)
    for status, answer in busy.items():
        answer = replace(answer, headers=_RETRY_AFTER)
        if pages:
            answer = answer | html_answer("The same, as a page")
        merged[status] = merged[status] | answer if status in merged else answer
    return merged


def _copy(value: Any) -> Any:
    """A deep copy of plain JSON-like data, so that no two documents share a dict."""
    if isinstance(value, Mapping):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy(item) for item in value]
    return value


_ERROR_EXAMPLES: dict[str, dict[str, Any]] = {
    "invalid_fields": {
        "message_ar": "بعض البيانات غير صحيحة، راجع الحقول المشار إليها.",
        "message_en": "Some fields are invalid; see the fields listed.",
        "fields": {"applicant.national_id": "الرقم القومي يجب أن يتكون من 14 رقمًا."},
    },
    "not_found": {
        "message_ar": "لم نجد طلبًا بهذه البيانات. تأكد من رقم المتابعة وآخر أربعة أرقام من الرقم القومي.",
        "message_en": "No request matches these details. "
        "Check the tracking number and the national ID's last four digits.",
        "fields": {},
    },
    "forbidden": {
        "message_ar": "ليست لديك صلاحية لهذا الإجراء.",
        "message_en": "Your role is not allowed to do this.",
        "fields": {},
    },
    "*": {
        "message_ar": "تعذر قبول الطلب كما أُرسل، ولم يُحفظ شيء.",
        "message_en": "The request could not be accepted as sent; nothing was saved.",
        "fields": {},
    },
}
