"""The planner: turn programmes into prompt rows, send the due ones, remind once, close windows.

One `tick(session, settings, now)` does it all and is safe to run twice at once:
- planning inserts slots with a unique (participant, slot key) and ON CONFLICT DO NOTHING;
- dispatch claims each prompt with a conditional UPDATE (planned -> sent) and, on PostgreSQL,
  selects with FOR UPDATE SKIP LOCKED, so two clocks never send one prompt twice;
- every query starts from an indexed time column (next_plan_at, scheduled_for, reminder_at,
  window_ends_at, paused_until, flare_until), so a tick costs what is due, not who is enrolled.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from messages.library import choose, rotate
from messages.schedule import (
    Person,
    Programme,
    Slot,
    default_programme,
    in_quiet_hours,
    local_instant,
    plan_slots,
    programme_from_json,
    quiet_hours_start_after,
)
from service.models import (
    Group,
    GroupSession,
    MessageStatus,
    NumberStatus,
    OutboundMessage,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
)
from service.outbox import queue_message
from service.settings import Settings

log = logging.getLogger(__name__)

PLAN_HORIZON = timedelta(hours=36)
REPLAN_EVERY = timedelta(hours=12)
STALE_AFTER = timedelta(minutes=30)  # a prompt this late (outage) is dropped, not sent
BATCH = 500
MORE_PER_DAY = 3
EXTRA_KINDS = ("breathing", "pacing")


# --- building planning inputs from rows -----------------------------------------------------


def programme_of(group: Group) -> Programme:
    """The group's programme, or the default one."""
    return programme_from_json(group.schedule) if group.schedule else default_programme()


def _hhmm(value: str | None) -> time | None:
    if not value:
        return None
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def person_of(participant: Participant) -> Person:
    """The planning view of a participant."""
    preferred = {k: t for k, v in (participant.preferred_times or {}).items() if (t := _hhmm(v))}
    return Person(
        id=participant.id,
        timezone=participant.effective_timezone(),
        epoch=participant.plan_epoch,
        quiet_start=_hhmm(participant.quiet_start),
        quiet_end=_hhmm(participant.quiet_end),
        preferred_times=preferred,
        paused_until=participant.paused_until,
        flare_until=participant.flare_until,
    )


def session_starts(
    session: Session, group_id: int, start: datetime, end: datetime
) -> list[datetime]:
    """Start times of the group's sessions that can produce slots in [start, end)."""
    return list(
        session.scalars(
            select(GroupSession.starts_at).where(
                GroupSession.group_id == group_id,
                GroupSession.starts_at >= start - timedelta(days=2),
                GroupSession.starts_at < end + timedelta(days=2),
            )
        )
    )


def preview(session: Session, participant: Participant, start: datetime, days: int) -> list[Slot]:
    """What would be planned for `participant` over the next `days`: the planner's own code."""
    if (
        participant.status not in (ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED)
        or participant.number_status != NumberStatus.OK
    ):
        return []
    end = start + timedelta(days=days)
    group = participant.group
    return plan_slots(
        programme_of(group),
        person_of(participant),
        start,
        end,
        session_starts(session, group.id, start, end),
    )


# --- state changes that invalidate a plan ---------------------------------------------------


def cancel_planned(session: Session, participant: Participant) -> int:
    """Cancel every planned, unsent prompt of `participant` (PAUSE, STOP, withdrawal)."""
    return session.execute(
        update(Prompt)
        .where(Prompt.participant_id == participant.id, Prompt.status == PromptStatus.PLANNED)
        .values(status=PromptStatus.CANCELLED)
        .execution_options(synchronize_session="fetch")
    ).rowcount


def replan(session: Session, participant: Participant, now: datetime) -> None:
    """Throw away the plan and plan afresh at the next tick (new epoch, so no key collides)."""
    cancel_planned(session, participant)
    participant.plan_epoch += 1
    participant.next_plan_at = now


def replan_group(session: Session, group: Group, now: datetime) -> None:
    """Replan every member of a group (its schedule or sessions changed)."""
    for participant in group.participants:
        replan(session, participant, now)


