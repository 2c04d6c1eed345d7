"""Loading resources for the current user: 404 when missing, 403 when not theirs."""

from __future__ import annotations

from flask import g

from service.api import ApiError
from service.models import Alert, Group, InboundMessage, Participant
from service.platform.db import db
from service.staff.auth import can_read_group, can_write_group


def group_for(group_id: int, write: bool = False) -> Group:
    """The group, if the current user may read (or write) it."""
    group = db.session().get(Group, group_id)
    if group is None:
        raise ApiError(404, f"no group {group_id}")
    allowed = can_write_group(g.user, group) if write else can_read_group(g.user, group)
    if not allowed:
        raise ApiError(
            403,
            "you are not assigned to this group" if not write else "you may not change this group",
        )
    return group


def participant_for(participant_id: int, write: bool = False) -> Participant:
    """The participant, if the current user may read (or write) their group."""
    participant = db.session().get(Participant, participant_id)
    if participant is None:
        raise ApiError(404, f"no participant {participant_id}")
    group_for(participant.group_id, write=write)
    return participant


def alert_for(alert_id: int) -> Alert:
    """The alert, if the current user may read its group."""
    alert = db.session().get(Alert, alert_id)
    if alert is None:
        raise ApiError(404, f"no alert {alert_id}")
    group_for(alert.group_id)
    return alert


def inbound_for(message_id: int) -> InboundMessage:
    """An inbound message of a known participant, if the current user may read their group."""
    message = db.session().get(InboundMessage, message_id)
    if message is None or message.participant is None:
        raise ApiError(404, f"no reply {message_id}")
    group_for(message.participant.group_id)
    return message
