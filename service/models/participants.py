"""Participants: the clients who get the texts, with consent and number validity."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.models._types import enum_column
from service.platform.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from service.models.groups import Group


class ParticipantStatus(enum.StrEnum):
    """Where a participant is in their enrolment."""

    INVITED = "invited"  # invitation sent, waiting for YES (double opt-in)
    ACTIVE = "active"
    PAUSED = "paused"
    OPTED_OUT = "opted_out"
    WITHDRAWN = "withdrawn"  # removed by staff


class NumberStatus(enum.StrEnum):
    """Whether the phone number can receive SMS, as far as Twilio has told us."""

    OK = "ok"
    INVALID = "invalid"  # Twilio 21211 / 30005
    NOT_MOBILE = "not_mobile"  # Twilio 21614 / 30006


class Participant(Base):
    """A client enrolled in a group by phone number."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="RESTRICT"), index=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[ParticipantStatus] = mapped_column(
        enum_column(ParticipantStatus, "participant_status"), default=ParticipantStatus.INVITED
    )
    number_status: Mapped[NumberStatus] = mapped_column(
        enum_column(NumberStatus, "number_status"), default=NumberStatus.OK
    )
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_source: Mapped[str | None] = mapped_column(String(40))
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Withdrawn by staff; with opted_out_at, the start of the retention clock
    # (RETENTION_DAYS_AFTER_EXIT).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    flare_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # Personal overrides of the group's programme.
    quiet_start: Mapped[str | None] = mapped_column(String(5))  # "HH:MM"
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    preferred_times: Mapped[dict | None] = mapped_column(JSON)  # {"checkin_both": "20:00"}
    # Planning state: slots are keyed by epoch, so a change (pause, schedule edit) bumps the
    # epoch and replans without colliding with cancelled slots; next_plan_at is indexed so a
    # tick touches only the people who are due.
    plan_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    next_plan_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    group: Mapped[Group] = relationship(back_populates="participants")

    @property
    def can_receive(self) -> bool:
        """True when ordinary texts may be sent: consented, not stopped, number working."""
        return (
            self.status in (ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED)
            and self.number_status == NumberStatus.OK
        )

    def effective_timezone(self) -> str:
        """The participant's own zone, or the group's."""
        return self.timezone or self.group.timezone


class ConsentEvent(Base):
    """Evidence of one opt-in or opt-out: what the person answered, how, when, with which SID.

    An opt-in keeps the exact wording the person said YES to (`wording`, and `wording_version`
    naming the catalogue text and a digest of it); an opt-out keeps the words they used.
    """

    __tablename__ = "consent_events"
    __table_args__ = (Index("ix_consent_events_participant", "participant_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # opt_in, opt_out
    source: Mapped[str] = mapped_column(String(40))  # sms_yes, sms_stop, carrier_opt_out, ...
    channel: Mapped[str] = mapped_column(String(8))  # sms, carrier, web (staff), api
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    wording_version: Mapped[str | None] = mapped_column(String(64))
    wording: Mapped[str | None] = mapped_column(Text)
    words: Mapped[str | None] = mapped_column(String(160))  # what they texted (opt-outs)
    message_sid: Mapped[str | None] = mapped_column(String(40))
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"), index=True
    )


class ZoneChange(Base):
    """One change of a participant's time zone: when, by whom, from, to and why."""

    __tablename__ = "zone_changes"
    __table_args__ = (Index("ix_zone_changes_participant", "participant_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"), index=True
    )
    from_zone: Mapped[str | None] = mapped_column(String(64))  # None: the group's zone
    to_zone: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(24))  # phone_number, staff, api


class SuppressedNumber(Base):
    """A number whose owner opted out and whose data has since been deleted: only a keyed
    digest is kept, so the number is never invited again (no text after STOP) and cannot be
    read back."""

    __tablename__ = "suppressed_numbers"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
