"""RQ job entry points. Each takes ids, opens its own app context and session, and calls logic
that tests can call directly with a session."""
