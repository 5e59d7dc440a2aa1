"""The local payment gateways: pay a Shobbak invoice by Fawry reference or by card, for real.

It stands in for Fawry and Paymob on the local stack (`make run`): a page to "pay" a Fawry
reference, Paymob's accept API (auth token, order, payment key, card iframe) for card
checkouts started by Shobbak, and, once the citizen pays, the gateway's own signed
callback posted to Shobbak's API, signed exactly as the real gateway signs it.
"""

from __future__ import annotations

import argparse
import html
import json
import secrets
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from chalicelib.adapters.fawry import fawry_signature
from chalicelib.adapters.paymob import paymob_hmac
from chalicelib.adapters.secrets import LOCAL_DEFAULTS
from chalicelib.domain.digits import digits_only

PAGE = """<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>*,*::before,*::after{{box-sizing:border-box}}
body{{font-family:system-ui,Tahoma,sans-serif;max-inline-size:36rem;margin:0 auto;padding:1rem;line-height:1.6}}
label{{display:block;font-weight:bold;margin-block-start:.75rem}}input,select{{font-size:1rem;padding:.4rem;inline-size:100%}}
button{{font-size:1rem;padding:.5rem 1rem;margin-block-start:1rem;margin-inline-end:.5rem}}
.note{{background:#fff7bf;padding:.5rem}}pre{{direction:ltr;white-space:pre-wrap;background:#f3f2f1;padding:.5rem}}</style>
</head><body><p class="note">محاكي بوابات الدفع — للبيئة المحلية فقط، لا تُحصَّل أي أموال.</p>{body}</body></html>"""


@dataclass
class PaymobState:
    """Orders and payment keys the Paymob side has handed out (in memory, like a sandbox)."""

    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    payment_keys: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_id: int = 900_001


class Simulator(ThreadingHTTPServer):
    def __init__(self, address: tuple[str, int], api_url: str, portal_url: str) -> None:
        super().__init__(address, Handler)
        self.api_url = api_url.rstrip("/")
        self.portal_url = portal_url.rstrip("/")
        self.paymob = PaymobState()


