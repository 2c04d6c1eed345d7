"""Enrolling participants: validate, store, and queue the invitation (one transaction)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from messages.phone import InvalidPhoneNumber, is_landline, normalize_phone
from messages.schedule import check_timezone
from messages.system import LANGUAGES, Org, system_text
from service.messaging.outbox import suppress_pending
from service.models import Group, OutboundMessage, Participant, ParticipantStatus
from service.platform.db import utcnow
from service.platform.settings import Settings
from service.programme.consent import record_opt_out, suppressed
from service.programme.plans import cancel_planned
from service.programme.windows import queue_in_allowed_hours
from service.programme.zones import set_zone


class EnrolmentError(ValueError):
    """Input that cannot be enrolled; `fields` maps each bad field to a readable reason."""

    def __init__(self, fields: dict[str, str], duplicate: bool = False) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields
        self.duplicate = duplicate


def org_of(settings: Settings) -> Org:
    """The organisation details the texts mention."""
    return Org(
        name=settings.org_name,
        support_contact=settings.support_contact,
        support_contact_es=settings.support_contact_es,
        crisis_line=settings.crisis_line,
        emergency_number=settings.emergency_number,
        care_team_response=settings.care_team_response,
        care_team_response_es=settings.care_team_response_es,
    )


def check_enrolment(
    session: Session,
    settings: Settings,
    phone: object,
    name: object = "",
    timezone: object = None,
    language: object = None,
) -> tuple[str, str, str | None, str]:
    """Validate enrolment input; return (phone, name, timezone, language) or raise."""
    errors: dict[str, str] = {}
    e164 = ""
    try:
        e164 = normalize_phone(
            phone if isinstance(phone, str) else "", settings.default_phone_region
        )
        if is_landline(e164):
            errors["phone"] = f"{e164} is a landline and cannot receive texts"
    except InvalidPhoneNumber as exc:
        errors["phone"] = str(exc)
    if name is None:
        name = ""
    if not isinstance(name, str) or len(name) > 120:
        errors["name"] = "must be text of at most 120 characters"
    if timezone not in (None, ""):
        reason = check_timezone(timezone)
        if reason:
            errors["timezone"] = reason
    lang = language or "en"
    if lang not in LANGUAGES:
        errors["language"] = f"must be one of {', '.join(LANGUAGES)}"
    if errors:
        raise EnrolmentError(errors)
    if session.scalar(select(Participant.id).where(Participant.phone == e164)) is not None:
        raise EnrolmentError({"phone": f"{e164} is already enrolled"}, duplicate=True)
    if suppressed(session, settings, e164) is not None:
        raise EnrolmentError(
            {"phone": f"{e164} opted out of texts (STOP) and cannot be invited again; if the "
                      "person wants to rejoin, they text START to the programme's number first"}
        )  # fmt: skip
    return e164, str(name).strip(), (timezone or None), str(lang)  # type: ignore[return-value]


def enrol(
    session: Session,
    settings: Settings,
    group: Group,
    phone: object,
    name: object = "",
    timezone: object = None,
    language: object = None,
) -> Participant:
    """Add an invited participant and queue their invitation. The caller commits."""
    e164, clean_name, tz, lang = check_enrolment(session, settings, phone, name, timezone, language)
    participant = Participant(
        group=group, phone=e164, name=clean_name, language=lang, status=ParticipantStatus.INVITED
    )
    session.add(participant)
    session.flush()
    set_zone(session, participant, tz, source="enrolment", at=utcnow())
    send_invitation(session, settings, participant)
    return participant


def send_invitation(
    session: Session, settings: Settings, participant: Participant
) -> OutboundMessage:
    """Queue the double opt-in invitation (organisation, YES to join, STOP, HELP).

    Enrolled late in the evening, the invitation waits for the person's morning.
    """
    body = system_text("invitation", participant.language, org_of(settings))
    row = queue_in_allowed_hours(session, participant, body, "invitation", utcnow())
    # An invitation is still worth sending the next day: only the start waits, not an expiry.
    row.expires_at = None
    return row


def withdraw(
    session: Session, participant: Participant, *, staff_id: int | None, channel: str = "web"
) -> None:
    """Staff end a member's participation: nothing more is planned or sent, the reason kept,
    and the retention clock starts (RETENTION_DAYS_AFTER_EXIT)."""
    now = utcnow()
    participant.status = ParticipantStatus.WITHDRAWN
    participant.withdrawn_at = now
    participant.next_plan_at = None
    cancel_planned(session, participant)
    suppress_pending(session, participant, "withdrawn by staff")
    record_opt_out(session, participant, source="staff_withdrawal", at=now, channel=channel,
                   staff_id=staff_id, kind="withdraw")  # fmt: skip


MAX_BULK_ROWS = 1000


@dataclass(frozen=True)
class BulkRow:
    """One line of a bulk enrolment and what was (or would be) done with it."""

    line: int
    raw_phone: str
    name: str
    timezone: str | None
    language: str | None
    phone: str | None = None  # E.164 when valid
    problem: str | None = None  # invalid, duplicate, not mobile, ...


def parse_bulk(text: str) -> list[tuple[int, list[str]]]:
    """CSV lines (phone, name, timezone, language); a header row naming 'phone' is skipped."""
    rows = []
    for line_no, fields in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in fields]
        if not any(cells):
            continue
        if (
            line_no == 1
            and cells
            and cells[0].lower() in ("phone", "phone number", "mobile", "number")
        ):
            continue
        rows.append((line_no, cells))
    if len(rows) > MAX_BULK_ROWS:
        raise EnrolmentError({"rows": f"at most {MAX_BULK_ROWS} rows at a time (got {len(rows)})"})
    return rows


def check_bulk(session: Session, settings: Settings, text: str) -> list[BulkRow]:
    """Validate every row (and duplicates inside the paste) without writing anything."""
    results = []
    seen: dict[str, int] = {}
    for line, cells in parse_bulk(text):
        cells += [""] * (4 - len(cells))
        raw_phone, name, tz, lang = cells[:4]
        try:
            e164, clean_name, clean_tz, clean_lang = check_enrolment(
                session, settings, raw_phone, name, tz or None, lang or None
            )
        except EnrolmentError as exc:
            problem = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
            if exc.duplicate:
                problem = "duplicate: already enrolled"
            elif "opted out of texts" in problem:
                problem = "opted out: " + problem
            elif "landline" in problem:
                problem = "not mobile: " + problem
            else:
                problem = "invalid: " + problem
            results.append(
                BulkRow(line, raw_phone, name, tz or None, lang or None, problem=problem)
            )
            continue
        if e164 in seen:
            results.append(BulkRow(line, raw_phone, clean_name, clean_tz, clean_lang, e164,
                                   problem=f"duplicate: same number as line {seen[e164]}"))  # fmt: skip
            continue
        seen[e164] = line
        results.append(BulkRow(line, raw_phone, clean_name, clean_tz, clean_lang, e164))
    return results


def enrol_bulk(
    session: Session, settings: Settings, group: Group, rows: list[BulkRow]
) -> list[Participant]:
    """Enrol the rows that passed `check_bulk`, all in the caller's one transaction."""
    created = []
    for row in rows:
        if row.problem is None:
            created.append(
                enrol(session, settings, group, row.phone, row.name, row.timezone, row.language)
            )
    return created
