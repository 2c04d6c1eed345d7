"""What clinicians read: adherence, latest values and series, computed from the tables."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Float, Integer, and_, case, func, select, true
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
    """One row of the clinician dashboard (the member's id and name; the page loads the
    member rows it shows)."""

    participant_id: int
    name: str | None
    adherence_7: Adherence
    adherence_30: Adherence
    latest_pain: Reading | None
    latest_mood: Reading | None


@dataclass(frozen=True)
class Reading:
    """A member's latest rating of one kind: the value and when."""

    value: int
    recorded_at: datetime


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


def group_summary(session: Session, group: Group, now: datetime) -> list[MemberSummary]:
    """A row per member: adherence over 7 and 30 days, latest pain and mood.

    Two grouped queries scoped by the group (not a list of 2,000 ids), whatever its size, and
    no ORM object per member: a clinic-size group is 2,000 rows the page mostly does not show."""
    in_group = select(Participant.id).where(Participant.group_id == group.id).scalar_subquery()
    week = now - timedelta(days=7)
    answered = Prompt.status.in_(ANSWERED_STATUSES)
    counts = session.execute(
        select(
            Prompt.participant_id,
            func.count(),
            func.sum(case((answered, 1), else_=0)),
            func.sum(case((Prompt.sent_at >= week, 1), else_=0)),
            func.sum(case((and_(answered, Prompt.sent_at >= week), 1), else_=0)),
        )
        .where(
            Prompt.participant_id.in_(in_group),
            Prompt.sent_at >= now - timedelta(days=30),
            Prompt.status.in_(SENT_STATUSES),
        )
        .group_by(Prompt.participant_id)
    ).all()
    a30 = {pid: Adherence(int(ok or 0), int(sent)) for pid, sent, ok, _, _ in counts}
    a7 = {pid: Adherence(int(ok7 or 0), int(sent7 or 0)) for pid, _, _, sent7, ok7 in counts}

    def newest(kind: str) -> Any:
        # One index probe per member and kind (ix_observations_participant_kind_time).
        return (
            select(Observation.value, Observation.recorded_at)
            .where(Observation.participant_id == Participant.id, Observation.kind == kind)
            .order_by(Observation.recorded_at.desc(), Observation.id.desc())
            .limit(1)
        )

    query = select(Participant.id, Participant.name).select_from(Participant)
    if session.get_bind().dialect.name == "postgresql":  # value and time in one probe
        for kind in ("pain", "mood"):
            latest = newest(kind).lateral(f"latest_{kind}")
            query = query.outerjoin(latest, true()).add_columns(
                latest.c.value, latest.c.recorded_at
            )
    else:  # SQLite has no LATERAL: a correlated subquery per column
        for kind in ("pain", "mood"):
            query = query.add_columns(
                newest(kind).with_only_columns(Observation.value).scalar_subquery(),
                newest(kind).with_only_columns(Observation.recorded_at).scalar_subquery(),
            )
    none = Adherence(0, 0)
    rows = session.execute(query.where(Participant.group_id == group.id).order_by(Participant.id))
    return [
        MemberSummary(pid, name, a7.get(pid, none), a30.get(pid, none),
                      Reading(pain_value, pain_at) if pain_value is not None else None,
                      Reading(mood_value, mood_at) if mood_value is not None else None)
        for pid, name, pain_value, pain_at, mood_value, mood_at in rows
    ]  # fmt: skip


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


def _bucket(session: Session, minutes: int) -> Any:
    """SQL for the `minutes`-wide UTC time bucket of an observation (portable integer)."""
    seconds = minutes * 60
    if session.get_bind().dialect.name == "sqlite":
        return func.cast(func.strftime("%s", Observation.recorded_at), Integer) / seconds
    return func.floor(
        func.date_part("epoch", Observation.recorded_at, type_=Float) / float(seconds)
    )  # double, fast


def group_distributions(
    session: Session, group: Group, since: datetime
) -> dict[str, list[DayDistribution]]:
    """Per kind and local day: min, quartiles, max of the group's ratings (the group charts),
    in one grouped query.

    Ratings are whole numbers 0-10, so the database counts them per (time bucket, value) and
    the quartiles come from those counts: a few thousand rows at most, not one per reading.
    The buckets are hours, or quarter hours in a zone whose offset is not whole hours (every
    offset in use is a multiple of 15 minutes), so each falls on exactly one local day."""
    zone = ZoneInfo(group.timezone)
    offsets = {since.astimezone(zone).utcoffset(), datetime.now(zone).utcoffset()}
    minutes = 60 if all(o is not None and o.total_seconds() % 3600 == 0 for o in offsets) else 15
    bucket = _bucket(session, minutes).label("bucket")
    rows = session.execute(
        select(Observation.kind, bucket, Observation.value, func.count())
        .join(Participant, Participant.id == Observation.participant_id)
        .where(Participant.group_id == group.id, Observation.recorded_at >= since)
        .group_by(Observation.kind, bucket, Observation.value)
    ).all()
    by_day: dict[str, dict[date, Counter[int]]] = {"pain": defaultdict(Counter),
                                                   "mood": defaultdict(Counter)}  # fmt: skip
    for kind, start, value, count in rows:
        day = datetime.fromtimestamp(int(start) * minutes * 60, UTC).astimezone(zone).date()
        by_day[kind][day][value] += count
    return {
        kind: [_spread(day, counts) for day, counts in sorted(days.items())]
        for kind, days in by_day.items()
    }


def _spread(day: date, counts: Counter[int]) -> DayDistribution:
    """The day's distribution from its counts per value (the same quartiles as
    `statistics.quantiles(values, n=4, method="inclusive")` on the readings themselves)."""
    n = sum(counts.values())
    ordered = sorted(counts.items())

    def value_at(position: int) -> int:  # the position-th reading in order, 0-based
        seen = 0
        for value, count in ordered:
            seen += count
            if position < seen:
                return value
        return ordered[-1][0]

    def quantile(q: float) -> float:
        exact = (n - 1) * q
        low = int(exact)
        below, above = value_at(low), value_at(min(low + 1, n - 1))
        return below + (above - below) * (exact - low)

    if n < 2:
        only = float(ordered[0][0])
        return DayDistribution(day, only, only, only, only, only, n)
    return DayDistribution(day, ordered[0][0], quantile(0.25), quantile(0.5), quantile(0.75),
                           ordered[-1][0], n)  # fmt: skip
