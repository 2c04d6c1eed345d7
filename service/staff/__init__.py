"""Staff accounts: password and API-token authentication, group-level access rules."""
