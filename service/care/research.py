"""Exports a research team can load: a tidy long CSV (one row per observation, for R and
pandas), a REDCap-ready flat CSV with its data dictionary, and every prompt's times.

Everything streams: rows are read with `yield_per` and written a line at a time, so a group's
whole history never sits in memory. Members appear by a pseudonymous record id (`P<id>`), never
by name or number. The column names are documented in docs/fhir.md ("Research exports").

REDCap layout (a longitudinal project with repeating instruments):
- events `week_1_arm_1`, `week_2_arm_1`, ...: the week of participation a row falls in;
- `enrolment` (not repeating, in `week_1_arm_1`), and the repeating instruments `daily_log`
  (one instance per reply with a pain or mood value), `peg`, `phq2`, `gad2` (one per survey)
  and `ema_prompt` (one per prompt that asked for an answer, with its four times).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from messages.surveys import INSTRUMENTS, Instrument
from messages.text import spreadsheet_safe
from service.care.compliance import participation_day, prompt_times
from service.models import Observation, Participant, SurveyAnswer, SurveyResponse, SurveyStatus

LOINC_PAIN = "72514-3"


def record_id(participant_id: int) -> str:
    """The pseudonymous id a member carries in every research export."""
    return f"P{participant_id}"


def csv_line(values: Sequence[object]) -> str:
    """One CSV line (RFC 4180 quoting), spreadsheet formulas neutralised in text cells."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_cell(v) for v in values])
    return buffer.getvalue()


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, float):
        return f"{value:g}"
    return spreadsheet_safe(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Member:
    """What an export needs to know of a member."""

    id: int
    zone: ZoneInfo
    start: datetime  # consent, or enrolment: the start of day 1 of participation
    language: str
    status: str
    group: str
    enrolled_at: datetime
    consent_at: datetime | None


def members_of(session: Session, group_id: int) -> list[Member]:
    rows = session.scalars(select(Participant).where(Participant.group_id == group_id).order_by(Participant.id))  # fmt: skip
    return [Member(p.id, ZoneInfo(p.effective_timezone()), p.consent_at or p.created_at, p.language,
                   p.status.value, p.group.name, p.created_at, p.consent_at) for p in rows]  # fmt: skip


def _local(member: Member, at: datetime | None) -> datetime | None:
    return at.astimezone(member.zone).replace(tzinfo=None) if at is not None else None


def _surveys(session: Session, ids: list[int]) -> Iterator[tuple[SurveyResponse, dict[str, int | None]]]:  # fmt: skip
    responses = session.scalars(
        select(SurveyResponse)
        .where(SurveyResponse.participant_id.in_(ids), SurveyResponse.status != SurveyStatus.OPEN)
        .order_by(SurveyResponse.participant_id, SurveyResponse.started_at, SurveyResponse.id)
        .execution_options(yield_per=500)
    )
    batch: list[SurveyResponse] = []
    for response in responses:
        batch.append(response)
        if len(batch) == 500:
            yield from _with_answers(session, batch)
            batch = []
    yield from _with_answers(session, batch)


def _with_answers(session: Session, batch: list[SurveyResponse]) -> Iterator[tuple[SurveyResponse, dict[str, int | None]]]:  # fmt: skip
    if not batch:
        return
    answers: dict[int, dict[str, int | None]] = {r.id: {} for r in batch}
    for response_id, link_id, value in session.execute(
        select(SurveyAnswer.response_id, SurveyAnswer.link_id, SurveyAnswer.value).where(
            SurveyAnswer.response_id.in_(list(answers))
        )
    ):
        answers[response_id][link_id] = value
    for response in batch:
        yield response, answers[response.id]


def _observations(session: Session, ids: list[int]) -> Iterator[Observation]:
    yield from session.scalars(
        select(Observation)
        .where(Observation.participant_id.in_(ids))
        .order_by(Observation.participant_id, Observation.recorded_at, Observation.id)
        .execution_options(yield_per=2000)
    )


def count_rows(session: Session, ids: list[int]) -> dict[str, int]:
    """How many observations and closed surveys the exports hold (for the audit row)."""
    return {
        "observations": session.scalar(
            select(func.count()).select_from(Observation).where(Observation.participant_id.in_(ids))
        )
        or 0,
        "surveys": session.scalar(
            select(func.count())
            .select_from(SurveyResponse)
            .where(
                SurveyResponse.participant_id.in_(ids), SurveyResponse.status != SurveyStatus.OPEN
            )
        )
        or 0,
    }


# --- tidy long format ------------------------------------------------------------------------

TIDY_COLUMNS = (
    "record_id", "measure", "item", "value", "scale_min", "scale_max", "loinc",
    "recorded_at_utc", "recorded_at_local", "day_of_participation", "late", "status", "source_id",
)  # fmt: skip


def tidy_lines(session: Session, members: list[Member]) -> Iterator[str]:
    """One row per observation: each pain or mood rating, each survey item answered, each
    survey score. `measure` is pain, mood, peg, phq2 or gad2; `item` the item's link id, or
    'score' for a survey total."""
    by_id = {m.id: m for m in members}
    ids = list(by_id)
    yield csv_line(TIDY_COLUMNS)
    for obs in _observations(session, ids):
        m = by_id[obs.participant_id]
        yield csv_line([record_id(m.id), obs.kind, obs.kind, obs.value, 0, 10,
                        LOINC_PAIN if obs.kind == "pain" else "", obs.recorded_at,
                        _local(m, obs.recorded_at), participation_day(m.start, obs.recorded_at),
                        obs.late, "final", f"observation/{obs.id}"])  # fmt: skip
    for response, answers in _surveys(session, ids):
        m, instrument = by_id[response.participant_id], INSTRUMENTS[response.instrument]
        at = response.completed_at or response.started_at
        day = participation_day(m.start, at)
        for item in instrument.items:
            if answers.get(item.link_id) is None:
                continue
            yield csv_line([record_id(m.id), instrument.key, item.link_id, answers[item.link_id],
                            item.low, item.high, item.code.code if item.code else "", at,
                            _local(m, at), day, False, response.status.value,
                            f"survey/{response.id}"])  # fmt: skip
        if response.score is not None:
            low, high = instrument.score_range
            code = instrument.total.code if instrument.total.system.endswith("loinc.org") else ""
            yield csv_line([record_id(m.id), instrument.key, "score", response.score, low, high,
                            code, at, _local(m, at), day, False, response.status.value,
                            f"survey/{response.id}"])  # fmt: skip


def prompt_lines(session: Session, members: list[Member], now: datetime) -> Iterator[str]:
    """Every prompt that asked for an answer: intended, sent, delivered and answered times."""
    by_id = {m.id: m for m in members}
    yield csv_line(["record_id", "prompt_id", "kind", "status", "outcome",
                    "day_of_participation", "intended_utc", "sent_utc", "delivered_utc",
                    "window_ends_utc", "answered_utc", "minutes_to_answer"])  # fmt: skip
    for row in prompt_times(session, list(by_id), now):
        minutes = ((row.answered_at - row.sent_at).total_seconds() / 60
                   if row.answered_at and row.sent_at else None)  # fmt: skip
        yield csv_line([record_id(row.participant_id), row.prompt_id, row.kind, row.status,
                        row.outcome, row.day, row.scheduled_for, row.sent_at, row.delivered_at,
                        row.window_ends_at, row.answered_at,
                        round(minutes, 1) if minutes is not None else None])  # fmt: skip


# --- REDCap ----------------------------------------------------------------------------------

DICTIONARY_COLUMNS = (
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note",
    "Text Validation Type OR Show Slider Number", "Text Validation Min", "Text Validation Max",
    "Identifier?", "Branching Logic (Show field only if...)", "Required Field?",
    "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name", "Matrix Ranking?",
    "Field Annotation",
)  # fmt: skip


@dataclass(frozen=True)
class Field:
    """One REDCap field: the dictionary row and what the data file puts in it."""

    name: str
    form: str
    type: str  # text, radio, dropdown, yesno, notes
    label: str
    choices: str = ""
    validation: str = ""
    low: str = ""
    high: str = ""
    note: str = ""

    def row(self) -> list[str]:
        return [self.name, self.form, "", self.type, self.label, self.choices, self.note,
                self.validation, self.low, self.high, "", "", "", "", "", "", "", ""]  # fmt: skip


def _frequency_choices(instrument: Instrument) -> str:
    return " | ".join(f"{v}, {label}" for v, label in enumerate(instrument.items[0].labels["en"]))


def _survey_fields(instrument: Instrument) -> list[Field]:
    key = instrument.key
    fields = [
        Field(f"{key}_at", key, "text", f"{instrument.name}: when answered (member's local time)",
              validation="datetime_seconds_ymd"),
        Field(f"{key}_status", key, "dropdown", f"{instrument.name}: status",
              choices="complete, Complete | partial, Partial (window ended)"),
    ]  # fmt: skip
    for n, item in enumerate(instrument.items, 1):
        name = f"{key}_{n}"
        label = f"{instrument.name} item {n}: {item.text['en']}"
        if item.answer_codes:
            fields.append(Field(name, key, "radio", label, choices=_frequency_choices(instrument),
                                note=f"LOINC {item.code.code}" if item.code else ""))  # fmt: skip
        else:
            fields.append(Field(name, key, "text", label, validation="integer", low=str(item.low),
                                high=str(item.high), note=f"LOINC {item.code.code}" if item.code else ""))  # fmt: skip
    low, high = instrument.score_range
    fields.append(Field(f"{key}_score", key, "text",
                        f"{instrument.name} score ({'mean' if instrument.scoring == 'mean' else 'sum'})",
                        validation="number" if instrument.scoring == "mean" else "integer",
                        low=str(low), high=str(high)))  # fmt: skip
    if instrument.positive_at is not None:
        fields.append(Field(f"{key}_positive", key, "yesno",
                            f"{instrument.name} positive screen ({instrument.positive_at} or more)"))  # fmt: skip
    return fields


FIELDS: tuple[Field, ...] = (
    Field("record_id", "enrolment", "text", "Record ID (Paceline member, pseudonymous)"),
    Field("group_name", "enrolment", "text", "Group"),
    Field("enrolled_at", "enrolment", "text", "Enrolled (UTC)", validation="datetime_seconds_ymd"),
    Field("consent_at", "enrolment", "text", "Consented by SMS (UTC)", validation="datetime_seconds_ymd"),
    Field("language", "enrolment", "dropdown", "Language", choices="en, English | es, Spanish"),
    Field("member_status", "enrolment", "dropdown", "Status at export",
          choices="invited, Invited | active, Active | paused, Paused | opted_out, Opted out | withdrawn, Withdrawn"),
    Field("log_at", "daily_log", "text", "Reply time (member's local time)", validation="datetime_seconds_ymd"),
    Field("log_day", "daily_log", "text", "Day of participation", validation="integer", low="1"),
    Field("log_pain", "daily_log", "text", "Pain 0-10 (LOINC 72514-3)", validation="integer", low="0", high="10"),
    Field("log_mood", "daily_log", "text", "Mood 0-10 (0 very low, 10 very good)", validation="integer", low="0", high="10"),
    Field("log_late", "daily_log", "yesno", "Answered after the prompt's window"),
    *(f for instrument in INSTRUMENTS.values() for f in _survey_fields(instrument)),
    Field("ema_kind", "ema_prompt", "text", "Prompt kind"),
    Field("ema_outcome", "ema_prompt", "dropdown", "Outcome",
          choices="in_window, Answered in window | late, Answered late | missed, Missed | open, Still open"),
    Field("ema_day", "ema_prompt", "text", "Day of participation", validation="integer", low="1"),
    Field("ema_intended", "ema_prompt", "text", "Intended time (UTC)", validation="datetime_seconds_ymd"),
    Field("ema_sent", "ema_prompt", "text", "Sent (UTC)", validation="datetime_seconds_ymd"),
    Field("ema_delivered", "ema_prompt", "text", "Delivered (UTC)", validation="datetime_seconds_ymd"),
    Field("ema_answered", "ema_prompt", "text", "Answered (UTC)", validation="datetime_seconds_ymd"),
)  # fmt: skip
REPEATING = ("daily_log", *INSTRUMENTS, "ema_prompt")
REDCAP_COLUMNS = ("record_id", "redcap_event_name", "redcap_repeat_instrument",
                  "redcap_repeat_instance", *(f.name for f in FIELDS[1:]))  # fmt: skip


def dictionary_lines() -> Iterator[str]:
    """The REDCap data dictionary (Project Setup > Data Dictionary > upload)."""
    yield csv_line(DICTIONARY_COLUMNS)
    for f in FIELDS:
        yield csv_line(f.row())


def event_name(week: int) -> str:
    """REDCap's unique event name for a week of participation."""
    return f"week_{week}_arm_1"


def _week(day: int) -> int:
    return (day - 1) // 7 + 1


def redcap_lines(session: Session, members: list[Member], now: datetime) -> Iterator[str]:
    """The REDCap data import file (Data Import Tool, CSV, records as rows)."""
    by_id = {m.id: m for m in members}
    ids = list(by_id)
    index = {name: i for i, name in enumerate(REDCAP_COLUMNS)}
    instances: dict[tuple[int, str, str], int] = {}

    def row(member: Member, day: int, instrument: str, values: dict[str, object]) -> str:
        out: list[object] = [None] * len(REDCAP_COLUMNS)
        event = event_name(_week(day))
        out[0], out[1] = record_id(member.id), event
        if instrument:
            key = (member.id, event, instrument)
            instances[key] = instances.get(key, 0) + 1
            out[2], out[3] = instrument, instances[key]
        for name, value in values.items():
            out[index[name]] = value
        return csv_line(out)

    yield csv_line(REDCAP_COLUMNS)
    for m in members:
        yield row(m, 1, "", {"group_name": m.group, "enrolled_at": m.enrolled_at,
                             "consent_at": m.consent_at, "language": m.language,
                             "member_status": m.status})  # fmt: skip
    # One daily_log instance per reply: its pain and its mood (adjacent rows) together.
    current: tuple[int, int] | None = None
    entry: dict[str, object] = {}
    for obs in _observations(session, ids):
        key = (obs.participant_id, obs.inbound_message_id or -obs.id)
        if key != current:
            if current is not None:
                yield _log_row(row, by_id[current[0]], entry)
            current, entry = key, {"at": obs.recorded_at, "late": obs.late}
        entry[obs.kind] = obs.value
    if current is not None:
        yield _log_row(row, by_id[current[0]], entry)
    for response, answers in _surveys(session, ids):
        m, instrument = by_id[response.participant_id], INSTRUMENTS[response.instrument]
        at = response.completed_at or response.started_at
        values: dict[str, object] = {f"{instrument.key}_at": _local(m, at),
                                     f"{instrument.key}_status": response.status.value}  # fmt: skip
        for n, item in enumerate(instrument.items, 1):
            values[f"{instrument.key}_{n}"] = answers.get(item.link_id)
        values[f"{instrument.key}_score"] = response.score
        if instrument.positive_at is not None:
            values[f"{instrument.key}_positive"] = response.positive
        yield row(m, participation_day(m.start, at), instrument.key, values)
    for p in prompt_times(session, ids, now):
        yield row(by_id[p.participant_id], p.day, "ema_prompt", {
            "ema_kind": p.kind, "ema_outcome": p.outcome, "ema_day": p.day,
            "ema_intended": p.scheduled_for, "ema_sent": p.sent_at,
            "ema_delivered": p.delivered_at, "ema_answered": p.answered_at,
        })  # fmt: skip


RowWriter = Callable[[Member, int, str, dict[str, object]], str]


def _log_row(row: RowWriter, member: Member, entry: dict[str, object]) -> str:
    at = cast(datetime, entry["at"])
    day = participation_day(member.start, at)
    values: dict[str, object] = {
        "log_at": _local(member, at), "log_day": day, "log_pain": entry.get("pain"),
        "log_mood": entry.get("mood"), "log_late": entry["late"],
    }  # fmt: skip
    return row(member, day, "daily_log", values)
