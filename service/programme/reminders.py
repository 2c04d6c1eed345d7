"""Reminders and response windows: one gentle reminder, then the prompt counts as missed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from messages.surveys import SURVEY_KINDS
from service.models import (
    MessageStatus,
    NumberStatus,
    OutboundMessage,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
)
from service.programme.extras import rotating_text
from service.programme.plans import BATCH, locked
from service.programme.surveys import current_question, open_survey
from service.programme.windows import in_quiet_hours_now, queue_in_allowed_hours

REMINDER_PREFIX = {"en": "Reminder: ", "es": "Recordatorio: "}


def remind_due(session: Session, now: datetime) -> int:
    """One gentle reminder for each unanswered check-in, inside allowed hours."""
    due = session.scalars(
        locked(
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
        text = rotating_text(session, participant, "reminder")
        if prompt.kind in SURVEY_KINDS:  # repeat the item they are on, not a 0-10 nudge
            survey = open_survey(session, participant, now)
            if survey is None:
                continue
            text = REMINDER_PREFIX.get(participant.language, REMINDER_PREFIX["en"]) + current_question(survey)  # fmt: skip
        row = queue_in_allowed_hours(session, participant, text, "reminder", now, prompt)
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


def answer_prompt(
    session: Session,
    prompt: Prompt,
    status: PromptStatus,
    now: datetime,
    from_statuses: tuple[PromptStatus, ...] = (PromptStatus.SENT,),
) -> bool:
    """Mark `prompt` answered (done, skipped) unless it moved on meanwhile, and suppress its
    reminder if one was queued. One UPDATE ... RETURNING in the usual case: the reminder's
    outbox row exists only once the prompt has `reminded_at`, which the same statement reads
    after any concurrent claim by `remind_due` has committed. Returns whether it changed."""
    reminded = session.execute(
        update(Prompt)
        .where(Prompt.id == prompt.id, Prompt.status.in_(from_statuses))
        .values(status=status, answered_at=now)
        .returning(Prompt.reminded_at)
        .execution_options(synchronize_session=False)
    ).first()
    if reminded is None:
        return False
    for name, value in (("status", status), ("answered_at", now), ("reminded_at", reminded[0])):
        set_committed_value(prompt, name, value)
    if reminded[0] is not None:
        cancel_reminder(session, prompt)
    return True


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
