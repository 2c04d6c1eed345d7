"""The group chart's daily spread, computed from counts per value in the database, equals the
quartiles of the readings themselves, on the group's local days (half-hour zones too)."""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from service.care.summaries import group_distributions
from service.models import Group, Observation, Participant, ParticipantStatus
from service.platform.db import utcnow


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata", "Australia/Eucla"])
def test_daily_spread_matches_the_readings(session, zone):
    rng = random.Random(zone)
    group = Group(name=f"G {zone}", timezone=zone)
    people = [Participant(group=group, phone=f"+1208555{i:04d}", status=ParticipantStatus.ACTIVE)
              for i in range(12)]  # fmt: skip
    session.add_all([group, *people])
    session.flush()
    now = utcnow()
    expected: dict = defaultdict(list)
    for _ in range(600):
        at = now - timedelta(minutes=rng.randrange(0, 14 * 24 * 60))
        value = rng.randint(0, 10)
        session.add(Observation(participant=rng.choice(people), kind="pain", value=value,
                                recorded_at=at))  # fmt: skip
        expected[at.astimezone(ZoneInfo(zone)).date()].append(value)
    session.commit()
    session.add(Observation(participant=people[0], kind="mood", value=7, recorded_at=now))
    session.commit()
    spreads = group_distributions(session, group, now - timedelta(days=15))
    assert [(d.low, d.n) for d in spreads["mood"]] == [(7, 1)]
    got = spreads["pain"]
    assert [d.day for d in got] == sorted(expected)
    for d in got:
        values = sorted(expected[d.day])
        assert (d.low, d.high, d.n) == (values[0], values[-1], len(values))
        if len(values) >= 2:
            q1, med, q3 = statistics.quantiles(values, n=4, method="inclusive")
            assert (d.q1, d.median, d.q3) == pytest.approx((q1, med, q3))
