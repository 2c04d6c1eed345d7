"""Schedule arithmetic: a group's programme, quiet hours and time zones, turned into prompt slots.

Pure functions on plain data. The planner (service/planning.py) and the schedule preview API
both call `plan_slots`, so what a facilitator previews is what is sent.

Rules that hold for every slot this module produces:
- it is outside the participant's quiet hours (local time, default 21:00-08:00);
- its local wall time is what the programme says, across daylight-saving changes (a time
  that does not exist on a spring-forward day moves forward by the gap; an ambiguous one on a
  fall-back day is taken once, at its first occurrence);
- nothing is planned while paused; during a flare only pacing, breathing and one pain
  check-in a day;
- at most `daily_cap` slots a local day, check-ins kept first.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from messages.legal_hours import LegalWindow, quiet_reason, widen_quiet

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Standard measures asked one item at a time (messages/surveys.py).
SURVEY_PROMPTS = ("survey_peg", "survey_phq2", "survey_gad2")
PROMPT_KINDS = (
    "pacing", "breathing", "social", "checkin_pain", "checkin_mood", "checkin_both",
    *SURVEY_PROMPTS,
)  # fmt: skip
EXPECTING = {
    "checkin_pain": "pain",
    "checkin_mood": "mood",
    "checkin_both": "checkin",
    "session_checkin": "checkin",
    **{kind: "survey" for kind in SURVEY_PROMPTS},
}
# Lower is kept first when the daily cap bites.
PRIORITY = {
    "session_checkin": 0, "checkin_both": 1, "checkin_pain": 1, "checkin_mood": 1,
    "survey_peg": 1, "survey_phq2": 1, "survey_gad2": 1,
    "session_practice": 2, "pacing": 3, "breathing": 3, "social": 4,
}  # fmt: skip
FLARE_KINDS = ("pacing", "breathing")
DEFAULT_QUIET = ("21:00", "08:00")
MAX_DAILY_CAP = 5
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class ScheduleError(ValueError):
    """A programme that cannot be planned; `reasons` maps each bad field to why."""

    def __init__(self, reasons: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in reasons.items()))
        self.reasons = reasons


@dataclass(frozen=True)
class Item:
    """One line of a programme: a kind, on some weekdays, at a fixed time or in a window."""

    kind: str
    days: tuple[str, ...]
    at: time | None = None
    window: tuple[time, time] | None = None
    count: int = 1
    min_gap_minutes: int = 60
    # Tied to the group's sessions instead of weekdays: "before" or "after" each session start,
    # by `offset_minutes` (a PHQ-2 an hour before every session, a PEG a day after).
    session: str | None = None
    offset_minutes: int = 0


@dataclass(frozen=True)
class Programme:
    """A group's schedule."""

    items: tuple[Item, ...]
    daily_cap: int = 4
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    response_window_minutes: int = 120
    reminder_after_minutes: int = 60
    session_checkin_minutes_before: int = 120


@dataclass(frozen=True)
class Person:
    """What planning needs to know about one participant."""

    id: int
    timezone: str
    epoch: int = 0
    quiet_start: time | None = None
    quiet_end: time | None = None
    preferred_times: Mapping[str, time] = field(default_factory=dict)
    paused_until: datetime | None = None
    flare_until: datetime | None = None
    legal: LegalWindow | None = None  # the sending hours of the number's jurisdiction
    # The zone of the number's area code, when it differs from `timezone`: the law's nights
    # are kept there too, since a person may live where their number says.
    number_zone: str | None = None


def quiet_hours(programme: Programme, person: Person) -> tuple[time, time]:
    """The person's quiet hours: their own or the group's, widened to their legal nights."""
    return widen_quiet(
        person.quiet_start or programme.quiet_start,
        person.quiet_end or programme.quiet_end,
        person.legal,
    )


QuietSpan = tuple[str, time, time]  # (zone, quiet_start, quiet_end)


def quiet_spans(programme: Programme, person: Person) -> list[QuietSpan]:
    """Every quiet period a text to `person` must avoid: their quiet hours in their zone, and
    the legal nights in their number's zone when that is another one."""
    spans = [(person.timezone, *quiet_hours(programme, person))]
    if person.legal and person.number_zone and person.number_zone != person.timezone:
        spans.append((person.number_zone, person.legal.end, person.legal.start))
    return spans


def is_quiet(at: datetime, spans: Sequence[QuietSpan]) -> bool:
    """True when the instant `at` falls in any of the quiet periods."""
    return any(
        in_quiet_hours(at.astimezone(ZoneInfo(zone)).time(), start, end)
        for zone, start, end in spans
    )


