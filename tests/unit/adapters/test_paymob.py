"""read_paymob_notice: Paymob's transaction-processed callback, verified exactly as DOMAIN.md gives it.

The HMAC is computed here by hand from DOMAIN.md's words (HMAC-SHA512 keyed with the HMAC
secret over the concatenation, no separator, of amount_cents, created_at, currency,
error_occured, has_parent_transaction, id, integration_id, is_3d_secure, is_auth, is_capture,
is_refunded, is_standalone_payment, is_voided, order.id, owner, pending, source_data.pan,
source_data.sub_type, source_data.type, success; booleans written true / false), never with
the adapter's own function, and compared with what the adapter accepts and computes.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
from typing import Any

import pytest

from chalicelib.adapters.notices import UnverifiedNotice
from chalicelib.adapters.paymob import PaymobAccount, paymob_hmac, read_paymob_notice
from chalicelib.adapters.secrets import LOCAL_DEFAULTS
from chalicelib.domain.payments import GatewayNotice, NoticeKind

SECRET = "local-paymob-hmac-secret"
# The card integration and merchant account the genuine notice names, configured as ours.
OURS = PaymobAccount(integration_id=4097558, owner=302852)
ORDER = ("amount_cents", "created_at", "currency", "error_occured", "has_parent_transaction", "id",
         "integration_id", "is_3d_secure", "is_auth", "is_capture", "is_refunded", "is_standalone_payment",
         "is_voided", "order.id", "owner", "pending", "source_data.pan", "source_data.sub_type",
         "source_data.type", "success")  # fmt: skip

# A fixed vector: the concatenated text of OBJ below, written out, and its HMAC-SHA512.
VECTOR_TEXT = (
    "100000" "2026-11-27T10:33:44.592345" "EGP" "false" "false" "192036465" "4097558" "true" "false" "false"
    "false" "true" "false" "217503754" "302852" "false" "2346" "MasterCard" "card" "true"
)  # fmt: skip
VECTOR_HMAC = (
    "ee9adf7267f25f2c8354e1ae71e96f2c397cdfb6f63a1b11b24b77cca48b254e"
    "05b01b8e1f7009e317b130ba2d93b983dfeb9b5b1d230d581f190764646402f3"
)


def obj(**changes: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "id": 192036465,
        "pending": False,
        "amount_cents": 100000,
        "success": True,
        "is_auth": False,
        "is_capture": False,
        "is_standalone_payment": True,
        "is_voided": False,
        "is_refunded": False,
        "is_3d_secure": True,
        "integration_id": 4097558,
        "profile_id": 164295,
        "has_parent_transaction": False,
        "order": {
            "id": 217503754,
            "created_at": "2026-11-27T10:31:02.112233",
            "delivery_needed": False,
            "merchant_order_id": "12345678901201-1",
            "amount_cents": 100000,
        },
        "created_at": "2026-11-27T10:33:44.592345",
        "currency": "EGP",
        "source_data": {"pan": "2346", "type": "card", "sub_type": "MasterCard"},
        "error_occured": False,
        "owner": 302852,
        "data": {"message": "Approved"},
    }
    value.update(changes)
    return value


def written(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def value_at(transaction: dict[str, Any], path: str) -> Any:
    outer, _, inner = path.partition(".")
    value = transaction.get(outer)
    if inner:
        return value.get(inner) if isinstance(value, dict) else None
    return value


def by_hand(transaction: dict[str, Any], secret: str = SECRET) -> str:
    text = "".join(written(value_at(transaction, path)) for path in ORDER)
    return hmac.new(secret.encode(), text.encode(), hashlib.sha512).hexdigest()


def callback(transaction: dict[str, Any]) -> dict[str, Any]:
    return {"type": "TRANSACTION", "obj": transaction}


def read(transaction: dict[str, Any], offered: str | None = None) -> GatewayNotice:
    offered = by_hand(transaction) if offered is None else offered
    return read_paymob_notice(callback(transaction), offered, SECRET, OURS)


def set_at(transaction: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(transaction)
    outer, _, inner = path.partition(".")
    if inner:
        changed[outer][inner] = value
    else:
        changed[outer] = value
    return changed


def tampered(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    return f"{value}x"


def test_the_fixed_vector_is_the_hmac_sha512_of_the_text_domain_md_describes() -> None:
    assert hmac.new(SECRET.encode(), VECTOR_TEXT.encode(), hashlib.sha512).hexdigest() == VECTOR_HMAC
    assert by_hand(obj()) == VECTOR_HMAC
    assert paymob_hmac(obj(), SECRET) == VECTOR_HMAC


def test_the_local_stage_default_secret_is_the_documented_one() -> None:
    assert LOCAL_DEFAULTS["PAYMOB_HMAC_SECRET"] == SECRET


def test_booleans_are_written_true_and_false_not_pythons_words() -> None:
    text_with_python_words = VECTOR_TEXT.replace("true", "True").replace("false", "False")
    pythonic = hmac.new(SECRET.encode(), text_with_python_words.encode(), hashlib.sha512).hexdigest()

    assert paymob_hmac(obj(), SECRET) != pythonic
    with pytest.raises(UnverifiedNotice):
        read(obj(), pythonic)


def test_absent_values_are_written_as_nothing() -> None:
    transaction = obj(source_data={"type": "wallet", "pan": None})  # no sub_type, a null pan
    text = VECTOR_TEXT.replace("2346MasterCardcard", "wallet")

    expected = hmac.new(SECRET.encode(), text.encode(), hashlib.sha512).hexdigest()
    assert paymob_hmac(transaction, SECRET) == expected == by_hand(transaction)
    assert read(transaction, expected).method == "wallet"


def test_a_genuine_successful_callback_reads_as_this_services_notice() -> None:
    assert read(obj(), VECTOR_HMAC) == GatewayNotice(
        gateway="paymob",
        transaction_id="192036465",
        kind=NoticeKind.PAID,
        amount_piasters=100000,
        currency="EGP",
        method="card",
        reference="12345678901201",
        card_order_id="217503754",
    )


def test_uppercase_hex_is_the_same_hmac() -> None:
    assert read(obj(), VECTOR_HMAC.upper()).kind is NoticeKind.PAID


@pytest.mark.parametrize("merchant_order_id", ["12345678901201-1", "12345678901201-7", "99999999999901-1", "", None])
def test_the_unsigned_merchant_order_id_changes_nothing_in_the_hmac(merchant_order_id: str | None) -> None:
    transaction = set_at(obj(), "order.merchant_order_id", merchant_order_id)

    assert paymob_hmac(transaction, SECRET) == VECTOR_HMAC
    notice = read(transaction, VECTOR_HMAC)
    assert notice.card_order_id == "217503754"  # what the invoice is matched on: signed
    assert notice.reference == (merchant_order_id or "").split("-")[0]  # only a hint to find it


def test_other_unsigned_fields_change_nothing() -> None:
    transaction = obj(profile_id=1, data={"message": "anything"}, api_source="IFRAME")
    transaction["order"]["amount_cents"] = 1

    assert read(transaction, VECTOR_HMAC).amount_piasters == 100000


@pytest.mark.parametrize("path", ORDER)
def test_every_signed_field_tampered_is_refused(path: str) -> None:
    transaction = set_at(obj(), path, tampered(value_at(obj(), path)))

    with pytest.raises(UnverifiedNotice):
        read(transaction, VECTOR_HMAC)


def test_a_hmac_made_with_another_secret_is_refused() -> None:
    with pytest.raises(UnverifiedNotice):
        read(obj(), by_hand(obj(), "someone-elses-secret"))


def test_a_sha256_hmac_in_place_of_sha512_is_refused() -> None:
    with pytest.raises(UnverifiedNotice):
        read(obj(), hmac.new(SECRET.encode(), VECTOR_TEXT.encode(), hashlib.sha256).hexdigest())


@pytest.mark.parametrize(
    "offered",
    # The non-ASCII ones were a TypeError (a 500) until Schemathesis found it on the Fawry callback.
    [None, "", VECTOR_HMAC[:-1], VECTOR_HMAC + "0", f" {VECTOR_HMAC}", "0" * 128, "\u00e9" * 128, "٠" * 128],
)
def test_a_missing_or_malformed_hmac_is_refused(offered: str | None) -> None:
    with pytest.raises(UnverifiedNotice):
        read_paymob_notice(callback(obj()), offered, SECRET, OURS)


@pytest.mark.parametrize(
    "body",
    [
        {"type": "TOKEN", "obj": obj()},
        {"type": "transaction", "obj": obj()},
        {"obj": obj()},
        {"type": "TRANSACTION"},
        {"type": "TRANSACTION", "obj": None},
        {"type": "TRANSACTION", "obj": [obj()]},
        {"type": "TRANSACTION", "obj": "192036465"},
    ],
)
def test_what_is_no_transaction_callback_is_refused(body: dict[str, Any]) -> None:
    with pytest.raises(UnverifiedNotice):
        read_paymob_notice(body, VECTOR_HMAC, SECRET, OURS)


@pytest.mark.parametrize("order", [None, "217503754", 217503754])
def test_a_callback_without_an_order_is_refused_even_when_signed(order: Any) -> None:
    transaction = obj(order=order)

    with pytest.raises(UnverifiedNotice):
        read(transaction)


@pytest.mark.parametrize("amount", ["100000", 100000.0, True, None, -1, [100000]])
def test_an_amount_cents_that_is_no_whole_number_is_refused_even_when_signed(amount: Any) -> None:
    transaction = obj(amount_cents=amount)

    with pytest.raises(UnverifiedNotice):
        read(transaction)


def test_a_missing_amount_cents_is_refused() -> None:
    transaction = obj()
    del transaction["amount_cents"]

    with pytest.raises(UnverifiedNotice):
        read(transaction)


@pytest.mark.parametrize(
    ("flags", "kind"),
    [
        ({"success": True}, NoticeKind.PAID),
        ({"success": False}, NoticeKind.FAILED),
        ({"success": True, "pending": True}, NoticeKind.PENDING),
        ({"success": False, "pending": True}, NoticeKind.PENDING),
        ({"success": True, "is_refunded": True}, NoticeKind.REFUNDED),
        ({"success": True, "is_voided": True}, NoticeKind.VOIDED),
        ({"success": True, "is_voided": True, "is_refunded": True}, NoticeKind.VOIDED),
    ],
)
def test_the_kind_follows_success_pending_is_voided_and_is_refunded(flags: dict[str, Any], kind: NoticeKind) -> None:
    notice = read(obj(**flags))

    assert notice.kind is kind
    assert notice.key == f"paymob#192036465#{kind.value}"


def test_the_currency_is_carried_as_written() -> None:
    assert read(obj(currency="USD")).currency == "USD"


# Re-split, retyped and padded variants of the genuine notice OBJ. The HMAC covers the values
# joined without separators, so each variant below keeps VECTOR_HMAC valid (asserted): only the
# exact type and shape of every signed field can tell them from the genuine notice.
def moved(**changes: Any) -> dict[str, Any]:
    transaction = copy.deepcopy(obj())
    for path, value in changes.items():
        transaction = set_at(transaction, path.replace("__", "."), value)
    return transaction


GENUINE_BUT_RESHAPED = {
    "a digit of id moved into integration_id": moved(id=19203646, integration_id=54097558),
    "a digit of id moved into has_parent_transaction": moved(has_parent_transaction="false1", id=92036465),
    "a digit of amount_cents moved into created_at": moved(
        amount_cents=10000, created_at="02026-11-27T10:33:44.592345"
    ),
    "a digit of created_at moved into currency": moved(created_at="2026-11-27T10:33:44.59234", currency="5EGP"),
    "a letter of currency moved into error_occured": moved(currency="EG", error_occured="Pfalse"),
    "a digit of order.id moved into owner": moved(order__id=21750375, owner=4302852),
    "a digit of owner moved into pending": moved(owner=30285, pending="2false"),
    "pending written into the card number": moved(pending="", source_data__pan="false2346"),
    "the id as a string": moved(id="192036465"),
    "the order id as a string": moved(order__id="217503754"),
    "the amount as a string": moved(amount_cents="100000"),
    "success as a string": moved(success="true"),
    "is_refunded as a string": moved(is_refunded="false"),
}


@pytest.mark.parametrize("variant", sorted(GENUINE_BUT_RESHAPED))
def test_a_re_split_or_retyped_variant_of_a_genuine_notice_is_refused(variant: str) -> None:
    transaction = GENUINE_BUT_RESHAPED[variant]
    assert by_hand(transaction) == VECTOR_HMAC  # the forger kept a valid HMAC

    with pytest.raises(UnverifiedNotice):
        read(transaction, VECTOR_HMAC)


@pytest.mark.parametrize(
    ("path", "padded"),
    [
        ("id", "0192036465"),
        ("order.id", " 217503754"),
        ("amount_cents", "0100000"),
        ("currency", " EGP"),
        ("currency", "EGPP"),
        ("created_at", "2026-11-27T10:33:44.592345 "),
        ("created_at", "27/11/2026 10:33"),
        ("created_at", "2026-13-45T10:33:44"),
        ("owner", 302852.0),
        ("integration_id", True),
        ("id", -192036465),
        ("success", 1),
        ("source_data.pan", 2346),
    ],
)
def test_a_padded_or_retyped_field_is_refused_even_when_signed(path: str, padded: Any) -> None:
    """Signed with the real secret, so only the field's shape can refuse it."""
    transaction = set_at(obj(), path, padded)

    with pytest.raises(UnverifiedNotice):
        read(transaction)


