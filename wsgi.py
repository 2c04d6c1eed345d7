"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import sys

from service import create_app

app = create_app()

if "gunicorn" in sys.modules:  # a web worker: load the reply parser's word lists now, not
    from messages.parse import parse_reply  # while the first texts wait (about 0.3 s)

    parse_reply("warm up 5")
