"""A participant's time zone: suggested from the phone number, chosen by staff, and every
change kept (when, by whom, from, to), since it decides when their texts arrive."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from messages.legal_hours import number_zone
from service.models import Participant, ZoneChange


def suggest_zone(participant: Participant) -> str | None:
    """The zone of the number's area when it is not the one the member follows: offered to
    staff, never applied on its own (people keep their numbers when they move, and a wrong
    zone is a text at night). Until staff decide, the law's nights are kept in both zones."""
    zone = number_zone(participant.phone)
    return zone if zone and zone != participant.effective_timezone() else None


def set_zone(
    session: Session,
    participant: Participant,
    zone: str | None,
    *,
    source: str,
    at: datetime,
    staff_id: int | None = None,
) -> bool:
    """Set the member's own zone (None: the group's) and keep the change; False if unchanged."""
    zone = zone or None
    if zone == participant.timezone:
        return False
    session.add(ZoneChange(participant_id=participant.id, at=at, staff_id=staff_id,
                           from_zone=participant.timezone, to_zone=zone, source=source))  # fmt: skip
    participant.timezone = zone
    return True


def zone_history(session: Session, participant_id: int) -> list[ZoneChange]:
    """The member's zone changes, oldest first."""
    return list(
        session.scalars(
            select(ZoneChange)
            .where(ZoneChange.participant_id == participant_id)
            .order_by(ZoneChange.at, ZoneChange.id)
        )
    )
