"""The daily retention job: departed members' data (service/programme/erasure.py), and the
audit trail's oldest rows (service/staff/audit.py)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from jobs.context import job_app
from service.platform.db import db, utcnow
from service.platform.settings import Settings
from service.programme.erasure import due_for_erasure, erase_member, exit_time
from service.staff import audit

log = logging.getLogger(__name__)

BATCH = 200


def retention() -> dict[str, int]:
    """Erase members past RETENTION_DAYS_AFTER_EXIT; prune audit rows past AUDIT_RETENTION_DAYS."""
    with job_app() as app:
        settings = app.extensions["paceline.settings"]
        now = utcnow()
        erased = retention_sweep(db.session(), settings, now)
        pruned = audit.prune(db.session(), settings.audit_retention_days, now)
        return {"members_erased": erased, "audit_rows_pruned": pruned}


def retention_sweep(session: Session, settings: Settings, now: datetime) -> int:
    """Erase every member who left more than RETENTION_DAYS_AFTER_EXIT ago. Each erasure
    commits together with its audit row, so a crash part-way loses nothing and repeats
    nothing (the next run takes whoever is left)."""
    erased = 0
    while batch := due_for_erasure(session, settings, now, BATCH):
        for participant in batch:
            pid, left = participant.id, exit_time(participant)
            counts = erase_member(session, settings, participant)
            audit.append(session, [audit.system_entry(
                action="write", object_type="participant", object_id=str(pid),
                participant_id=pid, at=now,
                detail=f"erased by the retention rule ({settings.retention_days_after_exit} "
                       f"days after leaving on {left:%Y-%m-%d}): {counts.describe()}",
            )])  # fmt: skip
            erased += 1
    if erased:
        log.info("retention: erased the data of %d members who had left", erased)
    return erased
