"""Clinical alert rules: high pain, a change from the person's own baseline, no reply for days.

Crisis and flare alerts are raised by the inbound path itself; these rules add the ones a
clinician asked for. Each rule raises at most one open alert of its kind per person per
day, so a bad week does not bury the queue.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from service.models import (
    Alert,
    AlertKind,
    InboundMessage,
    Observation,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
)

HIGH_PAIN = 8
CHANGE = 3
BASELINE_DAYS = 14
BASELINE_MIN_VALUES = 5  # readings...
BASELINE_MIN_DAYS = 4  # ...on this many different days, or there is no baseline yet
SILENCE = timedelta(days=3)
DEDUPE = timedelta(hours=24)


def _recent_alert(
    session: Session, participant: Participant, kind: AlertKind, since: datetime
) -> bool:
    return bool(
        session.scalar(
            select(Alert.id)
            .where(
                Alert.participant_id == participant.id,
                Alert.kind == kind,
                Alert.created_at >= since,
            )
            .limit(1)
        )
    )


def _raise(
    session: Session,
    participant: Participant,
    kind: AlertKind,
    detail: str,
    now: datetime,
    inbound_id: int | None = None,
) -> Alert | None:
    if _recent_alert(session, participant, kind, now - DEDUPE):
        return None
    alert = Alert(group_id=participant.group_id, participant=participant, kind=kind, detail=detail,
                  inbound_message_id=inbound_id, created_at=now)  # fmt: skip
    session.add(alert)
    return alert


def check_observation(
    session: Session,
    participant: Participant,
    kind: str,
    value: int,
    now: datetime,
    inbound_id: int | None,
) -> list[Alert]:
    """Alerts a new rating calls for: pain of 8 or more; a worsening of 3 or more from the
    person's own 14-day baseline (pain up, mood down; an improvement is good news, not an
    alert), once the baseline has at least 5 readings on at least 4 days."""
    raised = []
    if kind == "pain" and value >= HIGH_PAIN:
        alert = _raise(
            session, participant, AlertKind.HIGH_PAIN, f"pain {value}/10", now, inbound_id
        )
        if alert:
            raised.append(alert)
    readings = session.execute(
        select(Observation.value, Observation.recorded_at).where(
            Observation.participant_id == participant.id,
            Observation.kind == kind,
            Observation.recorded_at >= now - timedelta(days=BASELINE_DAYS),
            Observation.recorded_at < now,
        )
    ).all()
    zone = ZoneInfo(participant.effective_timezone())
    days = {at.astimezone(zone).date() for _, at in readings}
    if len(readings) >= BASELINE_MIN_VALUES and len(days) >= BASELINE_MIN_DAYS:
        baseline = sum(v for v, _ in readings) / len(readings)
        worse = value - baseline if kind == "pain" else baseline - value
        if worse >= CHANGE:
            direction = "up" if kind == "pain" else "down"
            detail = (
                f"{kind} {value}/10, {direction} from a 14-day average of {baseline:.1f} "
                f"({len(readings)} readings on {len(days)} days)"
            )
            alert = _raise(session, participant, AlertKind.CHANGE, detail, now, inbound_id)
            if alert:
                raised.append(alert)
    return raised


RULES_BATCH = 500


def run_due_rules(
    session: Session,
    participant_id: int | None = None,
    due_before: datetime | None = None,
    limit: int = RULES_BATCH,
) -> int:
    """Run the rating rules still due (of one participant, or all due since before
    `due_before`), oldest first, each as of the moment the rating came in; commit.

    The webhook stores ratings with `rules_due_at` set and leaves the rules to a job, so a
    text costs the few statements that keep it. Rows are claimed FOR UPDATE SKIP LOCKED on
    PostgreSQL and cleared in the transaction that raises their alerts: a job and the sweep
    racing, or a job run twice, raise nothing twice; a job lost with Redis or a killed worker
    leaves the rows due for the sweep. Returns the ratings checked."""
    query = select(Observation).where(Observation.rules_due_at.is_not(None))
    if participant_id is not None:
        query = query.where(Observation.participant_id == participant_id)
    if due_before is not None:
        query = query.where(Observation.rules_due_at < due_before)
    query = query.order_by(Observation.rules_due_at, Observation.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=Observation)
    due = session.scalars(query).all()
    for observation in due:
        participant = session.get(Participant, observation.participant_id)
        if participant is not None:
            check_observation(session, participant, observation.kind, observation.value,
                              observation.recorded_at, observation.inbound_message_id)  # fmt: skip
        observation.rules_due_at = None
    session.commit()
    return len(due)


def scan_silence(session: Session, now: datetime) -> int:
    """A `no_reply` alert for each active person who was texted but has not replied in 3 days.

    Starts from prompts missed in the last day (index on status, window_ends_at), so the
    cost follows the prompts, not the enrolment.
    """
    candidates = session.scalars(
        select(Prompt.participant_id)
        .where(
            Prompt.status == PromptStatus.MISSED,
            Prompt.window_ends_at >= now - timedelta(days=1),
            Prompt.window_ends_at < now,
        )
        .distinct()
    ).all()
    raised = 0
    for participant_id in candidates:
        participant = session.get(Participant, participant_id)
        if participant is None or participant.status != ParticipantStatus.ACTIVE:
            continue
        if participant.consent_at and participant.consent_at > now - SILENCE:
            continue  # joined too recently to be silent for 3 days
        replied = session.scalar(
            select(
                exists().where(
                    InboundMessage.participant_id == participant.id,
                    InboundMessage.received_at >= now - SILENCE,
                )
            )
        )
        texted = session.scalar(
            select(func.count(Prompt.id)).where(
                Prompt.participant_id == participant.id,
                Prompt.sent_at >= now - SILENCE,
            )
        )
        if replied or not texted:
            continue
        if _recent_alert(session, participant, AlertKind.NO_REPLY, now - SILENCE):
            continue
        session.add(Alert(group_id=participant.group_id, participant=participant, kind=AlertKind.NO_REPLY,
                          detail=f"no reply to {texted} texts in 3 days", created_at=now))  # fmt: skip
        raised += 1
    session.commit()
    return raised
