"""The inbound spool: Twilio's signed requests kept when the database cannot take them.

Twilio does not redeliver an inbound SMS by default, so a text that arrives while the
database is down would be lost. The webhook instead answers inside its budget (STOP, HELP and
crisis language get their fixed replies, computed from the text alone) and keeps the request
here: in Redis first (a list, one JSON entry per request), and when Redis is down too, in an
append-only file under the instance folder, fsynced before the webhook answers. The sweep
drains both into the database in arrival order, idempotent on MessageSid, and raises the
crisis alerts and notifications then. RapidPro's courier does the same with its disk spool.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import redis
from flask import Flask

from service.platform.db import iso
from service.platform.redis_conn import get_redis

log = logging.getLogger(__name__)

SPOOL_KEY = "paceline:spool"
LOCK_KEY = "paceline:spool:lock"
OUTAGE_KEY = "paceline:spool:last_outage"
FILE_NAME = "inbound-spool.jsonl"


@dataclass
class SpoolEntry:
    """One signed Twilio request the database could not take."""

    kind: str  # "inbound" or "status"
    form: dict[str, str]
    args: dict[str, str]
    received_at: str  # ISO 8601, UTC
    answered: list[str] = field(default_factory=list)  # reply kinds already sent in the TwiML

    def to_json(self) -> str:
        """One line of JSON."""
        return json.dumps(self.__dict__, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> SpoolEntry:
        """The entry a line of JSON holds."""
        data = json.loads(line)
        return cls(
            kind=data["kind"],
            form=dict(data["form"]),
            args=dict(data.get("args", {})),
            received_at=data["received_at"],
            answered=list(data.get("answered", [])),
        )


def spool_dir(app: Flask) -> Path:
    """Where the file spool lives (the instance folder: persistent, local to the host)."""
    path = Path(app.extensions["paceline.settings"].instance_path) / "spool"
    path.mkdir(parents=True, exist_ok=True)
    return path


def spool(app: Flask, kind: str, form: dict[str, str], args: dict[str, str],
          received_at: datetime, answered: list[str]) -> str:  # fmt: skip
    """Keep one request; return where ("redis" or "file"). Raises OSError if neither works."""
    entry = SpoolEntry(kind, form, args, iso(received_at) or "", answered)
    line = entry.to_json()
    try:
        connection = get_redis(app)
        with connection.pipeline() as pipe:
            pipe.rpush(SPOOL_KEY, line)
            pipe.set(OUTAGE_KEY, entry.received_at)
            pipe.execute()
        return "redis"
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        log.error(
            "spool: Redis unreachable too (%s), writing to the file spool", type(exc).__name__
        )
    _append_to_file(spool_dir(app) / FILE_NAME, line)
    return "file"


def _append_to_file(path: Path, line: str) -> None:
    # One line per request, appended under an exclusive lock (several gunicorn workers) and
    # fsynced before the webhook answers Twilio.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@dataclass(frozen=True)
class SpoolDepth:
    """How many requests wait in each store (-1: that store could not be read)."""

    redis: int
    file: int
    last_outage: str | None

    @property
    def total(self) -> int:
        """Everything waiting that could be counted."""
        return max(self.redis, 0) + max(self.file, 0)


def depth(app: Flask) -> SpoolDepth:
    """How much waits in the spool, for /healthz and the admin page."""
    file_count = 0
    for path in _files(app):
        with path.open() as f:
            file_count += sum(1 for line in f if line.strip())
    try:
        connection = get_redis(app)
        redis_count = int(connection.llen(SPOOL_KEY))
        last = connection.get(OUTAGE_KEY)
        last_outage = last.decode() if isinstance(last, bytes) else last
    except (redis.ConnectionError, redis.TimeoutError):
        redis_count, last_outage = -1, None
    return SpoolDepth(redis=redis_count, file=file_count, last_outage=last_outage)


def _files(app: Flask) -> list[Path]:
    folder = spool_dir(app)
    return sorted(folder.glob(FILE_NAME + "*"))


def dead_letters(app: Flask) -> int:
    """How many requests could not be applied and wait for an operator."""
    path = spool_dir(app) / "dead-letters.jsonl"
    if not path.exists():
        return 0
    with path.open() as f:
        return sum(1 for line in f if line.strip())


def take_file_entries(app: Flask) -> tuple[list[SpoolEntry], list[Path]]:
    """The file spool's entries, after moving the file aside so new requests start a new one.

    The moved files are deleted by `forget_files` once their entries are committed; a crash
    before that leaves them to be drained again (idempotent on MessageSid).
    """
    folder = spool_dir(app)
    live = folder / FILE_NAME
    if live.exists():
        live.rename(folder / f"{FILE_NAME}.{os.getpid()}.{datetime.now().timestamp():.6f}")
    paths = sorted(p for p in folder.glob(FILE_NAME + ".*"))
    entries: list[SpoolEntry] = []
    for path in paths:
        with path.open() as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    entries.append(SpoolEntry.from_json(line))
                except (ValueError, KeyError) as exc:
                    log.error(
                        "spool: %s line %d unreadable (%s), kept aside", path.name, number, exc
                    )
    return entries, paths


def keep_dead_letter(app: Flask, entry: SpoolEntry) -> None:
    """Keep a request that could not be applied where an operator will find it (never lost)."""
    _append_to_file(spool_dir(app) / "dead-letters.jsonl", entry.to_json())


def forget_files(paths: list[Path]) -> None:
    """Delete drained spool files."""
    for path in paths:
        path.unlink(missing_ok=True)


def peek_redis(app: Flask, limit: int) -> list[tuple[str, SpoolEntry | None]]:
    """The oldest `limit` raw lines of the Redis spool with their entries (None: unreadable)."""
    raw: list[Any] = get_redis(app).lrange(SPOOL_KEY, 0, limit - 1)
    found: list[tuple[str, SpoolEntry | None]] = []
    for item in raw:
        line = item.decode() if isinstance(item, bytes) else str(item)
        try:
            found.append((line, SpoolEntry.from_json(line)))
        except (ValueError, KeyError):
            found.append((line, None))
    return found


def drop_redis(app: Flask, count: int) -> None:
    """Remove the oldest `count` lines of the Redis spool (they are committed)."""
    if count:
        get_redis(app).ltrim(SPOOL_KEY, count, -1)


def acquire_drain_lock(app: Flask, seconds: int = 120) -> bool:
    """One drain at a time across every worker and host."""
    try:
        return bool(get_redis(app).set(LOCK_KEY, str(os.getpid()), nx=True, ex=seconds))
    except (redis.ConnectionError, redis.TimeoutError):
        return True  # Redis is down: only the file spool can be drained; its rename is atomic


def release_drain_lock(app: Flask) -> None:
    """Let the next drain run."""
    try:
        get_redis(app).delete(LOCK_KEY)
    except (redis.ConnectionError, redis.TimeoutError):
        pass
