"""Replies to read: what clients wrote that no rule could file away, for a person to read.

Notes, unsure readings, questions about the texts, concerns and crises stay on the group's
list until a facilitator or clinician marks them handled (who and when are kept). A crisis or
concern is always on top; the rest newest first. Nothing a client writes is left in a log
that nobody opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload

from service.models import InboundMessage, Participant, StaffUser

# What a person sees for each reason a reply is on the list.
WHY = {
    "crisis": "Crisis language",
    "concern": "Mentions suicide or self-harm (negated or about someone else)",
    "question": "A question about the texts",
    "unsure": "Read with less confidence: please check",
    "note": "A note from the client",
    "out_of_range": "A number outside 0-10",
}


@dataclass(frozen=True)
class ReplyToRead:
    """One inbound reply on the list, with why it is there."""

    message: InboundMessage
    why: str


def why_listed(message: InboundMessage) -> str:
    """The one reason a reply is on the list (the most serious first)."""
    if message.crisis:
        return "crisis"
    if message.concern:
        return "concern"
    if message.review in WHY:
        return message.review
    return "note"


def replies_to_read(
    session: Session, group_id: int, include_handled: bool = False, limit: int = 200
) -> list[ReplyToRead]:
    """The group's replies to read: crisis and concern first, then newest first."""
    query = (
        select(InboundMessage)
        .join(Participant, InboundMessage.participant_id == Participant.id)
        .where(Participant.group_id == group_id, InboundMessage.to_read.is_(True))
        .options(joinedload(InboundMessage.participant))
        .order_by(
            case(
                (InboundMessage.crisis.is_(True), 0), (InboundMessage.concern.is_(True), 1), else_=2
            ),
            InboundMessage.received_at.desc(),
            InboundMessage.id.desc(),
        )
        .limit(limit)
    )
    if not include_handled:
        query = query.where(InboundMessage.handled_at.is_(None))
    return [ReplyToRead(m, why_listed(m)) for m in session.scalars(query)]


def unread_count(session: Session, group_id: int) -> int:
    """How many replies of the group wait to be read."""
    return (
        session.scalar(
            select(func.count(InboundMessage.id))
            .join(Participant, InboundMessage.participant_id == Participant.id)
            .where(
                Participant.group_id == group_id,
                InboundMessage.to_read.is_(True),
                InboundMessage.handled_at.is_(None),
            )
        )
        or 0
    )


def mark_handled(
    session: Session, message: InboundMessage, staff: StaffUser, now: datetime
) -> bool:
    """Mark one reply handled by `staff`; False when it already was (nothing changes)."""
    if message.handled_at is not None:
        return False
    message.handled_at = now
    message.handled_by_id = staff.id
    return True
