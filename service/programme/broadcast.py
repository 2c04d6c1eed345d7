"""A one-off note from a facilitator to the whole group: opt-outs and quiet hours honoured."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from messages.segments import segment_info
from service.models import Group, NumberStatus, Participant, ParticipantStatus
from service.programme.windows import queue_in_allowed_hours, send_window

MAX_SEGMENTS = 3


class BroadcastError(ValueError):
    """A note that cannot be sent as written."""


@dataclass(frozen=True)
class BroadcastReport:
    """Who gets the note now, who later (quiet hours), who not at all."""

    now: int
    later: int
    skipped: int


@dataclass(frozen=True)
class BroadcastEstimate:
    """How long a note takes to leave at the sender's rate, and who it would not reach in time
    (their turn comes after their quiet hours begin, so it would be dropped)."""

    recipients: int
    segments: int
    mps: float
    first_at: datetime | None
    last_at: datetime | None
    too_late: int

    @property
    def seconds(self) -> float:
        if self.first_at is None or self.last_at is None:
            return 0.0
        return (self.last_at - self.first_at).total_seconds()


def _recipients(group: Group) -> list[Participant]:
    return [
        p for p in group.participants
        if p.status == ParticipantStatus.ACTIVE and p.number_status == NumberStatus.OK
    ]  # fmt: skip


def _checked(body: str) -> tuple[str, int]:
    text = (body or "").strip()
    if not text:
        raise BroadcastError("write a message first")
    info = segment_info(text)
    if info.segments > MAX_SEGMENTS:
        raise BroadcastError(
            f"that is {info.segments} SMS segments; keep it to {MAX_SEGMENTS} or fewer"
        )
    return text, info.segments


def estimate_broadcast(group: Group, body: str, now: datetime, mps: float,
                       backlog_seconds: float = 0.0) -> BroadcastEstimate:  # fmt: skip
    """Walk the sender's schedule as the workers will: each member's text takes the next turn
    after the sender's current backlog and after their quiet hours end; `mps` 0 means unpaced."""
    _, segments = _checked(body)
    windows = sorted(send_window(p, now) for p in _recipients(group))
    free = now + timedelta(seconds=backlog_seconds)
    step = timedelta(seconds=segments / mps) if mps > 0 else timedelta(0)
    first = last = None
    too_late = 0
    for start, end in windows:
        turn = max(free, start)
        if turn > end - timedelta(minutes=1):
            too_late += 1
        first = turn if first is None else min(first, turn)
        last = turn if last is None else max(last, turn)
        free = turn + step
    return BroadcastEstimate(len(windows), segments, mps, first, last, too_late)


def send_group_message(session: Session, group: Group, body: str, now: datetime) -> BroadcastReport:
    """Queue `body` for every active member; inside quiet hours it waits for the morning."""
    text, _ = _checked(body)
    sent_now = later = skipped = 0
    recipients = {p.id for p in _recipients(group)}
    for participant in group.participants:
        if participant.id not in recipients:
            skipped += 1
            continue
        row = queue_in_allowed_hours(session, participant, text, "group_note", now)
        if row.next_attempt_at and row.next_attempt_at > now:
            later += 1
        else:
            sent_now += 1
    return BroadcastReport(sent_now, later, skipped)