def send_window_after(at: datetime, spans: Sequence[QuietSpan]) -> tuple[datetime, datetime]:
    """The first instant at or after `at` outside every quiet period, and when the next one
    begins after it: (from, until), both UTC."""
    send_at = at
    for _ in range(2 * len(spans) + 2):  # each step leaves one period; they cannot all chain
        moved = False
        for zone_name, start, end in spans:
            zone = ZoneInfo(zone_name)
            local = send_at.astimezone(zone)
            if in_quiet_hours(local.time(), start, end):
                day = local.date() if local.time() < end else local.date() + timedelta(days=1)
                send_at = local_instant(day, end, zone).astimezone(UTC)
                moved = True
        if not moved:
            break
    until = min(quiet_hours_start_after(send_at, zone, start, end) for zone, start, end in spans)
    return send_at, until


@dataclass(frozen=True)
class Slot:
    """One planned prompt."""

    key: str  # unique per participant: planning the same slot twice is a no-op
    kind: str
    at: datetime  # UTC
    local: datetime  # in the participant's zone

    @property
    def expecting(self) -> str | None:
        """What a reply to this prompt answers: pain, mood, checkin (both) or None."""
        return EXPECTING.get(self.kind)


# --- parsing and validation ----------------------------------------------------------------


def parse_hhmm(value: object, field_name: str, reasons: dict[str, str]) -> time | None:
    """'08:30' -> time(8, 30); records a reason and returns None when malformed."""
    if isinstance(value, str) and (m := _HHMM.match(value)):
        return time(int(m.group(1)), int(m.group(2)))
    reasons[field_name] = "must be a time as HH:MM (24-hour), e.g. 08:30"
    return None


def check_timezone(name: object) -> str | None:
    """A reason `name` is not an IANA time zone, or None."""
    if not isinstance(name, str) or not name:
        return "must be an IANA time zone such as America/New_York"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"'{name}' is not an IANA time zone"
    return None


def in_quiet_hours(local: time, quiet_start: time, quiet_end: time) -> bool:
    """True when a local wall time falls in quiet hours [start, end) (which may cross midnight)."""
    if quiet_start == quiet_end:
        return False
    if quiet_start < quiet_end:
        return quiet_start <= local < quiet_end
    return local >= quiet_start or local < quiet_end


def _window_quiet(start: time, end: time, quiet_start: time, quiet_end: time) -> bool:
    """True when any minute of [start, end) is in quiet hours."""
    minute = timedelta(minutes=1)
    t = datetime.combine(date(2000, 1, 1), start)
    stop = datetime.combine(date(2000, 1, 1), end)
    while t < stop:
        if in_quiet_hours(t.time(), quiet_start, quiet_end):
            return True
        t += minute
    return False


