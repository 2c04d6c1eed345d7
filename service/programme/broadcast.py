"""A one-off note from a facilitator to the whole group: opt-outs and quiet hours honoured."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from messages.segments import segment_info
from service.models import Group, NumberStatus, ParticipantStatus
from service.programme.windows import queue_in_allowed_hours

MAX_SEGMENTS = 3


class BroadcastError(ValueError):
    """A note that cannot be sent as written."""


@dataclass(frozen=True)
class BroadcastReport:
    """Who gets the note now, who later (quiet hours), who not at all."""

    now: int
    later: int
    skipped: int


def send_group_message(session: Session, group: Group, body: str, now: datetime) -> BroadcastReport:
    """Queue `body` for every active member; inside quiet hours it waits for the morning."""
    text = (body or "").strip()
    if not text:
        raise BroadcastError("write a message first")
    info = segment_info(text)
    if info.segments > MAX_SEGMENTS:
        raise BroadcastError(
            f"that is {info.segments} SMS segments; keep it to {MAX_SEGMENTS} or fewer"
        )
    sent_now = later = skipped = 0
    for participant in group.participants:
        if (
            participant.status != ParticipantStatus.ACTIVE
            or participant.number_status != NumberStatus.OK
        ):
            skipped += 1
            continue
        row = queue_in_allowed_hours(session, participant, text, "group_note", now)
        if row.next_attempt_at and row.next_attempt_at > now:
            later += 1
        else:
            sent_now += 1
    return BroadcastReport(sent_now, later, skipped)
