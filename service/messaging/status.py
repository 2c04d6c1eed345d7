"""Delivery status from Twilio's callbacks: one conditional UPDATE that only moves forward.

Callbacks arrive out of order and at once ("sent" and "delivered" for one message in the same
millisecond). Each is a single UPDATE ... WHERE status IN (the statuses it may follow), so
the database, not the application, decides: a status never moves backwards, and two racing
callbacks end on the later status whichever commits first.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from service.messaging.outbox import suppress_pending
from service.models import MessageStatus, NumberStatus, OutboundMessage
from service.models.messaging import STATUS_RANK

log = logging.getLogger(__name__)

TWILIO_STATUS = {
    "queued": MessageStatus.ACCEPTED,
    "accepted": MessageStatus.ACCEPTED,
    "scheduled": MessageStatus.ACCEPTED,
    "sending": MessageStatus.ACCEPTED,
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
    "canceled": MessageStatus.FAILED,
}
# Carrier error codes in status callbacks that tell us the number cannot take SMS.
NUMBER_ERRORS = {
    30005: NumberStatus.INVALID,
    30006: NumberStatus.NOT_MOBILE,
    21211: NumberStatus.INVALID,
    21614: NumberStatus.NOT_MOBILE,
}


def may_follow(new: MessageStatus) -> list[MessageStatus]:
    """The statuses `new` may replace: every lower rank, and 'sending' (ours, not Twilio's)."""
    return [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[new]] + [
        MessageStatus.SENDING
    ]


def apply_status(
    session: Session,
    sid: str,
    outbound_id: int | None,
    twilio_status: str,
    error_code: int | None,
    now: datetime,
) -> bool:
    """Apply one callback; True when it changed the row. The caller commits."""
    new = TWILIO_STATUS.get(twilio_status.lower())
    if not sid or new is None:
        return False
    row_id = session.scalar(select(OutboundMessage.id).where(OutboundMessage.twilio_sid == sid))
    if row_id is None and outbound_id is not None:
        # TwiML replies, and API sends whose SID was not saved yet, carry our row id.
        row_id = session.scalar(
            select(OutboundMessage.id).where(
                OutboundMessage.id == outbound_id,
                or_(OutboundMessage.twilio_sid.is_(None), OutboundMessage.twilio_sid == sid),
            )
        )
    if row_id is None:
        log.info("status callback for unknown message %s ignored", sid)
        return False
    values: dict[str, object] = {
        "status": new,
        "twilio_sid": func.coalesce(OutboundMessage.twilio_sid, sid),
        "updated_at": now,
    }
    if new in (MessageStatus.SENT, MessageStatus.DELIVERED):
        values["sent_at"] = func.coalesce(OutboundMessage.sent_at, now)
    if new == MessageStatus.DELIVERED:
        values["delivered_at"] = now
    if error_code:
        values["error_code"] = error_code
    changed = session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.id == row_id, OutboundMessage.status.in_(may_follow(new)))
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed and error_code in NUMBER_ERRORS:
        row = session.get(OutboundMessage, row_id)
        if row is not None and row.participant is not None:
            row.participant.number_status = NUMBER_ERRORS[error_code]
            suppress_pending(
                session, row.participant, f"number {row.participant.number_status.value}"
            )
    return bool(changed)
