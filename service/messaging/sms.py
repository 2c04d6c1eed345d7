"""Sending SMS behind a small interface: Twilio for real, the console for development."""

from __future__ import annotations

import logging
import sys
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import requests
from flask import Flask, current_app
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from service.platform.settings import Settings

log = logging.getLogger(__name__)

# Twilio error codes we act on.
OPTED_OUT = 21610
INVALID_NUMBER = 21211
NOT_MOBILE = 21614
TOO_MANY_REQUESTS = 20429


@dataclass(frozen=True)
class SendResult:
    """What the provider said when it took a message."""

    sid: str
    status: str  # the provider's status word: queued, accepted, sent, ...
    created_at: datetime | None = None  # when the provider took it (listing only)


class SmsError(Exception):
    """A send that did not go through.

    transient: worth retrying later (429, 5xx, could not connect).
    ambiguous: the provider may have taken the message (timeout while waiting for the answer);
    never resend blindly, reconcile first.
    """

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        http_status: int | None = None,
        transient: bool = False,
        ambiguous: bool = False,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.http_status = http_status
        self.transient = transient
        self.ambiguous = ambiguous


class SmsBackend(Protocol):
    """What the outbox needs from a provider."""

    def send(self, to: str, body: str, status_callback: str, validity_seconds: int) -> SendResult:
        """Hand one message to the provider; raise SmsError when it does not take it."""
        ...

    def find_sent(self, to: str, body: str, since: datetime) -> list[SendResult]:
        """Every message with this body the provider took for `to` since `since`."""
        ...


class ConsoleBackend:
    """Prints each SMS to the terminal (development; `make run`). Keeps a log for the session."""

    def __init__(self, stream: object = None) -> None:
        self.stream = stream
        self.sent: list[tuple[str, str, str, datetime]] = []
        self._lock = threading.Lock()

    def send(self, to: str, body: str, status_callback: str, validity_seconds: int) -> SendResult:
        sid = "SM" + uuid.uuid4().hex
        with self._lock:
            self.sent.append((sid, to, body, datetime.now(UTC)))
        self.show(to, body, sid)
        return SendResult(sid=sid, status="sent")

    def show(self, to: str, body: str, how: str) -> None:
        """Print one SMS to the terminal (`how`: its SID, or "reply in TwiML")."""
        stream = self.stream or sys.stdout
        bar = "-" * 60
        print(f"{bar}\nSMS to {to} ({how})\n{body}\n{bar}", file=stream, flush=True)  # type: ignore[call-overload]

    def find_sent(self, to: str, body: str, since: datetime) -> list[SendResult]:
        with self._lock:
            return [
                SendResult(sid=sid, status="sent", created_at=at)
                for sid, sent_to, sent_body, at in self.sent
                if sent_to == to and sent_body == body and at >= since
            ]


class TwilioBackend:
    """The real twilio client, with an explicit HTTP timeout and a configurable API base URL."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        http_client = TwilioHttpClient(timeout=settings.twilio_http_timeout)
        self.client = Client(
            settings.twilio_account_sid, settings.twilio_auth_token, http_client=http_client
        )
        # Tests and staging point this at a loopback mock (Prism) instead of api.twilio.com.
        self.client.api.base_url = settings.twilio_api_base_url

    def send(self, to: str, body: str, status_callback: str, validity_seconds: int) -> SendResult:
        sender: dict[str, str] = {}
        if self.settings.twilio_messaging_service_sid:
            sender["messaging_service_sid"] = self.settings.twilio_messaging_service_sid
        else:
            sender["from_"] = self.settings.twilio_from_number or ""
        try:
            message = self.client.messages.create(
                to=to,
                body=body,
                status_callback=status_callback,
                validity_period=validity_seconds,
                **sender,
            )
        except TwilioRestException as exc:
            raise _classify_rest_error(exc) from None
        except requests.exceptions.RequestException as exc:
            raise _classify_network_error(exc) from None
        return SendResult(sid=str(message.sid), status=str(message.status or "queued"))

    def find_sent(self, to: str, body: str, since: datetime) -> list[SendResult]:
        try:
            recent = self.client.messages.list(to=to, date_sent_after=since, limit=50)
        except (TwilioRestException, requests.exceptions.RequestException) as exc:
            raise SmsError(f"could not list messages: {exc}", transient=True) from None
        return [
            SendResult(sid=str(m.sid), status=str(m.status), created_at=m.date_created)
            for m in recent
            if m.body == body
        ]


def _classify_rest_error(exc: TwilioRestException) -> SmsError:
    code = int(exc.code) if exc.code is not None else None
    transient = exc.status == 429 or code == TOO_MANY_REQUESTS or exc.status >= 500
    return SmsError(
        f"Twilio {exc.status} error {code}: {exc.msg}",
        code=code,
        http_status=exc.status,
        transient=transient,
    )


def _classify_network_error(exc: requests.exceptions.RequestException) -> SmsError:
    # Could not even connect: Twilio never saw the request, safe to retry.
    if isinstance(exc, requests.exceptions.ConnectTimeout) or _refused(exc):
        return SmsError(f"could not reach Twilio: {type(exc).__name__}", transient=True)
    # Sent, but no answer: Twilio may have accepted the message.
    return SmsError(f"no answer from Twilio: {type(exc).__name__}", transient=True, ambiguous=True)


def _refused(exc: requests.exceptions.RequestException) -> bool:
    text = repr(exc)
    return isinstance(exc, requests.exceptions.ConnectionError) and (
        "NewConnectionError" in text or "Connection refused" in text or "NameResolution" in text
    )


def build_backend(settings: Settings) -> SmsBackend:
    """The backend named by SMS_BACKEND."""
    if settings.sms_backend == "twilio":
        return TwilioBackend(settings)
    return ConsoleBackend()


def get_backend(app: Flask | None = None) -> SmsBackend:
    """The SMS backend bound to `app` (default: the current app)."""
    return (app or current_app).extensions["paceline.sms"]
