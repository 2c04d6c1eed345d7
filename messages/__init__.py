"""Pure-Python message logic: content, reply parsing, phone numbers, SMS segments, schedules.

Nothing here imports Flask, SQLAlchemy or Redis; `service` and `jobs` depend on this package,
never the other way round.
"""
