"""`flask --app wsgi worker` and `flask --app wsgi clock`: the processes that run the jobs.

Declared as Flask CLI plugins (`[project.entry-points."flask.commands"]` in pyproject.toml),
so the app never imports `jobs/`: the only direction is jobs -> service -> messages.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

# Most urgent first: crisis replies and on-call notices never wait behind prompts.
WORKER_QUEUES = ("urgent", "sms", "default", "maintenance")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker(burst: bool) -> None:
    """Run an RQ worker on the urgent, sms, default and maintenance queues."""
    from rq import Worker

    from service.platform.redis_conn import get_redis

    Worker(list(WORKER_QUEUES), connection=get_redis()).work(burst=burst, with_scheduler=True)


@click.command("clock")
@with_appcontext
def clock() -> None:
    """Run the periodic scheduler (RQ cron): sweeps, planning ticks, alert scans."""
    from rq.cron import CronScheduler

    from jobs.cron import register_all
    from service.platform.redis_conn import get_redis

    scheduler = CronScheduler(connection=get_redis())
    register_all(scheduler)
    scheduler.start()
