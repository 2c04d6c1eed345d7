"""What every capability stands on: settings, database, Redis, logging, health; imports none of them."""
