"""The periodic jobs the clock process runs (RQ's own cron scheduler)."""

from __future__ import annotations

from rq.cron import CronScheduler

from jobs.planning import alerts_scan, planning_tick
from jobs.retention import retention
from jobs.sweeps import sweep

SWEEP_INTERVAL_SECONDS = 15
TICK_INTERVAL_SECONDS = 60


def register_all(scheduler: CronScheduler) -> None:
    """Register every periodic job on `scheduler`."""
    scheduler.register(
        sweep,
        queue_name="maintenance",
        interval=SWEEP_INTERVAL_SECONDS,
        job_timeout=120,
        result_ttl=600,
        ttl=SWEEP_INTERVAL_SECONDS * 4,
    )
    scheduler.register(
        planning_tick,
        queue_name="default",
        interval=TICK_INTERVAL_SECONDS,
        job_timeout=300,
        result_ttl=600,
        ttl=TICK_INTERVAL_SECONDS * 2,
    )
    scheduler.register(
        alerts_scan, queue_name="default", cron="7 * * * *", job_timeout=300, result_ttl=3600
    )
    # Daily at 03:23 UTC, away from the top of the hour where prompts cluster.
    scheduler.register(
        retention, queue_name="maintenance", cron="23 3 * * *", job_timeout=3600, result_ttl=86400
    )
