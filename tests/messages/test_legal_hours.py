"""The law's sending hours by the number's state, and quiet hours widened to cover them."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from messages.legal_hours import (
    FEDERAL,
    STATES,
    number_zone,
    quiet_reason,
    us_state,
    widen_quiet,
    window_for,
)
from messages.schedule import (
    WEEKDAYS,
    Item,
    Person,
    Programme,
    ScheduleError,
    is_quiet,
    plan_slots,
    programme_from_json,
    quiet_spans,
    send_window_after,
)


@pytest.mark.parametrize(
    ("phone", "state", "window"),
    [
        ("+13055550123", "FL", (time(8), time(20))),  # "Florida"
        ("+12125550123", "NY", (time(8), time(21))),  # "New York, NY": the federal window
        ("+15125550123", "TX", (time(9), time(21))),
        ("+18605550123", "CT", (time(9), time(20))),
        ("+14015550123", "RI", (time(9), time(18))),
    ],
)
def test_the_window_follows_the_state_of_the_area_code(phone, state, window):
    assert us_state(phone) == state
    legal = window_for(phone)
    assert legal is not None and (legal.start, legal.end) == window


def test_outside_the_us_no_us_window_applies():
    assert window_for("+447911123456") is None
    assert us_state("+447911123456") is None
    assert window_for("not a number") is None


def test_every_state_row_is_narrower_than_the_federal_window_and_cites_its_source():
    for code, window in STATES.items():
        assert window.jurisdiction == f"US-{code}" and window.source
        assert FEDERAL.start <= window.start < window.end <= FEDERAL.end, code


@pytest.mark.parametrize(
    ("quiet", "expected"),
    [
        ((time(21), time(8)), (time(21), time(8))),  # exactly the federal nights
        ((time(22), time(7)), (time(21), time(8))),  # narrower nights are widened
        ((time(20), time(9)), (time(20), time(9))),  # wider nights are kept
        ((time(0), time(7)), (time(21), time(8))),  # quiet only after midnight
        ((time(12), time(12)), (time(21), time(8))),  # no quiet hours at all
        ((time(13), time(14)), (time(21), time(14))),  # daytime quiet: the longer legal part
        ((time(0), time(23, 59)), (time(8, 1), time(8))),  # no legal time left: one minute
    ],
)
def test_quiet_hours_are_widened_to_the_legal_nights(quiet, expected):
    assert widen_quiet(*quiet, FEDERAL) == expected
    assert widen_quiet(*quiet, None) == quiet


def test_quiet_hours_narrower_than_the_law_are_refused_with_the_reason():
    assert quiet_reason(time(21), time(8), FEDERAL) is None
    reason = quiet_reason(time(22), time(7), FEDERAL)
    assert reason and "21:00-08:00" in reason and "64.1200" in reason
    data = {"quiet_start": "22:00", "quiet_end": "07:00",
            "items": [{"kind": "pacing", "at": "10:00"}]}  # fmt: skip
    programme_from_json(data)  # outside the US nothing is imposed
    with pytest.raises(ScheduleError) as caught:
        programme_from_json(data, FEDERAL)
    assert "quiet_start" in caught.value.reasons


def test_a_florida_member_gets_no_text_between_8_and_9_pm():
    programme = Programme(items=(Item(kind="pacing", days=WEEKDAYS, at=time(20, 30)),
                                 Item(kind="breathing", days=WEEKDAYS, at=time(19, 30))))  # fmt: skip
    person = Person(id=1, timezone="America/New_York", legal=window_for("+13055550123"))
    start = datetime(2026, 12, 7, 5, tzinfo=UTC)
    kinds = [s.kind for s in plan_slots(programme, person, start, start.replace(day=8))]
    assert kinds == ["breathing"]  # 19:30 stays; 20:30 is after Florida's 8 p.m.
    federal = Person(id=2, timezone="America/New_York", legal=window_for("+12125550123"))
    assert len(plan_slots(programme, federal, start, start.replace(day=8))) == 2


def test_the_laws_nights_hold_in_the_numbers_zone_too():
    """A New York number in a Los Angeles group: 19:30 in LA is 22:30 in New York."""
    assert number_zone("+12125550123") == "America/New_York"
    programme = Programme(items=(Item(kind="pacing", days=WEEKDAYS, at=time(19, 30)),
                                 Item(kind="breathing", days=WEEKDAYS, at=time(10))))  # fmt: skip
    person = Person(id=1, timezone="America/Los_Angeles", legal=FEDERAL,
                    number_zone="America/New_York")  # fmt: skip
    start = datetime(2026, 12, 7, 8, tzinfo=UTC)
    kinds = [s.kind for s in plan_slots(programme, person, start, start.replace(day=8))]
    assert kinds == ["breathing"]
    spans = quiet_spans(programme, person)
    # 05:30 in LA (08:30 in New York): quiet in LA; the first allowed instant is 08:00 LA.
    at = datetime(2026, 12, 7, 13, 30, tzinfo=UTC)
    assert is_quiet(at, spans)
    send_at, until = send_window_after(at, spans)
    assert send_at == datetime(2026, 12, 7, 16, 0, tzinfo=UTC)  # 08:00 LA, 11:00 NY
    assert until == datetime(2026, 12, 8, 2, 0, tzinfo=UTC)  # 21:00 in New York comes first
