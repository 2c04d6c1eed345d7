"""Messages in both directions, and the prompts they belong to."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.models._types import enum_column
from service.platform.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from service.models.participants import Participant
    from service.models.staff import StaffUser


class MessageStatus(enum.StrEnum):
    """Life of an outbound message. Twilio's own 'queued' is our ACCEPTED."""

    QUEUED = "queued"  # in our outbox, waiting for (or between) send attempts
    SENDING = "sending"  # a worker has claimed it and is talking to Twilio
    ACCEPTED = "accepted"  # Twilio has it (queued/accepted/scheduled on their side)
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    SUPPRESSED = "suppressed"  # never sent: no consent, opted out, invalid number


# Order of progress for status callbacks, which can arrive out of order: never move back.
STATUS_RANK = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.ACCEPTED: 2,
    MessageStatus.SENT: 3,
    MessageStatus.DELIVERED: 4,
    MessageStatus.UNDELIVERED: 4,
    MessageStatus.FAILED: 4,
    MessageStatus.SUPPRESSED: 4,
}


class OutboundMessage(Base):
    """One row of the outbox: the source of truth for what was (to be) sent."""

    __tablename__ = "outbound_messages"
    __table_args__ = (Index("ix_outbound_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    to_phone: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    # "api": sent by a worker through the Messages API; "reply": returned as TwiML to an
    # inbound webhook, so Twilio sends it without an API call.
    channel: Mapped[str] = mapped_column(String(8), default="api")
    status: Mapped[MessageStatus] = mapped_column(
        enum_column(MessageStatus, "message_status"), default=MessageStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)
    twilio_sid: Mapped[str | None] = mapped_column(String(40), unique=True)
    error_code: Mapped[int | None]
    error_message: Mapped[str | None] = mapped_column(String(255))
    # Reconciliation could not tell which Twilio message this row is: an admin decides.
    needs_review: Mapped[bool] = mapped_column(default=False, server_default=false())
    segments: Mapped[int] = mapped_column(default=1)
    # Not to be delivered after this (the start of quiet hours, for prompts); Twilio's
    # ValidityPeriod is shortened to match.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The send slot reserved from the sender's pace (service/messaging/pacing.py): set when the
    # text had to wait its turn, so the job that runs at that time does not reserve again.
    paced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    prompt_id: Mapped[int | None] = mapped_column(
        ForeignKey("prompts.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    participant: Mapped[Participant | None] = relationship()


class InboundMessage(Base):
    """A text a client sent us. Unknown numbers keep only the SID (no health data)."""

    __tablename__ = "inbound_messages"
    __table_args__ = (
        Index("ix_inbound_messages_participant_time", "participant_id", "received_at"),
        Index("ix_inbound_messages_to_read", "participant_id", "to_read", "handled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_sid: Mapped[str] = mapped_column(String(40), unique=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    body: Mapped[str | None] = mapped_column(Text)
    num_media: Mapped[int] = mapped_column(default=0)
    # Set when characters the database cannot store (NUL) were replaced in `body`.
    original_length: Mapped[int | None]
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    intent: Mapped[str | None] = mapped_column(String(16))
    crisis: Mapped[bool] = mapped_column(default=False)
    concern: Mapped[bool] = mapped_column(default=False, server_default=false())
    crisis_reason: Mapped[str | None] = mapped_column(String(16))  # the phrase family
    review: Mapped[str | None] = mapped_column(String(16))  # why a person should read it
    # On the facilitator's "Replies to read" list until someone marks it handled.
    to_read: Mapped[bool] = mapped_column(default=False, server_default=false())
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"), index=True
    )
    prompt_id: Mapped[int | None] = mapped_column(
        ForeignKey("prompts.id", ondelete="SET NULL"), index=True
    )
    late: Mapped[bool] = mapped_column(default=False)
    reply_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_messages.id", ondelete="SET NULL"), index=True
    )

    participant: Mapped[Participant | None] = relationship()
    handled_by: Mapped[StaffUser | None] = relationship()


class PromptStatus(enum.StrEnum):
    """Life of a scheduled prompt."""

    PLANNED = "planned"
    SENT = "sent"
    ANSWERED = "answered"  # a check-in with a value
    DONE = "done"  # an exercise the client did
    SKIPPED = "skipped"
    MISSED = "missed"  # no answer inside the response window
    CANCELLED = "cancelled"  # not sent: paused, opted out, quiet hours, ...


class Prompt(Base):
    """One planned text for one participant in one slot; the slot key makes planning idempotent."""

    __tablename__ = "prompts"
    __table_args__ = (
        UniqueConstraint("participant_id", "slot_key"),
        Index("ix_prompts_participant_sent", "participant_id", "sent_at"),
        Index("ix_prompts_status_window", "status", "window_ends_at"),
        Index("ix_prompts_status_scheduled", "status", "scheduled_for"),
        Index("ix_prompts_status_reminder", "status", "reminder_at"),
        # EMA compliance over a date range (the clinician dashboard): an index-only scan of
        # the prompts that asked for an answer, not the whole table. PostgreSQL only; the
        # columns it carries are those compliance() reads.
        Index(
            "ix_prompts_answerable_scheduled",
            "scheduled_for",
            postgresql_include=[
                "participant_id",
                "status",
                "sent_at",
                "answered_at",
                "window_ends_at",
            ],
            postgresql_where=text("expecting IS NOT NULL AND sent_at IS NOT NULL"),
            sqlite_where=text("expecting IS NOT NULL AND sent_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    slot_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    expecting: Mapped[str | None] = mapped_column(String(8))  # pain, mood, checkin, or None
    content_key: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[PromptStatus] = mapped_column(
        enum_column(PromptStatus, "prompt_status"), default=PromptStatus.PLANNED
    )
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    window_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    participant: Mapped[Participant] = relationship()
