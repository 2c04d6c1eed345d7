"""Performance measurements (`make bench`); figures and how to read them in docs/scaling.md."""
