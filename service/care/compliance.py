"""EMA compliance: of the prompts that asked for an answer (check-ins and surveys), how many
were answered inside their window, answered late, or missed, by day of participation (the
curve research papers report), and the median time to answer.

Day of participation counts 24-hour periods from the member's consent (day 1 is the first 24
hours after they texted YES; enrolment time when there is no consent on record). A prompt
still inside its window counts as open and in no rate yet. A SKIP is an answer (the person
responded). The summary is counted in the database; the export streams one row per prompt
with the same outcome rule (`outcome`, `_outcome_expr`), and a test holds the two together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from service.models import OutboundMessage, Participant, Prompt, PromptStatus

DAY = timedelta(days=1)
OUTCOMES = ("in_window", "late", "missed", "open")


@dataclass
class Tally:
    """Counts for one day of participation, one member or one group."""

    sent: int = 0
    in_window: int = 0
    late: int = 0
    missed: int = 0
    open: int = 0

    @property
    def closed(self) -> int:
        return self.in_window + self.late + self.missed

    @property
    def percent(self) -> int | None:
        """Answered inside the window, of the prompts whose window has closed."""
        return round(100 * self.in_window / self.closed) if self.closed else None

    def add(self, outcome: str, count: int = 1) -> None:
        """Count `count` prompts with this outcome (in_window, late, missed, open)."""
        self.sent += count
        setattr(self, outcome, getattr(self, outcome) + count)


@dataclass
class Compliance:
    """The whole picture for one member or one group."""

    total: Tally = field(default_factory=Tally)
    by_day: dict[int, Tally] = field(default_factory=lambda: defaultdict(Tally))
    median: float | None = None  # minutes from sent to answered, over the answered prompts

    def days(self) -> list[tuple[int, Tally]]:
        return sorted(self.by_day.items())

    def weeks(self) -> list[tuple[int, Tally]]:
        """The same curve by week of participation (what fits on a page)."""
        weekly: dict[int, Tally] = defaultdict(Tally)
        for day, tally in self.by_day.items():
            week = weekly[(day - 1) // 7 + 1]
            for name in OUTCOMES:
                week.add(name, getattr(tally, name))
        return sorted(weekly.items())


def outcome(status: PromptStatus, window_ends_at: datetime | None, answered_at: datetime | None,
            now: datetime) -> str:  # fmt: skip
    """in_window, late, missed or open, for one sent prompt."""
    if answered_at is not None:
        return (
            "late" if window_ends_at is not None and answered_at > window_ends_at else "in_window"
        )
    if status == PromptStatus.SENT and (window_ends_at is None or window_ends_at > now):
        return "open"
    return "missed"


def participation_day(start: datetime, at: datetime) -> int:
    """1 for the first 24 hours after `start`, 2 for the next, ..."""
    return max(1, int((at - start) / DAY) + 1)


@dataclass(frozen=True)
class PromptTimes:
    """One prompt's times, for the export: intended, sent, delivered, answered."""

    participant_id: int
    prompt_id: int
    kind: str
    status: str
    scheduled_for: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    window_ends_at: datetime | None
    answered_at: datetime | None
    day: int
    outcome: str


def _rows(session: Session, participant_ids: Scope, since: datetime | None) -> Iterator[Any]:
    # Per prompt, through the index on outbound_messages.prompt_id.
    delivered = (
        select(func.min(OutboundMessage.delivered_at))
        .where(OutboundMessage.prompt_id == Prompt.id, OutboundMessage.kind == "prompt")
        .correlate(Prompt)
        .scalar_subquery()
    )
    query = (
        select(Prompt.participant_id, Prompt.id, Prompt.kind, Prompt.status, Prompt.scheduled_for,
               Prompt.sent_at, delivered, Prompt.window_ends_at, Prompt.answered_at,
               func.coalesce(Participant.consent_at, Participant.created_at))
        .join(Participant, Participant.id == Prompt.participant_id)
        .order_by(Prompt.participant_id, Prompt.scheduled_for, Prompt.id)
    )  # fmt: skip
    query = _scoped(query, participant_ids, since)
    yield from session.execute(query.execution_options(yield_per=2000))


def prompt_times(session: Session, participant_ids: Scope, now: datetime,
                 since: datetime | None = None) -> Iterator[PromptTimes]:  # fmt: skip
    """Every sent prompt that asked for an answer, with its times and outcome (streamed)."""
    for pid, prompt_id, kind, status, scheduled, sent, delivered, window, answered, start in _rows(
        session, participant_ids, since
    ):
        yield PromptTimes(pid, prompt_id, kind, PromptStatus(status).value, scheduled, sent,
                          delivered, window, answered, participation_day(start, scheduled),
                          outcome(status, window, answered, now))  # fmt: skip


