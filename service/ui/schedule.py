"""The schedule editor: programme items, quiet hours, cap, sessions, and a 14-day preview."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from messages.legal_hours import region_window
from messages.library import choose
from messages.schedule import (
    PROMPT_KINDS,
    WEEKDAYS,
    Person,
    ScheduleError,
    parse_local_datetime,
    plan_slots,
    programme_from_json,
    programme_to_json,
)
from messages.surveys import INSTRUMENTS, SURVEY_KINDS, question
from service.models import Group, GroupSession, Participant, Prompt, PromptStatus
from service.platform.db import db, utcnow
from service.programme.extras import recent_content_keys
from service.programme.plans import programme_of, replan_group, session_starts
from service.staff.auth import can_write_group
from service.ui import group_or_403, login_required, ui

BLANK_ROWS = 2
KIND_LABELS = {
    "pacing": "Pacing break", "breathing": "Breathing / relaxation", "social": "Social connection",
    "checkin_pain": "Check-in: pain", "checkin_mood": "Check-in: mood", "checkin_both": "Check-in: pain and mood",
    "session_checkin": "Session check-in", "session_practice": "Session practice nudge",
    "survey_peg": "Survey: PEG (pain, 3 questions)", "survey_phq2": "Survey: PHQ-2 (mood, 2 questions)",
    "survey_gad2": "Survey: GAD-2 (worry, 2 questions)",
}  # fmt: skip


FIELD_NAMES = {
    "daily_cap": "Texts a day at most", "quiet_start": "Quiet hours from", "quiet_end": "Quiet hours until",
    "response_window_minutes": "Reply window", "reminder_after_minutes": "Reminder after",
    "session_checkin_minutes_before": "Session check-in", "items": "Items",
}  # fmt: skip
ITEM_FIELDS = {
    "kind": "kind", "days": "days", "at": "fixed time", "window": "window",
    "count": "how many", "min_gap_minutes": "least time between", "session": "session",
    "offset_minutes": "minutes before or after the session",
}  # fmt: skip
_ITEM_KEY = re.compile(r"items\[(\d+)\](?:\.(\w+))?$")


def field_label(key: str, shown: list[int]) -> str:
    """A reason's key as the editor shows it: `items[2].at` is "Item 6, fixed time" when the
    third filled-in item is the sixth box on the page."""
    match = _ITEM_KEY.match(key)
    if match is None:
        return FIELD_NAMES.get(key, key.replace("_", " "))
    index = int(match.group(1))
    number = shown[index] if index < len(shown) else index + 1
    part = match.group(2)
    return f"Item {number}" + (f", {ITEM_FIELDS.get(part, part)}" if part else "")


def _form_to_json(form: dict) -> tuple[dict[str, object], list[int]]:  # type: ignore[type-arg]
    """The programme the form describes, and for each item the box number it came from."""
    items = []
    shown = []
    i = 0
    while f"item-{i}-kind" in form:
        kind = form.get(f"item-{i}-kind")
        if kind:
            item: dict[str, object] = {"kind": kind, "days": form.getlist(f"item-{i}-days")}  # type: ignore[attr-defined]
            mode = form.get(f"item-{i}-mode") or ""
            if mode.startswith("session-"):
                item = {"kind": kind, "session": mode.removeprefix("session-"),
                        "offset_minutes": _int(form.get(f"item-{i}-offset"), 60)}  # fmt: skip
            elif mode == "window":
                item["window"] = [form.get(f"item-{i}-start"), form.get(f"item-{i}-end")]
                item["count"] = _int(form.get(f"item-{i}-count"), 1)
                item["min_gap_minutes"] = _int(form.get(f"item-{i}-gap"), 60)
            else:
                item["at"] = form.get(f"item-{i}-at")
            items.append(item)
            shown.append(i + 1)
        i += 1
    return {
        "daily_cap": _int(form.get("daily_cap"), 4),
        "quiet_start": form.get("quiet_start"),
        "quiet_end": form.get("quiet_end"),
        "response_window_minutes": _int(form.get("response_window_minutes"), 120),
        "reminder_after_minutes": _int(form.get("reminder_after_minutes"), 60),
        "items": items,
    }, shown


def _int(value: object, default: int) -> object:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return value if value not in (None, "") else default


@dataclass(frozen=True)
class PreviewRow:
    """One text of the 14-day preview: when (local and UTC), what kind, the words."""

    local: datetime
    at: datetime
    kind: str
    text: str


def _words(kinds: list[str], recent: list[str], language: str) -> list[str]:
    """The words each prompt would carry, chosen as the sender chooses them (least recently
    used first), starting from what the member was sent already."""
    recent = list(recent)
    out = []
    for kind in kinds:
        if kind in SURVEY_KINDS:  # the first question, as it will be texted
            out.append(question(INSTRUMENTS[SURVEY_KINDS[kind]], 0, language))
            continue
        try:
            content = choose((kind,), recent)
        except ValueError:
            out.append("")
            continue
        recent.insert(0, content.key)
        out.append(content.text(language))
    return out


def _preview(group: Group, schedule: dict[str, object], member: Participant | None,
             now: datetime) -> list[PreviewRow]:  # fmt: skip
    """A member's real plan (the prompts already planned for them), or for no member what the
    programme would plan for someone in the group's zone; both with the words to be sent."""
    session = db.session()
    end = now + timedelta(days=14)
    if member is not None:
        zone = ZoneInfo(member.effective_timezone())
        prompts = session.scalars(
            select(Prompt)
            .where(Prompt.participant_id == member.id, Prompt.status == PromptStatus.PLANNED,
                   Prompt.scheduled_for < end)
            .order_by(Prompt.scheduled_for)
        ).all()  # fmt: skip
        words = _words([p.kind for p in prompts], recent_content_keys(session, member),
                       member.language)  # fmt: skip
        return [
            PreviewRow(p.scheduled_for.astimezone(zone), p.scheduled_for, p.kind, text)
            for p, text in zip(prompts, words, strict=True)
        ]
    programme = programme_from_json(schedule)
    slots = plan_slots(programme, Person(id=0, timezone=group.timezone), now, end,
                       session_starts(session, group.id, now, end))  # fmt: skip
    words = _words([slot.kind for slot in slots], [], "en")
    return [
        PreviewRow(slot.local, slot.at, slot.kind, text)
        for slot, text in zip(slots, words, strict=True)
    ]