# --- the tick -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TickReport:
    """What one tick did."""

    woken: int
    planned: int
    sent: int
    cancelled: int
    reminded: int
    missed: int


def tick(session: Session, settings: Settings, now: datetime) -> TickReport:
    """One planning pass; commits as it goes."""
    woken = wake_due(session, settings, now)
    planned = plan_due(session, now)
    sent, cancelled = dispatch_due(session, now)
    reminded = remind_due(session, now)
    missed = close_windows(session, now)
    return TickReport(woken, planned, sent, cancelled, reminded, missed)


def _locked(query: Select, session: Session) -> Select:
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


def wake_due(session: Session, settings: Settings, now: datetime) -> int:
    """End pauses and flares whose time is up: plan again and say a short hello."""
    woken = 0
    paused = session.scalars(
        _locked(
            select(Participant)
            .where(Participant.paused_until <= now, Participant.status == ParticipantStatus.PAUSED)
            .limit(BATCH),
            session,
        )
    ).all()
    for participant in paused:
        participant.status = ParticipantStatus.ACTIVE
        participant.paused_until = None
        replan(session, participant, now)
        _say(session, participant, "resume", now)
        woken += 1
    flared = session.scalars(
        _locked(select(Participant).where(Participant.flare_until <= now).limit(BATCH), session)
    ).all()
    for participant in flared:
        participant.flare_until = None
        replan(session, participant, now)
        if participant.status == ParticipantStatus.ACTIVE:
            _say(session, participant, "flare_end", now)
        woken += 1
    session.commit()
    return woken


def plan_due(session: Session, now: datetime) -> int:
    """Insert the next PLAN_HORIZON of slots for every active participant due for planning."""
    people = session.scalars(
        _locked(
            select(Participant)
            .where(
                Participant.next_plan_at <= now,
                Participant.status == ParticipantStatus.ACTIVE,
                Participant.number_status == NumberStatus.OK,
            )
            .order_by(Participant.next_plan_at)
            .limit(BATCH),
            session,
        ).options(selectinload(Participant.group))
    ).all()
    rows: list[dict[str, object]] = []
    sessions_cache: dict[int, list[datetime]] = {}
    end = now + PLAN_HORIZON
    for participant in people:
        group = participant.group
        if group.id not in sessions_cache:
            sessions_cache[group.id] = session_starts(session, group.id, now, end)
        for slot in plan_slots(
            programme_of(group), person_of(participant), now, end, sessions_cache[group.id]
        ):
            rows.append(
                {
                    "participant_id": participant.id,
                    "slot_key": slot.key,
                    "kind": slot.kind,
                    "expecting": slot.expecting,
                    "status": PromptStatus.PLANNED,
                    "scheduled_for": slot.at,
                    "created_at": now,
                }
            )
        participant.next_plan_at = now + REPLAN_EVERY
    inserted = _insert_ignoring_duplicates(session, rows) if rows else 0
    session.commit()
    return inserted


def _insert_ignoring_duplicates(session: Session, rows: Sequence[dict[str, object]]) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = Prompt.__table__
    statement = (
        insert(table)
        .on_conflict_do_nothing(index_elements=["participant_id", "slot_key"])
        .returning(table.c.id)
    )
    connection = session.connection()
    total = 0
    for start in range(0, len(rows), 1000):
        total += len(connection.execute(statement, list(rows[start : start + 1000])).all())
    return total


def dispatch_due(session: Session, now: datetime) -> tuple[int, int]:
    """Send every planned prompt whose time has come; cancel those that may no longer go."""
    due = session.scalars(
        _locked(
            select(Prompt)
            .where(Prompt.status == PromptStatus.PLANNED, Prompt.scheduled_for <= now)
            .order_by(Prompt.scheduled_for, Prompt.id)
            .limit(BATCH),
            session,
        ).options(selectinload(Prompt.participant).selectinload(Participant.group))
    ).all()
    sent = cancelled = 0
    for prompt in due:
        participant = prompt.participant
        reason = _cannot_send(participant, prompt, now)
        if reason:
            cancelled += _claim(session, prompt, PromptStatus.CANCELLED, now)
            log.info("prompt %s cancelled: %s", prompt.id, reason)
            continue
        if not _claim(session, prompt, PromptStatus.SENT, now):
            continue  # another tick has it
        programme = programme_of(participant.group)
        prompt.window_ends_at = now + timedelta(minutes=programme.response_window_minutes)
        if prompt.expecting:
            prompt.reminder_at = now + timedelta(minutes=programme.reminder_after_minutes)
        content = choose((prompt.kind,), recent_content_keys(session, participant))
        prompt.content_key = content.key
        queue_in_allowed_hours(
            session, participant, content.text(participant.language), "prompt", now, prompt
        )
        sent += 1
    session.commit()
    return sent, cancelled


