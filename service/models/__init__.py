"""Paceline's tables, in SQLAlchemy 2.0 typed style. Import models from here."""

from service.models.audit import AuditEvent
from service.models.clinical import (
    Alert,
    AlertKind,
    AlertNotification,
    NotificationStatus,
    Observation,
    SurveyAnswer,
    SurveyResponse,
    SurveyStatus,
)
from service.models.groups import Group, GroupSession, group_staff
from service.models.messaging import (
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    Prompt,
    PromptStatus,
)
from service.models.participants import (
    ConsentEvent,
    NumberStatus,
    Participant,
    ParticipantStatus,
    SuppressedNumber,
    ZoneChange,
)
from service.models.staff import ApiToken, PasswordReset, Role, StaffSession, StaffUser

__all__ = [
    "Alert",
    "AlertKind",
    "AlertNotification",
    "ApiToken",
    "AuditEvent",
    "ConsentEvent",
    "Group",
    "GroupSession",
    "InboundMessage",
    "MessageStatus",
    "NotificationStatus",
    "NumberStatus",
    "Observation",
    "OutboundMessage",
    "Participant",
    "ParticipantStatus",
    "PasswordReset",
    "Prompt",
    "PromptStatus",
    "Role",
    "StaffSession",
    "StaffUser",
    "SuppressedNumber",
    "SurveyAnswer",
    "SurveyResponse",
    "SurveyStatus",
    "ZoneChange",
    "group_staff",
]
