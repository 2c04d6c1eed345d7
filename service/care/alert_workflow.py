"""The alert workflow: triage order, acknowledgement with an action, escalation until a person acts.

A crisis or concern alert that nobody acknowledges within CRISIS_ESCALATE_MINUTES notifies
the on-call contact again and every clinician of the group, and repeats at most
CRISIS_ESCALATE_MAX times. Each round is claimed with a conditional UPDATE, so two clocks
never escalate one alert twice, and a restart loses nothing: the schedule is in the row.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from service.models import Alert, AlertKind, AlertNotification, Group, Role, StaffUser
from service.platform.settings import Settings

log = logging.getLogger(__name__)

# What the person who acknowledges did; the first is the default nowhere: it must be chosen.
ACK_ACTIONS = {
    "called_client": "Called the client",
    "left_message": "Left a message",
    "texted_client": "Texted the client",
    "saw_client": "Saw the client in person",
    "referred": "Referred (crisis team, GP, emergency services)",
    "emergency_services": "Called emergency services",
    "discussed_in_session": "Discussed in the group session",
    "no_action_needed": "No action needed",
    "other": "Other (see note)",
}
# What staff read for each kind of alert (pages, charts, the API's `kind_label`).
ALERT_NAMES = {
    "crisis": "Crisis",
    "concern": "Concern",
    "high_pain": "High pain",
    "change": "Worsening",
    "flare": "Flare",
    "no_reply": "No reply for 3 days",
    "screen": "Positive screen",
}
NOTE_MAX = 1000
URGENT_KINDS = frozenset({AlertKind.CRISIS, AlertKind.CONCERN})
# Triage order: the most serious first.
SEVERITY = {
    AlertKind.CRISIS: 0,
    AlertKind.CONCERN: 1,
    AlertKind.SCREEN: 2,
    AlertKind.HIGH_PAIN: 2,
    AlertKind.CHANGE: 3,
    AlertKind.FLARE: 4,
    AlertKind.NO_REPLY: 5,
}


class AckError(Exception):
    """An acknowledgement that cannot be recorded, with a message for the person."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


def triage_key(alert: Alert) -> tuple[int, int, float]:
    """Open before acknowledged, then by severity, then the longest waiting first."""
    opened = alert.acknowledged_at is None
    age = alert.created_at.timestamp()
    return (0 if opened else 1, SEVERITY.get(alert.kind, 9), age if opened else -age)


def may_acknowledge(user: StaffUser, alert: Alert, settings: Settings) -> bool:
    """Clinicians and admins acknowledge anything; facilitators only the kinds the clinic allows
    (FACILITATOR_ACK_KINDS), never a crisis or a concern."""
    if user.role in (Role.ADMIN, Role.CLINICIAN):
        return True
    return alert.kind not in URGENT_KINDS and alert.kind.value in settings.facilitator_ack_kinds


def acknowledge(
    alert: Alert,
    user: StaffUser,
    action: str | None,
    note: str | None,
    now: datetime,
    settings: Settings,
) -> bool:
    """Record who handled `alert`, when, what they did and why; the first acknowledgement is
    kept (False when it already was). Raises AckError on a missing action or a role that may
    not acknowledge this kind."""
    if not may_acknowledge(user, alert, settings):
        raise AckError(f"a {user.role.value} may not acknowledge a {alert.kind.value} alert", 403)
    if alert.acknowledged_at is not None:
        return False
    if action not in ACK_ACTIONS:
        raise AckError("choose what was done: " + ", ".join(ACK_ACTIONS))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise AckError(f"the note is {len(note)} characters; at most {NOTE_MAX}")
    if action == "other" and not note:
        raise AckError("say in the note what was done")
    alert.acknowledged_at = now
    alert.acknowledged_by_id = user.id
    alert.ack_action = action
    alert.ack_note = note or None
    alert.next_escalation_at = None
    return True


def first_escalation(settings: Settings, kind: AlertKind, created_at: datetime) -> datetime | None:
    """When an unacknowledged alert of `kind` escalates first (None: it never does)."""
    if kind not in URGENT_KINDS or settings.crisis_escalate_max == 0:
        return None
    return created_at + timedelta(minutes=settings.crisis_escalate_minutes)


def escalate_due(session: Session, settings: Settings, now: datetime) -> int:
    """Escalate every crisis or concern alert whose time has come; return how many."""
    due = session.scalars(
        select(Alert)
        .where(
            Alert.acknowledged_at.is_(None),
            Alert.next_escalation_at.is_not(None),
            Alert.next_escalation_at <= now,
        )
        .options(selectinload(Alert.participant))
        .order_by(Alert.next_escalation_at)
        .limit(200)
    ).all()
    escalated = 0
    for alert in due:
        level = alert.escalations
        more = level + 1 < settings.crisis_escalate_max
        claimed = session.execute(
            update(Alert)
            .where(
                Alert.id == alert.id, Alert.escalations == level, Alert.acknowledged_at.is_(None)
            )
            .values(
                escalations=level + 1,
                next_escalation_at=(
                    now + timedelta(minutes=settings.crisis_escalate_minutes) if more else None
                ),
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            continue  # another clock took this round, or someone acknowledged it meanwhile
        for channel, target in _targets(session, settings, alert):
            session.add(
                AlertNotification(
                    alert_id=alert.id,
                    channel=channel,
                    target=target,
                    round=level + 1,
                    next_attempt_at=now,
                )
            )
        session.commit()
        escalated += 1
        log.warning("alert %s not acknowledged: escalation round %d", alert.id, level + 1)
    return escalated


def _targets(session: Session, settings: Settings, alert: Alert) -> list[tuple[str, str]]:
    """The on-call contact again, and every clinician of the alert's group (by email)."""
    targets: list[tuple[str, str]] = []
    if settings.crisis_alert_phone:
        targets.append(("sms", settings.crisis_alert_phone))
    if settings.crisis_alert_email:
        targets.append(("email", settings.crisis_alert_email))
    group = session.get(Group, alert.group_id)
    for member in group.staff if group else []:
        if member.role == Role.CLINICIAN and member.active:
            if ("email", member.email) not in targets:
                targets.append(("email", member.email))
    return targets