def programme_from_json(data: object, legal: LegalWindow | None = None) -> Programme:
    """Validate a programme given as JSON; raise ScheduleError listing every problem.

    With `legal`, quiet hours that would allow texts outside that window are refused.
    """
    reasons: dict[str, str] = {}
    if not isinstance(data, Mapping):
        raise ScheduleError({"schedule": "must be a JSON object"})
    cap = data.get("daily_cap", 4)
    if not isinstance(cap, int) or isinstance(cap, bool) or not 1 <= cap <= MAX_DAILY_CAP:
        reasons["daily_cap"] = f"must be a whole number from 1 to {MAX_DAILY_CAP}"
    quiet_start = parse_hhmm(data.get("quiet_start", DEFAULT_QUIET[0]), "quiet_start", reasons)
    quiet_end = parse_hhmm(data.get("quiet_end", DEFAULT_QUIET[1]), "quiet_end", reasons)
    if legal and quiet_start and quiet_end and (why := quiet_reason(quiet_start, quiet_end, legal)):
        reasons["quiet_start"] = why
    minutes = {}
    for name, default, low, high in (
        ("response_window_minutes", 120, 15, 24 * 60),
        ("reminder_after_minutes", 60, 5, 24 * 60),
        ("session_checkin_minutes_before", 120, 15, 24 * 60),
    ):
        value = data.get(name, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            reasons[name] = f"must be a whole number of minutes from {low} to {high}"
        minutes[name] = value
    if not reasons.get("reminder_after_minutes") and not reasons.get("response_window_minutes"):
        if minutes["reminder_after_minutes"] >= minutes["response_window_minutes"]:
            reasons["reminder_after_minutes"] = "must be shorter than the response window"

    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        reasons["items"] = "must be a non-empty list"
        raw_items = []
    items = []
    for i, raw in enumerate(raw_items):
        item = _item_from_json(raw, f"items[{i}]", reasons, quiet_start, quiet_end)
        if item is not None:
            items.append(item)
    if reasons:
        raise ScheduleError(reasons)
    return Programme(
        items=tuple(items),
        daily_cap=cap,
        quiet_start=quiet_start,  # type: ignore[arg-type]
        quiet_end=quiet_end,  # type: ignore[arg-type]
        response_window_minutes=minutes["response_window_minutes"],
        reminder_after_minutes=minutes["reminder_after_minutes"],
        session_checkin_minutes_before=minutes["session_checkin_minutes_before"],
    )


def _item_from_json(
    raw: object,
    where: str,
    reasons: dict[str, str],
    quiet_start: time | None,
    quiet_end: time | None,
) -> Item | None:
    if not isinstance(raw, Mapping):
        reasons[where] = "must be an object"
        return None
    before = len(reasons)
    kind = raw.get("kind")
    if kind not in PROMPT_KINDS:
        reasons[f"{where}.kind"] = f"must be one of {', '.join(PROMPT_KINDS)}"
    if "session" in raw:
        return _session_item(raw, where, reasons, kind, before)
    days = raw.get("days", list(WEEKDAYS))
    if not isinstance(days, list) or not days or any(d not in WEEKDAYS for d in days):
        reasons[f"{where}.days"] = f"must be a non-empty list of {', '.join(WEEKDAYS)}"
        days = []
    has_at, has_window = "at" in raw, "window" in raw
    at = window = None
    count, gap = 1, 60
    if has_at == has_window:
        reasons[where] = "give either a fixed time 'at' or a 'window' [start, end]"
    elif has_at:
        at = parse_hhmm(raw.get("at"), f"{where}.at", reasons)
        if at and quiet_start and quiet_end and in_quiet_hours(at, quiet_start, quiet_end):
            reasons[f"{where}.at"] = "falls in quiet hours"
    else:
        pair = raw.get("window")
        if not isinstance(pair, list) or len(pair) != 2:
            reasons[f"{where}.window"] = "must be [start, end] as HH:MM"
        else:
            start = parse_hhmm(pair[0], f"{where}.window", reasons)
            end = parse_hhmm(pair[1], f"{where}.window", reasons)
            count = raw.get("count", 1)
            gap = raw.get("min_gap_minutes", 60)
            if (
                not isinstance(count, int)
                or isinstance(count, bool)
                or not 1 <= count <= MAX_DAILY_CAP
            ):
                reasons[f"{where}.count"] = f"must be a whole number from 1 to {MAX_DAILY_CAP}"
            if not isinstance(gap, int) or isinstance(gap, bool) or not 0 <= gap <= 12 * 60:
                reasons[f"{where}.min_gap_minutes"] = "must be a whole number of minutes, 0 to 720"
            if start and end:
                span = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
                if span <= 0:
                    reasons[f"{where}.window"] = "the window ends before it starts"
                elif isinstance(count, int) and isinstance(gap, int) and (count - 1) * gap >= span:
                    reasons[f"{where}.min_gap_minutes"] = (
                        f"{count} prompts {gap} minutes apart cannot fit in a {span}-minute window"
                    )
                elif (
                    quiet_start and quiet_end and _window_quiet(start, end, quiet_start, quiet_end)
                ):
                    reasons[f"{where}.window"] = "overlaps quiet hours"
                window = (start, end)
    if len(reasons) > before:
        return None
    return Item(kind=kind, days=tuple(days), at=at, window=window, count=count, min_gap_minutes=gap)


MAX_SESSION_OFFSET = 7 * 24 * 60


def _session_item(
    raw: Mapping[str, object], where: str, reasons: dict[str, str], kind: object, before: int
) -> Item | None:
    """An item asked relative to each group session: {"session": "before", "offset_minutes": 60}."""
    when = raw.get("session")
    if when not in ("before", "after"):
        reasons[f"{where}.session"] = "must be 'before' or 'after'"
    offset = raw.get("offset_minutes", 60)
    if (
        not isinstance(offset, int)
        or isinstance(offset, bool)
        or not 0 <= offset <= MAX_SESSION_OFFSET
    ):
        reasons[f"{where}.offset_minutes"] = (
            f"must be a whole number of minutes, 0 to {MAX_SESSION_OFFSET}"
        )
    if "at" in raw or "window" in raw:
        reasons[where] = "a session item takes 'offset_minutes', not 'at' or 'window'"
    if len(reasons) > before:
        return None
    return Item(kind=str(kind), days=WEEKDAYS, session=str(when), offset_minutes=int(offset))  # type: ignore[arg-type]  # fmt: skip


def programme_to_json(programme: Programme) -> dict[str, object]:
    """The JSON form of a programme (what the API returns and stores)."""

    def hhmm(t: time) -> str:
        return t.strftime("%H:%M")

    items: list[dict[str, object]] = []
    for item in programme.items:
        if item.session is not None:
            items.append({"kind": item.kind, "session": item.session,
                          "offset_minutes": item.offset_minutes})  # fmt: skip
            continue
        out: dict[str, object] = {"kind": item.kind, "days": list(item.days)}
        if item.at is not None:
            out["at"] = hhmm(item.at)
        elif item.window is not None:
            out["window"] = [hhmm(item.window[0]), hhmm(item.window[1])]
            out["count"] = item.count
            out["min_gap_minutes"] = item.min_gap_minutes
        items.append(out)
    return {
        "daily_cap": programme.daily_cap,
        "quiet_start": hhmm(programme.quiet_start),
        "quiet_end": hhmm(programme.quiet_end),
        "response_window_minutes": programme.response_window_minutes,
        "reminder_after_minutes": programme.reminder_after_minutes,
        "session_checkin_minutes_before": programme.session_checkin_minutes_before,
        "items": items,
    }


DEFAULT_PROGRAMME_JSON: dict[str, object] = {
    "daily_cap": 4,
    "quiet_start": "21:00",
    "quiet_end": "08:00",
    "response_window_minutes": 120,
    "reminder_after_minutes": 60,
    "items": [
        {
            "kind": "pacing",
            "days": ["mon", "tue", "wed", "thu", "fri"],
            "window": ["10:00", "12:30"],
        },
        {"kind": "breathing", "days": list(WEEKDAYS), "window": ["13:00", "17:00"]},
        {"kind": "social", "days": ["mon", "wed", "fri"], "at": "17:30"},
        {"kind": "checkin_both", "days": list(WEEKDAYS), "at": "19:00"},
    ],
}


def default_programme() -> Programme:
    """The programme a group gets until its facilitator sets one."""
    return programme_from_json(DEFAULT_PROGRAMME_JSON)


# --- planning ------------------------------------------------------------------------------


def local_instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The instant a local wall time happens on `day` in `zone`, DST-safe.

    A wall time skipped by a spring-forward change moves forward by the gap (02:30 -> 03:30);
    one repeated by a fall-back change is taken at its first occurrence.
    """
    naive = datetime.combine(day, wall)
    candidate = naive.replace(tzinfo=zone, fold=0)
    roundtrip = candidate.astimezone(UTC).astimezone(zone)
    if roundtrip.replace(tzinfo=None) != naive:
        # Nonexistent: fold=0 used the offset from before the gap; the UTC instant is
        # the moment the clocks jumped past this wall time.
        return roundtrip
    return candidate


def _seeded(person: Person, day: date, index: int) -> random.Random:
    digest = hashlib.sha256(
        f"{person.id}:{person.epoch}:{day.isoformat()}:{index}".encode()
    ).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _window_times(item: Item, rng: random.Random) -> list[time]:
    """`count` random times in the window, at least `min_gap_minutes` apart, sorted."""
    assert item.window is not None
    start = item.window[0].hour * 60 + item.window[0].minute
    end = item.window[1].hour * 60 + item.window[1].minute
    slack = (end - start - 1) - (item.count - 1) * item.min_gap_minutes
    picks = sorted(rng.randint(0, max(slack, 0)) for _ in range(item.count))
    minutes = [start + p + i * item.min_gap_minutes for i, p in enumerate(picks)]
    return [time(m // 60, m % 60) for m in minutes]


def plan_slots(
    programme: Programme,
    person: Person,
    start: datetime,
    end: datetime,
    sessions: Sequence[datetime] = (),
) -> list[Slot]:
    """Every prompt slot for `person` with start <= at < end (UTC), in time order."""
    zone = ZoneInfo(person.timezone)
    spans = quiet_spans(programme, person)
    first_day = start.astimezone(zone).date() - timedelta(days=1)
    last_day = end.astimezone(zone).date() + timedelta(days=1)
    by_day: dict[date, list[Slot]] = {}
    day = first_day
    while day <= last_day:
        by_day[day] = list(_day_candidates(programme, person, zone, day))
        day += timedelta(days=1)
    for session_start in sessions:
        for slot in _session_candidates(programme, person, zone, session_start):
            by_day.setdefault(slot.local.date(), []).append(slot)

    slots: list[Slot] = []
    for _day, candidates in sorted(by_day.items()):
        kept = [s for s in candidates if not is_quiet(s.at, spans) and not _paused(person, s.at)]
        kept = _apply_flare(person, kept)
        kept.sort(key=lambda s: (PRIORITY.get(s.kind, 9), s.at))
        kept = kept[: programme.daily_cap]
        slots.extend(s for s in kept if start <= s.at < end)
    slots.sort(key=lambda s: (s.at, s.key))
    return slots


def _day_candidates(
    programme: Programme, person: Person, zone: ZoneInfo, day: date
) -> Iterable[Slot]:
    weekday = WEEKDAYS[day.weekday()]
    for index, item in enumerate(programme.items):
        if item.session is not None or weekday not in item.days:
            continue
        if item.at is not None:
            wall = person.preferred_times.get(item.kind, item.at)
            walls = [wall]
        else:
            walls = _window_times(item, _seeded(person, day, index))
        for n, wall in enumerate(walls):
            local = local_instant(day, wall, zone)
            key = f"e{person.epoch}:{day.isoformat()}:{index}:{item.kind}:{n}"
            yield Slot(key=key, kind=item.kind, at=local.astimezone(UTC), local=local)


def _session_candidates(
    programme: Programme, person: Person, zone: ZoneInfo, session_start: datetime
) -> Iterable[Slot]:
    local_start = session_start.astimezone(zone)
    stamp = session_start.astimezone(UTC).strftime("%Y%m%dT%H%M")
    before = session_start - timedelta(minutes=programme.session_checkin_minutes_before)
    yield Slot(
        key=f"e{person.epoch}:session:{stamp}:checkin",
        kind="session_checkin",
        at=before.astimezone(UTC),
        local=before.astimezone(zone),
    )
    practice_local = local_instant(local_start.date() + timedelta(days=1), time(10, 0), zone)
    yield Slot(
        key=f"e{person.epoch}:session:{stamp}:practice",
        kind="session_practice",
        at=practice_local.astimezone(UTC),
        local=practice_local,
    )
    for index, item in enumerate(programme.items):
        if item.session is None:
            continue
        shift = timedelta(minutes=item.offset_minutes)
        at = session_start - shift if item.session == "before" else session_start + shift
        yield Slot(key=f"e{person.epoch}:session:{stamp}:{index}:{item.kind}", kind=item.kind,
                   at=at.astimezone(UTC), local=at.astimezone(zone))  # fmt: skip


def _paused(person: Person, at: datetime) -> bool:
    return person.paused_until is not None and at < person.paused_until


def _apply_flare(person: Person, slots: list[Slot]) -> list[Slot]:
    """During a flare: pacing and breathing (one each) plus one pain check-in a day."""
    if person.flare_until is None:
        return slots
    out: list[Slot] = []
    seen: set[str] = set()
    for slot in sorted(slots, key=lambda s: s.at):
        if slot.at >= person.flare_until:
            out.append(slot)
            continue
        if slot.kind in FLARE_KINDS and slot.kind not in seen:
            seen.add(slot.kind)
            out.append(slot)
        elif slot.kind in EXPECTING and "checkin" not in seen:
            seen.add("checkin")
            out.append(
                Slot(key=slot.key + ":flare", kind="checkin_pain", at=slot.at, local=slot.local)
            )
    return out


def quiet_hours_start_after(
    at: datetime, timezone: str, quiet_start: time, quiet_end: time
) -> datetime:
    """The next instant at or after `at` (UTC) when quiet hours begin, in UTC."""
    zone = ZoneInfo(timezone)
    local = at.astimezone(zone)
    for offset in range(0, 3):
        candidate = local_instant(local.date() + timedelta(days=offset), quiet_start, zone)
        if candidate >= local:
            return candidate.astimezone(UTC)
    return (at + timedelta(days=1)).astimezone(UTC)  # pragma: no cover - quiet_start is daily


def parse_local_datetime(value: object, timezone: str) -> datetime:
    """ISO 8601 with an offset, or a local 'YYYY-MM-DDTHH:MM' read in `timezone`, as UTC."""
    if not isinstance(value, str):
        raise ValueError("starts_at is required (ISO 8601, e.g. 2026-12-01T18:00)")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'{value}' is not an ISO 8601 date and time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(timezone))
    return parsed.astimezone(UTC)
