"""read_fawry_notice: Fawry's server notification V2, verified exactly as DOMAIN.md gives it.

The signature is computed here by hand from DOMAIN.md's words (hex SHA-256, a plain hash, of
fawryRefNumber + merchantRefNumber + paymentAmount (2 decimals) + orderAmount (2 decimals) +
orderStatus + paymentMethod + (paymentRefrenceNumber or "") + secureKey), never with the
adapter's own signing function, and compared with what the adapter accepts and computes.
Every refusal must be an UnverifiedNotice, never another exception.
"""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.adapters.fawry import fawry_signature, read_fawry_notice
from chalicelib.adapters.notices import UnverifiedNotice
from chalicelib.adapters.secrets import LOCAL_DEFAULTS
from chalicelib.domain.payments import GatewayNotice, NoticeKind

KEY = "local-fawry-secure-key"
SIGNED = (
    "fawryRefNumber",
    "merchantRefNumber",
    "paymentAmount",
    "orderAmount",
    "orderStatus",
    "paymentMethod",
    "paymentRefrenceNumber",
)
REQUIRED = SIGNED[:-1]  # paymentRefrenceNumber may be absent: it is then signed as ""

# An invoice reference as this service issues them: a 13-digit tracking number (Damm check
# digit 3) and the invoice's sequence, 01.
REFERENCE = "123456789012301"
# A fixed vector: the text DOMAIN.md describes, written out, and its SHA-256.
VECTOR_TEXT = "6523456789123456789012301" + "1000.00" + "1000.00" + "PAID" + "PAYATFAWRY" + "FWR-778899" + KEY
VECTOR_SIGNATURE = "96d5ed89d3ce6fb4240676cbb7cd51021386672c280462db3f51efec89e4c0c3"
# The same without a paymentRefrenceNumber, for an EXPIRED notice.
VECTOR_EXPIRED_SIGNATURE = "e137c6cd2e888bd4799257d98bc18cd9fb8e05b3feaae071f3b679cbc31c4ba4"