def _claim(session: Session, prompt: Prompt, status: PromptStatus, now: datetime) -> int:
    values: dict[str, object] = {"status": status}
    if status == PromptStatus.SENT:
        values["sent_at"] = now
    claimed = session.execute(
        update(Prompt)
        .where(Prompt.id == prompt.id, Prompt.status == PromptStatus.PLANNED)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed:
        session.refresh(prompt)
    return claimed


def _cannot_send(participant: Participant, prompt: Prompt, now: datetime) -> str | None:
    if participant.status != ParticipantStatus.ACTIVE:
        return f"participant {participant.status.value}"
    if participant.number_status != NumberStatus.OK:
        return f"number {participant.number_status.value}"
    if now - prompt.scheduled_for > STALE_AFTER:
        return "stale (the planner was not running at its time)"
    if in_quiet_hours_now(participant, now):
        return "quiet hours"
    return None


def in_quiet_hours_now(participant: Participant, now: datetime) -> bool:
    """True when it is quiet hours where the participant is."""
    programme = programme_of(participant.group)
    person = person_of(participant)
    local = now.astimezone(ZoneInfo(person.timezone)).time()
    return in_quiet_hours(
        local, person.quiet_start or programme.quiet_start, person.quiet_end or programme.quiet_end
    )


def send_window(participant: Participant, now: datetime) -> tuple[datetime, datetime]:
    """When a text that is not a reply may reach `participant`: (from, until).

    From now, or the end of their quiet hours if it is night where they are; until their
    next quiet hours begin.
    """
    programme = programme_of(participant.group)
    person = person_of(participant)
    quiet_start = person.quiet_start or programme.quiet_start
    quiet_end = person.quiet_end or programme.quiet_end
    zone = ZoneInfo(person.timezone)
    local = now.astimezone(zone)
    send_at = now
    if in_quiet_hours(local.time(), quiet_start, quiet_end):
        day = local.date() if local.time() < quiet_end else local.date() + timedelta(days=1)
        send_at = local_instant(day, quiet_end, zone).astimezone(UTC)
    return send_at, quiet_hours_start_after(send_at, person.timezone, quiet_start, quiet_end)


def queue_in_allowed_hours(
    session: Session,
    participant: Participant,
    body: str,
    kind: str,
    now: datetime,
    prompt: Prompt | None = None,
) -> OutboundMessage:
    """Queue a text for `participant` that waits out quiet hours and expires when they start."""
    row = queue_message(session, body=body, kind=kind, participant=participant, prompt=prompt)
    row.next_attempt_at, row.expires_at = send_window(participant, now)
    return row


def remind_due(session: Session, now: datetime) -> int:
    """One gentle reminder for each unanswered check-in, inside allowed hours."""
    due = session.scalars(
        _locked(
            select(Prompt)
            .where(
                Prompt.status == PromptStatus.SENT,
                Prompt.reminder_at <= now,
                Prompt.reminded_at.is_(None),
            )
            .order_by(Prompt.reminder_at)
            .limit(BATCH),
            session,
        ).options(selectinload(Prompt.participant).selectinload(Participant.group))
    ).all()
    reminded = 0
    for prompt in due:
        claimed = session.execute(
            update(Prompt)
            .where(
                Prompt.id == prompt.id,
                Prompt.reminded_at.is_(None),
                Prompt.status == PromptStatus.SENT,
            )
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            continue
        participant = prompt.participant
        if (
            (prompt.window_ends_at is not None and now >= prompt.window_ends_at)
            or participant.status != ParticipantStatus.ACTIVE
            or participant.number_status != NumberStatus.OK
            or in_quiet_hours_now(participant, now)
        ):
            continue  # a reminder that cannot go now is not sent later: one chance only
        row = queue_in_allowed_hours(
            session,
            participant,
            _rotating_text(session, participant, "reminder"),
            "reminder",
            now,
            prompt,
        )
        # A reminder is pointless once the response window has closed.
        row.expires_at = min(row.expires_at or now, prompt.window_ends_at or now)
        reminded += 1
    session.commit()
    return reminded


def close_windows(session: Session, now: datetime) -> int:
    """Sent prompts whose response window has ended without an answer count as missed."""
    result = session.execute(
        update(Prompt)
        .where(Prompt.status == PromptStatus.SENT, Prompt.window_ends_at <= now)
        .values(status=PromptStatus.MISSED)
        .execution_options(synchronize_session=False)
    )
    # Their reminders are moot now; cancel any still waiting in the outbox.
    session.execute(
        update(OutboundMessage)
        .where(
            OutboundMessage.kind == "reminder",
            OutboundMessage.status == MessageStatus.QUEUED,
            OutboundMessage.expires_at <= now,
        )
        .values(status=MessageStatus.SUPPRESSED, error_message="response window closed")
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount


def cancel_reminder(session: Session, prompt: Prompt) -> None:
    """An answered prompt needs no reminder: suppress one already queued (a planned one is
    never sent, since reminders go only to prompts still waiting for an answer)."""
    session.execute(
        update(OutboundMessage)
        .where(
            OutboundMessage.prompt_id == prompt.id,
            OutboundMessage.kind == "reminder",
            OutboundMessage.status == MessageStatus.QUEUED,
        )
        .values(status=MessageStatus.SUPPRESSED, error_message="answered")
        .execution_options(synchronize_session=False)
    )


# --- content --------------------------------------------------------------------------------


def recent_content_keys(session: Session, participant: Participant, limit: int = 60) -> list[str]:
    """Content keys recently sent to `participant`, newest first (for least-recently-used)."""
    rows = session.scalars(
        select(Prompt.content_key)
        .where(Prompt.participant_id == participant.id, Prompt.content_key.is_not(None))
        .order_by(Prompt.sent_at.desc().nulls_last(), Prompt.id.desc())
        .limit(limit)
    ).all()
    return [r for r in rows if r]


def _rotating_text(session: Session, participant: Participant, kind: str) -> str:
    """The next variant of a kind that is not tied to a prompt (reminders, hellos), in turn."""
    already = session.scalar(
        select(func.count(OutboundMessage.id)).where(
            OutboundMessage.participant_id == participant.id, OutboundMessage.kind == kind
        )
    )
    return rotate(kind, already or 0).text(participant.language)


def _say(session: Session, participant: Participant, kind: str, now: datetime) -> None:
    """A short hello (after a pause or flare), in allowed hours."""
    if participant.number_status == NumberStatus.OK:
        queue_in_allowed_hours(
            session, participant, _rotating_text(session, participant, kind), kind, now
        )


def send_extra_exercise(
    session: Session, settings: Settings, participant: Participant, now: datetime
) -> bool:
    """Queue one more breathing or pacing exercise now (MORE), at most MORE_PER_DAY a day."""
    sent_today = session.scalar(
        select(func.count(Prompt.id)).where(
            Prompt.participant_id == participant.id,
            Prompt.kind == "extra",
            Prompt.scheduled_for >= now - timedelta(days=1),
        )
    )
    if (sent_today or 0) >= MORE_PER_DAY:
        return False
    content = choose(EXTRA_KINDS, recent_content_keys(session, participant))
    prompt = Prompt(
        participant=participant,
        slot_key=f"extra-{now.strftime('%Y%m%dT%H%M%S.%f')}",
        kind="extra",
        expecting=None,
        content_key=content.key,
        status=PromptStatus.SENT,
        scheduled_for=now,
        sent_at=now,
        window_ends_at=now + timedelta(hours=2),
    )
    session.add(prompt)
    session.flush()
    queue_message(
        session,
        body=content.text(participant.language),
        kind="extra_exercise",
        participant=participant,
        prompt=prompt,
    )
    return True
