"""Content choice and the texts outside the plan: MORE, hellos after a pause or flare."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from messages.library import choose, rotate
from service.messaging.outbox import queue_message
from service.models import NumberStatus, OutboundMessage, Participant, Prompt, PromptStatus
from service.platform.bulk import id_in
from service.platform.settings import Settings
from service.programme.windows import queue_in_allowed_hours

MORE_PER_DAY = 3
EXTRA_KINDS = ("breathing", "pacing")


def recent_content_keys(session: Session, participant: Participant, limit: int = 60) -> list[str]:
    """Content keys recently sent to `participant`, newest first (for least-recently-used)."""
    rows = session.scalars(
        select(Prompt.content_key)
        .where(Prompt.participant_id == participant.id, Prompt.content_key.is_not(None))
        .order_by(Prompt.sent_at.desc().nulls_last(), Prompt.id.desc())
        .limit(limit)
    ).all()
    return [r for r in rows if r]


def recent_content_keys_of(
    session: Session, participant_ids: set[int], limit: int = 60
) -> dict[int, list[str]]:
    """`recent_content_keys` for many people in one query (a dispatch batch)."""
    if not participant_ids:
        return {}
    rank = (
        func.row_number()
        .over(partition_by=Prompt.participant_id,
              order_by=(Prompt.sent_at.desc().nulls_last(), Prompt.id.desc()))
        .label("rank")
    )  # fmt: skip
    ranked = (
        select(Prompt.participant_id, Prompt.content_key, rank)
        .where(
            id_in(session, Prompt.participant_id, list(participant_ids)),
            Prompt.content_key.is_not(None),
        )
        .subquery()
    )
    keys: dict[int, list[str]] = {pid: [] for pid in participant_ids}
    for pid, key in session.execute(
        select(ranked.c.participant_id, ranked.c.content_key)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.participant_id, ranked.c.rank)
    ):
        keys[pid].append(key)
    return keys


def rotating_text(session: Session, participant: Participant, kind: str) -> str:
    """The next variant of a kind that is not tied to a prompt (reminders, hellos), in turn."""
    already = session.scalar(
        select(func.count(OutboundMessage.id)).where(
            OutboundMessage.participant_id == participant.id, OutboundMessage.kind == kind
        )
    )
    return rotate(kind, already or 0).text(participant.language)


def say(session: Session, participant: Participant, kind: str, now: datetime) -> None:
    """A short hello (after a pause or flare), in allowed hours."""
    if participant.number_status == NumberStatus.OK:
        queue_in_allowed_hours(
            session, participant, rotating_text(session, participant, kind), kind, now
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
