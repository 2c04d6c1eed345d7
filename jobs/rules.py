"""The rating rules (high pain, change from the person's baseline), run off the webhook.

The inbound webhook stores a rating with its rules due and enqueues `check_rules` after the
commit; the sweep runs any rules a lost job left (`sweep_rules`). Crisis language is not
here: its alert and on-call page are raised inside the request that carries it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from jobs.context import job_app
from service.care.alert_rules import run_due_rules
from service.platform.db import db

# A job normally runs within a second or two; the sweep takes over from a lost one after this.
SWEEP_AFTER = timedelta(seconds=60)


def check_rules(participant_id: int) -> int:
    """RQ entry point: the due rules of one participant's new ratings."""
    with job_app():
        return run_due_rules(db.session(), participant_id=participant_id)


def sweep_rules(session: Session, now: datetime) -> int:
    """Rules left due longer than SWEEP_AFTER (Redis lost the job, a worker died)."""
    return run_due_rules(session, due_before=now - SWEEP_AFTER)
