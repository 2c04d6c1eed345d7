"""A member's data: everything held about them (their right of access), its deletion on
request, and the retention rule for people who have left.

`member_record` gathers what Paceline holds about one member; `erase_member` deletes all of it
(messages both ways, logs, prompts, alerts and the on-call texts that named them, consent and
zone history, the member row) in the caller's transaction, keeping only a keyed digest of the
number when they had opted out, so deletion never restarts texts they stopped. The audit trail
keeps the deletion (who, when, why, how many rows) and nothing of the data.

The daily retention job (jobs/retention.py) erases members who left more than
RETENTION_DAYS_AFTER_EXIT ago with `due_for_erasure` and `erase_member`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from service.models import (
    Alert,
    AlertNotification,
    ConsentEvent,
    InboundMessage,
    Observation,
    OutboundMessage,
    Participant,
    ParticipantStatus,
    Prompt,
    SurveyResponse,
    ZoneChange,
)
from service.platform.db import iso, utcnow
from service.platform.settings import Settings
from service.programme.consent import suppress_number


@dataclass(frozen=True)
class Erased:
    """What one erasure removed, by kind (for the audit row and the confirmation)."""

    messages: int
    logs: int
    alerts: int
    prompts: int

    def describe(self) -> str:
        return (f"{self.messages} messages, {self.logs} logs, {self.alerts} alerts, "
                f"{self.prompts} prompts")  # fmt: skip


def holdings(session: Session, participant_id: int) -> Erased:
    """How much is held about a member: shown before a deletion is confirmed."""

    def count(model: type, column: object) -> int:
        return session.scalar(select(func.count()).select_from(model).where(column == participant_id)) or 0  # type: ignore[operator]  # fmt: skip

    return Erased(
        messages=count(InboundMessage, InboundMessage.participant_id)
        + count(OutboundMessage, OutboundMessage.participant_id),
        logs=count(Observation, Observation.participant_id),
        alerts=count(Alert, Alert.participant_id),
        prompts=count(Prompt, Prompt.participant_id),
    )


def member_record(session: Session, participant: Participant) -> dict[str, object]:
    """Everything Paceline holds about one member, as JSON-ready data (a subject access
    request, and what an admin downloads before deleting)."""
    pid = participant.id

    def rows(model: type, order: object) -> list:
        return list(session.scalars(select(model).where(model.participant_id == pid).order_by(order)))  # type: ignore[attr-defined]  # fmt: skip

    return {
        "exported_at": iso(utcnow()),
        "member": {
            "id": pid, "phone": participant.phone, "name": participant.name,
            "group": participant.group.name, "language": participant.language,
            "timezone": participant.timezone, "status": participant.status.value,
            "number_status": participant.number_status.value,
            "consent_at": iso(participant.consent_at), "consent_source": participant.consent_source,
            "opted_out_at": iso(participant.opted_out_at),
            "withdrawn_at": iso(participant.withdrawn_at),
            "quiet_start": participant.quiet_start, "quiet_end": participant.quiet_end,
            "preferred_times": participant.preferred_times,
            "enrolled_at": iso(participant.created_at),
        },
        "consent": [consent_json(e) for e in rows(ConsentEvent, ConsentEvent.at)],
        "timezone_changes": [
            {"at": iso(z.at), "from": z.from_zone, "to": z.to_zone, "source": z.source,
             "staff_id": z.staff_id}
            for z in rows(ZoneChange, ZoneChange.at)
        ],
        "logs": [
            {"at": iso(o.recorded_at), "kind": o.kind, "value": o.value, "late": o.late}
            for o in rows(Observation, Observation.recorded_at)
        ],
        "messages_received": [
            {"at": iso(m.received_at), "body": m.body, "intent": m.intent, "crisis": m.crisis,
             "message_sid": m.message_sid}
            for m in rows(InboundMessage, InboundMessage.received_at)
        ],
        "messages_sent": [
            {"created_at": iso(m.created_at), "sent_at": iso(m.sent_at),
             "delivered_at": iso(m.delivered_at), "kind": m.kind, "body": m.body,
             "status": m.status.value, "message_sid": m.twilio_sid}
            for m in rows(OutboundMessage, OutboundMessage.created_at)
        ],
        "prompts": [
            {"kind": p.kind, "status": p.status.value, "scheduled_for": iso(p.scheduled_for),
             "sent_at": iso(p.sent_at), "answered_at": iso(p.answered_at)}
            for p in rows(Prompt, Prompt.scheduled_for)
        ],
        "alerts": [
            {"kind": a.kind.value, "created_at": iso(a.created_at), "detail": a.detail,
             "acknowledged_at": iso(a.acknowledged_at)}
            for a in rows(Alert, Alert.created_at)
        ],
        "surveys": [
            {"instrument": r.instrument, "status": r.status.value, "started_at": iso(r.started_at),
             "completed_at": iso(r.completed_at), "score": r.score, "positive": r.positive,
             "answers": {a.link_id: a.value for a in r.answers}}
            for r in rows(SurveyResponse, SurveyResponse.started_at)
        ],
    }  # fmt: skip


def consent_json(event: ConsentEvent) -> dict[str, object]:
    """One consent event as exported (per member, and in the member's whole record)."""
    return {
        "at": iso(event.at), "kind": event.kind, "source": event.source,
        "channel": event.channel, "wording_version": event.wording_version,
        "wording": event.wording, "words": event.words, "message_sid": event.message_sid,
        "staff_id": event.staff_id,
    }  # fmt: skip


def erase_member(session: Session, settings: Settings, participant: Participant) -> Erased:
    """Delete everything held about `participant`, in the caller's transaction (no commit).

    An opted-out number leaves a keyed digest behind, so it is never invited again.
    """
    pid = participant.id
    counts = holdings(session, pid)
    if participant.status == ParticipantStatus.OPTED_OUT or participant.opted_out_at:
        suppress_number(session, settings, participant.phone, participant.opted_out_at)
    alert_ids = select(Alert.id).where(Alert.participant_id == pid)
    # On-call texts and emails named the member: they go with the alerts they were about.
    notified = list(session.scalars(
        select(AlertNotification.outbound_message_id).where(
            AlertNotification.alert_id.in_(alert_ids),
            AlertNotification.outbound_message_id.is_not(None),
        )
    ))  # fmt: skip
    statements = [
        delete(AlertNotification).where(AlertNotification.alert_id.in_(alert_ids)),
        delete(Alert).where(Alert.participant_id == pid),
        delete(Observation).where(Observation.participant_id == pid),
        delete(InboundMessage).where(InboundMessage.participant_id == pid),
        delete(OutboundMessage).where(
            or_(OutboundMessage.participant_id == pid, OutboundMessage.id.in_(notified))
        ),
        delete(Prompt).where(Prompt.participant_id == pid),
        delete(ConsentEvent).where(ConsentEvent.participant_id == pid),
        delete(ZoneChange).where(ZoneChange.participant_id == pid),
        delete(Participant).where(Participant.id == pid),
    ]
    for statement in statements:
        session.execute(statement.execution_options(synchronize_session=False))
    session.expunge(participant)
    return counts


def due_for_erasure(session: Session, settings: Settings, now: datetime, limit: int) -> list[Participant]:  # fmt: skip
    """Members withdrawn or opted out more than RETENTION_DAYS_AFTER_EXIT before `now`."""
    cutoff = now - timedelta(days=settings.retention_days_after_exit)
    return list(session.scalars(
        select(Participant)
        .where(
            Participant.status.in_((ParticipantStatus.OPTED_OUT, ParticipantStatus.WITHDRAWN)),
            func.coalesce(Participant.opted_out_at, Participant.withdrawn_at) < cutoff,
        )
        .order_by(Participant.id)
        .limit(limit)
    ))  # fmt: skip


def exit_time(participant: Participant) -> datetime | None:
    """When the member left: opted out or withdrawn (the start of the retention clock)."""
    return participant.opted_out_at or participant.withdrawn_at
