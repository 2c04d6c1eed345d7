"""Planning hooks the inbound path needs now: cancel planned prompts, send one extra exercise."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from messages.library import choose
from service.models import Participant, Prompt, PromptStatus
from service.outbox import queue_message
from service.settings import Settings

MORE_PER_DAY = 3
EXTRA_KINDS = ("breathing", "pacing")


def cancel_planned(session: Session, participant: Participant) -> int:
    """Cancel every planned, unsent prompt of `participant` (PAUSE, STOP, withdrawal)."""
    return session.execute(
        update(Prompt)
        .where(Prompt.participant_id == participant.id, Prompt.status == PromptStatus.PLANNED)
        .values(status=PromptStatus.CANCELLED)
        .execution_options(synchronize_session="fetch")
    ).rowcount


def recent_content_keys(session: Session, participant: Participant, limit: int = 50) -> list[str]:
    """Content keys recently sent to `participant`, newest first (for least-recently-used)."""
    rows = session.scalars(
        select(Prompt.content_key)
        .where(Prompt.participant_id == participant.id, Prompt.content_key.is_not(None))
        .order_by(Prompt.scheduled_for.desc(), Prompt.id.desc())
        .limit(limit)
    ).all()
    return [r for r in rows if r]


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
