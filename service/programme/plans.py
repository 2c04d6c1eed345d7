"""Plans: turn a group's programme into prompt rows, and throw a plan away when it changes.

Planning inserts slots with a unique (participant, slot key) and ON CONFLICT DO NOTHING, so
two clocks planning the same person at once insert each slot once. Every query starts from
an indexed time column (`next_plan_at`), so a tick costs what is due, not who is enrolled.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from messages.legal_hours import number_zone, window_for
from messages.schedule import (
    Person,
    Programme,
    Slot,
    default_programme,
    plan_slots,
    programme_from_json,
)
from service.models import (
    Group,
    GroupSession,
    NumberStatus,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
)
from service.platform.bulk import id_in, insert_many

PLAN_HORIZON = timedelta(hours=36)
REPLAN_EVERY = timedelta(hours=12)
BATCH = 500


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
        legal=window_for(participant.phone),
        # Until staff set the member's own zone, the law's nights hold where the number is too.
        number_zone=None if participant.timezone else number_zone(participant.phone),
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


# --- planning rows --------------------------------------------------------------------------


def locked(query: Select, session: Session, of: Any = None) -> Select:
    """`query` with FOR UPDATE SKIP LOCKED on PostgreSQL, so two clocks take different rows;
    `of`: the one table whose rows are taken, when the query joins others only to read them."""
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True, of=of)
    return query


def plan_due(session: Session, now: datetime) -> int:
    """Insert the next PLAN_HORIZON of slots for every active participant due for planning."""
    people = session.scalars(
        locked(
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
    # One statement for the batch's slots (a slot planned already by another clock is skipped)
    # and one for its people's next planning time.
    inserted = len(insert_many(session, Prompt.__table__, rows, ("participant_id", "slot_key")))
    if people:
        replan_at = now + REPLAN_EVERY
        session.execute(
            update(Participant)
            .where(id_in(session, Participant.id, [p.id for p in people]))
            .values(next_plan_at=replan_at)
            .execution_options(synchronize_session=False)
        )
        for participant in people:
            set_committed_value(participant, "next_plan_at", replan_at)
    session.commit()
    return inserted