def _day_expr(session: Session, at: Any, start: Any) -> Any:
    """Day of participation in SQL: whole 24-hour periods from `start`, plus one."""
    if session.get_bind().dialect.name == "postgresql":
        # date_part is double precision; EXTRACT is numeric since PostgreSQL 14, and numeric
        # arithmetic on 100,000 rows costs more than the scan.
        return (
            func.floor(func.date_part("epoch", at - start, type_=Float) / 86400.0).cast(Integer) + 1
        )
    return (func.julianday(at) - func.julianday(start)).cast(Integer) + 1


def _minutes_expr(session: Session, later: Any, earlier: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.date_part("epoch", later - earlier, type_=Float) / 60.0
    return (func.julianday(later) - func.julianday(earlier)) * 1440.0


def _outcome_expr(now: datetime) -> Any:
    return case(
        (and_(Prompt.answered_at.is_not(None), Prompt.window_ends_at.is_not(None),
              Prompt.answered_at > Prompt.window_ends_at), "late"),
        (Prompt.answered_at.is_not(None), "in_window"),
        (and_(Prompt.status == PromptStatus.SENT,
              or_(Prompt.window_ends_at.is_(None), Prompt.window_ends_at > now)), "open"),
        else_="missed",
    )  # fmt: skip


# Whose prompts: participant ids, a select of ids, or a condition on Participant (a group's
# `Participant.group_id == id`, which joins the participants once instead of twice).
Scope = Iterable[int] | Select[Any] | ColumnElement[bool]


_joined = Prompt.__table__.join(Participant.__table__, Participant.id == Prompt.participant_id)


def _median_minutes(session: Session, scope: Scope, since: datetime | None, answered: int) -> float | None:  # fmt: skip
    """The median minutes from sent to answered: PostgreSQL's percentile_cont in one pass;
    elsewhere the middle row or two of the ordered durations."""
    if not answered:
        return None
    minutes = _minutes_expr(session, Prompt.answered_at, Prompt.sent_at)
    if session.get_bind().dialect.name == "postgresql":
        median = func.percentile_cont(0.5).within_group(minutes)
        value = session.scalar(
            _scoped(select(median).select_from(_joined), scope, since).where(
                Prompt.answered_at.is_not(None)
            )
        )
        return round(float(value), 1) if value is not None else None
    ordered = (
        _scoped(select(minutes).select_from(_joined), scope, since)
        .where(Prompt.answered_at.is_not(None))
        .order_by(minutes)
    )
    middle = [answered // 2] if answered % 2 else [answered // 2 - 1, answered // 2]
    values = [float(session.scalar(ordered.offset(i).limit(1)) or 0) for i in middle]
    return round(sum(values) / len(values), 1)


def _scoped(query: Select[Any], scope: Scope, since: datetime | None) -> Select[Any]:
    """`query` over Prompt joined to Participant, narrowed to the scope's prompts that asked
    for an answer and were sent (the predicate of ix_prompts_answerable_scheduled)."""
    if isinstance(scope, ColumnElement):
        query = query.where(scope)
    else:
        members = scope if isinstance(scope, Select) else list(scope)
        query = query.where(Prompt.participant_id.in_(members))
    query = query.where(Prompt.expecting.is_not(None), Prompt.sent_at.is_not(None))
    return query.where(Prompt.scheduled_for >= since) if since is not None else query


def compliance(session: Session, scope: Scope, now: datetime,
               since: datetime | None = None) -> Compliance:  # fmt: skip
    """Counts by day of participation and outcome, and the median time to answer, for a
    member or a group (`scope`: ids, or a select of ids), computed in the database: three
    grouped statements whatever the number of prompts."""
    start = func.coalesce(Participant.consent_at, Participant.created_at)
    day = _day_expr(session, Prompt.scheduled_for, start).label("day")
    what = _outcome_expr(now).label("outcome")
    result = Compliance()
    grouped = _scoped(select(day, what, func.count()).select_from(_joined), scope, since)
    grouped = grouped.group_by(day, what)
    for day_number, name, count in session.execute(grouped):
        tally = result.by_day[max(1, int(day_number))]
        tally.add(name, count)
        result.total.add(name, count)
    result.median = _median_minutes(
        session, scope, since, result.total.in_window + result.total.late
    )
    return result
