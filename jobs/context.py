"""The app context a job runs in: the current one (tests, in-process workers) or one per process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, has_app_context

_process_app: Flask | None = None


@contextmanager
def job_app() -> Iterator[Flask]:
    """Yield a Flask app with an active app context, creating the process's app on first use."""
    global _process_app
    if has_app_context():
        yield current_app._get_current_object()  # type: ignore[attr-defined]
        return
    if _process_app is None:
        from service import create_app

        _process_app = create_app()
    with _process_app.app_context():
        yield _process_app
