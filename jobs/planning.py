"""RQ entry points for the planner tick (service/programme/dispatch.py) and the silence scan."""

from __future__ import annotations

from jobs.context import job_app
from service.care.alert_rules import scan_silence
from service.platform.db import db, utcnow
from service.programme.dispatch import tick


def planning_tick() -> dict[str, int]:
    """Plan, send due prompts, remind, close windows: one pass."""
    with job_app() as app:
        report = tick(db.session(), app.extensions["paceline.settings"], utcnow())
        return report.__dict__


def alerts_scan() -> int:
    """Hourly: raise `no_reply` alerts for people texted but silent for 3 days."""
    with job_app():
        return scan_silence(db.session(), utcnow())