def by_hand(notice: dict[str, Any], key: str = KEY) -> str:
    text = "".join(
        [
            str(notice["fawryRefNumber"]),
            str(notice["merchantRefNumber"]),
            f"{Decimal(str(notice['paymentAmount'])):.2f}",
            f"{Decimal(str(notice['orderAmount'])):.2f}",
            str(notice["orderStatus"]),
            str(notice["paymentMethod"]),
            str(notice.get("paymentRefrenceNumber") or ""),
            key,
        ]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unsigned_notice(**changes: Any) -> dict[str, Any]:
    notice: dict[str, Any] = {
        "requestId": "c72827d084ea4b88949d91dd2db4996e",
        "fawryRefNumber": "6523456789",
        "merchantRefNumber": REFERENCE,
        "customerMobile": "01234567891",
        "customerMail": "",
        "paymentAmount": 1000.0,
        "orderAmount": 1000.0,
        "fawryFees": 0.0,
        "orderStatus": "PAID",
        "paymentMethod": "PAYATFAWRY",
        "paymentRefrenceNumber": "FWR-778899",
        "paymentTime": 1764230400000,
    }
    notice.update(changes)
    return notice


def signed(key: str = KEY, **changes: Any) -> dict[str, Any]:
    notice = unsigned_notice(**changes)
    notice["messageSignature"] = by_hand(notice, key)
    return notice


def test_the_fixed_vector_is_the_sha256_of_the_text_domain_md_describes() -> None:
    assert hashlib.sha256(VECTOR_TEXT.encode()).hexdigest() == VECTOR_SIGNATURE
    assert by_hand(unsigned_notice()) == VECTOR_SIGNATURE
    assert fawry_signature(unsigned_notice(), KEY) == VECTOR_SIGNATURE


def test_an_absent_payment_reference_number_is_signed_as_nothing() -> None:
    notice = unsigned_notice(orderStatus="EXPIRED")
    del notice["paymentRefrenceNumber"]
    expected_text = "6523456789123456789012301" + "1000.00" + "1000.00" + "EXPIRED" + "PAYATFAWRY" + "" + KEY

    assert hashlib.sha256(expected_text.encode()).hexdigest() == VECTOR_EXPIRED_SIGNATURE
    assert fawry_signature(notice, KEY) == VECTOR_EXPIRED_SIGNATURE
    assert fawry_signature({**notice, "paymentRefrenceNumber": None}, KEY) == VECTOR_EXPIRED_SIGNATURE
    assert fawry_signature({**notice, "paymentRefrenceNumber": ""}, KEY) == VECTOR_EXPIRED_SIGNATURE


def test_the_local_stage_default_key_is_the_documented_one() -> None:
    assert LOCAL_DEFAULTS["FAWRY_SECURE_KEY"] == KEY


@pytest.mark.parametrize(
    ("payment_amount", "order_amount"),
    [(1000.0, 1000.0), (1000, 1000), ("1000", "1000"), ("1000.00", "1000.00"), ("1000.0", 1000)],
)
def test_amounts_are_signed_with_two_decimals_however_they_are_written(payment_amount: Any, order_amount: Any) -> None:
    notice = unsigned_notice(paymentAmount=payment_amount, orderAmount=order_amount)
    notice["messageSignature"] = VECTOR_SIGNATURE

    assert fawry_signature(notice, KEY) == VECTOR_SIGNATURE
    assert read_fawry_notice(notice, KEY).amount_piasters == 100_000


def test_a_genuine_paid_notice_reads_as_this_services_notice() -> None:
    notice = read_fawry_notice(signed(), KEY)

    assert notice == GatewayNotice(
        gateway="fawry",
        transaction_id="6523456789",
        kind=NoticeKind.PAID,
        amount_piasters=100_000,
        currency="EGP",
        method="PAYATFAWRY",
        reference=REFERENCE,
        card_order_id=None,
    )
    assert notice.key == "fawry#6523456789#paid"


@pytest.mark.parametrize(
    ("amount", "expected_piasters"), [(250.5, 25_050), ("0.10", 10), ("12.34", 1234), (0, 0), (1e3, 100_000)]
)
def test_the_amount_is_read_in_piasters(amount: Any, expected_piasters: int) -> None:
    assert read_fawry_notice(signed(paymentAmount=amount), KEY).amount_piasters == expected_piasters


def test_uppercase_hex_is_the_same_signature() -> None:
    notice = signed()
    notice["messageSignature"] = notice["messageSignature"].upper()

    assert read_fawry_notice(notice, KEY).kind is NoticeKind.PAID


def test_fields_fawry_does_not_sign_change_nothing() -> None:
    notice = signed()
    notice.update(customerName="أحمد", customerMobile="01111111111", fawryFees=5.0, paymentTime=1, extra={"x": 1})

    assert read_fawry_notice(notice, KEY).reference == REFERENCE


@pytest.mark.parametrize(
    ("field", "tampered"),
    [
        ("fawryRefNumber", "6523456780"),
        ("merchantRefNumber", "123456789012302"),
        ("paymentAmount", 1.0),
        ("paymentAmount", 1000.01),
        ("orderAmount", 999.99),
        ("orderStatus", "REFUNDED"),
        ("orderStatus", "paid"),
        ("paymentMethod", "CARD"),
        ("paymentRefrenceNumber", "FWR-778898"),
        ("paymentRefrenceNumber", None),
    ],
)
def test_every_signed_field_tampered_is_refused(field: str, tampered: Any) -> None:
    notice = signed()
    notice[field] = tampered

    with pytest.raises(UnverifiedNotice):
        read_fawry_notice(notice, KEY)


def test_a_signature_made_with_another_key_is_refused() -> None:
    with pytest.raises(UnverifiedNotice):
        read_fawry_notice(signed(key="someone-elses-key"), KEY)


def test_an_hmac_in_place_of_the_plain_hash_is_refused() -> None:
    notice = unsigned_notice()
    text = VECTOR_TEXT[: -len(KEY)]
    notice["messageSignature"] = hmac.new(KEY.encode(), text.encode(), hashlib.sha256).hexdigest()

    with pytest.raises(UnverifiedNotice):
        read_fawry_notice(notice, KEY)


@pytest.mark.parametrize(
    "offered",
    [None, "", 12345, ["b393"], VECTOR_SIGNATURE[:-1], VECTOR_SIGNATURE + "0", f" {VECTOR_SIGNATURE}", "0" * 64,
     "\u00f9z\u0083", "٠" * 64],  # non-ASCII (found by Schemathesis: it was a TypeError, a 500)
)  # fmt: skip
def test_a_missing_or_malformed_signature_is_refused(offered: Any) -> None:
    notice = unsigned_notice()
    if offered is not None:
        notice["messageSignature"] = offered

    with pytest.raises(UnverifiedNotice):
        read_fawry_notice(notice, KEY)


@pytest.mark.parametrize("field", REQUIRED)
def test_a_missing_signed_field_is_refused(field: str) -> None:
    notice = signed()
    del notice[field]

    with pytest.raises(UnverifiedNotice):
        read_fawry_notice(notice, KEY)


@pytest.mark.parametrize("field", ["fawryRefNumber", "merchantRefNumber"])
@pytest.mark.parametrize("empty", ["", "   "])
def test_an_empty_reference_is_refused_even_when_signed(field: str, empty: str) -> None:
    with pytest.raises(UnverifiedNotice):
        read_fawry_notice(signed(**{field: empty}), KEY)


@pytest.mark.parametrize("amount", ["abc", "", None, True, [1000], {"v": 1}])
def test_an_amount_that_is_no_number_is_refused(amount: Any) -> None:
    notice = unsigned_notice(paymentAmount=amount)
    notice["messageSignature"] = VECTOR_SIGNATURE

    with pytest.raises(UnverifiedNotice):
        read_fawry_notice(notice, KEY)


@pytest.mark.parametrize("amount", ["-1000.00", -5, "NaN", "Infinity"])
def test_a_negative_or_infinite_amount_is_refused_even_when_signed(amount: Any) -> None:
    notice = signed(paymentAmount=amount, orderAmount=amount)

    with pytest.raises(UnverifiedNotice):
        read_fawry_notice(notice, KEY)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        ("PAID", NoticeKind.PAID),
        ("paid", NoticeKind.PAID),
        ("NEW", NoticeKind.PENDING),
        ("UNPAID", NoticeKind.PENDING),
        ("CANCELED", NoticeKind.CANCELLED),
        ("CANCELLED", NoticeKind.CANCELLED),
        ("EXPIRED", NoticeKind.EXPIRED),
        ("REFUNDED", NoticeKind.REFUNDED),
        ("PARTIAL_REFUNDED", NoticeKind.REFUNDED),
        ("FAILED", NoticeKind.FAILED),
    ],
)
def test_each_order_status_maps_to_a_kind(status: str, kind: NoticeKind) -> None:
    notice = read_fawry_notice(signed(orderStatus=status), KEY)

    assert notice.kind is kind
    # A refund is told apart from another of the same payment by its signed amount and reference.
    told_apart = "#100000#FWR-778899" if kind is NoticeKind.REFUNDED else ""
    assert notice.key == f"fawry#6523456789#{kind.value}{told_apart}"


