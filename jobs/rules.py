"""The rating rules (high pain, change from the person's baseline), run off the webhook.

The inbound webhook stores a rating with its rules due and, after the commit, makes sure a
`check_due_rules` job is coming (`service.conversation.alerts.ask_for_rules`): one job runs
every rating still due, however many texts asked. The sweep runs any rules a lost job left
(`sweep_rules`). Crisis language is not here: its alert and on-call page are raised inside
the request that carries it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from jobs.context import job_app
from service.care.alert_rules import RULES_BATCH, run_due_rules
from service.conversation.alerts import RULES_PENDING_KEY, ask_for_rules
from service.platform.db import db
from service.platform.redis_conn import get_redis

# A job normally runs within a second or two; the sweep takes over from a lost one after this.
SWEEP_AFTER = timedelta(seconds=60)
BATCHES_PER_JOB = 20  # then the job hands over to a new one, so other jobs get their turn


def check_due_rules() -> int:
    """RQ entry point: the rules of every rating still due, oldest first. The flag that
    stops texts from asking for more jobs is cleared first, so a rating committed after this
    job's reads asks for another one."""
    with job_app() as app:
        get_redis(app).delete(RULES_PENDING_KEY)
        session = db.session()
        checked = 0
        for _ in range(BATCHES_PER_JOB):
            done = run_due_rules(session)
            checked += done
            if done < RULES_BATCH:
                return checked
        ask_for_rules(app)  # more are due: the next job goes on with them
        return checked


def sweep_rules(session: Session, now: datetime) -> int:
    """Rules left due longer than SWEEP_AFTER (Redis lost the job, a worker died)."""
    return run_due_rules(session, due_before=now - SWEEP_AFTER)
