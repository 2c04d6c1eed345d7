"""The audit trail's table: one row per read, export, write or sign-in, hash-chained."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from service.platform.db import Base, UTCDateTime


class AuditEvent(Base):
    """Append-only (a trigger refuses UPDATE). No foreign keys on purpose: the trail outlives
    the rows it names (a member's data deleted on request, an account removed)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_staff", "staff_id", "id"),
        Index("ix_audit_events_participant", "participant_id", "id"),
        Index("ix_audit_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    staff_id: Mapped[int | None]
    role: Mapped[str | None] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(45))
    action: Mapped[str] = mapped_column(String(16))  # view, export, write, login, logout
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(40))
    participant_id: Mapped[int | None]
    detail: Mapped[str] = mapped_column(String(255), default="")
    outcome: Mapped[str] = mapped_column(String(16))  # ok, denied, refused, failed
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
