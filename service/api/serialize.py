"""Model -> JSON dicts for the API (one place, so every endpoint says the same thing)."""

from __future__ import annotations

from typing import Any

from service.models import (
    Alert,
    Group,
    InboundMessage,
    Observation,
    OutboundMessage,
    Participant,
)
from service.platform.db import iso, utcnow
from service.programme.status import status_of
from service.programme.zones import suggest_zone


def group_json(group: Group) -> dict[str, Any]:
    """A group with its staff (ids, roles) and member count."""
    return {
        "id": group.id,
        "name": group.name,
        "timezone": group.timezone,
        "created_at": iso(group.created_at),
        "staff": [{"id": u.id, "email": u.email, "role": u.role.value} for u in group.staff],
        "participant_count": len(group.participants),
    }


def participant_json(p: Participant) -> dict[str, Any]:
    """A participant's enrolment state."""
    return {
        "id": p.id,
        "group_id": p.group_id,
        "phone": p.phone,
        "name": p.name,
        "timezone": p.effective_timezone(),
        "own_timezone": p.timezone,  # None: the member follows the group's zone
        "suggested_timezone": suggest_zone(p),  # the number's area-code zone, when it differs
        "language": p.language,
        "status": p.status.value,
        "number_status": p.number_status.value,
        "consent_at": iso(p.consent_at),
        "consent_source": p.consent_source,
        "paused_until": iso(p.paused_until),
        "flare_until": iso(p.flare_until),
        "display_status": _display_status(p),
        "created_at": iso(p.created_at),
    }


def _display_status(p: Participant) -> dict[str, Any]:
    view = status_of(p, utcnow())
    return {"word": view.word, "label": view.label, "until": iso(view.until)}


def outbound_json(m: OutboundMessage) -> dict[str, Any]:
    """One message we sent (or will send)."""
    return {
        "direction": "outbound",
        "id": m.id,
        "kind": m.kind,
        "body": m.body,
        "status": m.status.value,
        "segments": m.segments,
        "error_code": m.error_code,
        "error": m.error_message,
        "at": iso(m.sent_at or m.created_at),
    }


def inbound_json(m: InboundMessage) -> dict[str, Any]:
    """One message a participant sent."""
    return {
        "direction": "inbound",
        "id": m.id,
        "body": m.body,
        "intent": m.intent,
        "crisis": m.crisis,
        "concern": m.concern,
        "crisis_reason": m.crisis_reason,
        "review": m.review,
        "late": m.late,
        "at": iso(m.received_at),
    }


def reply_to_read_json(m: InboundMessage, why: str) -> dict[str, Any]:
    """One reply on a group's "Replies to read" list."""
    return {
        **inbound_json(m),
        "participant_id": m.participant_id,
        "why": why,
        "handled_at": iso(m.handled_at),
        "handled_by_id": m.handled_by_id,
    }


def observation_json(o: Observation) -> dict[str, Any]:
    """One pain or mood rating."""
    return {
        "id": o.id,
        "kind": o.kind,
        "value": o.value,
        "recorded_at": iso(o.recorded_at),
        "source": {"inbound_message_id": o.inbound_message_id, "prompt_id": o.prompt_id},
        "late": o.late,
    }


def alert_json(a: Alert) -> dict[str, Any]:
    """An alert with how the on-call contact was notified."""
    return {
        "id": a.id,
        "group_id": a.group_id,
        "participant_id": a.participant_id,
        "kind": a.kind.value,
        "detail": a.detail,
        "created_at": iso(a.created_at),
        "reason": a.reason,
        "acknowledged_at": iso(a.acknowledged_at),
        "acknowledged_by": a.acknowledged_by_id,
        "ack_action": a.ack_action,
        "ack_note": a.ack_note,
        "escalations": a.escalations,
        "next_escalation_at": iso(a.next_escalation_at),
        "notifications": [
            {
                "channel": n.channel,
                "round": n.round,
                "status": n.status.value,
                "attempts": n.attempts,
                "last_error": n.last_error,
                "sent_at": iso(n.sent_at),
                "delivery": n.outbound_message.status.value if n.outbound_message else None,
            }
            for n in a.notifications
        ],
    }
