"""A loopback HTTP server that answers Twilio's Messages URL with scripted, Twilio-shaped
responses: for the error paths Prism cannot produce (429/20429, 5xx, 21610, 21211, 21614,
a hang that makes the client time out)."""

from __future__ import annotations

import json
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeTwilio:
    """Serve scripted responses in order; the last one repeats. Records every request."""

    def __init__(self, carrier_mps: float | None = None, host: str = "127.0.0.1") -> None:
        # With `carrier_mps`, a sender handed more than that many texts in any second gets
        # 429 / 20429, as a strict carrier would: what the pacing bench counts. `host`: where
        # it listens (the scale-out bench serves other network namespaces from 0.0.0.0).
        self.carrier_mps = carrier_mps
        self.rate_errors = 0
        self.list_delays: list[float] = []  # seconds each next Messages list answer waits
        self.script: list[tuple[int, dict | None, float]] = []
        self.requests: list[dict[str, list[str]]] = []
        self.accepted: list[dict[str, str]] = []  # messages it "took", listed by GET
        self.arrivals: list[float] = []  # time.monotonic() of each POST, for rate checks
        self.lock = threading.Lock()
        self.counter = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode())
                with fake.lock:
                    arrived = time.monotonic()
                    fake.arrivals.append(arrived)
                    fake.requests.append(form)
                    status, body, delay = (
                        fake.script.pop(0) if len(fake.script) > 1 else fake.script[0]
                    )
                    if fake.carrier_mps is not None:
                        recent = sum(1 for t in fake.arrivals if t > arrived - 1.0)
                        if recent > fake.carrier_mps * 1.05 + 1:
                            fake.rate_errors += 1
                            status, body = error(429, 20429, "Too Many Requests")
                if status == 201 and body:
                    sid = body.get("sid")
                    if sid == "auto":  # a new SID for every message, as Twilio gives
                        with fake.lock:
                            fake.counter += 1
                            sid = f"SM{fake.counter:032x}"
                    body = {
                        **body,
                        "sid": sid,
                        "to": form.get("To", [""])[0],
                        "body": form.get("Body", [""])[0],
                        "date_created": formatdate(usegmt=True),  # when it took the message
                        "status_callback": form.get("StatusCallback", [""])[0],
                    }
                    with fake.lock:
                        fake.accepted.append(body)
                if delay:
                    time.sleep(delay)
                payload = json.dumps(body or {}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except BrokenPipeError:
                    pass  # the client timed out, as the test intended

            def do_GET(self) -> None:  # Messages list, for reconciliation
                to = parse_qs(self.path.partition("?")[2]).get("To", [None])[0]
                with fake.lock:
                    found = [m for m in fake.accepted if to is None or m["to"] == to]
                    delay = fake.list_delays.pop(0) if fake.list_delays else 0.0
                time.sleep(delay)  # answers what it had when asked, late
                payload = json.dumps(
                    {
                        "messages": found,
                        "end": 0,
                        "start": 0,
                        "page": 0,
                        "page_size": 50,
                        "first_page_uri": "",
                        "next_page_uri": None,
                        "previous_page_uri": None,
                        "uri": self.path,
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def respond(self, *responses: tuple[int, dict | None] | tuple[int, dict | None, float]) -> None:
        with self.lock:
            self.script = [(r[0], r[1], r[2] if len(r) > 2 else 0.0) for r in responses]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def error(status: int, code: int, message: str) -> tuple[int, dict]:
    """A Twilio REST error body."""
    return status, {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def created(sid: str = "SM" + "a" * 32, status: str = "queued") -> tuple[int, dict]:
    """A 201 Message resource, trimmed to the fields the client reads."""
    return 201, {
        "sid": sid,
        "status": status,
        "body": "",
        "to": "",
        "from": "+15005550006",
        "account_sid": "AC" + "0" * 31 + "1",
        "num_segments": "1",
        "direction": "outbound-api",
        "date_created": "Mon, 23 Nov 2026 12:00:00 +0000",
        "error_code": None,
        "uri": "",
    }
