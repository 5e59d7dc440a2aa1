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

# A fixed vector: the text DOMAIN.md describes, written out, and its SHA-256.
VECTOR_TEXT = "652345678912345678901201" + "1000.00" + "1000.00" + "PAID" + "PAYATFAWRY" + "FWR-778899" + KEY
VECTOR_SIGNATURE = "b3933196c5be437923a632c97c24bb43b0906a285bcb2b90c217cde53529ceaf"
# The same without a paymentRefrenceNumber, for an EXPIRED notice.
VECTOR_EXPIRED_SIGNATURE = "707134b80141c20a0553f148a87e8ececa00dab610132fecf2c0f192871d0089"


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
        "merchantRefNumber": "12345678901201",
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
    expected_text = "652345678912345678901201" + "1000.00" + "1000.00" + "EXPIRED" + "PAYATFAWRY" + "" + KEY

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
        reference="12345678901201",
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

    assert read_fawry_notice(notice, KEY).reference == "12345678901201"


@pytest.mark.parametrize(
    ("field", "tampered"),
    [
        ("fawryRefNumber", "6523456780"),
        ("merchantRefNumber", "12345678901202"),
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
        ("DELIVERED", NoticeKind.FAILED),  # a status this service does not know moves no money
    ],
)
def test_each_order_status_maps_to_a_kind(status: str, kind: NoticeKind) -> None:
    notice = read_fawry_notice(signed(orderStatus=status), KEY)

    assert notice.kind is kind
    assert notice.key == f"fawry#6523456789#{kind.value}"


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
