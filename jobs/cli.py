"""`flask --app wsgi worker` and `flask --app wsgi clock`: the processes that run the jobs.

Declared as Flask CLI plugins (`[project.entry-points."flask.commands"]` in pyproject.toml),
so the app never imports `jobs/`: the only direction is jobs -> service -> messages.

Both survive Redis and database restarts: a lost connection is logged and retried with
backoff (1 s doubling to 30 s) instead of ending the process. A worker also heartbeats a short
lived key, so the sweep can tell a job whose worker was killed from one still running.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable

import click
import redis
from flask import Flask, current_app
from flask.cli import ScriptInfo, with_appcontext

# In priority order: urgent texts (crisis replies, on-call notices); the sweep (alert
# escalations, on-call retries, the outage spool) and the planner tick and rating rules, all
# short; then texts whose paced turn has come, then new sends. A broadcast keeps `sms` full
# for as long as it takes at the sender's rate (each worker waits out its turn with a job in
# hand), so nothing safety-related may sit behind it: the scale-out bench found the sweep
# and the tick idle for 70 s under a 20 MPS backlog, which at 1 MPS would be half an hour.
WORKER_QUEUES = ("urgent", "maintenance", "default", "paced", "sms")
MAX_BACKOFF_SECONDS = 30.0

log = logging.getLogger(__name__)


def supervise(name: str, run: Callable[[], None], stop: threading.Event | None = None) -> None:
    """Run `run` until it returns; after a crash wait (1 s doubling to 30 s) and run it again."""
    delay = 1.0
    while stop is None or not stop.is_set():
        started = time.monotonic()
        try:
            run()
            return
        except (KeyboardInterrupt, SystemExit):
            raise
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            log.error(
                "%s: lost Redis (%s); reconnecting in %.0f s", name, type(exc).__name__, delay
            )
        except Exception:
            log.exception("%s crashed; starting again in %.0f s", name, delay)
        if time.monotonic() - started > 60:
            delay = 1.0  # it ran a good while: a fresh failure starts the backoff again
        time.sleep(delay * random.uniform(0.9, 1.1))
        delay = min(delay * 2, MAX_BACKOFF_SECONDS)


def _heartbeat(connection: redis.Redis, name: str, stop: threading.Event) -> None:
    from service.messaging.outbox import ALIVE_KEY, ALIVE_SECONDS

    while not stop.wait(ALIVE_SECONDS / 3):
        try:
            connection.set(ALIVE_KEY.format(name), "1", ex=ALIVE_SECONDS)
        except (redis.ConnectionError, redis.TimeoutError):
            pass  # the worker loop notices and reconnects


def _load_app() -> Flask:
    """The app `flask --app ...` names, without pushing its context: each job then gets an app
    context of its own (jobs/context.py), so no session outlives its job."""
    from jobs import context

    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    context._process_app = app
    return app


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def worker(burst: bool) -> None:
    """Run an RQ worker on the urgent, sms, default and maintenance queues.

    A SimpleWorker runs each job in this process (no fork per job): one app, one pooled
    database engine and HTTP session, each job in its own app context (jobs/context.py).
    kill -9 ends the job with the worker; the sweep settles what it left."""
    from rq import SimpleWorker

    from service.messaging.outbox import ALIVE_KEY, ALIVE_SECONDS
    from service.platform.redis_conn import get_redis

    app = _load_app()

    def run() -> None:
        connection = get_redis(app)
        rq_worker = SimpleWorker(list(WORKER_QUEUES), connection=connection)
        connection.set(ALIVE_KEY.format(rq_worker.name), "1", ex=ALIVE_SECONDS)
        stop = threading.Event()
        beat = threading.Thread(
            target=_heartbeat, args=(connection, rq_worker.name, stop), daemon=True
        )
        beat.start()
        try:
            rq_worker.work(burst=burst, with_scheduler=True)
        finally:
            stop.set()

    supervise("worker", run)


@click.command("clock")
@with_appcontext
def clock() -> None:
    """Run the periodic scheduler (RQ cron): sweeps, planning ticks, alert scans."""
    from rq.cron import CronScheduler

    from jobs.cron import register_all
    from service.platform.redis_conn import get_redis

    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> None:
        scheduler = CronScheduler(connection=get_redis(app))
        register_all(scheduler)
        scheduler.start()

    supervise("clock", run)


@click.command("retention")
def retention() -> None:
    """Run the daily retention job now: erase members who left more than
    RETENTION_DAYS_AFTER_EXIT ago and prune audit rows older than AUDIT_RETENTION_DAYS."""
    from jobs.retention import retention as run_retention

    _load_app()
    report = run_retention()
    click.echo(f"retention: {report['members_erased']} members' data erased, "
               f"{report['audit_rows_pruned']} audit rows pruned")  # fmt: skip
