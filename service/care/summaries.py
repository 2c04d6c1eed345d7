"""What clinicians read: adherence, latest values and series, computed from the tables."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.models import Group, Observation, Participant, Prompt, PromptStatus

SENT_STATUSES = (
    PromptStatus.SENT, PromptStatus.ANSWERED, PromptStatus.DONE, PromptStatus.SKIPPED, PromptStatus.MISSED,
)  # fmt: skip
ANSWERED_STATUSES = (PromptStatus.ANSWERED, PromptStatus.DONE)


@dataclass(frozen=True)
class Adherence:
    """Answered (or done) prompts over prompts sent, in a window."""

    answered: int
    sent: int

    @property
    def percent(self) -> int | None:
        """Whole percent, or None when nothing was sent."""
        return round(100 * self.answered / self.sent) if self.sent else None


@dataclass(frozen=True)
class MemberSummary:
    """One row of the clinician dashboard."""

    participant: Participant
    adherence_7: Adherence
    adherence_30: Adherence
    latest_pain: Observation | None
    latest_mood: Observation | None


def adherence(
    session: Session, participant_ids: list[int], since: datetime
) -> dict[int, Adherence]:
    """Adherence per participant since `since` (one grouped query)."""
    rows = session.execute(
        select(Prompt.participant_id, Prompt.status, func.count())
        .where(
            Prompt.participant_id.in_(participant_ids),
            Prompt.sent_at >= since,
            Prompt.status.in_(SENT_STATUSES),
        )
        .group_by(Prompt.participant_id, Prompt.status)
    ).all()
    sent: dict[int, int] = defaultdict(int)
    answered: dict[int, int] = defaultdict(int)
    for pid, status, count in rows:
        sent[pid] += count
        if status in ANSWERED_STATUSES:
            answered[pid] += count
    return {pid: Adherence(answered[pid], sent[pid]) for pid in participant_ids}


def latest(session: Session, participant_ids: list[int], kind: str) -> dict[int, Observation]:
    """Each participant's most recent observation of `kind`."""
    newest = (
        select(Observation.participant_id, func.max(Observation.id).label("id"))
        .where(Observation.participant_id.in_(participant_ids), Observation.kind == kind)
        .group_by(Observation.participant_id)
        .subquery()
    )
    rows = session.scalars(select(Observation).join(newest, Observation.id == newest.c.id)).all()
    return {o.participant_id: o for o in rows}


def group_summary(session: Session, group: Group, now: datetime) -> list[MemberSummary]:
    """A row per member: adherence over 7 and 30 days, latest pain and mood."""
    members = list(group.participants)
    ids = [p.id for p in members]
    a7 = adherence(session, ids, now - timedelta(days=7))
    a30 = adherence(session, ids, now - timedelta(days=30))
    pain = latest(session, ids, "pain")
    mood = latest(session, ids, "mood")
    return [MemberSummary(p, a7[p.id], a30[p.id], pain.get(p.id), mood.get(p.id)) for p in members]


def series(
    session: Session, participant_id: int, since: datetime | None = None
) -> list[Observation]:
    """A participant's observations (since `since`, or all), oldest first."""
    query = select(Observation).where(Observation.participant_id == participant_id)
    if since is not None:
        query = query.where(Observation.recorded_at >= since)
    return list(session.scalars(query.order_by(Observation.recorded_at, Observation.id)))


@dataclass(frozen=True)
class DayDistribution:
    """One day of the group's ratings of one kind."""

    day: date
    low: float
    q1: float
    median: float
    q3: float
    high: float
    n: int


def group_distribution(
    session: Session, group: Group, kind: str, since: datetime
) -> list[DayDistribution]:
    """Per local day: min, quartiles, max of the group's ratings (for the group chart)."""
    zone = ZoneInfo(group.timezone)
    rows = session.execute(
        select(Observation.recorded_at, Observation.value)
        .join(Participant, Participant.id == Observation.participant_id)
        .where(
            Participant.group_id == group.id,
            Observation.kind == kind,
            Observation.recorded_at >= since,
        )
    ).all()
    by_day: dict[date, list[int]] = defaultdict(list)
    for at, value in rows:
        by_day[at.astimezone(zone).date()].append(value)
    out = []
    for day, values in sorted(by_day.items()):
        values.sort()
        if len(values) >= 2:
            q1, med, q3 = statistics.quantiles(values, n=4, method="inclusive")
        else:
            q1 = med = q3 = float(values[0])
        out.append(DayDistribution(day, values[0], q1, med, q3, values[-1], len(values)))
    return out
