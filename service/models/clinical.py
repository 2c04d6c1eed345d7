"""What clinicians read: observations (pain, mood), alerts and how on-call was notified."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.models._types import enum_column
from service.platform.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from service.models.messaging import OutboundMessage
    from service.models.participants import Participant
    from service.models.staff import StaffUser


class Observation(Base):
    """One pain or mood rating, 0-10, from one inbound message."""

    __tablename__ = "observations"
    __table_args__ = (
        CheckConstraint("value >= 0 AND value <= 10", name="value_0_10"),
        CheckConstraint("kind IN ('pain', 'mood')", name="kind_pain_mood"),
        Index("ix_observations_participant_time", "participant_id", "recorded_at"),
        # Each member's latest rating of a kind (the dashboard): one index probe each.
        Index("ix_observations_participant_kind_time", "participant_id", "kind", "recorded_at"),
        # The group's daily spreads over a date range: an index-only scan on PostgreSQL.
        Index(
            "ix_observations_recorded",
            "recorded_at",
            postgresql_include=["participant_id", "kind", "value"],
        ),
        # Ratings whose alert rules (high pain, change from baseline) have not run yet.
        Index(
            "ix_observations_rules_due",
            "rules_due_at",
            postgresql_where=text("rules_due_at IS NOT NULL"),
            sqlite_where=text("rules_due_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[int]
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    inbound_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_messages.id", ondelete="SET NULL"), index=True
    )
    prompt_id: Mapped[int | None] = mapped_column(
        ForeignKey("prompts.id", ondelete="SET NULL"), index=True
    )
    late: Mapped[bool] = mapped_column(default=False)
    # Set when the rating is stored; cleared by the alert-rules job (jobs/rules.py) in the
    # transaction that raises any alert it calls for. The sweep runs what a lost job left.
    rules_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    participant: Mapped[Participant] = relationship()


class AlertKind(enum.StrEnum):
    """Why the care team is being asked to look."""

    CRISIS = "crisis"
    CONCERN = "concern"  # negated or third-party mention: the same reply, marked for review
    FLARE = "flare"
    HIGH_PAIN = "high_pain"
    CHANGE = "change"
    NO_REPLY = "no_reply"
    SCREEN = "screen"  # a positive PHQ-2 or GAD-2 (3 or more)


class Alert(Base):
    """Something a clinician must see and acknowledge."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_group_open", "group_id", "acknowledged_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[AlertKind] = mapped_column(enum_column(AlertKind, "alert_kind"))
    detail: Mapped[str] = mapped_column(String(255), default="")
    reason: Mapped[str | None] = mapped_column(String(16))  # crisis phrase family, if any
    inbound_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_messages.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"), index=True
    )
    ack_action: Mapped[str | None] = mapped_column(String(32))  # what was done (alert_workflow)
    ack_note: Mapped[str | None] = mapped_column(Text)
    escalations: Mapped[int] = mapped_column(default=0, server_default="0")
    # When an unacknowledged crisis or concern alert next notifies more people (None: never).
    next_escalation_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    participant: Mapped[Participant] = relationship()
    acknowledged_by: Mapped[StaffUser | None] = relationship(foreign_keys=[acknowledged_by_id])
    notifications: Mapped[list[AlertNotification]] = relationship(
        back_populates="alert", order_by="AlertNotification.id"
    )


class NotificationStatus(enum.StrEnum):
    """Delivery of an on-call notification."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after retries: shown on the alert, never silently dropped


class AlertNotification(Base):
    """One attempt-tracked notification of an alert to the on-call contact (SMS or email)."""

    __tablename__ = "alert_notifications"
    __table_args__ = (Index("ix_alert_notifications_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(8))  # sms or email
    target: Mapped[str] = mapped_column(String(254))
    status: Mapped[NotificationStatus] = mapped_column(
        enum_column(NotificationStatus, "notification_status"), default=NotificationStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(255))
    outbound_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_messages.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    round: Mapped[int] = mapped_column(default=0, server_default="0")  # 0 first, 1+ escalations

    alert: Mapped[Alert] = relationship(back_populates="notifications")
    outbound_message: Mapped[OutboundMessage | None] = relationship()


class SurveyStatus(enum.StrEnum):
    """Where a survey texted one item at a time stands."""

    OPEN = "open"  # items still to ask
    COMPLETE = "complete"  # every item answered: scored
    PARTIAL = "partial"  # the window ended with some items answered
    EXPIRED = "expired"  # the window ended with none answered


class SurveyResponse(Base):
    """One administration of a standard measure (PEG, PHQ-2, GAD-2) to one participant."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        Index("ix_survey_responses_participant_status", "participant_id", "status"),
        Index("ix_survey_responses_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    prompt_id: Mapped[int | None] = mapped_column(
        ForeignKey("prompts.id", ondelete="SET NULL"), index=True
    )
    instrument: Mapped[str] = mapped_column(String(8))  # peg, phq2, gad2
    version: Mapped[str] = mapped_column(String(8), default="1")
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[SurveyStatus] = mapped_column(
        enum_column(SurveyStatus, "survey_status"), default=SurveyStatus.OPEN
    )
    item_index: Mapped[int] = mapped_column(default=0)  # the item being asked
    reasked: Mapped[bool] = mapped_column(default=False)  # the current item was asked again
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[float | None]
    positive: Mapped[bool | None]

    participant: Mapped[Participant] = relationship()
    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response", order_by="SurveyAnswer.id", cascade="all, delete-orphan"
    )


class SurveyAnswer(Base):
    """One item's answer; `value` None when it could not be read twice (skipped)."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("response_id", "link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    link_id: Mapped[str] = mapped_column(String(16))
    value: Mapped[int | None]
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    inbound_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_messages.id", ondelete="SET NULL"), index=True
    )

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
