"""Delivery: the outbox (one row per text, enqueued after commit) and the SMS backends (Twilio, console)."""
