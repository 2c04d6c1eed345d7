"""Groups (a programme cohort) and which staff are assigned to them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.platform.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from service.models.participants import Participant
    from service.models.staff import StaffUser

group_staff = Table(
    "group_staff",
    Base.metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "user_id", ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Group(Base):
    """A facilitated group: its members share a schedule and a care team."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    # The programme as validated JSON (messages.schedule); None means the default programme.
    schedule: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    staff: Mapped[list[StaffUser]] = relationship(
        secondary=group_staff, back_populates="groups", order_by="StaffUser.email"
    )
    participants: Mapped[list[Participant]] = relationship(
        back_populates="group", order_by="Participant.id"
    )
    sessions: Mapped[list[GroupSession]] = relationship(
        back_populates="group", order_by="GroupSession.starts_at"
    )


class GroupSession(Base):
    """A meeting of the group: a check-in is planned before it and a practice nudge after."""

    __tablename__ = "group_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    title: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[Group] = relationship(back_populates="sessions")
