"""Schedule arithmetic: zones, daylight saving, quiet hours, windows, caps, flare and pause."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messages.schedule import (
    WEEKDAYS,
    Person,
    ScheduleError,
    default_programme,
    in_quiet_hours,
    local_instant,
    plan_slots,
    programme_from_json,
    programme_to_json,
)

ZONES = ["America/New_York", "America/Phoenix", "Europe/London", "Australia/Sydney", "Asia/Kolkata"]
CHECKIN_AT_19 = {"items": [{"kind": "checkin_both", "at": "19:00"}]}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "start"),
    [
        ("America/New_York", utc(2027, 3, 10, 12)),  # spring forward 2027-03-14
        ("America/New_York", utc(2026, 10, 28, 12)),  # fall back 2026-11-01
        ("Europe/London", utc(2027, 3, 25, 12)),  # 2027-03-28
        ("Europe/London", utc(2026, 10, 22, 12)),  # 2026-10-25
        ("Australia/Sydney", utc(2026, 10, 1, 12)),  # forward 2026-10-04
        ("Australia/Sydney", utc(2027, 4, 1, 12)),  # back 2027-04-04
        ("America/Phoenix", utc(2027, 3, 10, 12)),  # no DST
        ("Asia/Kolkata", utc(2027, 3, 10, 12)),  # no DST, half-hour offset
    ],
)
def test_fixed_local_time_holds_across_daylight_saving_changes(zone, start):
    programme = programme_from_json(CHECKIN_AT_19)
    slots = plan_slots(programme, Person(id=1, timezone=zone), start, start + timedelta(days=8))
    assert len(slots) == 8
    assert all(s.local.time() == time(19, 0) for s in slots)
    assert all(s.at.astimezone(ZoneInfo(zone)).time() == time(19, 0) for s in slots)
    assert len({s.local.date() for s in slots}) == 8
    offsets = {s.local.utcoffset() for s in slots}
    assert len(offsets) == (1 if zone in ("America/Phoenix", "Asia/Kolkata") else 2)


def test_nonexistent_and_ambiguous_local_times():
    ny = ZoneInfo("America/New_York")
    skipped = local_instant(date(2027, 3, 14), time(2, 30), ny)
    assert skipped.astimezone(ny).time() == time(3, 30)
    repeated = local_instant(date(2026, 11, 1), time(1, 30), ny)
    assert repeated.astimezone(UTC) == utc(2026, 11, 1, 5, 30)  # first 01:30 (EDT)


def test_quiet_hours_cross_midnight():
    assert in_quiet_hours(time(21, 0), time(21, 0), time(8, 0))
    assert in_quiet_hours(time(3, 0), time(21, 0), time(8, 0))
    assert not in_quiet_hours(time(8, 0), time(21, 0), time(8, 0))
    assert not in_quiet_hours(time(20, 59), time(21, 0), time(8, 0))
    assert in_quiet_hours(time(13, 0), time(12, 0), time(14, 0))


@st.composite
def programmes(draw):
    items = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(["pacing", "breathing", "social", "checkin_pain", "checkin_both"])
        )
        days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True))
        if draw(st.booleans()):
            hour = draw(st.integers(8, 20))
            items.append(
                {"kind": kind, "days": days, "at": f"{hour:02d}:{draw(st.integers(0, 59)):02d}"}
            )
        else:
            start = draw(st.integers(8, 18))
            end = draw(st.integers(start + 1, 21))
            count = draw(st.integers(1, 3))
            gap = draw(st.integers(0, min((end - start) * 60 // count - 1, 720)))  # 720: the limit
            items.append(
                {
                    "kind": kind,
                    "days": days,
                    "window": [f"{start:02d}:00", f"{end:02d}:00"],
                    "count": count,
                    "min_gap_minutes": gap,
                }
            )
    return programme_from_json({"items": items, "daily_cap": draw(st.integers(1, 5))})


@given(
    programme=programmes(),
    zone=st.sampled_from(ZONES),
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)
    ),
    quiet=st.one_of(st.none(), st.tuples(st.integers(18, 23), st.integers(5, 11))),
)
@settings(max_examples=150, deadline=None)
def test_no_planned_prompt_falls_in_quiet_hours(programme, zone, start, quiet):
    person = Person(
        id=7,
        timezone=zone,
        quiet_start=time(quiet[0], 0) if quiet else None,
        quiet_end=time(quiet[1], 0) if quiet else None,
    )
    quiet_start = person.quiet_start or programme.quiet_start
    quiet_end = person.quiet_end or programme.quiet_end
    slots = plan_slots(programme, person, start, start + timedelta(days=9))
    per_day: dict[date, int] = {}
    for slot in slots:
        local = slot.at.astimezone(ZoneInfo(zone))
        assert not in_quiet_hours(local.time(), quiet_start, quiet_end), slot
        per_day[local.date()] = per_day.get(local.date(), 0) + 1
    assert all(n <= programme.daily_cap for n in per_day.values())
    assert len({s.key for s in slots}) == len(slots)
    # Planning is deterministic: the same inputs give the same slots.
    assert plan_slots(programme, person, start, start + timedelta(days=9)) == slots


def test_random_windows_keep_the_minimum_gap_and_stay_inside():
    programme = programme_from_json(
        {
            "items": [
                {"kind": "pacing", "window": ["10:00", "16:00"], "count": 3, "min_gap_minutes": 90}
            ]
        }
    )
    slots = plan_slots(
        programme, Person(id=3, timezone="Europe/London"), utc(2027, 1, 4), utc(2027, 1, 18)
    )
    by_day: dict[date, list[datetime]] = {}
    for s in slots:
        assert time(10, 0) <= s.local.time() < time(16, 0)
        by_day.setdefault(s.local.date(), []).append(s.local)
    assert len(by_day) == 14
    for times in by_day.values():
        assert len(times) == 3
        assert all((b - a) >= timedelta(minutes=90) for a, b in itertools.pairwise(times))
    assert len({tuple(t.time() for t in v) for v in by_day.values()}) > 1  # not the same every day


def test_daily_cap_keeps_check_ins_first():
    programme = programme_from_json(
        {
            "daily_cap": 2,
            "items": [
                {"kind": "pacing", "at": "09:00"},
                {"kind": "social", "at": "10:00"},
                {"kind": "breathing", "at": "11:00"},
                {"kind": "checkin_both", "at": "19:00"},
            ],
        }
    )
    slots = plan_slots(programme, Person(id=1, timezone="UTC"), utc(2027, 1, 4), utc(2027, 1, 5))
    assert [s.kind for s in slots] == ["pacing", "checkin_both"]


def test_pause_and_flare_change_the_plan():
    programme = default_programme()
    start = utc(2027, 1, 4, 5)
    person = Person(id=1, timezone="America/New_York")
    normal = plan_slots(programme, person, start, start + timedelta(days=4))
    paused = plan_slots(
        programme,
        Person(id=1, timezone="America/New_York", paused_until=start + timedelta(days=2)),
        start,
        start + timedelta(days=4),
    )
    assert paused == [s for s in normal if s.at >= start + timedelta(days=2)]
    flare = plan_slots(
        programme,
        Person(id=1, timezone="America/New_York", flare_until=start + timedelta(days=4)),
        start,
        start + timedelta(days=4),
    )
    assert {s.kind for s in flare} <= {"pacing", "breathing", "checkin_pain"}
    per_day: dict[date, list[str]] = {}
    for s in flare:
        per_day.setdefault(s.local.date(), []).append(s.kind)
    assert all(kinds.count("checkin_pain") == 1 and len(kinds) <= 3 for kinds in per_day.values())


def test_preferred_time_overrides_the_groups_fixed_time():
    programme = programme_from_json(CHECKIN_AT_19)
    person = Person(id=1, timezone="Asia/Kolkata", preferred_times={"checkin_both": time(20, 15)})
    slots = plan_slots(programme, person, utc(2027, 1, 4), utc(2027, 1, 6))
    assert {s.local.time() for s in slots} == {time(20, 15)}


def test_sessions_get_a_check_in_before_and_a_practice_nudge_the_next_morning():
    programme = programme_from_json(CHECKIN_AT_19)
    session_start = datetime(2027, 1, 5, 18, 0, tzinfo=ZoneInfo("America/New_York"))
    slots = plan_slots(
        programme,
        Person(id=1, timezone="America/New_York"),
        utc(2027, 1, 5),
        utc(2027, 1, 7),
        sessions=[session_start.astimezone(UTC)],
    )
    kinds = {(s.kind, s.local.strftime("%m-%d %H:%M")) for s in slots}
    assert ("session_checkin", "01-05 16:00") in kinds
    assert ("session_practice", "01-06 10:00") in kinds


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"items": [{"kind": "pacing", "window": ["15:00", "11:00"]}]}, "items[0].window"),
        (
            {
                "items": [
                    {
                        "kind": "pacing",
                        "window": ["10:00", "11:00"],
                        "count": 3,
                        "min_gap_minutes": 45,
                    }
                ]
            },
            "items[0].min_gap_minutes",
        ),
        ({"items": [{"kind": "pacing", "at": "22:30"}]}, "items[0].at"),
        ({"items": [{"kind": "pacing", "window": ["19:00", "22:00"]}]}, "items[0].window"),
        ({"items": [{"kind": "yoga", "at": "10:00"}]}, "items[0].kind"),
        ({"items": [{"kind": "pacing", "at": "10:00", "days": ["someday"]}]}, "items[0].days"),
        ({"items": [{"kind": "pacing", "at": "25:00"}]}, "items[0].at"),
        ({"items": [{"kind": "pacing"}]}, "items[0]"),
        ({"items": []}, "items"),
        ({"daily_cap": 9, "items": [{"kind": "pacing", "at": "10:00"}]}, "daily_cap"),
        ({"quiet_start": "9pm", "items": [{"kind": "pacing", "at": "10:00"}]}, "quiet_start"),
    ],
)
def test_bad_programmes_are_refused_with_reasons(change, field):
    with pytest.raises(ScheduleError) as info:
        programme_from_json(change)
    assert field in info.value.reasons


def test_programme_json_round_trips():
    programme = default_programme()
    assert programme_from_json(programme_to_json(programme)) == programme
