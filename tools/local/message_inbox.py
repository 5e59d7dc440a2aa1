"""The local stack's message inbox: every SMS and voice call the stack sent, read from the
moto server, on one page (`make run`, :8070). Locally the phone is this page.

It also stands in for what AWS would run on its own: the outbox stream and the sweeper
(`deliver_due`, every two seconds against the moto server; chalice local runs no stream or
schedule handlers), and the voice topic's subscriber, which here shows the call it would
place rather than calling anyone.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import threading
import urllib.request
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from chalicelib.observability.logs import logger
from chalicelib.services.notifications import deliver_due

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
<h1>المكالمات الصوتية ({voice_count})</h1><ul>{voice}</ul></body></html>"""


def moto_sns(aws_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{aws_url}/moto-api/data.json", timeout=10) as answer:  # noqa: S310 - local moto
        return json.load(answer)["sns"]


def inbox_page(sns: dict[str, Any]) -> str:
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
    return PAGE.format(sms_count=len(sms), sms="".join(sms), voice_count=len(calls), voice="".join(calls))


def relay_forever(stop: threading.Event) -> None:
    """Delivers what the outbox holds, as the stream and the sweeper do when deployed."""
    while not stop.wait(RELAY_EVERY_S):
        try:
            outcomes = deliver_due(datetime.now(UTC))
        except Exception:  # the relay must outlive a moto hiccup; the messages wait for the next round
            logger.exception("local outbox relay round failed")
            continue
        if outcomes:
            logger.info("local outbox relay", extra={"outcomes": dict(outcomes)})


def serve(port: int, aws_url: str) -> None:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path not in ("/", "/index.html"):
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            payload = inbox_page(moto_sns(aws_url)).encode("utf-8")
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            sys.stderr.write(f"inbox: {format % args}\n")

    stop = threading.Event()
    relay = threading.Thread(target=relay_forever, args=(stop,), daemon=True)
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
    arguments = parser.parse_args()
    serve(arguments.port, arguments.aws_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
