"""Shared fixtures: real Redis (embedded unless REDIS_URL is set), real SQLite or PostgreSQL
(DATABASE_URL), migrated once per session and emptied after each test, the Prism mock of
Twilio's API, and helpers to sign webhook requests exactly as Twilio does.

Set PACELINE_REQUIRE_ALL=1 (CI does) to turn every skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from rq import SimpleWorker
from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

from jobs.cli import WORKER_QUEUES
from service import create_app
from service.commands.cli import upgrade_database
from service.models import Group, Role, StaffUser
from service.platform.db import Base, db
from service.platform.redis_conn import ensure_embedded_redis, get_redis, stop_embedded_redis
from service.staff.auth import create_user, issue_token

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TWILIO_SPEC = SHARED / "twilio" / "twilio_api_v2010.json"
PRISM = ROOT / ".tools" / "node_modules" / ".bin" / "prism"
REQUIRE_ALL = os.environ.get("PACELINE_REQUIRE_ALL") == "1"

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "12345678901234567890123456789012"
FROM_NUMBER = "+15005550006"
PUBLIC_BASE_URL = "https://paceline.example.org"


def skip_or_fail(reason: str) -> None:
    """Skip locally when a tool is missing; fail in CI, where everything must run."""
    if REQUIRE_ALL:
        pytest.fail(f"required in CI but unavailable: {reason}")
    pytest.skip(reason)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if REQUIRE_ALL and reporter is not None and reporter.stats.get("skipped"):
        reporter.write_line("PACELINE_REQUIRE_ALL=1: skipped tests count as failures", red=True)
        session.exitstatus = 1


# --- real services -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def scratch_dir() -> Iterator[Path]:
    # Short path: unix socket paths are limited to ~100 bytes.
    path = Path(tempfile.mkdtemp(prefix="pl-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url(scratch_dir: Path) -> Iterator[str]:
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    redis_dir = scratch_dir / "redis"
    url = ensure_embedded_redis(redis_dir)
    yield url
    stop_embedded_redis(redis_dir)


@pytest.fixture(scope="session")
def database_url(scratch_dir: Path) -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{scratch_dir / 'test.sqlite3'}"
    if url.startswith("postgresql"):
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def base_env(scratch_dir: Path, redis_url: str, database_url: str) -> dict[str, str]:
    return {
        "PACELINE_ENV": "test",
        "INSTANCE_PATH": str(scratch_dir / "instance"),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SMS_BACKEND": "console",
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "ORG_NAME": "Riverside Pain Service",
        "SUPPORT_CONTACT": "call 555-0100 weekdays",
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="session")
def migrated(base_env: dict[str, str]) -> None:
    upgrade_database(create_app(base_env))


@pytest.fixture
def make_app(base_env: dict[str, str], migrated: None) -> Iterator[Callable[..., Flask]]:
    """Build apps with extra settings; every table and the Redis db are emptied afterwards."""
    apps: list[Flask] = []

    def factory(**overrides: str) -> Flask:
        app = create_app({**base_env, **overrides})
        apps.append(app)
        return app

    yield factory
    if apps:
        _empty_everything(apps[0], base_env["REDIS_URL"])
    for app in apps:
        db.engine(app).dispose()


def _empty_everything(app: Flask, redis_url: str) -> None:
    engine = db.engine(app)
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))
    redis.Redis.from_url(redis_url).flushdb()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    application = make_app()
    get_redis(application).flushdb()
    with application.app_context():
        yield application


@pytest.fixture
def session(app: Flask) -> Any:
    return db.session()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def run_jobs(app: Flask) -> None:
    """Drain every queue with a real RQ worker in this process (inside the app context)."""
    worker = SimpleWorker(list(WORKER_QUEUES), connection=get_redis(app))
    worker.work(burst=True)


# --- staff and API ---------------------------------------------------------------------------


class Staff:
    """A staff member with an API token, for API tests."""

    def __init__(self, user: StaffUser, token: str) -> None:
        self.user = user
        self.token = token

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def make_staff(session: Any) -> Callable[..., Staff]:
    counter = iter(range(1, 10_000))

    def factory(role: str = "facilitator", groups: tuple[Group, ...] = ()) -> Staff:
        n = next(counter)
        user = create_user(session, f"{role}{n}@example.org", role, "correct horse battery")
        for group in groups:
            group.staff.append(user)
        token = issue_token(session, user)
        session.commit()
        return Staff(user, token)

    return factory


def daytime_zone() -> str:
    """A fixed-offset IANA zone where it is early afternoon right now.

    Texts that are not replies wait out quiet hours (21:00-08:00 local), so tests that expect
    a send to happen at once put their people somewhere it is daytime, whenever CI runs.
    """
    from datetime import UTC, datetime

    offset = 13 - datetime.now(UTC).hour  # local hour 13
    if offset > 12:
        offset -= 24
    if offset < -11:
        offset += 24
    return "Etc/GMT" + (f"{-offset:+d}" if offset else "")  # Etc/GMT-3 is UTC+3


def night_zone() -> str:
    """A fixed-offset IANA zone where it is about 01:00 right now (quiet hours)."""
    from datetime import UTC, datetime

    offset = 1 - datetime.now(UTC).hour
    if offset < -11:
        offset += 24
    return "Etc/GMT" + (f"{-offset:+d}" if offset else "")


@pytest.fixture
def make_group(session: Any) -> Callable[..., Group]:
    def factory(name: str = "Tuesday group", timezone: str | None = None) -> Group:
        timezone = timezone or daytime_zone()
        group = Group(name=name, timezone=timezone)
        session.add(group)
        session.commit()
        return group

    return factory


@pytest.fixture
def admin(make_staff: Callable[..., Staff]) -> Staff:
    return make_staff(Role.ADMIN.value)


# --- Twilio-signed requests -----------------------------------------------------------------


def twilio_signature(path: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """The X-Twilio-Signature Twilio would send for a POST to PUBLIC_BASE_URL + path."""
    return RequestValidator(token).compute_signature(PUBLIC_BASE_URL + path, params)


@pytest.fixture
def twilio_post(client: FlaskClient) -> Callable[..., Any]:
    def post(path: str, params: dict[str, str], signature: str | None = None, **kwargs: Any) -> Any:
        sig = twilio_signature(path, params) if signature is None else signature
        return client.post(path, data=params, headers={"X-Twilio-Signature": sig}, **kwargs)

    return post


@pytest.fixture
def sms_in(client: FlaskClient, sms_in_factory: Callable[[FlaskClient], Callable[..., Any]]) -> Any:
    """Deliver an inbound SMS through the signed webhook, as Twilio would."""
    return sms_in_factory(client)


# --- Prism: Twilio's OpenAPI description served on loopback ----------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def prism_url(scratch_dir: Path) -> Iterator[str]:
    if not PRISM.exists() or not TWILIO_SPEC.exists():
        skip_or_fail("Prism is not installed (npm install --prefix .tools @stoplight/prism-cli@5)")
    port = free_port()
    log_path = scratch_dir / "prism.log"
    with open(log_path, "w") as log_file:
        proc = subprocess.Popen(
            [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(TWILIO_SPEC)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"Prism exited: {log_path.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("Prism did not start within 90 s")
                time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def twilio_env(api_base_url: str) -> dict[str, str]:
    """Settings for the real twilio backend pointed at a loopback API."""
    return {
        "SMS_BACKEND": "twilio",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_API_BASE_URL": api_base_url,
        "TWILIO_HTTP_TIMEOUT": "5",
        # Paced, but faster than any test sends; tests/jobs/test_pacing.py sets real rates.
        "TWILIO_SENDER_MPS": "10000",
    }


@pytest.fixture
def redis_client(app: Flask) -> redis.Redis:
    return get_redis(app)


@pytest.fixture
def sms_in_factory() -> Callable[[FlaskClient], Callable[..., Any]]:
    """Like `sms_in`, for a client of an app built with other settings."""
    counter = iter(range(1, 1_000_000))

    def bind(client: FlaskClient) -> Callable[..., Any]:
        def send(from_phone: str, body: str, sid: str | None = None) -> Any:
            params = {
                "MessageSid": sid or f"SM{next(counter):032x}",
                "AccountSid": ACCOUNT_SID,
                "From": from_phone,
                "To": FROM_NUMBER,
                "Body": body,
                "NumMedia": "0",
            }
            sig = twilio_signature("/twilio/inbound", params)
            return client.post("/twilio/inbound", data=params, headers={"X-Twilio-Signature": sig})

        return send

    return bind
