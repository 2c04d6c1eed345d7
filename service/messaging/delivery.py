"""Honest delivery state, in words staff understand: queued until when, sent, delivered, failed
and why. The same words on every page, the API and the simulator."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from service.models import MessageStatus, OutboundMessage

_PLAIN_ERRORS = {
    21610: "the person had opted out with their carrier (STOP)",
    21211: "not a valid phone number",
    21614: "not a mobile number",
    30003: "the phone was off or out of reach",
    30005: "the number does not exist",
    30006: "a landline or a number that cannot take texts",
    30007: "the carrier filtered it",
    21611: "Twilio's queue for the sender was full",
}
LEFT = frozenset({MessageStatus.ACCEPTED, MessageStatus.SENT, MessageStatus.DELIVERED})


def delivery_label(row: OutboundMessage, zone: str, now: datetime) -> str:
    """'held for quiet hours until 08:00 (Asia/Tokyo)', 'sent', 'delivered', 'failed: ...'."""
    status = row.status
    if status == MessageStatus.QUEUED:
        if row.next_attempt_at and row.next_attempt_at > now:
            local = row.next_attempt_at.astimezone(ZoneInfo(zone))
            why = "held for quiet hours" if row.attempts == 0 else "waiting to retry"
            return f"queued: {why} until {local:%H:%M} ({zone})"
        return "queued: going out now"
    if status == MessageStatus.SENDING:
        return "sending"
    if status == MessageStatus.ACCEPTED:
        return "with the carrier"
    if status in (MessageStatus.SENT, MessageStatus.DELIVERED):
        return status.value
    reason = _PLAIN_ERRORS.get(row.error_code or 0) or row.error_message or "no reason given"
    if status == MessageStatus.SUPPRESSED:
        return f"not sent: {reason}"
    return f"{'not delivered' if status == MessageStatus.UNDELIVERED else 'failed'}: {reason}"


def has_left(row: OutboundMessage) -> bool:
    """Whether the text has left Paceline (what a phone could have received)."""
    return row.status in LEFT or row.channel == "reply"
