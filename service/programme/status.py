"""One status rule for every page and the API: what a member's texts are doing now, and until when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from service.models import NumberStatus, Participant, ParticipantStatus

LABELS = {
    "active": "Active",
    "invited": "Invited (no YES yet)",
    "paused": "Paused",
    "flare": "Flare: fewer, gentler texts",
    "opted_out": "Opted out (STOP)",
    "withdrawn": "Withdrawn",
    "invalid": "Number cannot take texts",
    "not_mobile": "Not a mobile number",
}


@dataclass(frozen=True)
class StatusView:
    """A member's status as staff read it."""

    word: str  # active, invited, paused, flare, opted_out, withdrawn, invalid, not_mobile
    until: datetime | None  # when a pause or a flare ends

    @property
    def label(self) -> str:
        """The words shown to staff (never an internal code)."""
        return LABELS[self.word]


def status_of(participant: Participant, now: datetime) -> StatusView:
    """An unusable number wins, then a pause, then a flare, then the consent status."""
    if participant.number_status != NumberStatus.OK:
        return StatusView(participant.number_status.value, None)
    if participant.status == ParticipantStatus.PAUSED:
        return StatusView("paused", participant.paused_until)
    if (
        participant.status == ParticipantStatus.ACTIVE
        and participant.flare_until
        and participant.flare_until > now
    ):
        return StatusView("flare", participant.flare_until)
    return StatusView(participant.status.value, None)
