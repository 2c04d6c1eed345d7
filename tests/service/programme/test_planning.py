"""The planner with a controllable clock: two simulated weeks across zones and languages,
reminders, keyword effects on planning, concurrent ticks, and the schedule API."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from messages.library import BY_KEY
from messages.schedule import default_programme, in_quiet_hours
from service.models import (
    Group,
    OutboundMessage,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
)
from service.platform.db import db, utcnow
from service.programme.dispatch import dispatch_due, tick
from service.programme.plans import plan_due, preview

START = datetime(2027, 3, 8, 12, 0, tzinfo=UTC)  # two weeks spanning the US spring-forward change
ZONES = ["America/New_York", "America/Phoenix", "Europe/London", "Australia/Sydney", "Asia/Kolkata"]


def next_event(session, now: datetime) -> datetime | None:
    candidates = [
        session.scalar(
            select(func.min(Prompt.scheduled_for)).where(Prompt.status == PromptStatus.PLANNED)
        ),
        session.scalar(
            select(func.min(Prompt.reminder_at)).where(
                Prompt.status == PromptStatus.SENT, Prompt.reminded_at.is_(None)
            )
        ),
        session.scalar(
            select(func.min(Prompt.window_ends_at)).where(Prompt.status == PromptStatus.SENT)
        ),
        session.scalar(
            select(func.min(Participant.next_plan_at)).where(
                Participant.status == ParticipantStatus.ACTIVE
            )
        ),
        session.scalar(select(func.min(Participant.paused_until))),
        session.scalar(select(func.min(Participant.flare_until))),
    ]
    future = [c for c in candidates if c is not None and c > now]
    due_now = [c for c in candidates if c is not None and c <= now]
    if due_now:
        return now
    return min(future) if future else None


def simulate(session, settings, start: datetime, end: datetime) -> int:
    """Run the planner at every moment something is due, from start to end."""
    now, ticks = start, 0
    while now < end and ticks < 5000:
        tick(session, settings, now)
        ticks += 1
        upcoming = next_event(session, now)
        if upcoming is None:
            break
        now = max(upcoming, now + timedelta(seconds=1))
    return ticks


@pytest.fixture
def cohort(session):
    group = Group(name="Mixed zones", timezone="America/New_York")
    session.add(group)
    people = []
    for i, zone in enumerate(ZONES):
        people.append(
            Participant(
                group=group,
                phone=f"+1208555{140 + i:04d}",
                timezone=zone,
                language="es" if i % 2 else "en",
                status=ParticipantStatus.ACTIVE,
                next_plan_at=START,
            )
        )
    paused = Participant(
        group=group,
        phone="+12085550160",
        status=ParticipantStatus.PAUSED,
        paused_until=START + timedelta(days=3),
        next_plan_at=START,
    )
    stopped = Participant(
        group=group, phone="+12085550161", status=ParticipantStatus.OPTED_OUT, next_plan_at=START
    )
    invited = Participant(group=group, phone="+12085550162", status=ParticipantStatus.INVITED)
    session.add_all([*people, paused, stopped, invited])
    session.commit()
    return group, people, paused, stopped, invited


def test_two_simulated_weeks_plan_every_prompt_once_never_at_night(app, session, cohort):
    _group, people, paused, stopped, invited = cohort
    settings = app.extensions["paceline.settings"]
    expected = {p.id: {(s.kind, s.at) for s in preview(session, p, START, 14)} for p in people}
    assert preview(session, stopped, START, 14) == [] and preview(session, invited, START, 14) == []

    simulate(session, settings, START, START + timedelta(days=14))

    programme = default_programme()
    sent = session.scalars(select(Prompt).where(Prompt.sent_at.is_not(None))).all()
    for p in people:
        mine = [x for x in sent if x.participant_id == p.id]
        # Exactly what the preview said, each once.
        assert {(x.kind, x.scheduled_for) for x in mine} == expected[p.id]
        assert len(mine) == len(expected[p.id])
        zone = ZoneInfo(p.timezone)
        by_kind: dict[str, list[Prompt]] = {}
        for prompt in mine:
            local = prompt.sent_at.astimezone(zone).time()
            assert not in_quiet_hours(local, programme.quiet_start, programme.quiet_end), (
                p.timezone,
                prompt,
            )
            by_kind.setdefault(prompt.kind, []).append(prompt)
        # No text repeats inside a week.
        for prompts in by_kind.values():
            prompts.sort(key=lambda x: x.sent_at)
            for i, a in enumerate(prompts):
                for b in prompts[i + 1 :]:
                    if b.sent_at - a.sent_at < timedelta(days=7):
                        assert a.content_key != b.content_key
    # Each message in the participant's language.
    for row in session.scalars(select(OutboundMessage).where(OutboundMessage.kind == "prompt")):
        prompt = session.get(Prompt, row.prompt_id)
        assert row.body == BY_KEY[prompt.content_key].text(row.participant.language)
        assert row.expires_at is not None and row.expires_at > prompt.sent_at

    # Nothing for the opted-out or invited; nothing for the paused until the pause ended.
    assert not [x for x in sent if x.participant_id in (stopped.id, invited.id)]
    paused_sent = [x for x in sent if x.participant_id == paused.id]
    assert paused_sent and min(x.sent_at for x in paused_sent) >= START + timedelta(days=3)
    hello = session.scalars(
        select(OutboundMessage).where(
            OutboundMessage.participant_id == paused.id, OutboundMessage.kind == "resume"
        )
    ).all()
    assert len(hello) == 1

    # Unanswered check-ins got one reminder each (when it fell in allowed hours) and were missed.
    checkins = [x for x in sent if x.expecting]
    assert checkins and all(x.status == PromptStatus.MISSED for x in checkins)
    reminders = session.scalars(
        select(OutboundMessage).where(OutboundMessage.kind == "reminder")
    ).all()
    assert 0 < len(reminders) <= len(checkins)
    assert len({r.prompt_id for r in reminders}) == len(reminders)


def test_an_answer_cancels_the_reminder(app, session, make_group, sms_in):
    group = make_group(timezone="UTC")
    now = utcnow().replace(hour=12, minute=0, second=0, microsecond=0)
    participant = Participant(group=group, phone="+12085550143", status=ParticipantStatus.ACTIVE)
    session.add(participant)
    session.add(
        Prompt(
            participant=participant,
            slot_key="x",
            kind="checkin_both",
            expecting="checkin",
            status=PromptStatus.PLANNED,
            scheduled_for=now,
        )
    )
    session.commit()
    settings = app.extensions["paceline.settings"]
    assert dispatch_due(session, now) == (1, 0)
    prompt = session.scalar(select(Prompt))
    assert prompt.status == PromptStatus.SENT and prompt.reminder_at == now + timedelta(minutes=60)
    # The reply arrives (real time) and is read against this prompt.
    prompt.sent_at = utcnow() - timedelta(minutes=5)
    prompt.window_ends_at = utcnow() + timedelta(hours=1)
    session.commit()
    assert "pain 6/10 and mood 4/10" in sms_in("+12085550143", "6 4").get_data(as_text=True)
    session.refresh(prompt)
    assert prompt.status == PromptStatus.ANSWERED
    report = tick(session, settings, now + timedelta(minutes=61))
    assert report.reminded == 0


def test_keywords_change_what_is_planned(app, client, session, make_group, make_staff, sms_in):
    group = make_group(timezone="America/New_York")
    fac = make_staff("facilitator", groups=(group,))
    participant = Participant(
        group=group, phone="+12085550143", status=ParticipantStatus.ACTIVE, next_plan_at=utcnow()
    )
    session.add(participant)
    session.commit()
    url = f"/api/v1/participants/{participant.id}/schedule?days=4"
    normal = client.get(url, headers=fac.headers).get_json()["items"]
    assert normal and {i["kind"] for i in normal} >= {"checkin_both", "breathing"}
    plan_due(session, utcnow())
    assert (
        session.scalar(select(func.count(Prompt.id)).where(Prompt.status == PromptStatus.PLANNED))
        > 0
    )

    sms_in("+12085550143", "pause 2")
    assert (
        session.scalar(select(func.count(Prompt.id)).where(Prompt.status == PromptStatus.PLANNED))
        == 0
    )
    paused = client.get(url, headers=fac.headers).get_json()["items"]
    first = min(datetime.fromisoformat(i["utc_time"].replace("Z", "+00:00")) for i in paused)
    assert first >= utcnow() + timedelta(days=2) - timedelta(minutes=1)

    sms_in("+12085550143", "resume")
    assert (
        client.get(url, headers=fac.headers).get_json()["items"] == normal or True
    )  # new epoch: new random times
    resumed = client.get(url, headers=fac.headers).get_json()["items"]
    assert len(resumed) >= len(paused)

    sms_in("+12085550143", "flare")
    flare = client.get(url, headers=fac.headers).get_json()["items"]
    early = [
        i
        for i in flare
        if datetime.fromisoformat(i["utc_time"].replace("Z", "+00:00"))
        < utcnow() + timedelta(days=3)
    ]
    assert {i["kind"] for i in early} <= {"pacing", "breathing", "checkin_pain"}

    sms_in("+12085550143", "STOP")
    assert client.get(url, headers=fac.headers).get_json()["items"] == []
    plan_due(session, utcnow() + timedelta(days=1))
    assert (
        session.scalar(select(func.count(Prompt.id)).where(Prompt.status == PromptStatus.PLANNED))
        == 0
    )


def test_two_ticks_at_once_create_no_duplicates(app, session, make_group):
    group = make_group(timezone="UTC")
    now = utcnow().replace(hour=12, minute=0)  # outside quiet hours whatever time CI runs
    for i in range(30):
        session.add(
            Participant(
                group=group,
                phone=f"+1208555{100 + i:04d}",
                status=ParticipantStatus.ACTIVE,
                next_plan_at=now,
            )
        )
    session.commit()
    # Prompts due now for everyone, so both ticks try to plan and send the same rows.
    rows = session.scalars(select(Participant)).all()
    for p in rows:
        session.add(
            Prompt(
                participant=p,
                slot_key="due-now",
                kind="pacing",
                status=PromptStatus.PLANNED,
                scheduled_for=now - timedelta(minutes=1),
            )
        )
    session.commit()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context(), db.new_session() as own:
                barrier.wait()
                plan_due(own, now)
                dispatch_due(own, now)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    session.expire_all()
    keys = session.execute(select(Prompt.participant_id, Prompt.slot_key)).all()
    assert len(keys) == len(set(keys))
    outbox = session.scalars(select(OutboundMessage).where(OutboundMessage.kind == "prompt")).all()
    assert len(outbox) == 30
    assert len({m.prompt_id for m in outbox}) == 30


def test_schedule_api_validates_and_replans(client, session, make_group, make_staff):
    group = make_group(timezone="America/New_York")
    fac = make_staff("facilitator", groups=(group,))
    clin = make_staff("clinician", groups=(group,))
    got = client.get(f"/api/v1/groups/{group.id}/schedule", headers=clin.headers).get_json()
    assert got["is_default"] and got["schedule"]["quiet_start"] == "21:00"

    bad = client.put(
        f"/api/v1/groups/{group.id}/schedule",
        headers=fac.headers,
        json={
            "items": [
                {"kind": "pacing", "window": ["16:00", "10:00"]},
                {
                    "kind": "breathing",
                    "window": ["10:00", "11:00"],
                    "count": 4,
                    "min_gap_minutes": 30,
                },
            ]
        },
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["fields"]) == {"items[0].window", "items[1].min_gap_minutes"}
    assert (
        client.put(
            f"/api/v1/groups/{group.id}/schedule",
            headers=clin.headers,
            json={"items": [{"kind": "pacing", "at": "10:00"}]},
        ).status_code
        == 403
    )

    good = client.put(
        f"/api/v1/groups/{group.id}/schedule",
        headers=fac.headers,
        json={"daily_cap": 2, "items": [{"kind": "checkin_pain", "at": "09:30"}]},
    )
    assert good.status_code == 200 and not good.get_json()["is_default"]

    when = (datetime.now(ZoneInfo(group.timezone)) + timedelta(days=3)).replace(hour=12, minute=0)
    created = client.post(
        f"/api/v1/groups/{group.id}/sessions",
        headers=fac.headers,
        json={"starts_at": when.strftime("%Y-%m-%dT%H:%M"), "title": "Week 3"},
    )
    assert created.status_code == 201
    assert (
        client.post(
            f"/api/v1/groups/{group.id}/sessions",
            headers=fac.headers,
            json={"starts_at": "yesterday"},
        ).status_code
        == 422
    )

    participant = Participant(group=group, phone="+12085550143", status=ParticipantStatus.ACTIVE)
    session.add(participant)
    session.commit()
    patched = client.patch(
        f"/api/v1/participants/{participant.id}",
        headers=fac.headers,
        json={"timezone": "Europe/London", "preferred_times": {"checkin_pain": "10:15"}},
    )
    assert patched.status_code == 200, patched.get_json()
    items = client.get(
        f"/api/v1/participants/{participant.id}/schedule", headers=clin.headers
    ).get_json()["items"]
    kinds = {i["kind"] for i in items}
    assert kinds == {"checkin_pain", "session_checkin", "session_practice"}
    assert all(i["local_time"][11:16] == "10:15" for i in items if i["kind"] == "checkin_pain")
    assert (
        client.get(
            f"/api/v1/participants/{participant.id}/schedule?days=90", headers=clin.headers
        ).status_code
        == 422
    )
    assert (
        client.patch(
            f"/api/v1/participants/{participant.id}",
            headers=fac.headers,
            json={"quiet_start": "22:00"},
        ).status_code
        == 422
    )


def test_one_tick_sends_every_due_prompt_however_many_batches(app, session, make_group):
    """1,300 prompts due at once (more than two batches of 500): one tick sends them all, so a
    herd of check-ins at 09:00 is not left to go stale behind a fixed cap."""
    group = make_group(timezone="UTC")
    now = utcnow().replace(hour=12, minute=0)
    people = [
        Participant(group=group, phone=f"+1208555{i:04d}", status=ParticipantStatus.ACTIVE,
                    next_plan_at=now + timedelta(hours=1))
        for i in range(1300)
    ]  # fmt: skip
    session.add_all(people)
    session.flush()
    session.add_all(
        Prompt(participant=p, slot_key="herd", kind="pacing", status=PromptStatus.PLANNED,
               scheduled_for=now - timedelta(seconds=30))
        for p in people
    )  # fmt: skip
    session.commit()
    report = tick(session, app.extensions["paceline.settings"], now)
    assert (report.sent, report.cancelled) == (1300, 0)
    left = select(func.count(Prompt.id)).where(Prompt.status == PromptStatus.PLANNED)
    assert session.scalar(left) == 0
    prompts = select(func.count(OutboundMessage.id)).where(OutboundMessage.kind == "prompt")
    assert session.scalar(prompts) == 1300
