"""Eight simulated weeks of a group: weekly PEG, a PHQ-2 before each of two sessions, a daily
check-in. Scores and the screen alert come out right; the compliance curve matches a count by
hand; the FHIR Bundle validates; the REDCap dictionary and data pass REDCap's import rules;
the tidy export has one row per observation."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from service.care.compliance import compliance, prompt_times
from service.conversation.inbound import handle_inbound
from service.models import (
    Alert,
    AlertKind,
    Group,
    GroupSession,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
    SurveyResponse,
    SurveyStatus,
)
from service.programme.dispatch import dispatch_due
from service.programme.plans import plan_due
from service.programme.reminders import close_windows
from service.programme.surveys import expire_surveys
from tests.service.care.redcap_rules import check_data, check_dictionary
from tests.service.test_ui import Browser

ZONE = "America/New_York"
START = datetime(2026, 9, 7, 4, 0, tzinfo=UTC)  # Monday 00:00 in New York
WEEKS = 8
PHONE = "+12085550143"
SCHEDULE = {
    "daily_cap": 4,
    "items": [
        {"kind": "checkin_both", "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "at": "19:00"},
        {"kind": "survey_peg", "days": ["mon"], "at": "10:00"},
        {"kind": "survey_phq2", "session": "before", "offset_minutes": 60},
    ],
}  # fmt: skip
SESSIONS = (datetime(2026, 9, 16, 22, tzinfo=UTC), datetime(2026, 10, 21, 22, tzinfo=UTC))  # 18:00


def _reply_plan(prompt: Prompt, day: int) -> tuple[timedelta | None, list[str]]:
    """When (after sending) and what the member answers: a fixed pattern counted by hand."""
    if prompt.kind == "survey_peg":
        week = (day - 1) // 7 + 1
        return timedelta(minutes=20), [str(min(10, 3 + week)), "5", "4"]
    if prompt.kind == "survey_phq2":
        first = prompt.scheduled_for < SESSIONS[0] + timedelta(days=1)
        return timedelta(minutes=5), ["1", "several days"] if first else ["2", "nearly every day"]
    if day % 7 == 3:
        return None, []  # missed
    if day % 5 == 0:
        return timedelta(hours=3), ["pain 6 mood 5"]  # after the 2-hour window: late
    return timedelta(minutes=15), ["pain 5 mood 6"]


def _simulate(session, settings) -> tuple[Participant, dict[str, int]]:
    group = Group(name="Eight weeks", timezone=ZONE, schedule=SCHEDULE)
    session.add(group)
    session.add_all(GroupSession(group=group, starts_at=s, title="Session") for s in SESSIONS)
    member = Participant(group=group, phone=PHONE, name="Sim", status=ParticipantStatus.ACTIVE,
                         consent_at=START, consent_source="sms_yes", created_at=START,
                         next_plan_at=START)  # fmt: skip
    session.add(member)
    session.commit()
    end, now, sid = START + timedelta(weeks=WEEKS), START, 0
    expected = {"in_window": 0, "late": 0, "missed": 0}
    while True:
        plan_due(session, now)
        upcoming = session.scalar(
            select(Prompt.scheduled_for)
            .where(Prompt.status == PromptStatus.PLANNED, Prompt.scheduled_for >= now)
            .order_by(Prompt.scheduled_for).limit(1)
        )  # fmt: skip
        if upcoming is None or upcoming >= end:
            break
        if member.next_plan_at and member.next_plan_at < upcoming:
            now = member.next_plan_at
            continue
        now = upcoming
        dispatch_due(session, now)
        for prompt in session.scalars(select(Prompt).where(Prompt.sent_at == now)).all():
            day = int((prompt.scheduled_for - START) / timedelta(days=1)) + 1
            delay, texts = _reply_plan(prompt, day)
            if prompt.expecting and prompt.kind not in ("survey_peg", "survey_phq2"):
                expected["missed" if delay is None else
                         "late" if delay > timedelta(hours=2) else "in_window"] += 1  # fmt: skip
            elif prompt.expecting:
                expected["in_window"] += 1
            if delay is None:
                continue
            at = now + delay
            close_windows(session, at)
            expire_surveys(session, at)
            for n, text in enumerate(texts):
                sid += 1
                handle_inbound(session, settings, f"SMsim{sid:029d}", PHONE, text,
                               now=at + timedelta(minutes=n))  # fmt: skip
                session.commit()
        now += timedelta(seconds=1)
    close_windows(session, end)
    expire_surveys(session, end)
    return member, expected


@pytest.fixture
def simulated(app, session):
    member, expected = _simulate(session, app.extensions["paceline.settings"])
    return member, expected, START + timedelta(weeks=WEEKS)


def test_eight_weeks_give_the_right_scores_and_one_screen_alert(session, simulated):
    surveys = session.scalars(select(SurveyResponse).order_by(SurveyResponse.started_at)).all()
    pegs = [s for s in surveys if s.instrument == "peg"]
    phqs = [s for s in surveys if s.instrument == "phq2"]
    assert len(pegs) == WEEKS and len(phqs) == 2
    assert all(s.status == SurveyStatus.COMPLETE for s in surveys)
    # PEG week w answers (3 + w, 5, 4): the mean, to one decimal.
    assert [s.score for s in pegs] == [
        round((min(10, 3 + w) + 5 + 4) / 3, 1) for w in range(1, WEEKS + 1)
    ]
    assert [(s.score, s.positive) for s in phqs] == [(2, False), (5, True)]
    # PHQ-2 an hour before each session: 17:00 in New York.
    assert [s.started_at for s in phqs] == [s - timedelta(hours=1) for s in SESSIONS]
    alerts = session.scalars(select(Alert).where(Alert.kind == AlertKind.SCREEN)).all()
    assert len(alerts) == 1 and alerts[0].detail.startswith("PHQ-2 5/6")


def test_the_compliance_curve_matches_a_count_by_hand(client, session, make_staff, simulated):
    member, expected, end = simulated
    result = compliance(session, [member.id], end)
    assert (result.total.in_window, result.total.late, result.total.missed) == (
        expected["in_window"], expected["late"], expected["missed"])  # fmt: skip
    assert result.total.open == 0
    # Day 3 (a day % 7 == 3): its check-in was missed; day 5: answered late; day 1: in window.
    assert (result.by_day[3].missed, result.by_day[5].late, result.by_day[1].in_window) == (1, 1, 2)
    assert result.by_day[1].sent == 2  # Monday: the PEG and the check-in
    # The per-prompt export says the same, prompt by prompt.
    rows = list(prompt_times(session, [member.id], end))
    assert sum(r.outcome == "in_window" for r in rows) == expected["in_window"]
    assert all(r.sent_at is not None and r.scheduled_for <= r.sent_at for r in rows)
    answered = sorted(
        (r.answered_at - r.sent_at).total_seconds() / 60 for r in rows if r.answered_at
    )
    mid = len(answered) // 2
    median = answered[mid] if len(answered) % 2 else (answered[mid - 1] + answered[mid]) / 2
    assert result.median == round(median, 1)
    group_wide = compliance(session, select(Participant.id).where(Participant.group_id == member.group_id), end)  # fmt: skip
    assert group_wide.total == result.total
    # The API gives the same numbers to the group's clinician, and nothing to another group's.
    clin, outsider = make_staff("clinician", groups=(member.group,)), make_staff("clinician")
    api = client.get(
        f"/api/v1/groups/{member.group_id}/compliance", headers=clin.headers
    ).get_json()
    assert api["total"]["in_window"] == expected["in_window"]
    assert {d["day"]: d["missed"] for d in api["by_day"]}[3] == 1
    assert client.get(f"/api/v1/groups/{member.group_id}/compliance",
                      headers=outsider.headers).status_code == 403  # fmt: skip
    assert client.get(f"/api/v1/groups/{member.group_id}/compliance?days=x",
                      headers=clin.headers).status_code == 422  # fmt: skip
    surveys = client.get(
        f"/api/v1/participants/{member.id}/surveys", headers=clin.headers
    ).get_json()
    assert [s["score"] for s in surveys["items"] if s["instrument"] == "phq2"] == [2, 5]


def test_the_fhir_bundle_of_surveys_validates(client, session, make_staff, simulated):
    from fhir.resources.R4B.bundle import Bundle

    member, _expected, _end = simulated
    clin = make_staff("clinician", groups=(member.group,))
    response = client.get(f"/api/v1/participants/{member.id}/fhir", headers=clin.headers)
    bundle = Bundle.model_validate(response.get_json())
    kinds = [e.resource.__resource_type__ for e in bundle.entry]
    assert kinds.count("QuestionnaireResponse") == WEEKS + 2
    assert kinds.count("Questionnaire") == 2
    by_url = {e.fullUrl: e.resource for e in bundle.entry}
    scores = [e.resource for e in bundle.entry if e.resource.__resource_type__ == "Observation"
              and e.resource.derivedFrom]  # fmt: skip
    assert len(scores) == WEEKS + 2
    phq_scores = [o for o in scores if o.code.coding[0].code == "55758-7"]
    assert [o.valueInteger for o in phq_scores] == [2, 5]
    assert phq_scores[1].interpretation[0].coding[0].code == "POS"
    response_resource = by_url[phq_scores[1].derivedFrom[0].reference]
    assert response_resource.status == "completed"
    assert [i.answer[0].valueCoding.code for i in response_resource.item] == [
        "LA6570-1",
        "LA6571-9",
    ]
    questionnaire_url = response_resource.questionnaire.split("|")[0]
    served = client.get(urlsplit(questionnaire_url).path)
    assert served.status_code == 200 and served.mimetype == "application/fhir+json"
    assert served.get_json()["url"] == questionnaire_url
    peg_score = next(o for o in scores if o.code.coding[0].code == "91147-9")
    assert float(peg_score.valueQuantity.value) == round((4 + 5 + 4) / 3, 1)


def test_redcap_files_pass_redcaps_import_rules_and_tidy_has_a_row_per_observation(
    app, session, simulated, make_staff
):
    member, _expected, _end = simulated
    clin = make_staff("clinician", groups=(member.group,))
    browser = Browser(app.test_client(), clin.user.email)
    dictionary = browser.get(f"/groups/{member.group_id}/export/redcap-dictionary.csv")
    problems, fields = check_dictionary(dictionary.get_data(as_text=True))
    assert problems == []
    data = browser.get(f"/groups/{member.group_id}/export/redcap.csv").get_data(as_text=True)
    assert check_data(data, fields) == []
    rows = list(csv.DictReader(io.StringIO(data)))
    phq = [r for r in rows if r["redcap_repeat_instrument"] == "phq2"]
    assert [(r["phq2_1"], r["phq2_2"], r["phq2_score"], r["phq2_positive"]) for r in phq] == [
        ("1", "1", "2", "0"), ("2", "3", "5", "1")]  # fmt: skip
    assert {r["redcap_event_name"] for r in rows} == {
        f"week_{w}_arm_1" for w in range(1, WEEKS + 1)
    }
    logs = [r for r in rows if r["redcap_repeat_instrument"] == "daily_log"]
    assert logs and all(r["log_pain"] and r["log_mood"] for r in logs)
    assert PHONE not in data and "Sim" not in data

    tidy = list(csv.DictReader(io.StringIO(
        browser.get(f"/groups/{member.group_id}/export/tidy.csv").get_data(as_text=True))))  # fmt: skip
    ratings = [r for r in tidy if r["measure"] in ("pain", "mood")]
    assert len(ratings) == 2 * len(logs)
    peg_items = [r for r in tidy if r["measure"] == "peg" and r["item"] != "score"]
    assert len(peg_items) == 3 * WEEKS
    prompts = list(csv.DictReader(io.StringIO(
        browser.get(f"/groups/{member.group_id}/export/prompts.csv").get_data(as_text=True))))  # fmt: skip
    assert prompts and all(r["intended_utc"] and r["sent_utc"] for r in prompts)
    assert {r["outcome"] for r in prompts} == {"in_window", "late", "missed"}
