"""A one-off note from a facilitator to the whole group: opt-outs and quiet hours honoured."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from messages.schedule import in_quiet_hours, local_instant, quiet_hours_start_after
from messages.segments import segment_info
from service.models import Group, NumberStatus, ParticipantStatus
from service.outbox import queue_message
from service.planning import person_of, programme_of

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
    programme = programme_of(group)
    sent_now = later = skipped = 0
    for participant in group.participants:
        if (
            participant.status != ParticipantStatus.ACTIVE
            or participant.number_status != NumberStatus.OK
        ):
            skipped += 1
            continue
        person = person_of(participant)
        quiet_start = person.quiet_start or programme.quiet_start
        quiet_end = person.quiet_end or programme.quiet_end
        row = queue_message(session, body=text, kind="group_note", participant=participant)
        zone = ZoneInfo(person.timezone)
        local = now.astimezone(zone)
        send_at = now
        if in_quiet_hours(local.time(), quiet_start, quiet_end):
            day = local.date() if local.time() < quiet_end else local.date() + timedelta(days=1)
            send_at = local_instant(day, quiet_end, zone)
            row.next_attempt_at = send_at
            later += 1
        else:
            sent_now += 1
        row.expires_at = quiet_hours_start_after(send_at, person.timezone, quiet_start, quiet_end)
    return BroadcastReport(sent_now, later, skipped)
