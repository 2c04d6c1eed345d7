"""The hours the law allows texts in, by where the recipient's number is (US: TCPA and states).

The federal rule (47 CFR 64.1200(c)(1)) allows 8 a.m. to 9 p.m. in the recipient's local
time; several states allow less. A participant's quiet hours are always widened to cover the
nights of their jurisdiction (`widen_quiet`), whatever a group or a member's override says, and
the schedule editor refuses quiet hours that leave sending time outside the federal window
(`quiet_reason`). The state is read from the number's area code (messages/us_area_codes.py,
a table derived from `phonenumbers`' geocoding data); the table of windows, its sources and
what it leaves out are in docs/operations.md.

Only daily windows are applied. Some statutes also limit Sundays or holidays (noted per row
in `day_rules`); they govern telephone solicitations, and Paceline sends texts the person
asked for, so the weekday window is used every day: see docs/operations.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from typing import Any

import phonenumbers
from phonenumbers import NumberParseException
from phonenumbers import timezone as number_zones

from messages.us_area_codes import AREA_STATES, EXCHANGE_STATES


@dataclass(frozen=True)
class LegalWindow:
    """When texts may be sent in one jurisdiction, local time: [start, end)."""

    jurisdiction: str  # "US", or "US-FL" for a state
    name: str
    start: time
    end: time
    source: str
    day_rules: str = ""  # limits by day of week or holiday that are not applied

    def label(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


FEDERAL = LegalWindow(
    "US", "United States (federal)", time(8), time(21), "47 CFR 64.1200(c)(1) (TCPA)"
)


def _state(code: str, name: str, start: int, end: int, source: str, day_rules: str = "") -> LegalWindow:  # fmt: skip
    return LegalWindow(f"US-{code}", name, time(start), time(end), source, day_rules)


# States whose window is narrower than the federal one. Each row names its statute; the
# table's sources are listed in docs/operations.md.
STATES: dict[str, LegalWindow] = {
    w.jurisdiction[3:]: w
    for w in (
        _state("AL", "Alabama", 8, 20, "Ala. Code 8-19C", "no Sundays or state holidays"),
        _state("CT", "Connecticut", 9, 20, "Conn. Gen. Stat. 42-288a (Public Act 23-98)"),
        _state("FL", "Florida", 8, 20, "Fla. Stat. 501.059(8)(a)"),
        _state("KY", "Kentucky", 10, 21, "Ky. Rev. Stat. 367.46955"),
        _state("LA", "Louisiana", 8, 20, "La. R.S. 45:844.15", "no Sundays or state holidays"),
        _state("MA", "Massachusetts", 8, 20, "201 CMR 12.02"),
        _state("MD", "Maryland", 8, 20, "Md. Code, Com. Law 14-4502 (Stop the Spam Calls Act)"),
        _state("MI", "Michigan", 9, 21, "Mich. Comp. Laws 445.111b"),
        _state("MN", "Minnesota", 9, 21, "Minn. Stat. 325E.27"),
        _state("MS", "Mississippi", 8, 20, "Miss. Code 77-3-725", "no Sundays"),
        _state("NJ", "New Jersey", 8, 20, "N.J. Stat. 56:8-130"),
        _state("NV", "Nevada", 9, 20, "Nev. Rev. Stat. 228.590"),
        _state("NM", "New Mexico", 9, 21, "N.M. Stat. 57-12-22"),
        _state("OK", "Oklahoma", 8, 20, "15 Okla. Stat. 775C.4 (Telephone Solicitation Act)"),
        _state("RI", "Rhode Island", 9, 18, "R.I. Gen. Laws 5-61-3.4",
               "10 a.m.-5 p.m. on Saturdays; none on Sundays or holidays"),
        _state("TX", "Texas", 9, 21, "Tex. Bus. & Com. Code 301.051", "Sundays from noon"),
        _state("WA", "Washington", 8, 20, "RCW 80.36.390"),
    )
}  # fmt: skip

STATE_NAMES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC",
    "Washington D.C.": "DC", "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID",
    "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY",
    "Louisiana": "LA", "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA",
    "Michigan": "MI", "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO",
    "Montana": "MT", "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH",
    "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY", "North Carolina": "NC",
    "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR",
    "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD",
    "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA",
    "Washington": "WA", "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
}  # fmt: skip
STATE_CODES = frozenset(STATE_NAMES.values())


def us_state(e164: str) -> str | None:
    """The two-letter state of a US number's area code ('FL'), or None when not known."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return None
    if phonenumbers.region_code_for_number(number) != "US":
        return None
    return _state_of(number)


