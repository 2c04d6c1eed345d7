"""`make run`: the whole service on one machine with nothing installed but Python.

Starts the embedded Redis (unless REDIS_URL is set), migrates the SQLite database, seeds the
demo group, then runs the web server, an RQ worker and the clock as child processes, each
with the same environment, until Ctrl-C. A child that dies is started again (with a growing
delay) and the terminal says so; the others keep running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from service import create_app
from service.commands.cli import upgrade_database
from service.commands.demo import seed_demo
from service.platform.db import db
from service.platform.redis_conn import stop_embedded_redis


def main() -> int:
    """Run web, worker and clock until interrupted; return the exit status."""
    env = dict(os.environ)
    env.setdefault("PACELINE_ENV", "development")
    env.setdefault("SMS_BACKEND", "console")
    port = env.setdefault("PORT", "5000")
    env.setdefault("PUBLIC_BASE_URL", f"http://127.0.0.1:{port}")
    app = create_app(env)
    settings = app.extensions["paceline.settings"]
    env["REDIS_URL"] = app.extensions["paceline.redis_url"]
    env["INSTANCE_PATH"] = str(settings.instance_path)
    embedded = settings.redis_url is None

    upgrade_database(app)
    with app.app_context():
        lines = seed_demo(db.session(), settings, env.get("DEMO_PASSWORD", "paceline-demo"))
    print(
        "\n".join(
            [
                "",
                "Paceline is starting.",
                *lines,
                f"  staff web app:    http://127.0.0.1:{port}/  (log in with an account above)",
                f"  phone simulator:  http://127.0.0.1:{port}/simulator  (play a client)",
                f"  health:           http://127.0.0.1:{port}/healthz",
                "",
            ]
        )
    )

    python = sys.executable
    flask = [python, "-m", "flask", "--app", "wsgi"]
    commands = {
        "web": [python, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                "--threads", "4", "--timeout", "15", "wsgi:app"],
        "worker": [*flask, "worker"],
        "clock": [*flask, "clock"],
    }  # fmt: skip
    children = {name: subprocess.Popen(argv, env=env) for name, argv in commands.items()}  # noqa: S603
    restarts = dict.fromkeys(commands, 0)
    next_start: dict[str, float] = {}
    stopping = False

    def _stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:
            now = time.monotonic()
            for name, child in children.items():
                if child.poll() is None or name in next_start:
                    continue
                # One part died: say so and start it again (backing off), keep the rest up.
                restarts[name] += 1
                delay = min(2 ** min(restarts[name], 5), 30)
                print(
                    f"\n*** {name} exited with status {child.returncode}; "
                    f"starting it again in {delay} s (restart {restarts[name]})\n",
                    file=sys.stderr,
                    flush=True,
                )
                next_start[name] = now + delay
            for name, when in list(next_start.items()):
                if now >= when:
                    children[name] = subprocess.Popen(commands[name], env=env)  # noqa: S603
                    del next_start[name]
                    print(f"*** {name} started again", file=sys.stderr, flush=True)
            time.sleep(0.5)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children.values():
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        if embedded:
            stop_embedded_redis(settings.instance_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