@pytest.mark.parametrize("method", ["PAYATFAWRY", "CARD", "MWALLET"])
def test_the_payment_method_is_kept(method: str) -> None:
    assert read_fawry_notice(signed(paymentMethod=method), KEY).method == method


def test_a_currency_field_if_any_is_carried_and_egp_is_the_default() -> None:
    assert read_fawry_notice(signed(), KEY).currency == "EGP"
    assert read_fawry_notice(signed(currency="EGP"), KEY).currency == "EGP"


def test_the_signature_covers_the_amount_to_two_decimals_only() -> None:
    """Fawry signs the amount written with two decimals: digits beyond them are not signed."""
    assert fawry_signature(unsigned_notice(paymentAmount="1000.004"), KEY) == VECTOR_SIGNATURE
    assert fawry_signature(unsigned_notice(paymentAmount="1000.005"), KEY) == VECTOR_SIGNATURE


def test_an_amount_finer_than_the_signed_two_decimals_is_never_read_as_another_amount() -> None:
    notice = unsigned_notice(paymentAmount="1000.005")
    notice["messageSignature"] = VECTOR_SIGNATURE  # genuine: the signed text is "...1000.00..."

    with pytest.raises(UnverifiedNotice):
        read_fawry_notice(notice, KEY)


# Re-split, retyped and padded variants of the genuine notice: Fawry's signature covers the
# values joined without separators, so each variant below keeps the genuine signature (asserted);
# only the exact shape of every signed field tells it from the notice Fawry sent.
GENUINE_BUT_RESHAPED = {
    "a digit of fawryRefNumber moved into merchantRefNumber": {
        "fawryRefNumber": "652345678",
        "merchantRefNumber": "9" + REFERENCE,
    },
    "a digit of merchantRefNumber moved into fawryRefNumber": {
        "fawryRefNumber": "65234567891",
        "merchantRefNumber": REFERENCE[1:],
    },
    "the status's letters moved into the method": {"orderStatus": "PAI", "paymentMethod": "DPAYATFAWRY"},
    "an unknown status": {"orderStatus": "PAIDPAYATFAWRY", "paymentMethod": ""},
    "the Fawry number as a JSON number": {"fawryRefNumber": 6523456789},
    "the Fawry number padded with a space": {"fawryRefNumber": "6523456789 ", "merchantRefNumber": REFERENCE},
    "the reference as a JSON number": {"merchantRefNumber": int(REFERENCE)},
    "an amount padded with a space": {"paymentAmount": "1000.00", "orderAmount": " 1000.00"},
}


@pytest.mark.parametrize("variant", sorted(GENUINE_BUT_RESHAPED))
def test_a_re_split_retyped_or_padded_variant_of_a_genuine_notice_is_refused(variant: str) -> None:
    notice = {**signed(), **GENUINE_BUT_RESHAPED[variant]}
    if variant != "the Fawry number padded with a space":
        assert by_hand(notice) == notice["messageSignature"], variant  # the forger kept a valid signature

    with pytest.raises(UnverifiedNotice):
        read_fawry_notice(notice, KEY)


@pytest.mark.parametrize(
    "reference",
    ["12345678901201", "1234567890123010", "123456789012401", "١٢٣٤٥٦٧٨٩٠١٢٣٠١", "12345678901230 "],
)
def test_a_reference_this_service_never_issues_is_refused_even_when_signed(reference: str) -> None:
    with pytest.raises(UnverifiedNotice):
        read_fawry_notice(signed(merchantRefNumber=reference), KEY)


@pytest.mark.parametrize(
    "offered", ["é" * 64, "٠" * 64, VECTOR_SIGNATURE[:-1] + "é", VECTOR_SIGNATURE + "\n", "g" * 64]
)
def test_a_non_ascii_or_non_hex_signature_is_refused_not_an_error(offered: str) -> None:
    notice = unsigned_notice()
    notice["messageSignature"] = offered

    with pytest.raises(UnverifiedNotice):
        read_fawry_notice(notice, KEY)