class Handler(BaseHTTPRequestHandler):
    server: Simulator

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/":
            self._page("محاكي الدفع", FAWRY_FORM)
        elif url.path.startswith("/paymob/api/acceptance/iframes/"):
            token = urllib.parse.parse_qs(url.query).get("payment_token", [""])[0]
            order = self._order_of(token)
            if order is None:
                self._page("رابط دفع غير صالح", "<h1>رابط الدفع غير صالح أو منتهي</h1>", HTTPStatus.NOT_FOUND)
                return
            amount = order["amount_cents"] / 100
            self._page("الدفع بالبطاقة", CARD_FORM.format(amount=f"{amount:.2f}", token=html.escape(token)))
        else:
            self._page("غير موجود", "<h1>الصفحة غير موجودة</h1>", HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if path == "/fawry/pay":
            self._fawry_pay(dict(urllib.parse.parse_qsl(raw.decode("utf-8"))))
        elif path == "/paymob/pay":
            self._paymob_pay(dict(urllib.parse.parse_qsl(raw.decode("utf-8"))))
        elif path.startswith("/paymob/api/"):
            self._paymob_api(path.removeprefix("/paymob"), json.loads(raw or b"{}"))
        else:
            self._json({"detail": "not found"}, HTTPStatus.NOT_FOUND)

    # Fawry: the citizen pays a reference at a kiosk; Fawry notifies the merchant.

    def _fawry_pay(self, form: dict[str, str]) -> None:
        amount = f"{float(form.get('amount') or 0):.2f}"
        notice = {
            "requestId": secrets.token_hex(8),
            "fawryRefNumber": str(secrets.randbelow(9 * 10**9) + 10**9),
            # A kiosk reads the reference as digits, however the citizen groups or writes them.
            "merchantRefNumber": digits_only(form.get("reference", "")),
            "customerMobile": "",
            "paymentAmount": amount,
            "orderAmount": amount,
            "fawryFees": "0.00",
            "orderStatus": form.get("status", "PAID"),
            "paymentMethod": "PAYATFAWRY",
            "paymentTime": int(datetime.now(UTC).timestamp() * 1000),
            "paymentRefrenceNumber": str(secrets.randbelow(10**8)),
        }
        notice["messageSignature"] = fawry_signature(notice, LOCAL_DEFAULTS["FAWRY_SECURE_KEY"])
        status, answer = self._post_to_shobbak("/v1/payments/fawry/callback", notice)
        self._page("نتيجة السداد", RESULT.format(
            title="تم إرسال إشعار فوري", status=status, answer=html.escape(answer),
            back=f"{self.server.portal_url}/", back_text="العودة إلى بوابة شباك",
        ))  # fmt: skip

    # Paymob: Shobbak registers an order; the citizen pays in the iframe; Paymob calls back.

    def _paymob_api(self, path: str, body: dict[str, Any]) -> None:
        state = self.server.paymob
        if path == "/api/auth/tokens":
            if body.get("api_key") != LOCAL_DEFAULTS["PAYMOB_API_KEY"]:
                self._json({"detail": "incorrect credentials"}, HTTPStatus.FORBIDDEN)
                return
            self._json({"token": secrets.token_urlsafe(24)}, HTTPStatus.CREATED)
        elif path == "/api/ecommerce/orders":
            with state.lock:
                order_id, state.next_id = state.next_id, state.next_id + 1
                state.orders[order_id] = {
                    "id": order_id,
                    "amount_cents": int(body["amount_cents"]),
                    "merchant_order_id": str(body["merchant_order_id"]),
                    "created_at": datetime.now(UTC).isoformat(),
                }
            self._json(state.orders[order_id], HTTPStatus.CREATED)
        elif path == "/api/acceptance/payment_keys":
            token = secrets.token_urlsafe(32)
            with state.lock:
                state.payment_keys[token] = int(body["order_id"])
            self._json({"token": token}, HTTPStatus.CREATED)
        else:
            self._json({"detail": "not found"}, HTTPStatus.NOT_FOUND)

    def _paymob_pay(self, form: dict[str, str]) -> None:
        order = self._order_of(form.get("payment_token", ""))
        if order is None:
            self._page("رابط دفع غير صالح", "<h1>رابط الدفع غير صالح أو منتهي</h1>", HTTPStatus.NOT_FOUND)
            return
        approved = form.get("decision") == "approve"
        obj = {
            "id": secrets.randbelow(9 * 10**8) + 10**8,
            "pending": False,
            "amount_cents": order["amount_cents"],
            "success": approved,
            "is_auth": False,
            "is_capture": False,
            "is_standalone_payment": True,
            "is_voided": False,
            "is_refunded": False,
            "is_3d_secure": True,
            "integration_id": 1,
            "has_parent_transaction": False,
            "order": {"id": order["id"], "merchant_order_id": order["merchant_order_id"]},
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"),
            "currency": "EGP",
            "error_occured": not approved,
            "owner": 4242,
            "source_data": {"pan": "8769", "type": "card", "sub_type": "Visa"},
        }
        signature = paymob_hmac(obj, LOCAL_DEFAULTS["PAYMOB_HMAC_SECRET"])
        status, answer = self._post_to_shobbak(
            f"/v1/payments/paymob/callback?hmac={signature}", {"type": "TRANSACTION", "obj": obj}
        )
        title = "تمت عملية الدفع بالبطاقة" if approved else "رُفضت عملية الدفع بالبطاقة"
        self._page("نتيجة الدفع", RESULT.format(
            title=title, status=status, answer=html.escape(answer),
            # Back to the request the citizen paid for: the track page (filled in again within the visit).
            back=f"{self.server.portal_url}/track.html", back_text="العودة إلى طلبك في بوابة شباك",
        ))  # fmt: skip

    def _order_of(self, payment_token: str) -> dict[str, Any] | None:
        state = self.server.paymob
        with state.lock:
            order_id = state.payment_keys.get(payment_token)
            return state.orders.get(order_id) if order_id is not None else None

    def _post_to_shobbak(self, path: str, body: dict[str, Any]) -> tuple[int, str]:
        request = urllib.request.Request(  # noqa: S310 - the local stack's own API
            self.server.api_url + path,
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                return answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as refusal:
            return refusal.code, refusal.read().decode("utf-8")

    def _page(self, title: str, body: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(status, "text/html; charset=utf-8", PAGE.format(title=title, body=body).encode("utf-8"))

    def _json(self, body: dict[str, Any], status: HTTPStatus) -> None:
        self._send(status, "application/json", json.dumps(body).encode("utf-8"))

    def _send(self, status: HTTPStatus, content_type: str, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"gateway simulator: {format % args}\n")


FAWRY_FORM = """<h1>السداد عبر فوري</h1>
<form method="post" action="/fawry/pay">
<label for="reference">الرقم المرجعي للسداد</label>
<input id="reference" name="reference" inputmode="numeric" dir="ltr" required>
<label for="amount">المبلغ (جنيه)</label>
<input id="amount" name="amount" inputmode="decimal" dir="ltr" required>
<label for="status">نتيجة العملية</label>
<select id="status" name="status"><option value="PAID">سداد ناجح</option>
<option value="EXPIRED">انتهت صلاحية الرقم المرجعي</option><option value="REFUNDED">استرداد</option></select>
<button type="submit">ادفع</button>
</form>
<p>الدفع بالبطاقة يبدأ من صفحة الطلب في بوابة شباك، ثم يصل إلى هذا المحاكي.</p>"""

CARD_FORM = """<h1>الدفع بالبطاقة</h1>
<p>المبلغ: <bdi>{amount}</bdi> جنيه مصري</p>
<form method="post" action="/paymob/pay">
<input type="hidden" name="payment_token" value="{token}">
<label for="card">رقم البطاقة (تجريبي)</label>
<input id="card" name="card" value="4987 6543 2109 8769" dir="ltr" autocomplete="off">
<button type="submit" name="decision" value="approve">ادفع</button>
<button type="submit" name="decision" value="decline">ارفض العملية</button>
</form>"""

RESULT = """<h1>{title}</h1>
<p>ردّ شباك على إشعار البوابة: <bdi>{status}</bdi></p><pre>{answer}</pre>
<p><a href="{back}">{back_text}</a></p>"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--api-url", default="http://127.0.0.1:8000")
    parser.add_argument("--portal-url", default="http://127.0.0.1:8080")
    arguments = parser.parse_args()
    server = Simulator(("127.0.0.1", arguments.port), arguments.api_url, arguments.portal_url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