def test_shapes_are_checked_before_the_hmac_is_computed(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.adapters import paymob

    def never(*args: Any) -> str:
        raise AssertionError("the HMAC was computed for a malformed notice")

    monkeypatch.setattr(paymob, "paymob_hmac", never)
    with pytest.raises(UnverifiedNotice, match="shape"):
        read(GENUINE_BUT_RESHAPED["the id as a string"], VECTOR_HMAC)


@pytest.mark.parametrize(
    "theirs", [PaymobAccount(integration_id=4097559, owner=302852), PaymobAccount(integration_id=4097558, owner=1)]
)
def test_a_notice_for_another_integration_or_merchant_is_refused_even_when_signed(theirs: PaymobAccount) -> None:
    with pytest.raises(UnverifiedNotice):
        read_paymob_notice(callback(obj()), VECTOR_HMAC, SECRET, theirs)


@pytest.mark.parametrize(
    "offered",
    ["é" * 128, "٠" * 128, VECTOR_HMAC[:-1] + "é", VECTOR_HMAC + "\n", "z" * 128, VECTOR_HMAC[:-2] + "\u0660\u0661"],
)
def test_a_non_ascii_or_non_hex_hmac_is_refused_not_an_error(offered: str) -> None:
    with pytest.raises(UnverifiedNotice):
        read(obj(), offered)
