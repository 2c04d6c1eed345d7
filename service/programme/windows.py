"""Sending hours: when a text that is not a reply may reach a participant, and queueing it so."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from messages.schedule import Programme, QuietSpan, is_quiet, quiet_spans, send_window_after
from service.messaging.outbox import enqueue_staged, stage_message
from service.models import OutboundMessage, Participant, Prompt
from service.programme.plans import person_of, programme_of

log = logging.getLogger(__name__)


def in_quiet_hours_now(
    participant: Participant, now: datetime, programme: Programme | None = None
) -> bool:
    """True when it is quiet hours where the participant is (or where their number is).
    `programme`: the group's, when the caller has it already (a batch of one group's people)."""
    return is_quiet(now, quiet_spans_of(participant, programme))


def send_window(
    participant: Participant, now: datetime, programme: Programme | None = None
) -> tuple[datetime, datetime]:
    """When a text that is not a reply may reach `participant`: (from, until).

    From now, or the end of their quiet hours if it is night where they are; until their
    next quiet hours begin.
    """
    return send_window_after(now, quiet_spans_of(participant, programme))


def quiet_spans_of(participant: Participant, programme: Programme | None = None) -> list[QuietSpan]:
    """Every quiet period a text to `participant` must avoid (`messages.schedule.quiet_spans`)
    under the group's programme, or `programme` when the caller has it already."""
    return quiet_spans(programme or programme_of(participant.group), person_of(participant))


def queue_in_allowed_hours(
    session: Session,
    participant: Participant,
    body: str,
    kind: str,
    now: datetime,
    prompt: Prompt | None = None,
) -> OutboundMessage:
    """Queue a text for `participant` that waits out quiet hours and expires when they start."""
    row = stage_message(session, body=body, kind=kind, participant=participant, prompt=prompt)
    row.next_attempt_at, row.expires_at = send_window(participant, now)
    if row.next_attempt_at > now + timedelta(minutes=1):
        zone = participant.effective_timezone()
        local = row.next_attempt_at.astimezone(ZoneInfo(zone))
        log.info("%s text for participant %s held for quiet hours until %s %s", kind,
                 participant.id, local.strftime("%a %H:%M"), zone)  # fmt: skip
    enqueue_staged(session, [row])
    return row
