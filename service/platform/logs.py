"""Logging set-up: one format, phone numbers masked, no message bodies, noisy libraries quietened."""

from __future__ import annotations

import logging
import re

from messages.phone import mask_phone

_PHONE = re.compile(r"\+\d{8,15}")


class MaskPhoneNumbers(logging.Filter):
    """Masks anything that looks like an E.164 number in a record, as a last line of defence."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _PHONE.sub(lambda m: mask_phone(m.group(0)), message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def configure_logging(level: str) -> None:
    """Configure the root logger once per process (idempotent)."""
    root = logging.getLogger()
    if not any(getattr(h, "_paceline", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(MaskPhoneNumbers())
        handler._paceline = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    # twilio's HTTP client logs request bodies (numbers and message text) at INFO.
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    # The queue's own bookkeeping (a line per job, per cron enqueue, per registry clean-up)
    # drowns what a person needs: our own lines say what was sent, held, received or failed.
    # LOG_LEVEL=DEBUG brings it back.
    bookkeeping = logging.NOTSET if root.level <= logging.DEBUG else logging.WARNING
    for name in ("rq.worker", "rq.scheduler", "rq.cron", "rq.queue", "alembic.runtime.plugins"):
        logging.getLogger(name).setLevel(bookkeeping)