def _state_of(number: phonenumbers.PhoneNumber) -> str | None:
    """The state of a +1 number: its exchange's when that differs, else its area code's
    (messages/us_area_codes.py, derived from libphonenumber's geocoding data)."""
    if number.country_code != 1:
        return None
    digits = f"+1{number.national_number}"
    for length in range(len(digits), 5, -1):
        if (state := EXCHANGE_STATES.get(digits[:length])) is not None:
            return state
    if (state := AREA_STATES.get(digits[2:5])) is not None:
        return state
    # An area code newer than the table (or not geographic): ask the geocoder itself, loaded
    # only then. Toll-free and other non-geographic codes get no state (the federal window).
    return _geocoded_state(number) if phonenumbers.is_valid_number(number) else None


def _geocoded_state(number: phonenumbers.PhoneNumber) -> str | None:
    from phonenumbers import geocoder

    return state_of_place(geocoder.description_for_number(number, "en"))


def state_of_place(place: str | None) -> str | None:
    """The state code in a geocoder description: "Florida" or "Miami, FL" -> "FL"."""
    if not place:
        return None
    if "," in place:
        code = place.rsplit(",", 1)[1].strip()
        return code if code in STATE_CODES else None
    return STATE_NAMES.get(place.strip())


def _nanp_key(e164: str) -> str:
    """What the state and zone of a number depend on: for +1 numbers the area code and
    exchange (NPA-NXX), so a million members share a few thousand cache entries; otherwise
    the whole number."""
    return e164[:8] if e164.startswith("+1") and len(e164) == 12 else e164


def window_for(e164: str) -> LegalWindow | None:
    """The sending window of the recipient's jurisdiction; None outside the US."""
    return _by_prefix(_WINDOWS, e164, _window_for)


def number_zone(e164: str) -> str | None:
    """The one IANA zone of the number's area, when the numbering plan names exactly one."""
    return _by_prefix(_ZONES, e164, _number_zone)


_WINDOWS: dict[str, LegalWindow | None] = {}
_ZONES: dict[str, str | None] = {}
_CACHE_LIMIT = 100_000


def _by_prefix(cache: dict, e164: str, look_up: Callable[[phonenumbers.PhoneNumber], Any]) -> Any:  # type: ignore[type-arg]
    """Look a valid number up once per NPA-NXX (see `_nanp_key`); anything else uncached."""
    key = _nanp_key(e164)
    if key in cache:
        return cache[key]
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return None
    value = look_up(number)
    if phonenumbers.is_valid_number(number):
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[key] = value
    return value


def _window_for(number: phonenumbers.PhoneNumber) -> LegalWindow | None:
    if phonenumbers.region_code_for_number(number) != "US":
        return None
    state = _state_of(number)
    return STATES.get(state, FEDERAL) if state else FEDERAL


def _number_zone(number: phonenumbers.PhoneNumber) -> str | None:
    zones = number_zones.time_zones_for_number(number)
    return zones[0] if len(zones) == 1 and zones[0] != "Etc/Unknown" else None


def region_window(region: str) -> LegalWindow | None:
    """The window a deployment's schedules must respect: the federal one for US programmes."""
    return FEDERAL if region.upper() == "US" else None


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _time(minutes: int) -> time:
    return time((minutes // 60) % 24, minutes % 60)


def widen_quiet(
    quiet_start: time, quiet_end: time, window: LegalWindow | None
) -> tuple[time, time]:
    """Quiet hours that cover at least the jurisdiction's nights: the sending time left is
    the configured sending time inside the legal window (the larger part, should it split)."""
    if window is None:
        return quiet_start, quiet_end
    legal = (_minutes(window.start), _minutes(window.end))
    send_from, send_until = _minutes(quiet_end), _minutes(quiet_start)
    if send_from == send_until:  # no quiet hours configured: the whole day
        pieces = [legal]
    elif send_from < send_until:  # the usual case: quiet hours span midnight
        pieces = [(max(send_from, legal[0]), min(send_until, legal[1]))]
    else:  # quiet hours inside the day: sending wraps midnight, so it may split in two
        pieces = [(legal[0], min(send_until, legal[1])), (max(send_from, legal[0]), legal[1])]
    start, end = max(pieces, key=lambda p: p[1] - p[0])
    if end <= start:  # no configured sending time is legal: keep one minute, the window's first
        start, end = legal[0], legal[0] + 1
    return _time(end), _time(start)


def quiet_reason(quiet_start: time, quiet_end: time, window: LegalWindow) -> str | None:
    """Why these quiet hours would allow texts outside `window`, or None when they do not."""
    if widen_quiet(quiet_start, quiet_end, window) == (quiet_start, quiet_end):
        return None
    return (
        f"must cover at least {window.end:%H:%M}-{window.start:%H:%M}: the law allows texts "
        f"only from {window.start:%H:%M} to {window.end:%H:%M} local time "
        f"({window.source}); members in states with stricter hours get those automatically"
    )
