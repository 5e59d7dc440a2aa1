"""The application form's questions: the applicant's three, then the service's own from the catalogue.

One list drives the form, the check-your-answers page and the names the API reads back, so a field
cannot appear on one and be missing from another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chalicelib.domain.application import APPLICANT_LABELS_AR, DEFAULT_TEXT_LENGTH, required_problem
from chalicelib.domain.catalogue import FormField, Service

# The input each kind of question gets. Digits are typed into text inputs, never type=number, which
# refuses Arabic-Indic digits and spaces in some browsers.
_INPUTMODE = {
    "number": "decimal",
    "national_id": "numeric",
    "phone": "tel",
    "tracking_number": "numeric",
    "last4": "numeric",
}  # a reference number («123 لسنة 2024») keeps the ordinary keyboard: it has a word in it
_DIGITS = frozenset({"national_id", "phone", "number", "date", "tracking_number", "last4"})


@dataclass(frozen=True)
class Question:
    name: str  # the form field's name, dotted as in the API's error fields: "applicant.phone"
    label: str
    kind: str  # a catalogue type (text, textarea, number, date, choice) or format (reference_number), or
    # full_name, national_id, phone, consent, tracking_number, last4: what the script checks (data-check)
    required: bool
    hint: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (value, Arabic label)
    autocomplete: str = "off"
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    default: str = ""  # the answer an empty form starts with

    @property
    def id(self) -> str:
        return "f-" + self.name.replace(".", "-")

    @property
    def inputmode(self) -> str | None:
        return _INPUTMODE.get(self.kind)

    @property
    def digits(self) -> bool:
        """Whether the answer is digits, shown left to right whatever the page's direction."""
        return self.kind in _DIGITS

    @property
    def minimum_text(self) -> str:
        return "" if self.minimum is None else f"{self.minimum:g}"

    @property
    def maximum_text(self) -> str:
        return "" if self.maximum is None else f"{self.maximum:g}"

    @property
    def required_message(self) -> str:
        """What the summary says when this required question is left empty: the server's words."""
        return required_problem(self.label, self.kind).message_ar

    @property
    def detail(self) -> bool:
        """One of the service's own questions, whose other problems are said after its name."""
        return self.name.startswith("details.")

    def shown(self, value: str) -> str:
        """The answer as the check page shows it: a choice by its label."""
        labels = dict(self.options)
        return labels.get(value, value)


APPLICANT_QUESTIONS = (
    Question(
        name="applicant.full_name",
        label=APPLICANT_LABELS_AR["full_name"],
        kind="full_name",
        required=True,
        hint="كما هو مدون في بطاقة الرقم القومي.",
        autocomplete="name",
        max_length=100,
    ),
    Question(
        name="applicant.national_id",
        label=APPLICANT_LABELS_AR["national_id"],
        kind="national_id",
        required=True,
        hint="أربعة عشر رقمًا كما في البطاقة. يمكنك كتابة الأرقام هكذا ١٢٣ أو هكذا 123.",
    ),
    Question(
        name="applicant.phone",
        label=APPLICANT_LABELS_AR["phone"],
        kind="phone",
        required=True,
        hint="مثل 01012345678. نرسل إليه رقم المتابعة وكل ما يلزمك معرفته عن الطلب.",
        autocomplete="tel-national",
    ),
    Question(
        name="notify_by",
        label="كيف نبلغك بما يستجد في طلبك؟",
        kind="choice",
        required=True,
        hint="إن لم تصلك رسالة واتساب خلال نصف ساعة أرسلناها رسالة نصية. "
        "المكالمات الصوتية لا تُجرى ليلًا، وتُؤجل إلى التاسعة صباحًا.",
        options=(
            ("sms", "رسالة نصية"),
            ("whatsapp", "واتساب"),
            ("voice", "مكالمة صوتية مسجلة"),
            ("none", "لا أريد رسائل، سأتابع بنفسي"),
        ),
        default="sms",
    ),
)


def detail_questions(service: Service) -> tuple[Question, ...]:
    return tuple(_question(form_field) for form_field in service.fields)


def _question(form_field: FormField) -> Question:
    return Question(
        name=f"details.{form_field.name}",
        label=form_field.label_ar,
        kind=form_field.format or form_field.type,
        required=form_field.required,
        hint=_hint(form_field),
        options=tuple((option.value, option.label_ar) for option in form_field.options),
        max_length=form_field.max_length or DEFAULT_TEXT_LENGTH.get(form_field.type),
        minimum=form_field.minimum,
        maximum=form_field.maximum,
    )


def _hint(form_field: FormField) -> str:
    if form_field.type == "number" and form_field.minimum is not None and form_field.maximum is not None:
        return f"بالأرقام، من {form_field.minimum:g} إلى {form_field.maximum:g}."
    if form_field.type == "date":
        return "مثل 2026-12-31 (سنة-شهر-يوم)."
    if form_field.format == "reference_number":
        return "بالأرقام، مثل 123 لسنة 2024 أو 123/2024."
    return ""


def field_names(service: Service) -> tuple[str, ...]:
    """Every name the application form sends, besides the service, the district and the step."""
    return (*(q.name for q in APPLICANT_QUESTIONS), *(q.name for q in detail_questions(service)), "consent")


def answers(fields: Mapping[str, str], service: Service) -> dict[str, str]:
    """The citizen's answers among what a form sent, ignoring anything the form does not ask."""
    return {name: fields[name] for name in field_names(service) if name in fields}
