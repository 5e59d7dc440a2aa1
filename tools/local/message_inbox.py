"""The local stack's message inbox: every SMS, voice call and WhatsApp message the stack sent, on
one page (`make run`, :8070). Locally the phone is this page.

It also stands in for what AWS would run on its own: the outbox stream and the sweeper
(`deliver_due`, every two seconds against the moto server; chalice local runs no stream or
schedule handlers); the voice topic's subscriber, which here shows the call it would place
rather than calling anyone; End User Messaging Social (tools/local/whatsapp_service.py, at
POST /v1/whatsapp/send), whose status events go to the local WhatsApp events topic; and that
topic's subscription, which hands each event to the real subscriber, record_whatsapp_receipts.
A form on the page makes a number "not on WhatsApp", its deliveries fail, or its receipts never
come, to see the SMS fallback.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import threading
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from chalicelib.aws_clients import aws_client
from chalicelib.observability.logs import logger
from chalicelib.services.notifications import deliver_due
from tools.local.whatsapp_service import SWITCHES, WhatsAppStandIn

RELAY_EVERY_S = 2.0

PAGE = """<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5"><title>صندوق الرسائل المحلي</title>
<style>body{{font-family:system-ui,Tahoma,sans-serif;max-inline-size:48rem;margin:0 auto;padding:1rem;line-height:1.6}}
li{{border-block-end:1px solid #b1b4b6;padding-block:.5rem;list-style:none}}
.to{{direction:ltr;unicode-bidi:isolate;color:#505a5f}}
.note{{background:#fff7bf;padding:.5rem}}code{{direction:ltr;unicode-bidi:isolate;white-space:pre-wrap}}</style></head>
<body><p class="note">البيئة المحلية: لا تُرسل رسائل حقيقية. هذا ما كانت ستستقبله هواتف المواطنين.</p>
<h1>الرسائل النصية ({sms_count})</h1><ul>{sms}</ul>
<h1>المكالمات الصوتية ({voice_count})</h1><ul>{voice}</ul>
<h1>رسائل واتساب ({whatsapp_count})</h1>
<form method="post" action="/whatsapp-switch">
<label>رقم الهاتف <input name="phone" dir="ltr" placeholder="+2010…"></label>
<select name="outcome">{outcomes}</select> <button>تطبيق</button></form><ul>{whatsapp}</ul></body></html>"""
_OUTCOME_AR = {"delivered": "يُسلَّم", "not_on_whatsapp": "ليس على واتساب", "fails": "يفشل التسليم",
               "silent": "لا يصل إيصال"}  # fmt: skip


def moto_sns(aws_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{aws_url}/moto-api/data.json", timeout=10) as answer:  # noqa: S310 - local moto
        return json.load(answer)["sns"]


def inbox_page(sns: dict[str, Any], whatsapp: WhatsAppStandIn | None = None) -> str:
    sms = [
        f'<li><span class="to">{html.escape(message["phone_number"])}</span><br>{html.escape(message["message"])}</li>'
        for message in reversed(sns.get("SMS", []))
    ]
    calls = []
    for topic in sns.get("Topic", []):
        if topic["name"].endswith("-voice-calls"):
            for notification in reversed(topic.get("sent_notifications", [])):
                call = json.loads(notification[1])
                calls.append(
                    f'<li><span class="to">{html.escape(call["phone"])}</span><br>'
                    f"<code>{html.escape(call['ssml'])}</code></li>"
                )
    sent = list(reversed(whatsapp.sent)) if whatsapp else []
    chats = [
        f'<li><span class="to">{html.escape(message.to)}</span> ({_OUTCOME_AR[message.outcome]})<br>'
        f"{html.escape(message.text)}</li>"
        for message in sent
    ]
    outcomes = "".join(f'<option value="{name}">{_OUTCOME_AR[name]}</option>' for name in SWITCHES)
    return PAGE.format(sms_count=len(sms), sms="".join(sms), voice_count=len(calls), voice="".join(calls),
                       whatsapp_count=len(chats), whatsapp="".join(chats), outcomes=outcomes)  # fmt: skip


def relay_whatsapp_events(sns: dict[str, Any], handled: int) -> int:
    """The WhatsApp events topic's subscription: each event not yet handled goes to the real
    subscriber, as Lambda would hand it; returns how many the topic has had."""
    from chalicelib.api.routes.deliveries import record_whatsapp_receipts

    events = next((t.get("sent_notifications", []) for t in sns.get("Topic", [])
                   if t["name"].endswith("-whatsapp-events")), [])  # fmt: skip
    for notification in events[handled:]:
        sns_message = {"Message": notification[1], "Subject": None, "MessageAttributes": {}, "TopicArn": "local"}
        record = {"EventSource": "aws:sns", "EventSubscriptionArn": "local", "Sns": sns_message}
        record_whatsapp_receipts({"Records": [record]}, None)
    return len(events)


def relay_forever(stop: threading.Event, aws_url: str) -> None:
    """Delivers what the outbox holds, as the stream and the sweeper do when deployed, and hands
    the WhatsApp events to their subscriber, as SNS does."""
    handled = len(next((t.get("sent_notifications", []) for t in moto_sns(aws_url).get("Topic", [])
                        if t["name"].endswith("-whatsapp-events")), []))  # fmt: skip
    while not stop.wait(RELAY_EVERY_S):
        try:
            outcomes = deliver_due(datetime.now(UTC))
            handled = relay_whatsapp_events(moto_sns(aws_url), handled)
        except Exception:  # the relay must outlive a moto hiccup; the messages wait for the next round
            logger.exception("local outbox relay round failed")
            continue
        if outcomes:
            logger.info("local outbox relay", extra={"outcomes": dict(outcomes)})


def serve(port: int, aws_url: str, whatsapp_events_topic: str) -> None:
    whatsapp = WhatsAppStandIn(aws_client("sns"), whatsapp_events_topic)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path not in ("/", "/index.html"):
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            self.answer(HTTPStatus.OK, "text/html; charset=utf-8", inbox_page(moto_sns(aws_url), whatsapp))

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == "/v1/whatsapp/send":  # End User Messaging Social's SendWhatsAppMessage
                self.answer(HTTPStatus.OK, "application/json", json.dumps(whatsapp.send(body)))
            elif self.path == "/whatsapp-switch":
                form = urllib.parse.parse_qs(body.decode("utf-8"))
                try:
                    whatsapp.switch(form["phone"][0].strip(), form["outcome"][0])
                except (KeyError, ValueError):
                    self.send_error(HTTPStatus.BAD_REQUEST, "phone and outcome, one of: " + ", ".join(SWITCHES))
                    return
                self.send_response(HTTPStatus.SEE_OTHER)
                self.send_header("Location", "/")
                self.end_headers()
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

        def answer(self, status: HTTPStatus, content_type: str, text: str) -> None:
            payload = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            sys.stderr.write(f"inbox: {format % args}\n")

    stop = threading.Event()
    relay = threading.Thread(target=relay_forever, args=(stop, aws_url), daemon=True)
    relay.start()
    with ThreadingHTTPServer(("127.0.0.1", port), Handler) as server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            relay.join(timeout=RELAY_EVERY_S * 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8070)
    parser.add_argument("--aws-url", default="http://127.0.0.1:5000")
    parser.add_argument("--whatsapp-events-topic", required=True, help="the local WhatsApp events topic's ARN")
    arguments = parser.parse_args()
    serve(arguments.port, arguments.aws_url, arguments.whatsapp_events_topic)
    return 0


if __name__ == "__main__":
    sys.exit(main())
