"""Settings fail fast with the variable's name; CLI commands; the health check."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.models import StaffUser
from service.platform.settings import SettingsError, load_settings


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PACELINE_ENV": "production"}, "SECRET_KEY"),
        ({"PACELINE_ENV": "production", "SECRET_KEY": "x" * 40}, "REDIS_URL"),
        ({"SMS_BACKEND": "twilio"}, "TWILIO_ACCOUNT_SID"),
        ({"SMS_BACKEND": "carrier-pigeon"}, "SMS_BACKEND"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"TWILIO_ACCOUNT_SID": "AC123"}, "TWILIO_ACCOUNT_SID"),
        ({"TWILIO_FROM_NUMBER": "12"}, "TWILIO_FROM_NUMBER"),
        ({"PUBLIC_BASE_URL": "paceline.org"}, "PUBLIC_BASE_URL"),
        ({"DEFAULT_PHONE_REGION": "XX"}, "DEFAULT_PHONE_REGION"),
        ({"DEFAULT_TIMEZONE": "Mars/Base"}, "DEFAULT_TIMEZONE"),
        ({"MESSAGE_VALIDITY_SECONDS": "40000"}, "MESSAGE_VALIDITY_SECONDS"),
        ({"TWILIO_HTTP_TIMEOUT": "soon"}, "TWILIO_HTTP_TIMEOUT"),
        ({"CRISIS_ALERT_EMAIL": "oncall@example.org"}, "SMTP_HOST"),
        ({"CRISIS_ALERT_PHONE": "911"}, "CRISIS_ALERT_PHONE"),
    ],
)
def test_bad_configuration_fails_naming_the_variable(env, named):
    with pytest.raises(SettingsError, match=named):
        load_settings(env)


def test_defaults_are_a_working_development_setup():
    settings = load_settings({})
    assert settings.env == "development" and settings.sms_backend == "console"
    assert settings.database_url.startswith("sqlite:///") and settings.redis_url is None
    assert settings.message_validity_seconds <= 36_000
    assert "secret_key" in settings.redacted() and settings.redacted()["secret_key"] == "***"


def test_postgres_urls_use_psycopg3():
    assert load_settings({"DATABASE_URL": "postgresql://u@h/db"}).database_url.startswith(
        "postgresql+psycopg://"
    )


def test_cli_creates_users_and_tokens(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "Fac@Example.org", "--role", "facilitator"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert session.scalar(select(StaffUser)).email == "fac@example.org"
    token = runner.invoke(args=["users", "token", "fac@example.org"]).output.strip()
    assert token.startswith("pl_")
    response = app.test_client().get("/api/v1/groups", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    weak = runner.invoke(
        args=["users", "create", "b@example.org", "--role", "admin"], input="short\n"
    )
    assert weak.exit_code != 0 and "at least" in weak.output


def test_demo_seed_is_idempotent(app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "facilitator@paceline.test" in first.output
    assert len(session.scalars(select(StaffUser)).all()) == 3
    # Six weeks of history, seeded once; the same API token on every start.
    from service.models import Alert, Observation, Prompt, SurveyResponse

    prompts = session.scalars(select(Prompt)).all()
    assert len([p for p in prompts if not p.kind.startswith("survey")]) == 7 * 42 * 2
    assert len(session.scalars(select(Observation)).all()) > 7 * 42
    # A PEG each Monday of the six weeks and a PHQ-2 before the last two sessions, each scored.
    surveys = session.scalars(select(SurveyResponse)).all()
    assert len(surveys) == len([p for p in prompts if p.kind.startswith("survey")])
    assert {s.instrument for s in surveys} == {"peg", "phq2"} and all(
        s.score is not None for s in surveys
    )
    assert len(surveys) in (7 * (5 + 2), 7 * (6 + 2))
    kinds = [a.kind.value for a in session.scalars(select(Alert))]
    assert sorted(kinds) == ["flare", "high_pain", "screen"]
    token = first.output.split("API token: ")[1].split()[0]
    assert token in second.output


def test_healthz_reports_database_and_redis(client, make_app):
    body = client.get("/healthz").get_json()
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok"},
        "spool": {"waiting": 0, "in_redis": 0, "in_file": 0, "last_outage": None},
    }
    broken = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    with broken.app_context():
        response = broken.test_client().get("/healthz")
        assert response.status_code == 503
        assert response.get_json()["checks"]["redis"] == "unreachable"
