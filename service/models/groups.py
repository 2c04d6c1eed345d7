"""Groups (a programme cohort) and which staff are assigned to them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from service.models.participants import Participant
    from service.models.staff import StaffUser

group_staff = Table(
    "group_staff",
    Base.metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True),
)


class Group(Base):
    """A facilitated group: its members share a schedule and a care team."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    staff: Mapped[list[StaffUser]] = relationship(
        secondary=group_staff, back_populates="groups", order_by="StaffUser.email"
    )
    participants: Mapped[list[Participant]] = relationship(
        back_populates="group", order_by="Participant.id"
    )