def _render(
    group: Group,
    schedule: dict[str, object],
    reasons: dict[str, str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    now = utcnow()
    member = None
    raw = request.args.get("member", "")
    if raw.isdigit():
        member = next((p for p in group.participants if p.id == int(raw)), None)
        if member is not None:
            g.audit_participant = member.id  # their plan was shown
    preview = [] if reasons else _preview(group, schedule, member, now)
    zone = ZoneInfo(group.timezone)
    return render_template(
        "ui/schedule.html", group=group, schedule=schedule, reasons=reasons or {}, preview=preview,
        kinds=PROMPT_KINDS, labels=KIND_LABELS, weekdays=WEEKDAYS, blank_rows=BLANK_ROWS,
        can_write=can_write_group(g.current_user, group), member=member, zone=zone,
        upcoming=[s for s in group.sessions if s.starts_at >= now],
    ), status  # fmt: skip


@ui.get("/groups/<int:group_id>/schedule")
@login_required
def schedule(group_id: int) -> tuple[str, int]:
    """The programme editor and what it plans for the next 14 days."""
    group = group_or_403(group_id)
    return _render(group, programme_to_json(programme_of(group)))


@ui.post("/groups/<int:group_id>/schedule")
@login_required
def save_schedule(group_id: int) -> tuple[str, int] | Response:
    """Save the programme, or show why it cannot be planned (nothing changes)."""
    group = group_or_403(group_id, write=True)
    data, shown = _form_to_json(request.form)
    region = current_app.extensions["paceline.settings"].default_phone_region
    try:
        programme = programme_from_json(data, region_window(region))
    except ScheduleError as exc:
        reasons = {field_label(key, shown): why for key, why in exc.reasons.items()}
        return _render(group, data, reasons, 422)
    group.schedule = programme_to_json(programme)
    replan_group(db.session(), group, utcnow())
    db.session().commit()
    flash("Schedule saved; members' plans are updated.", "ok")
    return redirect(url_for("ui.schedule", group_id=group.id))


@ui.post("/groups/<int:group_id>/sessions")
@login_required
def add_session_ui(group_id: int) -> Response:
    """Add a group session (local date and time in the group's zone)."""
    group = group_or_403(group_id, write=True)
    try:
        starts_at = parse_local_datetime(request.form.get("starts_at"), group.timezone)
    except ValueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("ui.schedule", group_id=group.id))
    if starts_at <= utcnow():
        flash("The session must be in the future.", "error")
        return redirect(url_for("ui.schedule", group_id=group.id))
    session = db.session()
    session.add(
        GroupSession(
            group=group, starts_at=starts_at, title=(request.form.get("title") or "")[:120]
        )
    )
    replan_group(session, group, utcnow())
    session.commit()
    flash(
        "Session added: a check-in goes out before it and a practice nudge the next morning.", "ok"
    )
    return redirect(url_for("ui.schedule", group_id=group.id))
